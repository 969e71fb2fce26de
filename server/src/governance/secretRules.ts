/**
 * Our own secret rules: only what secretlint's recommended preset (run beside
 * them, see secretlintRules.ts) does not cover — JWTs, service-account JSON,
 * credentials in URLs and auth headers, the entropy-checked generic rule, and
 * provider formats the preset lacks or matches too narrowly (each says why).
 * A rule is a global regex plus cheap filters: a minimum Shannon entropy,
 * placeholder checks and a context check. Every quantifier is bounded so no
 * input can make a regex backtrack without limit.
 */

/** Specific prefixed tokens beat header/URL credentials, which beat the generic assignment rule. */
export type RuleSpecificity = 'specific' | 'contextual' | 'generic';

export interface SecretCandidate {
  /** The text that would be reported and redacted. */
  secret: string;
  /** Offsets of `secret` in `content`. */
  start: number;
  end: number;
  match: RegExpExecArray;
  content: string;
}

export interface SecretRule {
  readonly id: string;
  readonly description: string;
  /**
   * Flag `g` (not `d`: match indices halve the speed). When the regex has a
   * named group `secret`, only that group is the secret and it must end the
   * match (lookaheads may follow); otherwise the whole match is the secret.
   */
  readonly regex: RegExp;
  /** Minimum Shannon entropy of the secret, in bits per character. */
  readonly entropy?: number;
  /** A secret matching any of these is a placeholder, not a finding. */
  readonly allowlist?: readonly RegExp[];
  /** False skips the shared placeholder check (for bodies where long runs like "AAAAAA" are normal). */
  readonly checkPlaceholders?: boolean;
  /** Checks a regex cannot express (context, shape); false drops the candidate. */
  readonly accept?: (candidate: SecretCandidate) => boolean;
  readonly specificity: RuleSpecificity;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** Six or more characters in a row that ascend by one code point: "abcdef", "123456". */
function hasAscendingRun(text: string, runLength = 6): boolean {
  let run = 1;
  for (let i = 1; i < text.length; i++) {
    run = text.charCodeAt(i) === text.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= runLength) return true;
  }
  return false;
}

/** Obvious placeholders, shared by every rule (gitleaks calls these stop words). */
const PLACEHOLDER_PATTERNS: readonly RegExp[] = [
  /(.)\1{5,}/, // xxxxxx, 000000, ******
  /\.\.\.|…/, // truncated in docs
  /<[^>]*>|\$\{|\{\{|%[sd]/, // template slots
  /example|placeholder|redacted|dummy|changeme|change[_-]me|replace[_-]?me|your[_-]?(?:own|api|token|secret|key|pass)/i,
];

export function looksLikePlaceholder(secret: string): boolean {
  return PLACEHOLDER_PATTERNS.some((pattern) => pattern.test(secret)) || hasAscendingRun(secret);
}

const hasDigit = (text: string): boolean => /[0-9]/.test(text);
const hasLetter = (text: string): boolean => /[A-Za-z]/.test(text);

/**
 * A word a human would write: lower, UPPER or Capitalised letters, optionally
 * followed by a short number and letter suffix ("v2", "oauth2", "cl100k"), or
 * a plain number.
 */
const WORD_LIKE = /^(?:(?:[a-z]+|[A-Z]+|[A-Z][a-z]+)[0-9]{0,4}[a-z]{0,3}|[0-9]+)$/;

/** "x-api-key", "oauth2_pkce_v2", "config/secrets/token": words joined by separators, not random. */
export function isSlugLike(value: string): boolean {
  const segments = value.split(/[-_./]+/).filter((s) => s.length > 0);
  return segments.length > 1 && segments.every((s) => WORD_LIKE.test(s));
}

/**
 * "Uint8Array", "sha256Hash", "Float32Array": identifier syntax made of
 * pronounceable pieces of three or more letters. Unquoted in code, such a
 * value names a type or a variable; random keys split into short or
 * vowel-less pieces.
 */
function isCodeIdentifier(value: string): boolean {
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(value)) return false;
  const pieces = value.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+/g) ?? [];
  return pieces.every((piece) => piece.length >= 3 && /[aeiouyAEIOUY]/.test(piece));
}

/** Values in an assignment that are code or configuration references, not secrets. */
const GENERIC_VALUE_ALLOWLIST: readonly RegExp[] = [
  /^(?:process\.env|import\.meta\.env|os\.environ|env\.|secrets\.|vars\.|inputs\.)/i,
  /getenv|environ/i,
  /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/, // member access: config.github.token
  /^(?:\.{1,2}\/|~\/|\/)/, // file paths
  /\.(?:json|ya?ml|pem|key|crt|txt|env|ts|js|md|toml|ini)$/i,
  /p[a@]ss?w[o0]rd|secret|token|hunter2|letmein|qwerty|test(?:ing)?[_-]?(?:key|pass)/i, // the key name repeated, or a textbook example
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // UUIDs: ids, not credentials, far more often than not
];

// --- the generic "secret-ish identifier = value" rule -------------------------

/** Last words of an identifier that name a secret (after splitting camelCase, snake_case, kebab-case). */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'secret', 'secrets', 'token', 'password', 'passwd', 'pwd', 'passphrase', 'auth', 'credential', 'credentials',
  'apikey', 'bearer',
]);
/** Glued lower-case identifiers: "githubtoken", "clientsecret". */
const SECRET_WORD_SUFFIXES: readonly string[] = ['token', 'secret', 'password', 'passwd', 'apikey', 'secretkey', 'accesskey', 'privatekey'];
/** "key" alone is too common (cache keys, React keys); these qualify it. */
const KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'api', 'access', 'secret', 'private', 'client', 'signing', 'encryption', 'master', 'license', 'app', 'auth', 'service',
]);
/** Trailing words that do not change what the value is: API_KEY_VALUE, tokenStr. */
const FILLER_WORDS: ReadonlySet<string> = new Set(['value', 'str', 'string', 'raw', 'b64', 'base64', 'hex', 'text']);

