import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatMessage, ParsedTranscript } from '../../../server/src/model';
import { decodeTranscriptBytes, editorSelectionToMessages, parseTranscript } from '../../../server/src/sources';

/**
 * Every block carries its message's provenance, as the seed's ContentBlock
 * does (DESIGN.md §3): messageId, role, timestamp, agentId and surface.
 */

const examples = join(__dirname, '..', '..', '..', 'examples');

async function parseExample(name: string): Promise<ParsedTranscript> {
  const path = join(examples, name);
  return parseTranscript(decodeTranscriptBytes(await readFile(path), path), path);
}

function assertProvenance(parsed: ParsedTranscript): void {
  const messages: ChatMessage[] = parsed.sessions.flatMap((s) => s.messages);
  assert.ok(messages.length > 0);
  for (const message of messages) {
    assert.ok(message.blocks.length > 0, message.id);
    for (const block of message.blocks) {
      assert.deepEqual(
        { messageId: block.messageId, role: block.role, timestamp: block.timestamp, agentId: block.agentId, surface: block.surface },
        { messageId: message.id, role: message.role, timestamp: message.createdAt, agentId: message.agentId, surface: message.surface },
        `${parsed.format}: block ${block.id}`,
      );
    }
  }
}

describe('sources: blocks carry their message provenance', () => {
  for (const name of ['chat-messages.jsonl', 'chatgpt-conversations.json', 'claude-code-session.jsonl', 'vscode-chat-export.json']) {
    it(`in ${name}`, async () => {
      assertProvenance(await parseExample(name));
    });
  }

  it('in chat_messages rows without metadata blocks, and with an agent', () => {
    const rows = [
      { id: 'a', session_id: 's', role: 'user', content: 'hi', created_at: '2026-01-01T00:00:00Z' },
      { id: 'b', session_id: 's', role: 'assistant', agent_id: 'planner', surface: 'outputs', content: 'x', metadata: { blocks: [{ content: 'one' }, { id: 'k', kind: 'code', content: 'two' }] }, created_at: '2026-01-01T00:00:01Z' },
    ];
    const parsed = parseTranscript(rows.map((r) => JSON.stringify(r)).join('\n'), 'rows.jsonl');
    assertProvenance(parsed);
    const b = parsed.sessions[0]?.messages[1];
    assert.deepEqual(b?.blocks[1], { id: 'k', kind: 'code', content: 'two', messageId: 'b', role: 'assistant', timestamp: '2026-01-01T00:00:01.000Z', agentId: 'planner', surface: 'outputs' });
  });

  it('in Claude Code assistant lines merged into one message, and tool-result lines of role tool', () => {
    const line = (uuid: string, type: string, content: unknown, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ type, uuid, sessionId: 's', timestamp: `2026-01-01T00:00:0${uuid.length}Z`, message: { content, ...extra } });
    const text = [
      line('u', 'user', 'question'),
      line('a1', 'assistant', [{ type: 'thinking', thinking: 'hmm' }], { id: 'api-1', model: 'claude-x' }),
      line('a22', 'assistant', [{ type: 'text', text: 'answer' }], { id: 'api-1', model: 'claude-x' }),
      line('t333', 'user', [{ type: 'tool_result', content: 'output' }]),
    ].join('\n');
    const parsed = parseTranscript(text, 'session.jsonl');
    assertProvenance(parsed);
    const [, assistant, tool] = parsed.sessions[0]?.messages ?? [];
    assert.deepEqual(assistant?.blocks.map((b) => [b.messageId, b.agentId, b.timestamp]), [
      ['a1', 'claude-x', '2026-01-01T00:00:02.000Z'],
      ['a1', 'claude-x', '2026-01-01T00:00:02.000Z'],
    ]);
    assert.equal(tool?.blocks[0]?.role, 'tool');
  });

  it('in an editor selection', () => {
    const parsed = editorSelectionToMessages({
      path: '/w/src/a.ts',
      ranges: [
        { startLine: 1, endLine: 2, text: 'const a = 1;' },
        { startLine: 5, endLine: 5, text: 'a += 1;' },
      ],
      now: new Date('2026-01-01T00:00:00Z'),
    });
    assertProvenance(parsed);
    assert.equal(parsed.sessions[0]?.messages[0]?.blocks[1]?.surface, 'editor');
  });
});
