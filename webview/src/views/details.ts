/** Statistics and the metadata summary. */
import { h } from '../dom';
import { formatBytes, formatCount, formatValue } from '../format';
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
    ),
  );
}

export function renderMetadata(model: Model): HTMLElement {
  const entries = Object.entries(model.preview.metadata);
  const list = entries.length
    ? h('dl', { class: 'kv' }, ...entries.flatMap(([key, value]) => [h('dt', null, key), h('dd', null, formatValue(value))]))
    : h('p', { class: 'muted' }, 'No metadata.');
  return section('metadata', 'Metadata', list);
}
