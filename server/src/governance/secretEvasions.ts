/**
 * The text the rules see a second time, undisguised: a secret with a
 * zero-width or bidi character inside, written as HTML entities or
 * percent-encoding, hard-wrapped across two lines, or base64-encoded is
 * still that secret. Only the neighbourhood of each disguise is normalised
 * (decoding a whole megabyte would double the scan), and every character
 * keeps the offsets it came from, so a finding points at the original text
 * and redaction replaces exactly that.
 *
 * Not undone (README, known limits): a secret reversed, spaced out,
 * split by other characters, or encoded twice.
 */

/** Normalised text; `starts[i]`/`ends[i]` are the original offsets of `text[i]`. */
export interface NormalisedSegment {
  kind: 'normalised';
  text: string;
  starts: Int32Array;
  ends: Int32Array;
}

/** A base64 run's decoded text; `start`/`end` are the run's offsets. */
export interface DecodedSegment {
  kind: 'base64';
  text: string;
  start: number;
  end: number;
}

export type DerivedSegment = NormalisedSegment | DecodedSegment;

/**
 * Zero-width, joiner, bidi-control and other invisible characters: the soft
 * hyphen, combining grapheme joiner, Hangul fillers, Mongolian variation
 * selectors, U+200B–U+200F, U+202A–U+202E, U+2060–U+206F, variation
 * selectors, the byte-order mark, and (as surrogate pairs) Unicode tags.
 */
function isInvisible(code: number): boolean {
  return (
    code === 0xad || code === 0x34f || code === 0x61c || code === 0x115f || code === 0x1160 || code === 0x17b4 || code === 0x17b5 ||
    (code >= 0x180b && code <= 0x180f) || (code >= 0x200b && code <= 0x200f) || (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2064) || (code >= 0x2066 && code <= 0x206f) || code === 0x3164 || (code >= 0xfe00 && code <= 0xfe0f) ||
    code === 0xfeff || code === 0xffa0
  );
}
/** U+E0000–U+E007F (tag characters) as UTF-16: a high surrogate 0xDB40 and a low one in 0xDC00–0xDC7F. */
function isInvisibleTag(content: string, at: number): boolean {
  if (content.charCodeAt(at) !== 0xdb40) return false;
  const low = content.charCodeAt(at + 1);
  return low >= 0xdc00 && low <= 0xdc7f;
}
const ENTITY_AT = /&(?:#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));?/y;
const PERCENT_AT = /%([0-9A-Fa-f]{2})/y;

/** Named references a secret's characters may be written as (HTML's for ASCII punctuation). */
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", sol: '/', bsol: '\\', equals: '=', plus: '+', minus: '-', hyphen: '-',
  dash: '-', lowbar: '_', UnderBar: '_', period: '.', colon: ':', semi: ';', comma: ',', num: '#', dollar: '$', percnt: '%',
  excl: '!', quest: '?', commat: '@', ast: '*', midast: '*', lpar: '(', rpar: ')', lsqb: '[', rsqb: ']', lbrack: '[',
  rbrack: ']', lcub: '{', rcub: '}', lbrace: '{', rbrace: '}', verbar: '|', vert: '|', tilde: '~', Hat: '^', grave: '`',
  nbsp: ' ', Tab: '\t', NewLine: '\n',
};

/** Characters a token may be made of (base64 and base64url included), by ASCII code. */
const TOKEN_CHAR = new Uint8Array(128);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/=.') TOKEN_CHAR[ch.charCodeAt(0)] = 1;
const isTokenChar = (code: number): boolean => code < 128 && TOKEN_CHAR[code] === 1;
/** Base64 and base64url, padding included; not ".". */
const BASE64_CHAR = new Uint8Array(128);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/=') BASE64_CHAR[ch.charCodeAt(0)] = 1;

const hasDigitAndLetter = (text: string): boolean => /[0-9]/.test(text) && /[A-Za-z]/.test(text);

/** How far around a disguise the text is normalised: the longest tokens the rules know are ~250 characters. */
const REACH = 256;
/** Longest run of token characters read on either side of a line break. */
const MAX_RUN = 512;

