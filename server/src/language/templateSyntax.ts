/**
 * Light, forgiving reading of a template file around a cursor, for
 * completion and hover: where the YAML header is, which mustache the cursor
 * is in, which token it is on. Works on half-typed text, where the
 * Handlebars parser would only report a syntax error.
 */

const DELIMITER = /^---[ \t]*$/;
const LINE_BREAK = /\r\n|\r|\n/g;

export interface FrontMatter {
  /** The file starts with a `---` line. */
  hasHeader: boolean;
  /** 0-based line of the closing `---`; undefined while the header is still open. */
  closingLine: number | undefined;
  /** Offset where the Handlebars body starts (text.length when there is none). */
  bodyOffset: number;
}

export function frontMatterOf(text: string): FrontMatter {
  const lineBreaks = new RegExp(LINE_BREAK.source, 'g');
  let line = 0;
  let lineStart = 0;
  for (;;) {
    const lineBreak = lineBreaks.exec(text);
    const lineEnd = lineBreak === null ? text.length : lineBreak.index;
    const next = lineBreak === null ? text.length : lineBreak.index + lineBreak[0].length;
    const isDelimiter = DELIMITER.test(text.slice(lineStart, lineEnd));
    if (line === 0 && !isDelimiter) return { hasHeader: false, closingLine: undefined, bodyOffset: 0 };
    if (line > 0 && isDelimiter) return { hasHeader: true, closingLine: line, bodyOffset: next };
    if (lineBreak === null) return { hasHeader: true, closingLine: undefined, bodyOffset: text.length };
    line += 1;
    lineStart = next;
  }
}

/** A line of the YAML header (an open header runs to the end of the file, so keys can be completed while typing it). */
export function isHeaderLine(frontMatter: FrontMatter, line: number): boolean {
  return frontMatter.hasHeader && line >= 1 && (frontMatter.closingLine === undefined || line < frontMatter.closingLine);
}

/** `key:` at the start of a header line (top-level keys are not indented). */
export const HEADER_KEY_LINE = /^([A-Za-z_][\w-]*)[ \t]*:/;

/** Top-level keys written in the header. */
export function headerKeysIn(text: string, frontMatter: FrontMatter): string[] {
  if (!frontMatter.hasHeader) return [];
  const lines = text.slice(0, frontMatter.bodyOffset).split(LINE_BREAK);
  const last = frontMatter.closingLine ?? lines.length;
  return lines.slice(1, last).flatMap((line) => HEADER_KEY_LINE.exec(line)?.[1] ?? []);
}

export type MustacheSigil = '' | '#' | '/' | '^' | '&' | '!' | '>' | '*';

export interface MustacheAt {
  /** Offset of the first `{`. */
  open: number;
  /** Offset after the braces, `~` and sigil: where the helper or path starts. */
  contentStart: number;
  sigil: MustacheSigil;
  triple: boolean;
  /** Partial blocks (`{{#>`) and decorator blocks (`{{#*`): refused, nothing to offer. */
  refused: boolean;
  /** Offset of the closing braces, when the mustache is closed. */
  close: number | undefined;
}

const SIGILS = new Set<string>(['#', '/', '^', '&', '!', '>', '*']);

/** The mustache the cursor is inside (after its `{{`, not after its `}}`), if any. */
export function mustacheAt(text: string, offset: number, minOffset = 0): MustacheAt | undefined {
  if (offset < minOffset + 2) return undefined;
  let open = text.lastIndexOf('{{', offset - 2);
  if (open < minOffset) return undefined;
  while (open > minOffset && text[open - 1] === '{') open -= 1;
  if (text[open - 1] === '\\') return undefined; // \{{ is literal text
  const firstClose = text.indexOf('}}', open + 2);
  if (firstClose !== -1 && firstClose < offset) return undefined;

  const triple = text.startsWith('{{{', open);
  let contentStart = open + (triple ? 3 : 2);
  if (text[contentStart] === '~') contentStart += 1;
  const sigilChar = triple ? '' : (text[contentStart] ?? '');
  const sigil = (SIGILS.has(sigilChar) ? sigilChar : '') as MustacheSigil;
  if (sigil !== '') contentStart += 1;
  const refused = sigil === '#' && (text[contentStart] === '>' || text[contentStart] === '*');
  if (offset < contentStart) return undefined;

  const nextOpen = text.indexOf('{{', offset);
  const close = firstClose !== -1 && (nextOpen === -1 || firstClose < nextOpen) ? firstClose : undefined;
  return { open, contentStart, sigil, triple, refused, close };
}

/** Characters Handlebars allows in a path (identifiers plus `.`, `/`, `@`, `[`, `]`). */
const PATH_CHAR = /[^\s!"#%&'()*+,;<=>^`{|}~]/;

export function isPathChar(char: string | undefined): boolean {
  return char !== undefined && PATH_CHAR.test(char);
}

/** The path-like token being typed: the path characters just before `offset`. */
export function tokenBefore(text: string, offset: number, minOffset: number): { start: number; token: string } {
  let start = offset;
  while (start > minOffset && isPathChar(text[start - 1])) start -= 1;
  return { start, token: text.slice(start, offset) };
}

/** The path-like token under the cursor, within [min, max). */
export function tokenAround(text: string, offset: number, min: number, max: number): { start: number; end: number; token: string } {
  let start = offset;
  while (start > min && isPathChar(text[start - 1])) start -= 1;
  let end = offset;
  while (end < max && isPathChar(text[end])) end += 1;
  return { start, end, token: text.slice(start, end) };
}

/** True when `prefix` (mustache text before the cursor) ends inside a string literal. */
export function insideStringLiteral(prefix: string): boolean {
  let quote: string | undefined;
  for (const char of prefix) {
    if (quote === undefined) {
      if (char === '"' || char === "'") quote = char;
    } else if (char === quote) {
      quote = undefined;
    }
  }
  return quote !== undefined;
}

/** Where a token sits inside a mustache: its head (helper or value), a subexpression's head, or an argument. */
export type TokenRole = 'head' | 'subexpression-head' | 'argument';

export function tokenRole(textBeforeToken: string): TokenRole {
  const trimmed = textBeforeToken.trimEnd();
  if (trimmed === '') return 'head';
  return trimmed.endsWith('(') ? 'subexpression-head' : 'argument';
}
