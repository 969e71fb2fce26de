import { type HbsNode, type HbsParseResult, type HbsProgram, copyTree, parseBody } from './ast';
import { topLevelLineStarts } from './bodyChunks';
import { nestingFailure } from './nesting';

/**
 * Parsing a template body again after an edit without parsing all of it.
 *
 * Handlebars' parser (jison) is linear but slow: ~1 µs and ~700 bytes of
 * garbage per character (its lexer and LR driver allocate on every token
 * and reduction), so a 500-line body costs ~15 ms and a scavenge on each
 * keystroke. Most of a body is the same from one edit to the next, so it
 * is cut into top-level chunks (bodyChunks.ts), each chunk is parsed on its
 * own, and chunks seen before are reused.
 *
 * The result is the tree `parseBody` gives for the whole body, node for
 * node, position for position (test/unit/templates/incrementalParse.test.ts
 * compares them): at every cut the lexer is in its initial state, so the
 * whole token stream is the chunks' streams joined, except that text running
 * over a cut is one ContentStatement, rebuilt here from its halves. A body
 * the cuts do not model, or a chunk that does not parse, is parsed in one
 * piece, so syntax errors keep their positions.
 *
 * The nodes returned are shared with later results: read them, never change
 * them (the engine compiles a copy, since compiling rewrites the tree).
 */

export function parseBodyIncremental(body: string): HbsParseResult {
  // Before the parser, which recurses once per level (nesting.ts).
  const tooDeep = nestingFailure(body);
  if (tooDeep) return { ok: false, failure: tooDeep };
  const starts = topLevelLineStarts(body);
  if (starts === undefined || starts.length < 2) return parseBody(body);

  const statements: HbsNode[] = [];
  let line = 1;
  for (let i = 0; i < starts.length; i += 1) {
    const text = body.slice(starts[i], starts[i + 1] ?? body.length);
    const chunk = chunkAt(text, line);
    if (chunk === undefined) return parseBody(body);
    appendStatements(statements, chunk.statements);
    line += chunk.lineBreaks;
  }
  return { ok: true, ast: programOf(statements) };
}

/** Forgets every parsed chunk (tests). */
export function clearParsedChunks(): void {
  parsedChunks.clear();
  placedChunks.clear();
}

// ---- parsed chunks ----------------------------------------------------------

interface ParsedChunk {
  /** 1-based line of the body where these statements start. */
  line: number;
  statements: HbsNode[];
  lineBreaks: number;
}

/** A Map that forgets its least recently used entries once their keys hold more than `maxChars`. */
class RecentMap<V> {
  private readonly entries = new Map<string, V>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    if (!this.entries.delete(key)) this.chars += key.length;
    this.entries.set(key, value);
    for (const oldest of this.entries.keys()) {
      if (this.chars <= this.maxChars || oldest === key) break;
      this.entries.delete(oldest);
      this.chars -= oldest.length;
    }
  }

  clear(): void {
    this.entries.clear();
    this.chars = 0;
  }
}

/**
 * Template text kept parsed, at ~45 bytes of tree per character: room for a
 * few large templates (a 2,000-line one is ~80,000 characters), 20 MB at most.
 */
const MAX_PARSED_CHARS = 300_000;
const MAX_PLACED_CHARS = 150_000;
/** Chunk text → its statements, at the line where it was first parsed. */
const parsedChunks = new RecentMap<ParsedChunk>(MAX_PARSED_CHARS);
/** Line + chunk text → its statements moved to that line (one text often sits at several lines: blank lines, repeated sections). */
const placedChunks = new RecentMap<HbsNode[]>(MAX_PLACED_CHARS);

function chunkAt(text: string, line: number): ParsedChunk | undefined {
  const known = parsedChunks.get(text);
  if (known === undefined) {
    const parsed = parseBody(text);
    if (!parsed.ok) return undefined;
    // A fresh tree nobody else holds yet: move it in place rather than copy it.
    moveLines(parsed.ast.body, line - 1, new Set());
    const chunk = { line, statements: parsed.ast.body, lineBreaks: countLineBreaks(text) };
    parsedChunks.set(text, chunk);
    return chunk;
  }
  if (known.line === line) return known;
  const key = `${line}:${text}`;
  let statements = placedChunks.get(key);
  if (statements === undefined) {
    statements = copyTree(known.statements, line - known.line);
    placedChunks.set(key, statements);
  }
  return { line, statements, lineBreaks: known.lineBreaks };
}

/** Adds `delta` to every position's line, once per object (the parser shares some locations). */
function moveLines(value: unknown, delta: number, moved: Set<object>): void {
  if (delta === 0 || typeof value !== 'object' || value === null || moved.has(value)) return;
  moved.add(value);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const field = record[key];
    if (key === 'line' && typeof field === 'number') record[key] = field + delta;
    else moveLines(field, delta, moved);
  }
}

/** Line breaks as the lexer counts them: \r\n, \r or \n. */
function countLineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 10 || (code === 13 && text.charCodeAt(i + 1) !== 10)) count += 1;
  }
  return count;
}

// ---- joining chunks -----------------------------------------------------------

/** Appends a chunk's statements; text running over the cut becomes one ContentStatement again. */
function appendStatements(into: HbsNode[], statements: readonly HbsNode[]): void {
  const last = into.at(-1);
  const first = statements[0];
  let from = 0;
  if (last?.type === 'ContentStatement' && first?.type === 'ContentStatement') {
    into[into.length - 1] = joinedContent(last as hbs.AST.ContentStatement, first as hbs.AST.ContentStatement);
    from = 1;
  }
  for (let i = from; i < statements.length; i += 1) into.push(statements[i] as HbsNode);
}

function joinedContent(before: hbs.AST.ContentStatement, after: hbs.AST.ContentStatement): hbs.AST.ContentStatement {
  // Handlebars builds locations with its SourceLocation constructor: keep that prototype, like the one-piece parse.
  const loc = Object.create(Object.getPrototypeOf(before.loc) as object | null) as hbs.AST.SourceLocation;
  Object.assign(loc, { source: before.loc.source, start: { ...before.loc.start }, end: { ...after.loc.end } });
  return {
    type: 'ContentStatement',
    // Typed as StripFlags in handlebars/types, but the parser stores the text there.
    original: ((before.original as unknown as string) + (after.original as unknown as string)) as unknown as hbs.AST.StripFlags,
    value: before.value + after.value,
    loc,
  };
}

/** The root Program as Handlebars' prepareProgram builds it. */
function programOf(statements: HbsNode[]): HbsProgram {
  const first = statements[0]?.loc;
  const last = statements.at(-1)?.loc;
  const loc =
    first !== undefined && last !== undefined
      ? { source: first.source, start: { line: first.start.line, column: first.start.column }, end: { line: last.end.line, column: last.end.column } }
      : undefined;
  return { type: 'Program', body: statements, strip: {}, loc } as unknown as HbsProgram;
}