/**
 * The end of the line break at `newline` (after indentation) when it
 * splits one token: the runs of token characters before and after it are
 * long enough, together, to be a token and look random. Otherwise -1.
 */
function wrapEnd(content: string, newline: number): number {
  let before = newline;
  if (content.charCodeAt(before - 1) === 13) before -= 1;
  let runStart = before;
  while (runStart > 0 && before - runStart < MAX_RUN && isTokenChar(content.charCodeAt(runStart - 1))) runStart -= 1;
  let after = newline + 1;
  while (after < content.length && (content.charCodeAt(after) === 32 || content.charCodeAt(after) === 9)) after += 1;
  let runEnd = after;
  while (runEnd < content.length && runEnd - after < MAX_RUN && isTokenChar(content.charCodeAt(runEnd))) runEnd += 1;
  const left = before - runStart;
  const right = runEnd - after;
  if (left < 4 || right < 4 || left + right < 20) return -1;
  return hasDigitAndLetter(content.slice(runStart, before) + content.slice(after, runEnd)) ? after : -1;
}

/** Shortest base64 run worth decoding: the shortest token the rules know is 20 characters. */
const MIN_BASE64_RUN = 28;
const MAX_BASE64_RUN = 4096;

/** The invisible characters' code units (a tag character's high surrogate stands for it; `isInvisibleTag` checks the pair). */
const INVISIBLE_UNITS =
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uDB40]/g;

/** Offsets of every occurrence of `char` in `content`. */
function positionsOf(content: string, char: string, keep: (at: number) => boolean, into: number[]): void {
  for (let i = content.indexOf(char); i !== -1; i = content.indexOf(char, i + 1)) if (keep(i)) into.push(i);
}

/**
 * The runs of base64 characters at least MIN_BASE64_RUN (28) long. Such a
 * run holds a multiple of 27 and reaches 14 characters past it on one side
 * (13 + 13 < 28): only those offsets are probed, at most 14 characters each
 * way, and widened to their whole run when one side reaches that far. About
 * a third of the text is read (a regex or a loop over every character cost
 * four times more).
 */
function base64RunsIn(content: string): [number, number][] {
  const runs: [number, number][] = [];
  const isBase64 = (at: number) => {
    const code = content.charCodeAt(at);
    return code < 128 && BASE64_CHAR[code] === 1;
  };
  const reach = MIN_BASE64_RUN / 2;
  let readTo = 0;
  for (let probe = 0; probe < content.length; probe += MIN_BASE64_RUN - 1) {
    if (probe < readTo || !isBase64(probe)) continue;
    let end = probe + 1;
    while (end < content.length && end - probe < reach && isBase64(end)) end++;
    let start = probe;
    if (end - probe < reach) {
      while (start > readTo && probe - start < reach && isBase64(start - 1)) start--;
      if (probe - start < reach) continue;
    }
    while (start > readTo && isBase64(start - 1)) start--;
    while (end < content.length && isBase64(end)) end++;
    readTo = end;
    if (end - start >= MIN_BASE64_RUN && end - start <= MAX_BASE64_RUN) runs.push([start, end]);
  }
  return runs;
}

/**
 * Where a disguise is (an invisible character, an HTML or percent escape, a
 * line break inside a token), in order, and where a run of base64 is.
 */
function findDisguises(content: string): { sites: number[]; base64Runs: [number, number][] } {
  const sites: number[] = [];
  positionsOf(content, '\n', (at) => wrapEnd(content, at) !== -1, sites);
  positionsOf(content, '&', (at) => {
    ENTITY_AT.lastIndex = at;
    return ENTITY_AT.test(content);
  }, sites);
  positionsOf(content, '%', (at) => {
    PERCENT_AT.lastIndex = at;
    return PERCENT_AT.test(content);
  }, sites);
  INVISIBLE_UNITS.lastIndex = 0;
  for (let m = INVISIBLE_UNITS.exec(content); m !== null; m = INVISIBLE_UNITS.exec(content)) {
    if (isInvisible(content.charCodeAt(m.index)) || isInvisibleTag(content, m.index)) sites.push(m.index);
  }
  return { sites: sites.sort((x, y) => x - y), base64Runs: base64RunsIn(content) };
}

