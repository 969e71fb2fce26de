import Handlebars from 'handlebars';

/**
 * Handlebars parsing with usable error positions, plus small AST utilities
 * shared by the analyzer and the engine. Positions here are 1-based lines and
 * 0-based columns (Handlebars' own); callers shift them into file positions.
 */

export type HbsNode = hbs.AST.Node;
export type HbsProgram = hbs.AST.Program;

export interface BodyPosition {
  /** 1-based, like Handlebars. */
  line: number;
  column: number;
}

export interface HbsParseFailure {
  kind: 'syntax' | 'unclosed-block';
  message: string;
  start: BodyPosition;
  end: BodyPosition;
  /** For an unclosed block: the closing tag, and where it belongs. */
  closeWith?: { at: BodyPosition; text: string };
}

export type HbsParseResult = { ok: true; ast: HbsProgram } | { ok: false; failure: HbsParseFailure };

interface LexerState {
  matched: string;
  match: string;
}

/**
 * The jison lexer of Handlebars' (synchronous, shared) parser still holds its
 * state right after a failed parse: `matched` is the input consumed so far,
 * `match` the offending token. Not part of the typed API, so read defensively.
 */
function lexerState(): LexerState | undefined {
  const parser: unknown = (Handlebars as unknown as { Parser?: unknown }).Parser;
  if (typeof parser !== 'object' || parser === null) return undefined;
  const lexer: unknown = (parser as { lexer?: unknown }).lexer;
  if (typeof lexer !== 'object' || lexer === null) return undefined;
  const { matched, match } = lexer as { matched?: unknown; match?: unknown };
  return typeof matched === 'string' && typeof match === 'string' ? { matched, match } : undefined;
}

function positionOfOffset(text: string, offset: number): BodyPosition {
  let line = 1;
  let lineStart = 0;
  const breaks = /\r\n|\r|\n/g;
  for (let m = breaks.exec(text); m !== null && m.index < offset; m = breaks.exec(text)) {
    line += 1;
    lineStart = m.index + m[0].length;
  }
  return { line, column: Math.max(0, offset - lineStart) };
}

const TOKEN_WORDS: Readonly<Record<string, string>> = {
  EOF: 'the end of the template',
  CLOSE: '"}}"',
  CLOSE_UNESCAPED: '"}}}"',
  CLOSE_RAW_BLOCK: '"}}}}"',
  OPEN_ENDBLOCK: '"{{/…}}"',
  OPEN_SEXPR: '"("',
  CLOSE_SEXPR: '")"',
  ID: 'a name',
  INVALID: 'an invalid character',
  SEP: '"." or "/"',
  EQUALS: '"="',
  STRING: 'a string',
  NUMBER: 'a number',
  DATA: 'an @variable',
};

function describeToken(token: string): string {
  return TOKEN_WORDS[token] ?? token;
}

interface OpenTag {
  name: string;
  start: number;
  end: number;
}

