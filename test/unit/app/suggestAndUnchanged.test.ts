import assert from 'node:assert/strict';
import { suggestTitle } from '../../../server/src/app/suggest';
import { sameApartFromExportTime } from '../../../server/src/app/unchanged';
import type { AssembledContent, ChatMessage } from '../../../server/src/model';

const message = (id: string, role: ChatMessage['role'], content: string): ChatMessage => ({
  id,
  sessionId: 's',
  surface: 'inputs',
  role,
  content,
  blocks: [],
  createdAt: '2026-01-01T00:00:00.000Z',
});

const assembled = (messages: ChatMessage[], sessionTitle?: string): AssembledContent => ({
  source: { path: 't.jsonl', format: 'chat_messages' },
  sessionId: 's',
  ...(sessionTitle ? { sessionTitle } : {}),
  messages,
  text: '',
  surfaces: ['inputs'],
  stats: { messageCount: messages.length, blockCount: 0, charCount: 0, tokenCount: 0 },
});

describe('app: suggested titles (issue 10 item 8)', () => {
  it('keeps the session title for a whole session', () => {
    assert.equal(suggestTitle(assembled([message('1', 'user', 'hello')], 'Session'), true), 'Session');
  });
  it('names a part after its first heading, else its first user line, shortened at a word', () => {
    assert.equal(suggestTitle(assembled([message('1', 'assistant', 'intro\n## Rollback **plan**\nbody')], 'Session'), false), 'Rollback plan');
    assert.equal(suggestTitle(assembled([message('1', 'assistant', 'sure'), message('2', 'user', '\n  Why does the upload fail?\nmore')], 'Session'), false), 'Why does the upload fail?');
    const long = suggestTitle(assembled([message('1', 'user', `${'word '.repeat(40)}end`)]), false);
    assert.ok(long.length <= 80 && long.endsWith('…') && !long.includes('wo…'), long);
  });
});

describe('app: unchanged apart from the export time (issue 10 item 13)', () => {
  const at = (time: string, body = 'body') => `# T\n- Exported: ${time}\n${body}\n`;
  it('is unchanged when only the lines that move with the time differ', () => {
    assert.equal(sameApartFromExportTime(at('Jan 1'), at('Feb 2'), at('Feb 1')), true);
  });
  it('is changed when any other line differs, or the shape differs', () => {
    assert.equal(sameApartFromExportTime(at('Jan 1'), at('Feb 2', 'other'), at('Feb 1', 'other')), false);
    assert.equal(sameApartFromExportTime(at('Jan 1'), `${at('Feb 2')}more\n`, `${at('Feb 1')}more\n`), false);
    assert.equal(sameApartFromExportTime('static\n', 'static!\n', 'static!\n'), false, 'a line that does not move with the time');
  });
});
