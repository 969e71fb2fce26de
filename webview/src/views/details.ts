/** Statistics and the metadata summary. */
import { h } from '../dom';
import { formatBytes, formatCount, formatValue, plural } from '../format';
import type { Model } from '../model';
import { section } from './controls';

export function renderStatistics(model: Model): HTMLElement {
  const s = model.preview.statistics;
  const item = (id: string, label: string, value: string) =>
    h('div', { class: 'stat', attrs: { id: `stat-${id}` } }, h('dt', null, label), h('dd', null, value));
  return section(
    'statistics',
    'Statistics',
    h(
      'dl',
      { class: 'stats' },
      item('size', 'File size', formatBytes(s.file_size_bytes)),
      // The output's tokens; the Source card has the selection's.
      item('tokens', 'Output tokens', `~${formatCount(s.token_count)}`),
      item('lines', 'Lines', formatCount(s.line_count)),
      item('blocks', 'Blocks', formatCount(s.block_count)),
      item('messages', 'Messages', formatCount(s.message_count)),
      toolOutputItem(s.tool_output, item),
    ),
  );
}

/** How much of the tool output the export shortened or left out (issue 10 item 9); nothing when none was. */
function toolOutputItem(
  t: Model['preview']['statistics']['tool_output'],
  item: (id: string, label: string, value: string) => HTMLElement,
): HTMLElement | null {
  if (t.summarized_blocks === 0 && t.omitted_blocks === 0) return null;
  const parts = [
    t.summarized_blocks > 0 ? `${plural(t.summarized_blocks, 'tool block')} shortened` : '',
    t.omitted_blocks > 0 ? `${plural(t.omitted_blocks, 'tool block')} left out` : '',
  ].filter((p) => p !== '');
  return item('tool-output', 'Tool output', `${parts.join(', ')} (${plural(t.omitted_lines, 'line')} not shown)`);
}

export function renderMetadata(model: Model): HTMLElement {
  const entries = Object.entries(model.preview.metadata);
  const list = entries.length
    ? h('dl', { class: 'kv' }, ...entries.flatMap(([key, value]) => [h('dt', null, key), h('dd', null, formatValue(value))]))
    : h('p', { class: 'muted' }, 'No metadata.');
  return section('metadata', 'Metadata', list);
}
