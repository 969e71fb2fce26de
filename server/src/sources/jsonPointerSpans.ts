import { linesAt } from './jsonSyntax';

/**
 * Where values of a JSON document lie, by JSON pointer (RFC 6901): the
 * first and last line of each wanted value. A message of a JSON document
 * transcript (VS Code Chat export, ChatGPT conversations.json) is addressed
 * by a pointer; its lines let an editor selection find it (issue 10 item 1).
 * The text is valid JSON already (JSON.parse accepted it); one pass, no
 * recursion, so depth cannot overflow the stack.
 */

export interface LineSpan {
  first: number;
  last: number;
}

interface Frame {
  pointer: string;
  start: number;
  array: boolean;
  index: number;
  /** The pointer of the value about to be read in this container. */
  next: string;
}

const escapeToken = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function endOfString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote === -1) return text.length;
    let backslashes = 0;
    for (let j = quote - 1; text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

function endOfScalar(text: string, start: number): number {
  let i = start;
  while (i < text.length && !',]} \n\r\t'.includes(text[i] as string)) i++;
  return i;
}

export function lineSpansOf(text: string, wanted: ReadonlySet<string>): Map<string, LineSpan> {
  const offsets = new Map<string, { start: number; end: number }>();
  const stack: Frame[] = [];
  let pointer = '';
  let i = 0;
  const record = (p: string, start: number, end: number) => {
    if (wanted.has(p)) offsets.set(p, { start, end });
  };
  while (i < text.length) {
    const c = text[i] as string;
    const top = stack[stack.length - 1];
    if (c === '{' || c === '[') {
      stack.push({ pointer, start: i, array: c === '[', index: 0, next: c === '[' ? `${pointer}/0` : pointer });
      i++;
      if (c === '[') pointer = `${pointer}/0`;
    } else if (c === '}' || c === ']') {
      const frame = stack.pop() as Frame;
      record(frame.pointer, frame.start, i + 1);
      i++;
    } else if (c === ',') {
      if (top?.array) {
        top.index++;
        pointer = `${top.pointer}/${top.index}`;
      }
      i++;
    } else if (c === '"') {
      const end = endOfString(text, i);
      let after = end;
      while (after < text.length && ' \n\r\t'.includes(text[after] as string)) after++;
      if (top && !top.array && text[after] === ':') {
        // A key: the value that follows has this pointer.
        pointer = `${top.pointer}/${escapeToken(JSON.parse(text.slice(i, end)) as string)}`;
        i = after + 1;
      } else {
        record(pointer, i, end);
        i = end;
      }
    } else if (c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === ':') {
      i++;
    } else {
      const end = endOfScalar(text, i);
      record(pointer, i, end);
      i = end;
    }
  }
  // One pass over the text turns every start and end offset into its line.
  const points = [...new Set([...offsets.values()].flatMap((o) => [o.start, o.end - 1]))].sort((a, b) => a - b);
  const lineAt = new Map(linesAt(text, points).map((line, n) => [points[n] as number, line]));
  const spans = new Map<string, LineSpan>();
  for (const [p, o] of offsets) spans.set(p, { first: lineAt.get(o.start) as number, last: lineAt.get(o.end - 1) as number });
  return spans;
}
