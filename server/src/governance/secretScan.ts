/**
 * Finds secrets in content: secretlint's recommended preset (in-process) and
 * our own rules for what it lacks (secretRules.ts), over the content and
 * over its disguised parts undisguised (secretEvasions.ts). A finding says
 * where a secret is and which rule saw it, never what it is: the
 * fingerprint lets the same secret be recognised later without storing it.
 */
import { createHash } from 'node:crypto';
import { SECRET_RULES, isSlugLike, looksLikePlaceholder, shannonEntropy, type RuleSpecificity, type SecretRule } from './secretRules';
import { derivedSegments, type DerivedSegment } from './secretEvasions';
import { secretlintMatches, type SecretlintMatch } from './secretlintRules';

export interface SecretFinding {
  ruleId: string;
  description: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units of the line. */
  column: number;
  /** Length of the secret in UTF-16 code units. */
  length: number;
  /** First 16 hex digits of the secret's SHA-256. */
  fingerprint: string;
}

export function fingerprintSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 16);
}

/** Converts between offsets and 1-based line/column positions of one text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  positionOf(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] ?? 0) + 1 };
  }

  /** Undefined when the line does not exist. */
  offsetOf(line: number, column: number): number | undefined {
    const start = this.starts[line - 1];
    return start === undefined ? undefined : start + column - 1;
  }
}

/** A match with its offsets; internal (its offsets lead to the secret). */
interface Match {
  ruleId: string;
  description: string;
  specificity: RuleSpecificity;
  start: number;
  end: number;
}

const PRIORITY: Record<RuleSpecificity, number> = { specific: 3, contextual: 2, generic: 1 };

function* ruleMatches(rule: SecretRule, content: string): Generator<Match> {
  const regex = rule.regex;
  regex.lastIndex = 0;
  for (let match = regex.exec(content); match !== null; match = regex.exec(content)) {
    const end = match.index + match[0].length;
    const secret = match.groups?.['secret'] ?? match[0];
    const start = end - secret.length;
    const accepted =
      (rule.entropy === undefined || shannonEntropy(secret) >= rule.entropy) &&
      (rule.accept === undefined || rule.accept({ secret, start, end, match, content })) &&
      !(rule.allowlist ?? []).some((pattern) => pattern.test(secret)) &&
      (rule.checkPlaceholders === false || !looksLikePlaceholder(secret));
    if (accepted) {
      yield { ruleId: rule.id, description: rule.description, specificity: rule.specificity, start, end };
    } else {
      // A rejected match may hide an acceptable one that starts inside it.
      regex.lastIndex = match.index + 1;
    }
  }
}

/**
 * Every rule over the whole text. (A keyword pre-pass used to decide which
 * rules run; a case-insensitive search for the keywords cost more than the
 * rules it skipped.)
 */
function ownMatches(text: string): Match[] {
  const matches: Match[] = [];
  for (const rule of SECRET_RULES) for (const match of ruleMatches(rule, text)) matches.push(match);
  return matches;
}

/**
 * The preset's matches, less the placeholders our rules also skip
 * (`ghp_xxxx…`, `…EXAMPLE`, `xoxb-your-bot-token-here`).
 */
async function presetMatches(text: string): Promise<Match[]> {
  const specificity = (m: SecretlintMatch): RuleSpecificity => (m.kind === 'url' ? 'contextual' : 'specific');
  const placeholder = (secret: string) => looksLikePlaceholder(secret) || isSlugLike(secret);
  return (await secretlintMatches(text))
    .filter((m) => m.kind === 'block' || !placeholder(text.slice(m.start, m.end)))
    .map((m) => ({ ruleId: m.ruleId, description: m.description, specificity: specificity(m), start: m.start, end: m.end }));
}

/** Neither a rule's character class nor a line join crosses it: matches stay inside one part. */
const SEPARATOR = '\n\u0000\n';

/** The content, then each derived segment: scanned as one text, so each rule set runs once. */
interface ScanText {
  text: string;
  /** Where each segment starts in `text`. */
  offsets: number[];
}

function layOut(content: string, segments: readonly DerivedSegment[]): ScanText {
  if (segments.length === 0) return { text: content, offsets: [] };
  const parts = [content];
  const offsets: number[] = [];
  let at = content.length;
  for (const segment of segments) {
    at += SEPARATOR.length;
    offsets.push(at);
    parts.push(SEPARATOR, segment.text);
    at += segment.text.length;
  }
  return { text: parts.join(''), offsets };
}

/**
 * A match of the scan text as a match of the content, or undefined. A match
 * in a normalised part counts only where the disguise made a difference
 * (elsewhere the content's own scan saw it); one in decoded base64 counts
 * only for a token's shape, and covers the whole encoded run.
 */
function inContent(match: Match, content: string, layout: ScanText, segments: readonly DerivedSegment[]): Match | undefined {
  if (match.end <= content.length) return match;
  if (match.start < content.length) return undefined;
  let k = layout.offsets.length - 1;
  while (k > 0 && (layout.offsets[k] ?? 0) > match.start) k--;
  const segment = segments[k];
  const offset = layout.offsets[k] ?? 0;
  if (segment === undefined || match.start < offset || match.end > offset + segment.text.length) return undefined;
  if (segment.kind === 'base64') {
    if (match.specificity !== 'specific') return undefined;
    return { ruleId: 'base64-encoded-secret', description: `Base64-encoded ${match.description}`, specificity: 'specific', start: segment.start, end: segment.end };
  }
  const start = segment.starts[match.start - offset] ?? 0;
  const end = segment.ends[match.end - 1 - offset] ?? 0;
  if (content.slice(start, end) === layout.text.slice(match.start, match.end)) return undefined;
  return { ...match, start, end };
}

/** Keeps one match per overlapping group: the most specific rule, then the longest match. */
function withoutOverlaps(matches: Match[]): Match[] {
  const ranked = [...matches].sort(
    (a, b) => PRIORITY[b.specificity] - PRIORITY[a.specificity] || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Match[] = []; // sorted by start, pairwise disjoint
  for (const match of ranked) {
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((kept[mid]?.start ?? 0) < match.start) low = mid + 1;
      else high = mid;
    }
    const before = kept[low - 1];
    const after = kept[low];
    if (before !== undefined && before.end > match.start) continue;
    if (after !== undefined && after.start < match.end) continue;
    kept.splice(low, 0, match);
  }
  return kept;
}

/** Findings in order of position; overlapping matches of several rules give one finding. */
export async function scanForSecrets(content: string): Promise<SecretFinding[]> {
  const segments = derivedSegments(content);
  const layout = layOut(content, segments);
  const found = [...ownMatches(layout.text), ...(await presetMatches(layout.text))];
  const matches = found.flatMap((match) => inContent(match, content, layout, segments) ?? []);
  if (matches.length === 0) return [];
  const lines = new LineIndex(content);
  return withoutOverlaps(matches).map((match) => ({
    ruleId: match.ruleId,
    description: match.description,
    ...lines.positionOf(match.start),
    length: match.end - match.start,
    fingerprint: fingerprintSecret(content.slice(match.start, match.end)),
  }));
}
