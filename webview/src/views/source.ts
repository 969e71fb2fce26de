/**
 * Where the export comes from: an editor selection ("Selection from FILE,
 * lines A–B") or messages of a chat session, with the selection's own token
 * count (the Statistics card counts the output's).
 */
import { h } from '../dom';
import { baseName, formatCount, lineRanges, plural } from '../format';
import type { Model } from '../model';
import { section } from './controls';

const FORMAT_LABELS: Record<string, string> = {
  chat_messages: 'chat transcript',
  vscode_chat: 'VS Code chat',
  claude_code: 'Claude Code session',
  chatgpt: 'ChatGPT conversation',
  sql: 'chat database',
};

export function renderSource(model: Model): HTMLElement {
  const { metadata, statistics } = model.preview;
  const source = model.source;
  const format = typeof metadata['source_format'] === 'string' ? metadata['source_format'] : null;
  const sessionId = typeof metadata['session_id'] === 'string' ? metadata['session_id'] : null;
  const selectionTokens = typeof metadata['token_count'] === 'number' ? metadata['token_count'] : null;

  let what: (Node | string)[];
  let where: string | null = null;
  if (source?.kind === 'editor') {
    what = ['Selection from ', h('span', { class: 'source-file' }, baseName(source.path)), source.ranges.length > 0 ? `, ${lineRanges(source.ranges)}` : ''];
    where = source.path;
  } else if (source === null && format === 'editor') {
    what = ['Selection from an editor'];
  } else {
    const from = source?.kind === 'file' ? baseName(source.path) : null;
    const kind = format ? (FORMAT_LABELS[format] ?? format) : 'session';
    what = [`${plural(statistics.message_count, 'message')} of a ${kind}`, sessionId ? ` (session ${sessionId})` : ''];
    if (from) what.push(' in ', h('span', { class: 'source-file' }, from));
    where = source?.kind === 'file' ? source.path : null;
  }
  return section(
    'source',
    'Source',
    h('p', { class: 'source-what', attrs: { id: 'source-summary' } }, ...what),
    where ? h('p', { class: 'muted source-path', attrs: { id: 'source-path' } }, where) : null,
    selectionTokens !== null
      ? h('dl', { class: 'kv' }, h('dt', null, 'Selection tokens'), h('dd', { attrs: { id: 'source-tokens' } }, `~${formatCount(selectionTokens)}`))
      : null,
  );
}
