import type { HbsParseFailure } from './ast';

/**
 * How deep blocks may nest. Handlebars' parser and compiler recurse once per
 * level: 5,000 nested `{{#if}}` took 14 s and then overflowed the stack.
 * Real templates nest a handful of levels; this is checked with a linear
 * scan before the parser ever sees the body.
 */
export const MAX_BLOCK_NESTING = 64;

/** Comments may hold anything, `{{#` included: they do not nest. */
const COMMENT = /\{\{~?!--[\s\S]*?--~?\}\}|\{\{~?![\s\S]*?\}\}/g;
/** A block opening (`{{#x`, `{{^x`), a closing (`{{/x`), or a line break. */
const TOKEN = /\{\{~?\s*([#^/])(?!\s*\}\})|\n/g;

/** The first place where blocks nest deeper than `limit`, as a parse failure; undefined when the body stays within it. */
export function nestingFailure(body: string, limit = MAX_BLOCK_NESTING): HbsParseFailure | undefined {
  if (!body.includes('{{')) return undefined;
  // Comments are blanked (same length, same line breaks) so positions stay right.
  const text = body.replace(COMMENT, (comment) => comment.replace(/[^\n]/g, ' '));
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  for (const match of text.matchAll(TOKEN)) {
    if (match[0] === '\n') {
      line += 1;
      lineStart = (match.index ?? 0) + 1;
      continue;
    }
    depth += match[1] === '/' ? -1 : 1;
    if (depth > limit) {
      const at = { line, column: (match.index ?? 0) - lineStart };
      return {
        kind: 'syntax',
        message: `Blocks nest deeper than ${limit} levels here; a template may nest at most ${limit}.`,
        start: at,
        end: { line, column: at.column + match[0].length },
      };
    }
  }
  return undefined;
}
