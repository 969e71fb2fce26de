import assert from 'node:assert/strict';
import { parseTranscript } from '../../../server/src/sources';
import { expectExportError } from './expectExportError';

const row = (fields: Record<string, unknown>): Record<string, unknown> => ({
  surface: 'reasoning',
  agent_id: null,
  metadata: {},
  ...fields,
});
const jsonl = (rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('sources: chat_messages rows', () => {
  const mixed = [
    row({ id: 'b2', session_id: 'B', role: 'assistant', content: 'B two', created_at: '2026-01-01T10:05:00Z', agent_id: 'coder' }),
    row({ id: 'a2', session_id: 'A', role: 'assistant', content: 'A two', created_at: '2026-01-01T09:01:00Z' }),
    row({ id: 'b1', session_id: 'B', role: 'user', content: 'B one', created_at: '2026-01-01T10:00:00Z' }),
    row({ id: 'a1', session_id: 'A', role: 'user', content: 'A one', created_at: '2026-01-01T09:00:00Z' }),
    row({ id: 'a3', session_id: 'A', role: 'user', content: 'A three (tie, later in file)', created_at: '2026-01-01T09:01:00Z' }),
  ];

  it('groups mixed sessions and sorts out-of-order rows by time, ties in file order', () => {
    const parsed = parseTranscript(jsonl(mixed), 'rows.jsonl');
    assert.equal(parsed.format, 'chat_messages');
    assert.deepEqual(
      parsed.sessions.map((s) => [s.id, s.title, s.messages.map((m) => m.id)]),
      [
        ['A', 'A one', ['a1', 'a2', 'a3']],
        ['B', 'B one', ['b1', 'b2']],
      ],
    );
    const b2 = parsed.sessions[1]?.messages[1];
    assert.equal(b2?.agentId, 'coder');
    assert.equal(b2?.location, 'rows.jsonl:1');
  });

  it('reads the JSON-array variant, with line numbers of each row', () => {
    const text = JSON.stringify(mixed, null, 2);
    const parsed = parseTranscript(text, 'rows.json');
    assert.deepEqual(
      parsed.sessions.map((s) => s.messages.map((m) => m.id)),
      [
        ['a1', 'a2', 'a3'],
        ['b1', 'b2'],
      ],
    );
    const firstRowLine = 2; // `[` is line 1
    assert.equal(parsed.sessions[1]?.messages[1]?.location, `rows.json:${firstRowLine}`);
  });

  it('applies defaults: surface reasoning, missing kind text, one block per content without blocks', () => {
    const text = jsonl([
      { id: 1, session_id: 's', role: 'user', content: 'hi', created_at: '2026-01-02 15:29:00' },
      {
        id: 'm2',
        session_id: 's',
        role: 'assistant',
        content: null,
        agent_id: '',
        metadata: '{"blocks":[{"id":"x","content":"let a = 1;","kind":"code"},{"content":"done"}]}',
        created_at: 1767367800,
      },
    ]);
    const [m1, m2] = parseTranscript(text, 'r.jsonl').sessions[0]!.messages;
    assert.deepEqual(m1, {
      id: '1',
      sessionId: 's',
      surface: 'reasoning',
      role: 'user',
      content: 'hi',
      blocks: [{ id: '1#0', kind: 'text', content: 'hi', messageId: '1', role: 'user', timestamp: '2026-01-02T15:29:00.000Z', surface: 'reasoning' }],
      createdAt: '2026-01-02T15:29:00.000Z',
      location: 'r.jsonl:1',
    });
    assert.equal(m2?.agentId, undefined);
    assert.equal(m2?.createdAt, '2026-01-02T15:30:00.000Z');
    const provenance = { messageId: 'm2', role: 'assistant', timestamp: '2026-01-02T15:30:00.000Z', surface: 'reasoning' };
    assert.deepEqual(m2?.blocks, [
      { id: 'x', kind: 'code', content: 'let a = 1;', ...provenance },
      { id: 'm2#1', kind: 'text', content: 'done', ...provenance },
    ]);
    assert.equal(m2?.content, 'let a = 1;\n\ndone');
  });

  it('names the line and field of a row failing the schema', () => {
    const text = jsonl([
      row({ id: 'a', session_id: 's', role: 'user', content: 'x', created_at: '2026-01-01T00:00:00Z' }),
      row({ id: 'b', session_id: 's', role: 'robot', content: 'x', created_at: '2026-01-01T00:00:00Z' }),
    ]);
    const error = expectExportError(() => parseTranscript(text, 'r.jsonl'), 'INVALID_INPUT', 'r.jsonl line 2: field "role"');
    assert.deepEqual(error.details, { path: 'r.jsonl', field: 'role', line: 2 });
  });

  it('names nested fields and bad dates', () => {
    const badKind = jsonl([row({ id: 'a', session_id: 's', role: 'user', content: 'x', created_at: '2026-01-01T00:00:00Z', metadata: { blocks: [{ id: 'k', content: 'c', kind: 'image' }] } })]);
    expectExportError(() => parseTranscript(badKind + badKind.replace('"a"', '"b"'), 'r.jsonl'), 'INVALID_INPUT', 'field "metadata.blocks[0].kind"');
    const badDate = jsonl([row({ id: 'a', session_id: 's', role: 'user', content: 'x', created_at: 'yesterday' })]);
    expectExportError(() => parseTranscript(badDate, 'r.jsonl'), 'INVALID_INPUT', /line 1: field "created_at": not a valid date/);
  });

  it('refuses duplicate message ids', () => {
    const r = row({ id: 'a', session_id: 's', role: 'user', content: 'x', created_at: '2026-01-01T00:00:00Z' });
    expectExportError(() => parseTranscript(jsonl([r, r]), 'r.jsonl'), 'INVALID_INPUT', 'line 2: duplicate message id "a" (first at line 1)');
  });

  it('reports a bad line in the middle of a JSONL file instead of dropping it', () => {
    const good = JSON.stringify(row({ id: 'a', session_id: 's', role: 'user', content: 'x', created_at: '2026-01-01T00:00:00Z' }));
    const text = `${good}\n{"id": "b", "session_id": \n${good.replace('"a"', '"c"')}\n`;
    const error = expectExportError(() => parseTranscript(text, 'r.jsonl'), 'INVALID_INPUT', 'line 2');
    assert.equal(error.details?.['line'], 2);
  });

  it('reports a torn last line of a chat_messages file (only Claude Code may tolerate it)', () => {
    const good = JSON.stringify(row({ id: 'a', session_id: 's', role: 'user', content: 'x', created_at: '2026-01-01T00:00:00Z' }));
    expectExportError(() => parseTranscript(`${good}\n${good.slice(0, 30)}`, 'r.jsonl'), 'INVALID_INPUT', 'line 2');
  });
});
