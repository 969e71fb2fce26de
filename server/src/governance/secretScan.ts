/**
 * Finds secrets in content with the rules of secretRules.ts. A finding says
 * where a secret is and which rule saw it, never what it is: the fingerprint
 * lets the same secret be recognised later without storing it.
 */
import { createHash } from 'node:crypto';
import { joinedWraps, revealedLines } from './secretEvasions';
import { SECRET_RULES, looksLikePlaceholder, shannonEntropy, type RuleSpecificity, type SecretRule } from './secretRules';

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

/** A match with its offsets; internal, because it holds the secret. */
interface Match {
  rule: SecretRule;
  start: number;
  end: number;
  secret: string;
}

const PRIORITY: Record<RuleSpecificity, number> = { specific: 3, contextual: 2, generic: 1 };

function ruleApplies(rule: SecretRule, keywordsFound: ReadonlySet<string>): boolean {
  return rule.keywords === undefined || rule.keywords.some((keyword) => keywordsFound.has(keyword));
}

const ALL_KEYWORDS: readonly string[] = [...new Set(SECRET_RULES.flatMap((rule) => rule.keywords ?? []))];

function keywordPattern(keywords: readonly string[]): RegExp {
  return new RegExp(keywords.map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'gi');
}

/**
 * The rules' keywords that occur in `content`, ignoring ASCII case, in one
 * pass: lower-casing a megabyte and searching it once per keyword cost more
 * than running the rules. Each keyword found leaves the pattern, and the
 * search goes on from where it was found (keywords may overlap).
 */
function keywordsIn(content: string): Set<string> {
  const found = new Set<string>();
  let pending = ALL_KEYWORDS;
  let from = 0;
  while (pending.length > 0) {
    const pattern = keywordPattern(pending);
    pattern.lastIndex = from;
    const match = pattern.exec(content);
    if (match === null) break;
    const keyword = match[0].toLowerCase();
    found.add(keyword);
    pending = pending.filter((k) => k !== keyword);
    from = match.index;
  }
  return found;
}

function* matchesOf(rule: SecretRule, content: string): Generator<Match> {
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
      yield { rule, start, end, secret };
    } else {
      // A rejected match may hide an acceptable one that starts inside it.
      regex.lastIndex = match.index + 1;
    }
  }
}

/** Keeps one match per overlapping group: the most specific rule, then the longest match. */
function withoutOverlaps(matches: Match[]): Match[] {
  const ranked = [...matches].sort(
    (a, b) => PRIORITY[b.rule.specificity] - PRIORITY[a.rule.specificity] || b.end - b.start - (a.end - a.start) || a.start - b.start,
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

/**
 * Findings in order of position; overlapping matches of several rules give
 * one finding. Secrets hidden by an evasion (secretEvasions.ts) are found
 * too, at their line, with "(obfuscated)" in the description.
 */
export function scanForSecrets(content: string): SecretFinding[] {
  const direct = scanPlain(content);
  const hidden = [...hiddenIn(revealedLines(content), direct, 'obfuscated', 0), ...hiddenIn(joinedWraps(content), direct, 'split across lines', 1)];
  if (hidden.length === 0) return direct;
  return [...direct, ...hidden].sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * What scanning `pieces` (each standing for one line of the content, or a
 * line and the next `linesSpanned`) finds that the plain scan did not find there.
 */
function hiddenIn(pieces: readonly { text: string; line: number }[], direct: readonly SecretFinding[], how: string, linesSpanned: number): SecretFinding[] {
  if (pieces.length === 0) return [];
  const found = scanPlain(pieces.map((p) => p.text).join('\n'));
  // A line the plain scan already flagged needs no second word on it.
  const flagged = new Set(direct.map((f) => f.line));
  const hidden: SecretFinding[] = [];
  for (const finding of found) {
    const line = pieces[finding.line - 1]?.line;
    // A wrap's seam joins two lines: a secret found whole on either is not one cut in two.
    if (line === undefined || flagged.has(line) || (linesSpanned > 0 && flagged.has(line + linesSpanned))) continue;
    flagged.add(line);
    // Where it is in the original cannot be told precisely: the line, from its start.
    hidden.push({ ...finding, line, column: 1, description: `${finding.description} (${how})` });
  }
  return hidden;
}

function scanPlain(content: string): SecretFinding[] {
  const keywordsFound = keywordsIn(content);
  const matches: Match[] = [];
  for (const rule of SECRET_RULES) {
    if (!ruleApplies(rule, keywordsFound)) continue;
    for (const match of matchesOf(rule, content)) matches.push(match);
  }
  if (matches.length === 0) return [];
  const lines = new LineIndex(content);
  return withoutOverlaps(matches).map((match) => ({
    ruleId: match.rule.id,
    description: match.rule.description,
    ...lines.positionOf(match.start),
    length: match.end - match.start,
    fingerprint: fingerprintSecret(match.secret),
  }));
}
