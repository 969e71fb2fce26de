import type { MarkdownIt, StateCore } from 'markdown-it';

/**
 * GFM task list items (`- [ ] open`, `- [x] done`) for markdown-it: a core
 * rule after the others that marks the list item (`meta.task`) and puts a
 * `task_box` token (`meta.done`) in place of the `[ ]` / `[x]` at the start
 * of the item's first paragraph. Written here because the npm plugins for it
 * are unmaintained; it is the whole of what the preview needs.
 */
const MARKER = /^\[([ xX])\][ \t\n]/;

export function taskLists(md: MarkdownIt): void {
  md.core.ruler.push('task_lists', markTaskItems);
}

function markTaskItems(state: StateCore): void {
  const { tokens } = state;
  for (let i = 2; i < tokens.length; i += 1) {
    const inline = tokens[i];
    const paragraph = tokens[i - 1];
    const item = tokens[i - 2];
    if (inline?.type !== 'inline' || paragraph?.type !== 'paragraph_open' || item?.type !== 'list_item_open') continue;
    const marker = MARKER.exec(inline.content);
    const first = inline.children?.[0];
    // The marker must be plain text: `[x]` that is a link (a reference named x) stays a link.
    if (!marker || first?.type !== 'text' || !first.content.startsWith(marker[0].slice(0, 3))) continue;
    first.content = first.content.slice(3).replace(/^[ \t]+/, '');
    const box = new state.Token('task_box', '', 0);
    box.meta = { done: marker[1] !== ' ' };
    inline.children?.unshift(box);
    item.meta = { ...item.meta, task: true };
  }
}
