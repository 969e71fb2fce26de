/**
 * Where a template body can be cut into chunks that Handlebars parses on
 * their own (see incrementalParse.ts): line starts in top-level text, that
 * is outside any block, mustache or comment, where its lexer is back in its
 * initial state. The scan follows the lexer's rules closely enough to find
 * those; a wrong cut would only make a chunk fail to parse, and the caller
 * then parses the body in one piece.
 */

/** Characters whose line or column counting in Handlebars' lexer the cuts would not reproduce. */
const UNMODELLED = /[\x00\u2028\u2029]/;

// The lexer's own rules (handlebars/compiler/parser.js), anchored where the scan stands.
const LONG_COMMENT_OPEN = /\{\{~?!--/y;
const LONG_COMMENT = /[\s\S]*?--~?\}\}/y;
const SHORT_COMMENT = /\{\{~?![\s\S]*?\}\}/y;
const INVERSE = /\{\{~?\^\s*~?\}\}/y;
const OPEN_BLOCK = /\{\{~?(#|\^)/y;
const CLOSE_BLOCK = /\{\{~?\//y;
const STRING = /"(\\["]|[^"])*"|'(\\[']|[^'])*'/y;
const LITERAL_SEGMENT = /\[(\\\]|[^\]])*\]/y;
/** CLOSE_UNESCAPED, then CLOSE, in the lexer's order (`}}}}` is CLOSE_RAW_BLOCK, handled apart). */
const CLOSERS = ['}}}', '}~}}', '}}', '~}}'] as const;

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

/**
 * Offsets where the body can be cut: 0, then every line start that is in
 * text outside any block, mustache or comment. Undefined when the body has
 * something the cut rules do not model (then it is parsed in one piece).
 */
export function topLevelLineStarts(body: string): number[] | undefined {
  if (UNMODELLED.test(body)) return undefined;
  const starts = [0];
  let depth = 0;
  let at = 0;
  for (;;) {
    const open = body.indexOf('{{', at);
    const textEnd = open < 0 ? body.length : open;
    if (depth === 0) {
      for (let lineBreak = body.indexOf('\n', at); lineBreak >= 0 && lineBreak < textEnd; lineBreak = body.indexOf('\n', lineBreak + 1)) {
        if (lineBreak + 1 < body.length) starts.push(lineBreak + 1);
      }
    }
    if (open < 0) return starts;
    // `\{{` is an escaped mustache (text), `{{{{` a raw block: parse those in one piece.
    if (body[open - 1] === '\\' || body.startsWith('{{{{', open)) return undefined;

    const comment = commentLength(body, open);
    if (comment === 'unclosed') return undefined;
    if (comment !== undefined) {
      at = open + comment;
      continue;
    }
    if (matchAt(INVERSE, body, open) === undefined) {
      if (matchAt(OPEN_BLOCK, body, open) !== undefined) depth += 1;
      else if (matchAt(CLOSE_BLOCK, body, open) !== undefined) depth -= 1;
    }
    if (depth < 0) return undefined;
    const close = mustacheEnd(body, open + 2);
    if (close === undefined) return undefined;
    at = close;
  }
}

/** The length of the comment starting at `open` (up to its first `--}}`, or `}}` for `{{! …}}`), if one does. */
function commentLength(body: string, open: number): number | 'unclosed' | undefined {
  if (matchAt(LONG_COMMENT_OPEN, body, open) !== undefined) return matchAt(LONG_COMMENT, body, open)?.length ?? 'unclosed';
  return matchAt(SHORT_COMMENT, body, open)?.length;
}

/** The offset after the `}}` (or `}}}`) that closes the mustache whose inside starts at `from`. */
function mustacheEnd(body: string, from: number): number | undefined {
  let at = from;
  while (at < body.length) {
    const char = body[at];
    if (char === '"' || char === "'" || char === '[') {
      const token = matchAt(char === '[' ? LITERAL_SEGMENT : STRING, body, at);
      if (token === undefined) return undefined;
      at += token.length;
    } else if (char === '}' || char === '~') {
      if (body.startsWith('}}}}', at)) return undefined;
      for (const closer of CLOSERS) {
        if (body.startsWith(closer, at)) return at + closer.length;
      }
      at += 1;
    } else if (char === '{' && body[at + 1] === '{') {
      return undefined; // a mustache inside a mustache: a syntax error
    } else {
      at += 1;
    }
  }
  return undefined;
}
