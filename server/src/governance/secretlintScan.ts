import { fingerprintSecret, LineIndex, type SecretFinding } from './secretScan';

/**
 * secretlint's recommended preset (issue 11 item 6), in-process: a
 * maintained rule set for the providers' token formats (Slack, SendGrid,
 * Shopify, Hugging Face, Databricks, Grafana, Groq, Linear, Notion,
 * Tailscale, Docker Hub, HashiCorp Vault, Figma, Cloudflare, database
 * connection strings, …) beside our own rules (secretRules.ts), which stay
 * for what it lacks (JWTs, credentials in URLs and auth headers, the
 * entropy-checked generic rule) and for the synchronous scans of records.
 * Loaded on first use; its messages are never passed on (they quote the
 * secret, masked or not): a finding is the rule and the place.
 */

interface LintMessage {
  ruleId: string;
  range: readonly [number, number];
}

type Lint = (content: string) => Promise<LintMessage[]>;

let loading: Promise<Lint> | undefined;

async function loadLint(): Promise<Lint> {
  const [{ lintSource }, { creator }] = await Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')]);
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
  return async (content) => {
    const result = await lintSource({ source: { filePath: 'export.md', content, contentType: 'text' }, options: { config, maskSecrets: true } });
    return result.messages.map((m) => ({ ruleId: m.ruleId, range: m.range }));
  };
}

/** secretlint's findings in `content`, in our shape (rule `secretlint/<name>`, line, column, length, fingerprint). */
export async function secretlintFindings(content: string): Promise<SecretFinding[]> {
  if (content.trim() === '') return [];
  loading ??= loadLint();
  const messages = await (await loading)(content);
  if (messages.length === 0) return [];
  const lines = new LineIndex(content);
  return messages.map(({ ruleId, range: [start, end] }) => {
    const name = ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
    return {
      ruleId: `secretlint/${name}`,
      description: `${name} credential (secretlint)`,
      ...lines.positionOf(start),
      length: end - start,
      fingerprint: fingerprintSecret(content.slice(start, end)),
    };
  });
}

/** Ours and secretlint's, one finding per place: where both see a secret, ours (it has the better name) stays. */
export function mergeFindings(ours: readonly SecretFinding[], theirs: readonly SecretFinding[]): SecretFinding[] {
  const at = (f: SecretFinding) => `${f.line}:${f.column}`;
  const lines = new Set(ours.map((f) => f.line));
  const known = new Set(ours.map(at));
  const extra = theirs.filter((f) => !known.has(at(f)) && !lines.has(f.line));
  return [...ours, ...extra].sort((a, b) => a.line - b.line || a.column - b.column);
}
