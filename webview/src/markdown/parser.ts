import MarkdownItClass, { type MarkdownIt } from 'markdown-it';
import { taskLists } from './taskLists';

/**
 * Block containers nested deeper than this are not parsed (markdown-it's
 * `maxNesting`): bounded work and DOM depth on hostile input. A list costs
 * two levels (list, item), a block quote one: about ten nested lists.
 */
export const MAX_NESTING = 24;

let parser: MarkdownIt | undefined;

/**
 * The preview's Markdown parser: markdown-it, as VS Code's own Markdown
 * preview uses it — CommonMark plus GFM tables and strikethrough, task lists,
 * and bare http(s) URLs as links. Built on first use (the panel may never
 * show Markdown).
 */
export function markdownParser(): MarkdownIt {
  parser ??= createParser();
  return parser;
}

function createParser(): MarkdownIt {
  const md = new MarkdownItClass('default', {
    html: false, // raw HTML in the Markdown is shown as text
    linkify: true,
    typographer: false, // the preview shows the characters that will be exported
    maxNesting: MAX_NESTING,
  });
  // markdown-it would leave a javascript: or data: link as bracketed text. Every link is kept as a link
  // token instead, so the preview shows it as one; the DOM builder gives only http(s) an href.
  md.validateLink = () => true;
  // Bare URLs only with their scheme (linkify-it's default, stated because it matters): `auth.py` or
  // `notes.md` in a transcript is a file name, not a link.
  md.linkify.set({ fuzzyLink: false });
  md.use(taskLists);
  return md;
}

/** A little of each construct exports use, for warmUpMarkdownParser. */
const WARM_UP_SAMPLE = [
  '# Title',
  '',
  'Text with *emphasis*, **strong**, ~~struck~~, `code`, a [link](https://example.com) and https://example.com/x.',
  '',
  '- [ ] a task',
  '- item',
  '  1. nested',
  '',
  '> quote',
  '',
  '| a | b |',
  '|---|:-:|',
  '| 1 | 2 |',
  '',
  '```ts',
  'const x = 1;',
  '```',
].join('\n');

/**
 * Builds the parser and runs it once over a small sample while the page
 * loads. markdown-it's first parse in a fresh page pays for compiling its
 * code (20–30 ms in the browser tests' chromium, against about 1 ms once
 * warm). Paid here, it is part of the page load instead of the first
 * render with the preview, which then stays well within its 50 ms (issue 16).
 */
export function warmUpMarkdownParser(): void {
  markdownParser().parse(WARM_UP_SAMPLE, {});
}
