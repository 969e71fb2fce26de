import assert from 'node:assert/strict';
import { parseTranscript } from '../../../server/src/sources';
import { expectExportError } from './expectExportError';

const line = (fields: Record<string, unknown>): string =>
  JSON.stringify({ isSidechain: false, sessionId: 'S', parentUuid: null, ...fields });
const user = (uuid: string, content: unknown, ts: string, extra: Record<string, unknown> = {}): string =>
  line({ type: 'user', uuid, timestamp: ts, message: { role: 'user', content }, ...extra });
const assistant = (uuid: string, content: unknown, ts: string, extra: Record<string, unknown> = {}, messageExtra: Record<string, unknown> = {}): string =>
  line({ type: 'assistant', uuid, timestamp: ts, message: { role: 'assistant', model: 'claude-opus-4', content, ...messageExtra }, ...extra });

describe('sources: Claude Code session JSONL', () => {
  it('skips non-conversation lines, sidechains, meta lines and repeated uuids', () => {
    const text = [
      JSON.stringify({ type: 'file-history-snapshot', messageId: 'x', snapshot: {} }),
      user('u1', 'First question', '2026-06-01T09:00:00Z'),
      user('u1', 'First question (written again)', '2026-06-01T09:00:00Z'),
      user('m1', '<local-command-caveat>…</local-command-caveat>', '2026-06-01T09:00:00.500Z', { isMeta: true }),
      assistant('side', [{ type: 'text', text: 'sub-agent talk' }], '2026-06-01T09:00:01Z', { isSidechain: true }),
      JSON.stringify({ type: 'system', uuid: 's1', sessionId: 'S', content: 'hook ran', timestamp: '2026-06-01T09:00:02Z' }),
      assistant('a1', [{ type: 'text', text: 'Answer' }], '2026-06-01T09:00:03Z'),
      '',
    ].join('\n');
    const session = parseTranscript(text, '/p/S.jsonl').sessions[0]!;
    assert.deepEqual(
      session.messages.map((m) => [m.id, m.role, m.content]),
      [
        ['u1', 'user', 'First question'],
        ['a1', 'assistant', 'Answer'],
      ],
    );
    assert.equal(session.title, 'First question');
  });

  it('merges consecutive lines of one API message and maps block types', () => {
    const text = [
      user('u1', [{ type: 'text', text: 'Fix it' }, { type: 'image', source: {} }], '2026-06-01T09:00:00Z'),
      assistant('a1', [{ type: 'thinking', thinking: 'hmm', signature: 's' }], '2026-06-01T09:00:01Z', {}, { id: 'msg_1' }),
      assistant('a2', [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } }], '2026-06-01T09:00:02Z', {}, { id: 'msg_1' }),
      user('t1', [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'a.txt' }, { type: 'text', text: 'b.txt' }] }], '2026-06-01T09:00:03Z'),
      user('t2', [{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'boom', is_error: true }, { type: 'text', text: 'and also' }], '2026-06-01T09:00:04Z'),
      assistant('a3', [{ type: 'redacted_thinking', data: 'x' }], '2026-06-01T09:00:05Z', {}, { id: 'msg_2' }),
    ].join('\n');
    const messages = parseTranscript(text, 's.jsonl').sessions[0]!.messages;
    assert.deepEqual(
      messages.map((m) => [m.id, m.role, m.blocks.map((b) => [b.id, b.kind, b.content])]),
      [
        ['u1', 'user', [['u1#0', 'text', 'Fix it']]],
        ['a1', 'assistant', [['a1#0', 'thinking', 'hmm'], ['a2#0', 'tool_use', 'Bash\n{\n  "command": "ls"\n}']]],
        ['t1', 'tool', [['t1#0', 'tool_result', 'a.txt\nb.txt']]],
        ['t2', 'user', [['t2#0', 'tool_result', 'Error: boom'], ['t2#1', 'text', 'and also']]],
      ],
    );
    assert.equal(messages[1]?.content, 'hmm\n\nBash\n{\n  "command": "ls"\n}');
    assert.equal(messages[1]?.agentId, 'claude-opus-4');
  });

  it('splits several sessions of one file and titles each by the summary of its leaf', () => {
    const text = [
      JSON.stringify({ type: 'summary', summary: 'Old work', leafUuid: 'o2' }),
      JSON.stringify({ type: 'summary', summary: 'Unrelated', leafUuid: 'not-here' }),
      user('n1', 'New question', '2026-06-02T09:00:00Z', { sessionId: 'NEW' }),
      user('o1', 'Old question', '2026-06-01T09:00:00Z', { sessionId: 'OLD' }),
      assistant('o2', 'Old answer', '2026-06-01T09:00:01Z', { sessionId: 'OLD' }),
    ].join('\n');
    const parsed = parseTranscript(text, 's.jsonl');
    assert.deepEqual(
      parsed.sessions.map((s) => [s.id, s.title, s.messages.length]),
      [
        ['OLD', 'Old work', 2],
        ['NEW', 'New question', 1],
      ],
    );
  });

  it('ignores a torn last line (file still being written)', () => {
    const text = `${user('u1', 'Hello', '2026-06-01T09:00:00Z')}\n${assistant('a1', 'Hi', '2026-06-01T09:00:01Z').slice(0, 40)}`;
    const messages = parseTranscript(text, 's.jsonl').sessions[0]!.messages;
    assert.deepEqual(messages.map((m) => m.id), ['u1']);
  });

  it('reports a broken line in the middle, and schema errors with line and field', () => {
    const broken = [user('u1', 'Hello', '2026-06-01T09:00:00Z'), '{"type":"user",', user('u2', 'Again', '2026-06-01T09:00:02Z')].join('\n');
    expectExportError(() => parseTranscript(broken, 's.jsonl'), 'INVALID_INPUT', 'line 2');
    const badBlock = [user('u1', 'Hello', '2026-06-01T09:00:00Z'), assistant('a1', [{ type: 'text', text: 7 }], '2026-06-01T09:00:01Z')].join('\n');
    expectExportError(() => parseTranscript(badBlock, 's.jsonl'), 'INVALID_INPUT', 's.jsonl line 2: field "message.content[0].text"');
    const noUuid = [user('u1', 'Hello', '2026-06-01T09:00:00Z'), JSON.stringify({ type: 'user', sessionId: 'S', timestamp: '2026-06-01T09:00:00Z', message: { content: 'x' } })].join('\n');
    expectExportError(() => parseTranscript(noUuid, 's.jsonl'), 'INVALID_INPUT', 'line 2: field "uuid"');
  });
});
