/**
 * Secrets written so that a plain scan misses them (issue 11 item 5): with
 * zero-width or bidi characters inside, as HTML entities, percent-encoded,
 * hard-wrapped across two lines, or base64-encoded. Each is undone on a
 * copy of the text — line by line, so a finding keeps the line it came from
 * — and the copy scanned again; what only the copy holds is reported at the
 * original line, under the rule that found it with `(obfuscated)` added.
 * Such findings block like any other; `--redact` cannot cut them out of
 * the original text precisely, so the person edits them (the README lists
 * what is still missed: reversed or spaced-out tokens).
 */

/** Zero-width characters, the BOM, soft hyphen and the bidirectional controls. */
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const ENTITY = /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|(amp|lt|gt|quot|apos|sol|lowbar|hyphen|period|colon|equals));/gi;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", sol: '/', lowbar: '_', hyphen: '-', period: '.', colon: ':', equals: '=' };
const PERCENT_RUN = /(?:%[0-9a-f]{2})+/gi;
/** A run long enough to hold an encoded token (a 40-character token is 56 in base64). */
const BASE64_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;

/** True when `line` has anything an evasion would use: most lines do not, and are not copied. */
function mayHideSomething(line: string): boolean {
  return INVISIBLE.test(line) || line.includes('&') || line.includes('%') || (line.length >= 40 && /[A-Za-z0-9+/]{40}/.test(line));
}

function decodeEntities(line: string): string {
  return line.replace(ENTITY, (entity, decimal: string | undefined, hex: string | undefined, name: string | undefined) => {
    const code = decimal !== undefined ? Number(decimal) : hex !== undefined ? Number.parseInt(hex, 16) : undefined;
    if (code !== undefined) return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    return NAMED[(name ?? '').toLowerCase()] ?? entity;
  });
}

function decodePercent(line: string): string {
  return line.replace(PERCENT_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** Base64 runs that decode to printable text, in place of the run (the rest of the line kept). */
function decodeBase64Runs(line: string): string {
  return line.replace(BASE64_RUN, (run) => {
    const decoded = Buffer.from(run, 'base64').toString('utf8');
    return /^[\x20-\x7e\s]+$/.test(decoded) ? ` ${decoded} ` : run;
  });
}

/** One line as a scanner should see it: invisible characters out, entities, percent-encoding and base64 decoded. */
export function revealLine(line: string): string {
  INVISIBLE.lastIndex = 0;
  if (!mayHideSomething(line)) return line;
  return decodeBase64Runs(decodePercent(decodeEntities(line.replace(INVISIBLE, ''))));
}

/** Lines of `content` to scan again, each with the 1-based line it stands for: only lines that change. */
/** Anything an evasion would use, anywhere in the text: one pass, so clean text costs next to nothing. */
const ANY_HINT = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|&(?:#x?[0-9a-f]|[a-z]+;)|%[0-9a-f]{2}|[A-Za-z0-9+/]{40}/i;

export function revealedLines(content: string): { text: string; line: number }[] {
  if (!ANY_HINT.test(content)) return [];
  const out: { text: string; line: number }[] = [];
  const lines = content.split('\n');
  for (const [index, line] of lines.entries()) {
    const revealed = revealLine(line);
    if (revealed !== line) out.push({ text: revealed, line: index + 1 });
  }
  return out;
}

/**
 * Lines a wrap may have cut a token out of, joined with the start of the
 * next line (its indent trimmed): each with the line it starts on. Found
 * with one pass of a regex over the whole text: only seams with a long run
 * of token characters across them, so ordinary prose costs nothing.
 */
// The lookbehind starts a run only at its beginning: a long run without a line break is passed over once, not once per character.
const SEAM = /(?<![A-Za-z0-9_\-+/=])([A-Za-z0-9_\-+/=]{4,})\r?\n[ \t]*([A-Za-z0-9_\-+/=]{4,})/g;
const MIN_RUN_ACROSS_SEAM = 20;

export function joinedWraps(content: string): { text: string; line: number }[] {
  const joined: { text: string; line: number }[] = [];
  let lineOfIndex = 1;
  let counted = 0;
  SEAM.lastIndex = 0;
  for (let match = SEAM.exec(content); match !== null; match = SEAM.exec(content)) {
    const [, tail = '', head = ''] = match;
    // Runs may share a line with the next seam's: look again from the start of this one's second run.
    SEAM.lastIndex = match.index + match[0].length - head.length;
    if (tail.length + head.length < MIN_RUN_ACROSS_SEAM) continue;
    for (let i = content.indexOf('\n', counted); i !== -1 && i < match.index + tail.length; i = content.indexOf('\n', i + 1)) {
      lineOfIndex += 1;
      counted = i + 1;
    }
    const lineStart = content.lastIndexOf('\n', match.index) + 1;
    const firstLine = content.slice(lineStart, match.index + tail.length).replace(/\r$/, '');
    joined.push({ text: `${firstLine}${head}`, line: lineOfIndex });
  }
  return joined;
}
