import assert from 'node:assert/strict';
import type { ChatMessage, ParsedTranscript } from '../../../server/src/model';
import { lineOfLocation, messagesAtLines } from '../../../server/src/sources/messagesAtLines';
import { parseTranscript } from '../../../server/src/sources';

const message = (id: string, sessionId: string, line: number | undefined): ChatMessage => ({
  id,
  sessionId,
  surface: 'reasoning',
  role: 'user',
  content: id,
  blocks: [],
  createdAt: '2026-01-02T15:29:00Z',
  ...(line === undefined ? { location: 'chat.json#/requests/0/message' } : { location: `chat.jsonl:${line}` }),
});

const transcript = (...sessions: [string, [string, number | undefined][]][]): ParsedTranscript => ({
  format: 'chat_messages',
  sessions: sessions.map(([id, messages]) => ({ id, messages: messages.map(([m, line]) => message(m, id, line)) })),
});

describe('sources: messages at lines (Export Selection in a transcript)', () => {
  it('reads the line from a path:line location, nothing from a JSON path', () => {
    assert.equal(lineOfLocation('/w/chat.jsonl:12'), 12);
    assert.equal(lineOfLocation('C:\\w\\chat.jsonl:3'), 3);
    assert.equal(lineOfLocation('chat.json#/requests/0/message'), undefined);
    assert.equal(lineOfLocation('chat.jsonl:0'), undefined);
    assert.equal(lineOfLocation(undefined), undefined);
  });

  it('finds the JSONL messages whose lines the selection touches', () => {
    const t = transcript(['s', [['m1', 1], ['m2', 2], ['m3', 3], ['m4', 4]]]);
    assert.deepEqual(messagesAtLines(t, [{ startLine: 2, endLine: 3 }]), { sessionId: 's', messageIds: ['m2', 'm3'], otherSessionIds: [] });
    assert.deepEqual(messagesAtLines(t, [{ startLine: 4, endLine: 4 }, { startLine: 1, endLine: 1 }])?.messageIds, ['m1', 'm4']);
  });

  it('lets a message span to the line before the next one (pretty-printed JSON), the last to the end of the file', () => {
    const t = transcript(['s', [['m1', 3], ['m2', 12], ['m3', 20]]]);
    assert.deepEqual(messagesAtLines(t, [{ startLine: 8, endLine: 9 }])?.messageIds, ['m1']);
    assert.deepEqual(messagesAtLines(t, [{ startLine: 11, endLine: 12 }])?.messageIds, ['m1', 'm2']);
    assert.deepEqual(messagesAtLines(t, [{ startLine: 500, endLine: 501 }])?.messageIds, ['m3']);
    assert.equal(messagesAtLines(t, [{ startLine: 1, endLine: 2 }]), undefined, 'lines before the first message are no message');
  });

  it('orders by line, whatever the order of the sessions and messages in the parse', () => {
    const t = transcript(['s', [['m3', 30], ['m1', 10], ['m2', 20]]]);
    assert.deepEqual(messagesAtLines(t, [{ startLine: 15, endLine: 35 }])?.messageIds, ['m1', 'm2', 'm3']);
  });

  it('ignores messages without a line and answers undefined when none can be placed', () => {
    assert.equal(messagesAtLines(transcript(['s', [['m1', undefined]]]), [{ startLine: 1, endLine: 100 }]), undefined);
  });

  it('keeps one session: the one with most selected messages, and names the others', () => {
    const t = transcript(['a', [['a1', 1], ['a2', 4]]], ['b', [['b1', 2], ['b2', 3]]]);
    assert.deepEqual(messagesAtLines(t, [{ startLine: 1, endLine: 3 }]), { sessionId: 'b', messageIds: ['b1', 'b2'], otherSessionIds: ['a'] });
  });

  it('on a tie keeps the session met first in the file', () => {
    const t = transcript(['late', [['l1', 5]]], ['early', [['e1', 1]]]);
    assert.deepEqual(messagesAtLines(t, [{ startLine: 1, endLine: 5 }]), { sessionId: 'early', messageIds: ['e1'], otherSessionIds: ['late'] });
  });

  it('gives messages sharing one line (a minified file) the same span', () => {
    const t = transcript(['s', [['m1', 1], ['m2', 1], ['m3', 2]]]);
    assert.deepEqual(messagesAtLines(t, [{ startLine: 1, endLine: 1 }])?.messageIds, ['m1', 'm2']);
    assert.deepEqual(messagesAtLines(t, [{ startLine: 2, endLine: 9 }])?.messageIds, ['m3']);
  });

  it('works on a parsed chat_messages JSONL file: one message per line', () => {
    const rows = [1, 2, 3].map((n) =>
      JSON.stringify({ id: `msg_${n}`, session_id: 'sess', surface: 'reasoning', agent_id: null, role: 'user', content: `m${n}`, metadata: {}, created_at: `2026-01-02T15:2${n}:00Z` }),
    );
    const parsed = parseTranscript(rows.join('\n') + '\n', '/w/chat.jsonl');
    assert.deepEqual(messagesAtLines(parsed, [{ startLine: 2, endLine: 3 }]), { sessionId: 'sess', messageIds: ['msg_2', 'msg_3'], otherSessionIds: [] });
  });

  it('maps a selection of a whole 5,000-message file', () => {
    const messages: [string, number][] = Array.from({ length: 5000 }, (_, i) => [`m${i + 1}`, i + 1]);
    const found = messagesAtLines(transcript(['s', messages]), [{ startLine: 1, endLine: 5000 }]);
    assert.equal(found?.messageIds.length, 5000);
    assert.equal(found?.messageIds[4999], 'm5000');
  });
});
