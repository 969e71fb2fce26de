/**
 * secretlint's recommended preset, run in-process: the Bin's main rule set
 * (a well-kept list rather than a private one; secretRules.ts holds only
 * what it lacks). Its messages are turned into matches here: where the
 * secret is and which rule saw it. secretlint's own message text and data
 * spell the secret out, so they never leave this module.
 */
import { lintSource } from '@secretlint/core';
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';

export type SecretlintMatchKind = 'token' | 'url' | 'block';

export interface SecretlintMatch {
  ruleId: string;
  description: string;
  kind: SecretlintMatchKind;
  /** Offsets of the secret in the scanned text. */
  start: number;
  end: number;
}

type CoreConfig = Parameters<typeof lintSource>[0]['options']['config'];
type PresetRule = (typeof recommendedRules)[number];

const RULE_ID_PREFIX = '@secretlint/secretlint-rule-';

/** `secretlint-disable` comments in the scanned text would let the content switch the scan off. */
const EXCLUDED_RULES: ReadonlySet<string> = new Set([`${RULE_ID_PREFIX}filter-comments`]);
/** An AWS account id names an account; it grants nothing. */
const EXCLUDED_MESSAGES: ReadonlySet<string> = new Set(['AWSAccountID']);
/** Whole URLs: the finding is narrowed to the password, as our own URL rule reports it. */
const URL_MESSAGES: ReadonlySet<string> = new Set(['BasicAuth', 'MongoDBConnection', 'MySQLConnection', 'PostgreSQLConnection']);
/** Whole key blocks (their bodies hold runs like "AAAA"). */
const BLOCK_MESSAGES: ReadonlySet<string> = new Set(['PrivateKey', 'PrivateKeyJSON', 'PrivateKeyP12']);

const RULES: readonly PresetRule[] = recommendedRules.filter((rule) => !EXCLUDED_RULES.has(rule.meta.id));

/**
 * Default options throughout. (The AWS rule can also look for access key
 * ids, `enableIDScanRule`, but that brings an account-id pattern costing
 * 7 ms a megabyte, half the preset's time: our own rule finds key ids.)
 */
const CONFIG: CoreConfig = {
  rules: RULES.map((rule) => ({ id: rule.meta.id, rule, options: {} })) as CoreConfig['rules'],
};

/** "@secretlint/secretlint-rule-github" → "secretlint-github": short enough for a `[REDACTED:…]` marker. */
export function shortRuleId(secretlintRuleId: string): string {
  return `secretlint-${secretlintRuleId.startsWith(RULE_ID_PREFIX) ? secretlintRuleId.slice(RULE_ID_PREFIX.length) : secretlintRuleId}`;
}

type MessageTemplate = { en?: (props: unknown) => string } | ((props: unknown) => string);

/**
 * What each message reports, from its English text with every value left
 * out: "found GitHub Token(…): ghp_…" → "GitHub Token". Built once.
 */
const DESCRIPTIONS: ReadonlyMap<string, string> = (() => {
  const blank = new Proxy({}, { get: () => '' });
  const map = new Map<string, string>();
  for (const rule of RULES) {
    const messages = ((rule as { messages?: Record<string, MessageTemplate> }).messages ?? {}) as Record<string, MessageTemplate>;
    for (const [messageId, template] of Object.entries(messages)) {
      const english = typeof template === 'function' ? template : template.en;
      const text = english ? english(blank) : messageId;
      const described = text.replace(/^found\s+/i, '').replace(/\(\s*\)/g, '').replace(/[\s:]+$/, '');
      map.set(`${rule.meta.id}#${messageId}`, `${described.charAt(0).toUpperCase()}${described.slice(1)} (secretlint)`);
    }
  }
  return map;
})();

const URL_PASSWORD = /^[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\/[^:/@\s]{0,256}:([^@\s]{1,256})@/;

/**
 * The secret's offsets. Some messages point at the start of the whole
 * match while naming only its value (the AWS secret key after its name,
 * an npmrc `_authToken`): the value the message names is found from there.
 */
function secretRange(content: string, range: readonly [number, number], data: unknown): [number, number] {
  const [start, end] = range;
  if (data === null || typeof data !== 'object') return [start, end];
  const values = Object.values(data).filter((v): v is string => typeof v === 'string' && v.length >= 8);
  if (values.length === 0 || values.includes(content.slice(start, end))) return [start, end];
  for (const value of values) {
    const at = content.indexOf(value, start);
    if (at !== -1 && at <= end + 256) return [at, at + value.length];
  }
  return [start, end];
}

/** Runs the preset over `content`; matches in order of the rules, each with the secret's offsets. */
export async function secretlintMatches(content: string): Promise<SecretlintMatch[]> {
  if (content.length === 0) return [];
  const result = await lintSource({
    source: { content, filePath: 'export.md', ext: '.md', contentType: 'text' },
    options: { config: CONFIG, noPhysicFilePath: true, locale: 'en' },
  });
  // secretlint drops a leading byte-order mark before it scans.
  const shift = content.charCodeAt(0) === 0xfeff ? 1 : 0;
  const matches: SecretlintMatch[] = [];
  for (const message of result.messages) {
    if (EXCLUDED_MESSAGES.has(message.messageId)) continue;
    let [start, end] = secretRange(content, [message.range[0] + shift, message.range[1] + shift], message.data);
    let kind: SecretlintMatchKind = BLOCK_MESSAGES.has(message.messageId) ? 'block' : 'token';
    if (URL_MESSAGES.has(message.messageId)) {
      const password = URL_PASSWORD.exec(content.slice(start, end));
      if (password?.[1] === undefined) continue;
      end = start + password[0].length - 1;
      start = end - password[1].length;
      kind = 'url';
    }
    matches.push({
      ruleId: shortRuleId(message.ruleId),
      description: DESCRIPTIONS.get(`${message.ruleId}#${message.messageId}`) ?? `${message.messageId} (secretlint)`,
      kind,
      start,
      end,
    });
  }
  return matches;
}
