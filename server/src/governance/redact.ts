/**
 * Replaces each secret with `[REDACTED:<ruleId>]`. Given findings from an
 * earlier scan, a finding is applied only where the content still holds the
 * same secret (its fingerprint matches), so stale findings cannot cut into
 * text that has changed since.
 */
import { LineIndex, fingerprintSecret, scanForSecrets, type SecretFinding } from './secretScan';

export interface RedactionResult {
  content: string;
  redactions: number;
}

export function redactionMarker(ruleId: string): string {
  return `[REDACTED:${ruleId}]`;
}

/** Scans `content` first when no findings are given. */
export async function redactSecrets(content: string, given?: readonly SecretFinding[]): Promise<RedactionResult> {
  const findings = given ?? (await scanForSecrets(content));
  if (findings.length === 0) return { content, redactions: 0 };
  const lines = new LineIndex(content);
  const spans = findings
    .map((finding) => ({ finding, start: lines.offsetOf(finding.line, finding.column) }))
    .filter((span): span is { finding: SecretFinding; start: number } => {
      if (span.start === undefined || span.start < 0) return false;
      const text = content.slice(span.start, span.start + span.finding.length);
      return text.length === span.finding.length && fingerprintSecret(text) === span.finding.fingerprint;
    })
    .sort((a, b) => a.start - b.start);

  const parts: string[] = [];
  let cursor = 0;
  let redactions = 0;
  for (const { finding, start } of spans) {
    if (start < cursor) continue; // overlaps one already replaced
    parts.push(content.slice(cursor, start), redactionMarker(finding.ruleId));
    cursor = start + finding.length;
    redactions++;
  }
  parts.push(content.slice(cursor));
  return { content: parts.join(''), redactions };
}
