/**
 * The secret-detection rule set, modelled on gitleaks' default rules (our own
 * definitions). A rule is a global regex plus cheap filters: keywords that
 * must occur before the regex runs at all, a minimum Shannon entropy, and
 * placeholder checks. Every quantifier is bounded so no input can make a
 * regex backtrack without limit.
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
  /** Lower-case; the rule runs only when the content contains one of them, ignoring ASCII case. */
  readonly keywords?: readonly string[];
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
function isSlugLike(value: string): boolean {
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

const AWS_EXAMPLE = [/EXAMPLE/];

export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: 'github-pat',
    description: 'GitHub personal access token',
    regex: token('ghp_[0-9A-Za-z]{36}'),
    keywords: ['ghp_'],
    entropy: 3,
    specificity: 'specific',
  },
  {
    id: 'github-fine-grained-pat',
    description: 'GitHub fine-grained personal access token',
    regex: token('github_pat_[0-9A-Za-z_]{82}'),
    keywords: ['github_pat_'],
    entropy: 3,
    specificity: 'specific',
  },
  {
    id: 'github-oauth',
    description: 'GitHub OAuth access token',
    regex: token('gho_[0-9A-Za-z]{36}'),
    keywords: ['gho_'],
    entropy: 3,
    specificity: 'specific',
  },
  {
    id: 'github-app-token',
    description: 'GitHub App user-to-server or server-to-server token',
    regex: token('(?:ghu|ghs)_[0-9A-Za-z]{36}'),
    keywords: ['ghu_', 'ghs_'],
    entropy: 3,
    specificity: 'specific',
  },
  {
    id: 'github-refresh-token',
    description: 'GitHub refresh token',
    regex: token('ghr_[0-9A-Za-z]{36}'),
    keywords: ['ghr_'],
    entropy: 3,
    specificity: 'specific',
  },
  {
    id: 'aws-access-key-id',
    description: 'AWS access key ID',
    regex: token('(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}', 'A-Za-z0-9'),
    keywords: ['akia', 'asia', 'abia', 'acca'],
    entropy: 3,
    allowlist: AWS_EXAMPLE,
    specificity: 'specific',
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key',
    regex: new RegExp(
      '(?:aws[_.-]?secret[_.-]?(?:access[_.-]?)?key|secret[_.-]?access[_.-]?key)["\']?[ \\t]{0,4}(?:=>|:=|=|:)[ \\t]{0,4}["\'`]?' +
        '(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])',
      'gi',
    ),
    keywords: ['secret'],
    entropy: 4,
    allowlist: AWS_EXAMPLE,
    specificity: 'contextual',
  },
  {
    id: 'google-api-key',
    description: 'Google API key',
    regex: token('AIza[0-9A-Za-z_-]{35}'),
    keywords: ['aiza'],
    entropy: 3,
    specificity: 'specific',
  },
  {
    id: 'slack-token',
    description: 'Slack bot, user or workspace token',
    regex: token('xox[abeoprs]-[0-9A-Za-z-]{20,250}', 'A-Za-z0-9-'),
    keywords: ['xox'],
    entropy: 3,
    accept: looksRandom,
    specificity: 'specific',
  },
  {
    id: 'slack-app-token',
    description: 'Slack app-level token',
    regex: token('xapp-[0-9]-[A-Za-z0-9]{8,16}-[0-9]{8,16}-[A-Za-z0-9]{20,80}', 'A-Za-z0-9-'),
    keywords: ['xapp-'],
    entropy: 3,
    specificity: 'specific',
  },
  {
    id: 'slack-webhook-url',
    description: 'Slack incoming webhook URL',
    regex: token('(?:https?://)?hooks\\.slack\\.com/services/T[A-Z0-9]{6,12}/B[A-Z0-9]{6,12}/[A-Za-z0-9]{20,40}', 'A-Za-z0-9'),
    keywords: ['hooks.slack.com'],
    specificity: 'specific',
  },
  {
    // The body may hold "Proc-Type:"-style headers and JSON's "\n" escapes but never five dashes, so a
    // scan stops at the next marker. OpenSSH bodies hold runs of "AAAA…": no placeholder check.
    id: 'private-key',
    description: 'Private key block',
    regex: new RegExp(
      '-----BEGIN[ A-Z0-9]{0,30} PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\\s:,.()\\\\]|-(?!----)){64,16384}?-----END[ A-Z0-9]{0,30} PRIVATE KEY(?: BLOCK)?-----',
      'g',
    ),
    keywords: ['private key'],
    entropy: 4.5,
    checkPlaceholders: false,
    specificity: 'specific',
  },
  {
    id: 'openai-api-key',
    description: 'OpenAI API key',
    regex: token('sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})'),
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 't3blbkfj'],
    entropy: 3.5,
    specificity: 'specific',
  },
  {
    id: 'anthropic-api-key',
    description: 'Anthropic API key',
    regex: token('sk-ant-(?:api|oat|ort)[0-9]{2}-[A-Za-z0-9_-]{80,120}'),
    keywords: ['sk-ant-'],
    entropy: 3.5,
    specificity: 'specific',
  },
  {
    id: 'anthropic-admin-key',
    description: 'Anthropic Admin API key',
    regex: token('sk-ant-admin[0-9]{2}-[A-Za-z0-9_-]{80,120}'),
    keywords: ['sk-ant-admin'],
    entropy: 3.5,
    specificity: 'specific',
  },
  {
    id: 'stripe-secret-key',
    description: 'Stripe secret or restricted key',
    regex: token('(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{20,247}', 'A-Za-z0-9_'),
    keywords: ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_'],
    entropy: 3,
    specificity: 'specific',
  },
  {
    id: 'npm-access-token',
    description: 'npm access token',
    regex: token('npm_[A-Za-z0-9]{36}', 'A-Za-z0-9_'),
    keywords: ['npm_'],
    entropy: 3,
    specificity: 'specific',
  },
  {
    id: 'gitlab-pat',
    description: 'GitLab personal access token',
    regex: token('glpat-[0-9A-Za-z_-]{20,64}(?:\\.[0-9a-z]{2}\\.[0-9a-z]{6,12})?'),
    keywords: ['glpat-'],
    entropy: 3,
    specificity: 'specific',
  },
  {
    id: 'jwt',
    description: 'JSON Web Token',
    regex: token('eyJ[A-Za-z0-9_-]{8,4096}\\.eyJ[A-Za-z0-9_-]{8,8192}\\.[A-Za-z0-9_-]{16,4096}'),
    keywords: ['eyj'],
    entropy: 3,
    accept: jwtHeaderIsJson,
    specificity: 'specific',
  },
  {
    id: 'http-authorization',
    description: 'Credentials after a Bearer or Basic authorization scheme',
    regex: new RegExp('(?<![A-Za-z0-9])(?:Bearer|Basic)[ \\t]{1,4}(?<secret>[A-Za-z0-9._~+/-]{16,1024}={0,2})(?![A-Za-z0-9._~+/=-])', 'g'),
    keywords: ['bearer', 'basic'],
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
    keywords: ['://'],
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
    keywords: ['key', 'secret', 'token', 'passw', 'passphrase', 'pwd', 'auth', 'credential', 'bearer'],
    accept: acceptGenericAssignment,
    specificity: 'generic',
  },
];
