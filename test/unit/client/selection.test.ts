import assert from 'node:assert/strict';
import type { SessionsResult } from '../../../server/src/protocol';
import { messagesUnderSelection, selectedLines } from '../../../client/src/transcript/selection';

type Session = SessionsResult['sessions'][number];

const message = (id: string, line: number | undefined) => ({
  id,
  role: 'user',
  created_at: '2026-01-02T15:29:00Z',
  agent_id: null,
  surface: 'reasoning',
  ...(line === undefined ? {} : { line }),
  preview: id,
  blocks: [],
});

const session = (id: string, lines: [string, number | undefined][]): Session => ({ id, title: null, messages: lines.map(([m, l]) => message(m, l)) });

describe('client: selection → messages', () => {
  it('turns an editor selection into 1-based lines, dropping a last line selected only up to column 0', () => {
    assert.deepEqual(selectedLines({ start: { line: 0, character: 3 }, end: { line: 2, character: 5 } }), { startLine: 1, endLine: 3 });
    assert.deepEqual(selectedLines({ start: { line: 1, character: 0 }, end: { line: 3, character: 0 } }), { startLine: 2, endLine: 3 });
    assert.deepEqual(selectedLines({ start: { line: 4, character: 0 }, end: { line: 4, character: 9 } }), { startLine: 5, endLine: 5 });
    assert.equal(selectedLines({ start: { line: 4, character: 2 }, end: { line: 4, character: 2 } }), undefined);
  });

  it('finds the JSONL messages whose lines the selection touches', () => {
    const sessions = [session('s', [['m1', 1], ['m2', 2], ['m3', 3], ['m4', 4]])];
    assert.deepEqual(messagesUnderSelection(sessions, [{ startLine: 2, endLine: 3 }]), { sessionId: 's', messageIds: ['m2', 'm3'], otherSessionIds: [] });
    assert.deepEqual(messagesUnderSelection(sessions, [{ startLine: 4, endLine: 4 }, { startLine: 1, endLine: 1 }])?.messageIds, ['m1', 'm4']);
  });

  it('lets a message span to the line before the next one (pretty-printed JSON), the last to the end of the file', () => {
    const sessions = [session('s', [['m1', 3], ['m2', 12], ['m3', 20]])];
    assert.deepEqual(messagesUnderSelection(sessions, [{ startLine: 8, endLine: 9 }])?.messageIds, ['m1']);
    assert.deepEqual(messagesUnderSelection(sessions, [{ startLine: 11, endLine: 12 }])?.messageIds, ['m1', 'm2']);
    assert.deepEqual(messagesUnderSelection(sessions, [{ startLine: 500, endLine: 501 }])?.messageIds, ['m3']);
    assert.equal(messagesUnderSelection(sessions, [{ startLine: 1, endLine: 2 }]), undefined, 'lines before the first message are no message');
  });

  it('ignores messages without a line and answers undefined when none can be placed', () => {
    assert.equal(messagesUnderSelection([session('s', [['m1', undefined]])], [{ startLine: 1, endLine: 100 }]), undefined);
  });

  it('keeps one session: the one with most selected messages, and names the others', () => {
    const sessions = [session('a', [['a1', 1], ['a2', 4]]), session('b', [['b1', 2], ['b2', 3]])];
    assert.deepEqual(messagesUnderSelection(sessions, [{ startLine: 1, endLine: 3 }]), { sessionId: 'b', messageIds: ['b1', 'b2'], otherSessionIds: ['a'] });
  });

  it('gives messages sharing one line (a minified file) the same span', () => {
    const sessions = [session('s', [['m1', 1], ['m2', 1], ['m3', 2]])];
    assert.deepEqual(messagesUnderSelection(sessions, [{ startLine: 1, endLine: 1 }])?.messageIds, ['m1', 'm2']);
  });
});