/** Block tags in order, comments skipped: `{{#name`, `{{^name`, `{{/name` (offset of the `{{`). */
const BLOCK_TAGS = /\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}|\{\{~?\s*([#^/])\s*[*>]?\s*([^\s}~()]+)/g;

/**
 * The block Handlebars would report unclosed, as it reads the tags: the
 * first closing tag naming another block than the innermost open one, or
 * the end of the body with a block still open. `before` is the offset of
 * that closing tag (undefined at the end).
 */
export function blockToClose(body: string): { open: OpenTag & { tagStart: number }; before: number | undefined } | undefined {
  const stack: (OpenTag & { tagStart: number })[] = [];
  const tags = new RegExp(BLOCK_TAGS.source, 'g');
  for (let m = tags.exec(body); m !== null; m = tags.exec(body)) {
    const [, sigil, name] = m;
    if (sigil === undefined || name === undefined) continue;
    if (sigil !== '/') {
      const nameStart = m.index + m[0].length - name.length;
      stack.push({ name, start: nameStart, end: nameStart + name.length, tagStart: m.index });
      continue;
    }
    const top = stack.at(-1);
    if (top === undefined) return undefined;
    if (top.name !== name) return { open: top, before: m.index };
    stack.pop();
  }
  const open = stack.at(-1);
  return open === undefined ? undefined : { open, before: undefined };
}

/**
 * The closing tag for `blockToClose`'s block, and where it goes: an opening
 * tag alone on its line gets a closing tag alone on a line, indented alike,
 * before the line of the tag that closed the outer block (or at the end);
 * an inline one is closed inline, where the text before that point ends.
 */
export function closingTagFor(body: string): { at: BodyPosition; text: string } | undefined {
  const found = blockToClose(body);
  if (found === undefined) return undefined;
  const { open, before } = found;
  const tag = `{{/${open.name}}}`;
  const openLine = lineAround(body, open.tagStart);
  const openTagEnd = body.indexOf('}}', open.end);
  const standalone = openTagEnd !== -1 && /^[ \t]*$/.test(body.slice(openLine.start, open.tagStart)) && /^\}\}[ \t]*$/.test(body.slice(openTagEnd, openLine.end));
  const indent = /^[ \t]*/.exec(body.slice(openLine.start))?.[0] ?? '';
  if (before !== undefined) {
    const closeLine = lineAround(body, before);
    const closerAlone = /^[ \t]*$/.test(body.slice(closeLine.start, before));
    if (standalone && closerAlone) return { at: positionOfOffset(body, closeLine.start), text: `${indent}${tag}\n` };
    return { at: positionOfOffset(body, before), text: tag };
  }
  const contentEnd = body.replace(/[\r\n]+$/, '').length;
  if (standalone) {
    const atLineStart = contentEnd < body.length;
    return { at: positionOfOffset(body, body.length), text: `${atLineStart ? '' : '\n'}${indent}${tag}\n` };
  }
  return { at: positionOfOffset(body, contentEnd), text: tag };
}

function lineAround(text: string, offset: number): { start: number; end: number } {
  const start = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const ends = [text.indexOf('\n', offset), text.indexOf('\r', offset)].filter((i) => i !== -1);
  return { start, end: ends.length === 0 ? text.length : Math.min(...ends) };
}

/** The innermost `{{#name}}` left open, found by a light scan (comments skipped). */
export function findUnclosedBlock(body: string): OpenTag | undefined {
  const stack: OpenTag[] = [];
  const tags = /\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}|\{\{~?\s*([#^/])\s*[*>]?\s*([^\s}~()]+)/g;
  for (let m = tags.exec(body); m !== null; m = tags.exec(body)) {
    const sigil = m[1];
    const name = m[2];
    if (sigil === undefined || name === undefined) continue;
    if (sigil === '/') {
      const index = stack.map((t) => t.name).lastIndexOf(name);
      if (index >= 0) stack.length = index;
    } else {
      const nameStart = m.index + m[0].length - name.length;
      stack.push({ name, start: nameStart, end: nameStart + name.length });
    }
  }
  return stack.at(-1);
}

function exceptionPosition(error: unknown): { start: BodyPosition; end: BodyPosition } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { lineNumber, column, endLineNumber, endColumn } = error as Record<string, unknown>;
  if (typeof lineNumber !== 'number' || typeof column !== 'number') return undefined;
  const start = { line: lineNumber, column };
  const end =
    typeof endLineNumber === 'number' && typeof endColumn === 'number' ? { line: endLineNumber, column: endColumn } : start;
  return { start, end };
}

function describeParseError(error: unknown, body: string): HbsParseFailure {
  const raw = error instanceof Error ? error.message : String(error);

  // Block mismatch: a Handlebars Exception located at the opening block.
  const mismatch = /^(\S+) doesn't match (\S+)/.exec(raw);
  const located = exceptionPosition(error);
  if (mismatch !== null && located !== undefined) {
    const failure: HbsParseFailure = {
      kind: 'unclosed-block',
      message: `{{#${mismatch[1]}}} is closed by {{/${mismatch[2]}}}: close it with {{/${mismatch[1]}}} first.`,
      ...located,
    };
    const closeWith = closingTagFor(body);
    if (closeWith !== undefined && closeWith.text.includes(`{{/${mismatch[1]}}}`)) failure.closeWith = closeWith;
    return failure;
  }
  if (located !== undefined) {
    return { kind: 'syntax', message: raw.replace(/ - \d+:\d+$/, ''), ...located };
  }

  const got = /got '([^']+)'\s*$/.exec(raw)?.[1];
  const expected = [...(/Expecting (.*), got/.exec(raw)?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
  if (got === 'EOF' && expected.includes('OPEN_ENDBLOCK')) {
    const open = findUnclosedBlock(body);
    if (open !== undefined) {
      const failure: HbsParseFailure = {
        kind: 'unclosed-block',
        message: `{{#${open.name}}} is never closed: add {{/${open.name}}}.`,
        start: positionOfOffset(body, open.start),
        end: positionOfOffset(body, open.end),
      };
      const closeWith = closingTagFor(body);
      if (closeWith !== undefined && closeWith.text.includes(`{{/${open.name}}}`)) failure.closeWith = closeWith;
      return failure;
    }
  }

  const lexer = lexerState();
  const offset = lexer === undefined ? body.length : Math.max(0, lexer.matched.length - lexer.match.length);
  const length = Math.max(1, lexer?.match.length ?? 0);
  let message: string;
  if (raw.startsWith('Lexical error')) {
    message = 'Handlebars syntax error: text the template language does not recognise (an unclosed comment or tag?).';
  } else if (got !== undefined) {
    const wanted = [...new Set(expected.map(describeToken))].slice(0, 4).join(', ');
    message = `Handlebars syntax error: unexpected ${describeToken(got)}${wanted === '' ? '' : `; expected ${wanted}`}.`;
  } else {
    message = `Handlebars syntax error: ${raw.split('\n')[0] ?? raw}`;
  }
  const lineHint = /on line (\d+)/.exec(raw)?.[1];
  const start =
    lexer === undefined && lineHint !== undefined ? { line: Number(lineHint), column: 0 } : positionOfOffset(body, offset);
  const end = lexer === undefined ? start : positionOfOffset(body, Math.min(body.length, offset + length));
  return { kind: 'syntax', message, start, end };
}

export function parseBody(body: string): HbsParseResult {
  try {
    return { ok: true, ast: Handlebars.parseWithoutProcessing(body) };
  } catch (error) {
    return { ok: false, failure: describeParseError(error, body) };
  }
}

// ---- node helpers ----------------------------------------------------------

export type CallNode = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;

export function isPath(node: HbsNode): node is hbs.AST.PathExpression {
  return node.type === 'PathExpression';
}

export function hashPairs(node: { hash?: hbs.AST.Hash | undefined }): hbs.AST.HashPair[] {
  return node.hash?.pairs ?? [];
}

/**
 * The name a call would resolve as a helper, if any: a bare identifier
 * (`foo`, not `this.foo`, `./foo`, `../foo` or `@foo`) or a string literal
 * in the path position (`{{"foo"}}` looks up "foo").
 */
export function helperNameOf(path: HbsNode): string | undefined {
  if (isPath(path)) {
    if (path.data || path.depth > 0 || path.parts.length !== 1) return undefined;
    if (/^(this|\.)(\/|\.|$)/.test(path.original)) return undefined;
    return path.parts[0];
  }
  if (path.type === 'StringLiteral' || path.type === 'NumberLiteral' || path.type === 'BooleanLiteral') {
    return String((path as hbs.AST.StringLiteral).value);
  }
  return undefined;
}

/** Nodes that must never reach the compiler: partials and decorators. */
export function isRefusedNode(node: HbsNode): 'partial' | 'decorator' | undefined {
  switch (node.type) {
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return 'partial';
    case 'Decorator':
    case 'DecoratorBlock':
      return 'decorator';
    default:
      return undefined;
  }
}

/** Every statement of a program tree, depth first (for quick checks). */
export function* statements(program: HbsProgram | undefined): Generator<HbsNode> {
  if (program === undefined) return;
  for (const node of program.body) {
    yield node;
    if (node.type === 'BlockStatement' || node.type === 'DecoratorBlock' || node.type === 'PartialBlockStatement') {
      const block = node as hbs.AST.BlockStatement;
      yield* statements(block.program);
      yield* statements(block.inverse);
    }
  }
}

/**
 * A deep copy of a parsed tree that the caller may change (the compiler
 * rewrites whitespace in place): same prototypes, and objects the parser
 * shares between nodes (strip flags, locations) stay shared in the copy.
 * `lineDelta` moves every position down by that many lines.
 */
export function copyTree<T extends object>(tree: T, lineDelta = 0): T {
  return copyNodes(tree, lineDelta, new Map());
}

/** Positions are the only `line` fields of a Handlebars tree. */
function copyNodes<T>(value: T, lineDelta: number, copies: Map<object, unknown>): T {
  if (typeof value !== 'object' || value === null) return value;
  const done = copies.get(value);
  if (done !== undefined) return done as T;
  if (Array.isArray(value)) {
    const array: unknown[] = [];
    copies.set(value, array);
    for (const item of value) array.push(copyNodes(item, lineDelta, copies));
    return array as T;
  }
  const prototype = Object.getPrototypeOf(value) as object | null;
  const copy = (prototype === Object.prototype ? {} : Object.create(prototype)) as Record<string, unknown>;
  copies.set(value, copy);
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const field = source[key];
    copy[key] = key === 'line' && typeof field === 'number' ? field + lineDelta : copyNodes(field, lineDelta, copies);
  }
  return copy as T;
}