/** Ranges of `content` around each site (in order), widened to whitespace and merged. */
function rangesAround(content: string, sites: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const site of sites) {
    const start = widenToSpace(content, Math.max(0, site - REACH), -1);
    const end = widenToSpace(content, Math.min(content.length, site + REACH), 1);
    const last = ranges[ranges.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else ranges.push([start, end]);
  }
  return ranges;
}

/** Moves a range edge outwards to the nearest whitespace (at most REACH further), so no token is cut. */
function widenToSpace(content: string, at: number, direction: -1 | 1): number {
  let i = at;
  for (let steps = 0; steps < REACH; steps++) {
    if (direction < 0 ? i <= 0 : i >= content.length) return i;
    const code = content.charCodeAt(direction < 0 ? i - 1 : i);
    if (code === 32 || code === 10 || code === 9 || code === 13) return i;
    i += direction;
  }
  return i;
}

/** One range of `content` with its disguises undone (one level: "%2541" stays "%41"). */
function normalise(content: string, from: number, to: number): NormalisedSegment {
  const chars: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const emit = (text: string, start: number, end: number) => {
    for (let k = 0; k < text.length; k++) {
      chars.push(text.charAt(k));
      starts.push(start);
      ends.push(end);
    }
  };
  let i = from;
  while (i < to) {
    const code = content.charCodeAt(i);
    if (code === 38 /* & */) {
      ENTITY_AT.lastIndex = i;
      const m = ENTITY_AT.exec(content);
      const decoded = m ? decodeEntity(m) : undefined;
      if (m && decoded !== undefined && i + m[0].length <= to) {
        emit(decoded, i, i + m[0].length);
        i += m[0].length;
        continue;
      }
    } else if (code === 37 /* % */) {
      PERCENT_AT.lastIndex = i;
      const m = PERCENT_AT.exec(content);
      const byte = m ? parseInt(m[1] ?? '', 16) : NaN;
      if (byte >= 0x20 && byte < 0x7f && i + 3 <= to) {
        emit(String.fromCharCode(byte), i, i + 3);
        i += 3;
        continue;
      }
    } else if (code === 10 /* \n */) {
      const end = wrapEnd(content, i);
      if (end !== -1) {
        i = end;
        continue;
      }
    } else if (code === 13 && content.charCodeAt(i + 1) === 10 && wrapEnd(content, i + 1) !== -1) {
      i = wrapEnd(content, i + 1);
      continue;
    }
    if (isInvisible(code)) {
      i += 1;
    } else if (isInvisibleTag(content, i)) {
      i += 2;
    } else {
      emit(content.charAt(i), i, i + 1);
      i += 1;
    }
  }
  return { kind: 'normalised', text: chars.join(''), starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

function decodeEntity(m: RegExpExecArray): string | undefined {
  const [, decimal, hex, name] = m;
  if (name !== undefined) return Object.prototype.hasOwnProperty.call(NAMED_ENTITIES, name) ? NAMED_ENTITIES[name] : undefined;
  const codePoint = decimal !== undefined ? parseInt(decimal, 10) : parseInt(hex ?? '', 16);
  return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : undefined;
}

/** The decoded text of each base64 run that decodes to printable ASCII (a token's shape; binary is not). */
function decodedRuns(content: string, runs: readonly [number, number][]): DecodedSegment[] {
  const segments: DecodedSegment[] = [];
  for (const [start, end] of runs) {
    const run = content.slice(start, end);
    if (/^[0-9a-fA-F]+$/.test(run) || /=[^=]/.test(run)) continue; // hex digests; padding only at the end
    const bytes = Buffer.from(run, 'base64');
    if (bytes.length < 20 || !bytes.every((b) => (b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13)) continue;
    segments.push({ kind: 'base64', text: bytes.toString('latin1'), start, end });
  }
  return segments;
}

/** The disguised parts of `content`, undisguised; empty for ordinary text. */
export function derivedSegments(content: string): DerivedSegment[] {
  const { sites, base64Runs } = findDisguises(content);
  const normalised = rangesAround(content, sites).map(([from, to]) => normalise(content, from, to));
  return [...normalised, ...decodedRuns(content, base64Runs)];
}
