/**
 * A small JSON syntax scanner. `JSON.parse` on Node 20 reports no position
 * ("Unexpected end of JSON input"), so when it fails we re-scan to tell the
 * user the line and column. The same pass finds where each element of a
 * top-level array starts, which gives JSON-array rows a line number.
 */

export interface JsonSyntaxProblem {
  offset: number;
  reason: string;
}

export interface JsonScan {
  problem?: JsonSyntaxProblem;
  /** Start offsets of the elements of a top-level array (empty otherwise). */
  topLevelElementOffsets: number[];
}

type State = 'value' | 'valueOrArrayEnd' | 'keyOrObjectEnd' | 'key' | 'afterValue';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPABLE = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;

export function scanJson(text: string): JsonScan {
  const offsets: number[] = [];
  const stack: string[] = [];
  const n = text.length;
  let i = 0;
  let state: State = 'value';
  const fail = (offset: number, reason: string): JsonScan => ({ problem: { offset, reason }, topLevelElementOffsets: offsets });

  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
    if (i >= n) {
      if (state === 'afterValue' && stack.length === 0) return { topLevelElementOffsets: offsets };
      return fail(n, 'unexpected end of input (the file looks truncated)');
    }
    const c = text[i];
    if (state === 'valueOrArrayEnd' && c === ']') {
      stack.pop();
      i++;
      state = 'afterValue';
      continue;
    }
    if (state === 'keyOrObjectEnd' && c === '}') {
      stack.pop();
      i++;
      state = 'afterValue';
      continue;
    }
    if (state === 'value' || state === 'valueOrArrayEnd') {
      if (stack.length === 1 && stack[0] === '[') offsets.push(i);
      if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        state = c === '{' ? 'keyOrObjectEnd' : 'valueOrArrayEnd';
        continue;
      }
      const end = scanScalar(text, i);
      if (typeof end !== 'number') return fail(end.offset, end.reason);
      i = end;
      state = 'afterValue';
      continue;
    }
    if (state === 'key' || state === 'keyOrObjectEnd') {
      if (c !== '"') return fail(i, 'expected a property name in double quotes');
      const end = scanString(text, i);
      if (typeof end !== 'number') return fail(end.offset, end.reason);
      i = end;
      while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
      if (i >= n) return fail(n, 'unexpected end of input (the file looks truncated)');
      if (text[i] !== ':') return fail(i, "expected ':' after the property name");
      i++;
      state = 'value';
      continue;
    }
    // afterValue
    const top = stack[stack.length - 1];
    if (top === undefined) return fail(i, 'unexpected content after the end of the JSON value');
    const close = top === '[' ? ']' : '}';
    if (c === ',') {
      i++;
      state = top === '[' ? 'value' : 'key';
    } else if (c === close) {
      stack.pop();
      i++;
    } else {
      return fail(i, `expected ',' or '${close}'`);
    }
  }
}

function scanScalar(text: string, i: number): number | JsonSyntaxProblem {
  const c = text[i];
  if (c === '"') return scanString(text, i);
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, i)) return i + literal.length;
  }
  NUMBER.lastIndex = i;
  const match = NUMBER.exec(text);
  if (match !== null && match[0].length > 0) return i + match[0].length;
  return { offset: i, reason: `unexpected character ${JSON.stringify(c)}` };
}

function scanString(text: string, start: number): number | JsonSyntaxProblem {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return { offset: i, reason: 'control character inside a string' };
    if (code === 0x5c) {
      const next = text[i + 1];
      if (next === 'u') {
        if (!HEX4.test(text.slice(i + 2, i + 6))) return { offset: i, reason: 'invalid \\u escape' };
        i += 6;
        continue;
      }
      if (next === undefined || !ESCAPABLE.has(next)) return { offset: i, reason: 'invalid escape in a string' };
      i += 2;
      continue;
    }
    i++;
  }
  return { offset: text.length, reason: 'unterminated string (the file looks truncated)' };
}

/** 1-based line and column of an offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** 1-based line numbers of ascending offsets, in one pass. */
export function linesAt(text: string, ascendingOffsets: readonly number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let cursor = 0;
  for (const offset of ascendingOffsets) {
    for (let i = text.indexOf('\n', cursor); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      cursor = i + 1;
    }
    lines.push(line);
  }
  return lines;
}