function identifierWords(identifier: string): string[] {
  return identifier
    .split(/[^A-Za-z0-9]+/)
    .flatMap((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(' '))
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** True when the identifier's last meaningful word names a secret. */
export function namesASecret(identifier: string): boolean {
  const words = identifierWords(identifier);
  while (words.length > 1 && FILLER_WORDS.has(words[words.length - 1] ?? '')) words.pop();
  const last = words[words.length - 1];
  if (last === undefined) return false;
  if (SECRET_WORDS.has(last)) return true;
  if (SECRET_WORD_SUFFIXES.some((suffix) => last.endsWith(suffix) && last.length > suffix.length)) return true;
  if (last === 'key' || last === 'keys') return KEY_QUALIFIERS.has(words[words.length - 2] ?? '');
  return false;
}

const IDENTIFIER_CHAR = /[A-Za-z0-9_.-]/;

/** Short values cannot reach 3.5 bits/char, so the bar scales with length up to 3.5 (gitleaks' value). */
export function genericEntropyThreshold(length: number): number {
  return Math.min(3.5, Math.log2(length) - 0.35);
}

function acceptGenericAssignment(candidate: SecretCandidate): boolean {
  const { secret, match, content, end } = candidate;
  const quote = match.groups?.['quote'] ?? '';
  const after = content.charAt(end);
  if (quote !== '' && after !== quote) return false;
  if (quote === '' && after !== '' && !/[\s;,)}\]&#]/.test(after)) return false;

  // Cheapest checks first: this runs for every "token:"-like spot in ordinary code.
  if (!hasDigit(secret) || !hasLetter(secret)) return false;
  if (shannonEntropy(secret) < genericEntropyThreshold(secret.length)) return false;
  if (isSlugLike(secret)) return false;
  if (quote === '' && isCodeIdentifier(secret)) return false;
  if (GENERIC_VALUE_ALLOWLIST.some((pattern) => pattern.test(secret))) return false;

  let identStart = match.index;
  while (identStart > 0 && IDENTIFIER_CHAR.test(content.charAt(identStart - 1))) identStart--;
  // Codecov's badge URLs carry a public graph token, in nearly every README with a coverage badge.
  if (content.slice(Math.max(0, identStart - 10), identStart) === 'badge.svg?') return false;
  return namesASecret(content.slice(identStart, match.index + (match.groups?.['ident']?.length ?? 0)));
}

// --- rule helpers --------------------------------------------------------------

/** A token that is not glued to other token characters on either side. */
/**
 * A token standing on its own: no token character right after it, and no
 * letter or digit right before it. A `-` or `_` before it still counts as a
 * boundary, so a token glued into a name (`notes-ghp_….md`, a file name a
 * person typed) is found, not hidden by the join.
 */
function token(body: string, tokenChars = 'A-Za-z0-9_-'): RegExp {
  return new RegExp(`(?<![A-Za-z0-9])(?:${body})(?![${tokenChars}])`, 'g');
}

const looksRandom = (candidate: SecretCandidate): boolean => hasDigit(candidate.secret) && hasLetter(candidate.secret);

function jwtHeaderIsJson(candidate: SecretCandidate): boolean {
  const header = candidate.secret.slice(0, candidate.secret.indexOf('.'));
  try {
    const decoded: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return typeof decoded === 'object' && decoded !== null;
  } catch {
    return false;
  }
}

function acceptUrlPassword(candidate: SecretCandidate): boolean {
  const { secret, content, match } = candidate;
  // The scheme is checked here rather than by a leading lookbehind, which would slow the regex tenfold.
  if (!/[A-Za-z0-9]/.test(content.charAt(match.index - 1))) return false;
  return secret.length >= 6 && !/^[a-z]+$/.test(secret) && !/p[a@]ss|secret|token|key|[${}]/i.test(secret);
}

function acceptAuthorizationHeader(candidate: SecretCandidate): boolean {
  const { secret } = candidate;
  return looksRandom(candidate) && !isSlugLike(secret) && shannonEntropy(secret) >= 3.5;
}


/** The first part of a Discord bot token is the bot's numeric user id in base64. */
function discordIdIsNumeric(candidate: SecretCandidate): boolean {
  const id = candidate.secret.slice(0, candidate.secret.indexOf('.'));
  return /^[0-9]{17,20}$/.test(Buffer.from(id, 'base64').toString('latin1'));
}

/** A Telegram token's secret follows the bot's numeric id and a colon (in API URLs, after "/bot"). */
function followsBotId(candidate: SecretCandidate): boolean {
  const { content, start } = candidate;
  const colon = start - 1;
  let digits = 0;
  while (digits < 11 && /[0-9]/.test(content.charAt(colon - 1 - digits))) digits++;
  const before = colon - digits;
  return digits >= 8 && digits <= 10 && (!/[A-Za-z0-9_:-]/.test(content.charAt(before - 1)) || content.slice(before - 4, before) === '/bot');
}

/** A service account's key id is only a secret's sign inside the key file: "type": "service_account" is near. */
function insideServiceAccountJson(candidate: SecretCandidate): boolean {
  const { content, start, end } = candidate;
  return content.slice(Math.max(0, start - 4000), end + 4000).includes('service_account');
}

export const SECRET_RULES: readonly SecretRule[] = [
  {
    // The preset scans for key ids only with `enableIDScanRule`, which costs half its time (secretlintRules.ts).
    id: 'aws-access-key-id',
    description: 'AWS access key ID',
    regex: token('(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}', 'A-Za-z0-9'),
    entropy: 3,
    allowlist: [/EXAMPLE/],
    specificity: 'specific',
  },
  {
    // Not in secretlint's preset.
    id: 'google-api-key',
    description: 'Google API key',
    regex: token('AIza[0-9A-Za-z_-]{35}'),
    entropy: 3,
    specificity: 'specific',
  },
  {
    // The preset's Slack rule caps the last part at 40 characters; app-level tokens end in 64 hex digits.
    id: 'slack-app-token',
    description: 'Slack app-level token',
    regex: token('xapp-[0-9]-[A-Za-z0-9]{8,16}-[0-9]{8,16}-[A-Za-z0-9]{20,80}', 'A-Za-z0-9-'),
    entropy: 3,
    specificity: 'specific',
  },
  {
    // The preset's rule wants the body to start like DER ("MI…") or OpenSSH, so it misses EC (SEC1,
    // "MH…") keys and PGP blocks with headers. The body may hold "Proc-Type:"-style headers and JSON's
    // "\n" escapes but never five dashes, so a scan stops at the next marker. OpenSSH bodies hold runs
    // of "AAAA…": no placeholder check.
    id: 'private-key',
    description: 'Private key block',
    regex: new RegExp(
      '-----BEGIN[ A-Z0-9]{0,30} PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\\s:,.()\\\\]|-(?!----)){64,16384}?-----END[ A-Z0-9]{0,30} PRIVATE KEY(?: BLOCK)?-----',
      'g',
    ),
    entropy: 4.5,
    checkPlaceholders: false,
    specificity: 'specific',
  },
  {
    // The preset only knows a service-account key file when the whole scanned text is that JSON file.
    id: 'gcp-service-account',
    description: 'Google Cloud service-account key (JSON)',
    regex: new RegExp('\\\\?"private_key_id\\\\?"[ \\t]{0,4}:[ \\t]{0,4}\\\\?"(?<secret>[0-9a-f]{40})(?=\\\\?")', 'g'),
    entropy: 3,
    accept: insideServiceAccountJson,
    specificity: 'specific',
  },
  {
    // The preset wants the "T3BlbkFJ" marker in project keys, and exact lengths.
    id: 'openai-api-key',
    description: 'OpenAI API key',
    regex: token('sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})'),
    entropy: 3.5,
    specificity: 'specific',
  },
  {
    // The preset wants api keys ending in "AA" and has no OAuth (oat) or refresh (ort) tokens.
    id: 'anthropic-api-key',
    description: 'Anthropic API key',
    regex: token('sk-ant-(?:api|oat|ort)[0-9]{2}-[A-Za-z0-9_-]{80,120}'),
    entropy: 3.5,
    specificity: 'specific',
  },
  {
    // Not in the preset.
    id: 'anthropic-admin-key',
    description: 'Anthropic Admin API key',
    regex: token('sk-ant-admin[0-9]{2}-[A-Za-z0-9_-]{80,120}'),
    entropy: 3.5,
    specificity: 'specific',
  },
  {
    id: 'digitalocean-token',
    description: 'DigitalOcean personal access, OAuth or refresh token',
    regex: token('do[opr]_v1_[a-f0-9]{64}'),
    entropy: 3,
    specificity: 'specific',
  },
  {
    id: 'discord-bot-token',
    description: 'Discord bot token',
    regex: token('[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}'),
    entropy: 3.5,
    accept: discordIdIsNumeric,
    specificity: 'specific',
  },
  {
    id: 'discord-webhook-url',
    description: 'Discord webhook URL',
    regex: token('https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,80}', 'A-Za-z0-9_-'),
    entropy: 3,
    specificity: 'specific',
  },
  {
    id: 'telegram-bot-token',
    description: 'Telegram bot token',
    // "<bot id>:<secret>"; the search starts at the colon (a digit class first costs ten times more).
    regex: new RegExp(':(?<secret>AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])', 'g'),
    entropy: 3.5,
    accept: followsBotId,
    specificity: 'specific',
  },
  {
    id: 'twilio-api-key',
    description: 'Twilio API key',
    regex: token('SK[0-9a-f]{32}', 'A-Za-z0-9'),
    entropy: 3,
    specificity: 'specific',
  },
  {
    id: 'mailgun-api-key',
    description: 'Mailgun API key',
    regex: token('key-[0-9a-f]{32}', 'A-Za-z0-9'),
    entropy: 3,
    specificity: 'specific',
  },
  {
    // Today's Mailgun keys have no prefix: only with the name nearby.
    id: 'mailgun-api-key',
    description: 'Mailgun API key',
    regex: new RegExp('mailgun[\\s\\S]{0,80}?(?<![A-Za-z0-9])(?<secret>[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?![A-Za-z0-9])', 'gi'),
    entropy: 3,
    specificity: 'specific',
  },
  {
    // The preset's SendGrid rule allows one '-' or '_' in the key's last part; real keys are base64url with any number.
    id: 'sendgrid-api-key',
    description: 'SendGrid API key',
    regex: token('SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}'),
    entropy: 3,
    specificity: 'specific',
  },
  {
    id: 'azure-storage-account-key',
    description: 'Azure storage account key',
    regex: new RegExp('AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)', 'gi'),
    entropy: 4,
    specificity: 'specific',
  },
  {
    // Notion's integration secrets before its "ntn_" format (the preset knows only "ntn_").
    id: 'notion-integration-secret',
    description: 'Notion integration secret',
    regex: token('secret_[A-Za-z0-9]{43}'),
    entropy: 3.5,
    accept: looksRandom,
    specificity: 'specific',
  },
  {
    id: 'jwt',
    description: 'JSON Web Token',
    regex: token('eyJ[A-Za-z0-9_-]{8,4096}\\.eyJ[A-Za-z0-9_-]{8,8192}\\.[A-Za-z0-9_-]{16,4096}'),
    entropy: 3,
    accept: jwtHeaderIsJson,
    specificity: 'specific',
  },
  {
    id: 'http-authorization',
    description: 'Credentials after a Bearer or Basic authorization scheme',
    regex: new RegExp('(?<![A-Za-z0-9])(?:Bearer|Basic)[ \\t]{1,4}(?<secret>[A-Za-z0-9._~+/-]{16,1024}={0,2})(?![A-Za-z0-9._~+/=-])', 'g'),
    accept: acceptAuthorizationHeader,
    specificity: 'contextual',
  },
  {
    id: 'url-credentials',
    description: 'Password embedded in a URL',
    regex: new RegExp(
      '://[^\\s:/@"\'<>]{0,64}:(?<secret>[^\\s:/@"\'<>]{3,128})(?=@[A-Za-z0-9[])',
      'g',
    ),
    accept: acceptUrlPassword,
    specificity: 'contextual',
  },
  {
    id: 'generic-api-key',
    description: 'Secret-looking value assigned to a secret-named key',
    regex: new RegExp(
      '(?<ident>(?:key|secret|token|passw|passphrase|pwd|auth|credential|bearer)[A-Za-z0-9_.-]{0,40})["\']?[ \\t]{0,4}(?:=>|:=|=|:)[ \\t]{0,4}' +
        '(?<quote>["\'`]?)(?<secret>[A-Za-z0-9_+/.~!@#%^*-]{8,200}={0,3})',
      'gi',
    ),
    accept: acceptGenericAssignment,
    specificity: 'generic',
  },
];
