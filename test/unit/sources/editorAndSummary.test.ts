import assert from 'node:assert/strict';
import { editorSelectionToMessages, listSessions, parseTranscript, toSessionsJson } from '../../../server/src/sources';
import { expectExportError } from './expectExportError';

const now = new Date('2026-03-04T05:06:07.089Z');

describe('sources: editor selection', () => {
  it('turns each range into a block of one user message on the editor surface', () => {
    const parsed = editorSelectionToMessages({
      path: '/w/src/util.ts',
      ranges: [
        { startLine: 3, endLine: 5, text: 'const a = 1;' },
        { startLine: 10, endLine: 10, text: 'export {};' },
      ],
      now,
    });
    assert.equal(parsed.format, 'editor');
    const session = parsed.sessions[0]!;
    assert.equal(session.title, 'Selection from util.ts, lines 3–5 and 10');
    const message = session.messages[0]!;
    assert.equal(message.surface, 'editor');
    assert.equal(message.role, 'user');
    assert.equal(message.createdAt, '2026-03-04T05:06:07.089Z');
    assert.equal(message.location, '/w/src/util.ts:3');
    assert.deepEqual(message.blocks.map((b) => [b.kind, b.content]), [
      ['code', 'const a = 1;'],
      ['code', 'export {};'],
    ]);
    assert.equal(new Set(message.blocks.map((b) => b.id)).size, 2);
  });

  it('uses text blocks for prose files', () => {
    const parsed = editorSelectionToMessages({ path: 'notes/README.md', ranges: [{ startLine: 1, endLine: 2, text: '# Hi' }], now });
    assert.equal(parsed.sessions[0]?.messages[0]?.blocks[0]?.kind, 'text');
  });

  it('refuses an empty selection and invalid ranges', () => {
    expectExportError(() => editorSelectionToMessages({ path: 'a.ts', ranges: [], now }), 'EMPTY_SELECTION');
    expectExportError(() => editorSelectionToMessages({ path: 'a.ts', ranges: [{ startLine: 1, endLine: 1, text: '  \n' }], now }), 'EMPTY_SELECTION');
    expectExportError(() => editorSelectionToMessages({ path: 'a.ts', ranges: [{ startLine: 5, endLine: 2, text: 'x' }], now }), 'INVALID_INPUT', 'endLine');
  });
});

describe('sources: session listings', () => {
  const text = [
    '{"id":"m1","session_id":"s","role":"user","content":"hi","created_at":"2026-01-01T00:00:00Z"}',
    '{"id":"m2","session_id":"s","role":"assistant","agent_id":"bot","content":"yo","created_at":"2026-01-01T00:01:00Z"}',
  ].join('\n');

  it('lists sessions with counts and time range', () => {
    assert.deepEqual(listSessions(parseTranscript(text, 'r.jsonl')), [
      { id: 's', title: 'hi', messageCount: 2, startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:01:00.000Z' },
    ]);
  });

  it('gives the sessions --json shape, agent_id null when absent', () => {
    const json = toSessionsJson(parseTranscript(text, 'r.jsonl'));
    assert.deepEqual(json.sessions[0]?.messages.map((m) => m.agent_id), [null, 'bot']);
    assert.deepEqual(Object.keys(json.sessions[0]?.messages[0] ?? {}), ['id', 'role', 'created_at', 'agent_id', 'surface', 'blocks']);
    assert.deepEqual(toSessionsJson({ format: 'chat_messages', sessions: [{ id: 'x', messages: [] }] }).sessions[0], { id: 'x', title: null, messages: [] });
  });

  it('titles long first messages to about 60 characters on one line', () => {
    const long = 'Please explain\nhow the rollback of a GitHub pull request export works when the branch was already deleted';
    const parsed = parseTranscript(JSON.stringify({ id: 'm', session_id: 's', role: 'user', content: long, created_at: '2026-01-01T00:00:00Z' }), 'r.json');
    const title = parsed.sessions[0]?.title ?? '';
    assert.ok(title.length <= 60, title);
    assert.ok(title.endsWith('…'));
    assert.ok(title.startsWith('Please explain how the rollback'));
  });
});
