import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeTranscriptBytes, parseTranscript, toSessionsJson } from '../../../server/src/sources';

const examples = join(__dirname, '..', '..', '..', 'examples');

async function parseExample(name: string) {
  const path = join(examples, name);
  return parseTranscript(decodeTranscriptBytes(await readFile(path), path), path);
}

describe('sources: the example transcripts', () => {
  it('reads chat-messages.jsonl as chat_messages rows', async () => {
    const parsed = await parseExample('chat-messages.jsonl');
    assert.equal(parsed.format, 'chat_messages');
    assert.deepEqual(toSessionsJson(parsed), {
      format: 'chat_messages',
      sessions: [
        {
          id: 'sess_demo',
          title: 'Plan the export rollback for GitHub.',
          messages: [
            {
              id: 'msg_1',
              role: 'user',
              created_at: '2026-01-02T15:29:00.000Z',
              agent_id: null,
              surface: 'reasoning',
              blocks: [{ id: 'msg_1#0', kind: 'text' }],
            },
            {
              id: 'msg_2',
              role: 'assistant',
              created_at: '2026-01-02T15:30:00.000Z',
              agent_id: 'planner',
              surface: 'reasoning',
              blocks: [
                { id: 'blk_2a', kind: 'text' },
                { id: 'blk_2b', kind: 'text' },
              ],
            },
          ],
        },
      ],
    });
    const second = parsed.sessions[0]?.messages[1];
    assert.equal(second?.blocks[1]?.content, 'Pull requests are closed and their branch deleted.');
    assert.match(second?.location ?? '', /chat-messages\.jsonl:2$/);
  });

  it('reads the VS Code chat export', async () => {
    const parsed = await parseExample('vscode-chat-export.json');
    assert.equal(parsed.format, 'vscode_chat');
    assert.equal(parsed.sessions.length, 1);
    const session = parsed.sessions[0]!;
    assert.match(session.id, /^vscode-chat-[0-9a-f]{12}$/);
    assert.equal(session.title, 'How do I debounce diagnostics in a language server?');
    const summary = session.messages.map((m) => [m.id, m.role, m.createdAt, m.agentId ?? null, m.blocks.map((b) => b.kind)]);
    assert.deepEqual(summary, [
      ['request_01', 'user', '2025-11-24T16:00:00.000Z', null, ['text']],
      ['request_01:response', 'assistant', '2025-11-24T16:00:00.001Z', 'copilot/gpt-5', ['thinking', 'text']],
      ['request_02', 'user', '2025-11-24T16:00:30.000Z', null, ['text']],
      ['request_02:response', 'assistant', '2025-11-24T16:00:30.001Z', null, ['tool_use', 'text']],
    ]);
    const first = session.messages[1]!;
    assert.equal(first.blocks[0]?.content, 'They want per-document timers.');
    // Markdown chunks are joined; the inline file reference follows the closing fence on its own line.
    assert.equal(
      first.blocks[1]?.content,
      'Keep a timer per document URI and reset it on every change:\n\n```ts\nconst timers = new Map<string, NodeJS.Timeout>();\n```\n`server.ts` Then validate when the timer fires.',
    );
    assert.equal(session.messages[3]?.blocks[0]?.content, 'Reading server.ts');
    // Same file, same id.
    const again = await parseExample('vscode-chat-export.json');
    assert.equal(again.sessions[0]?.id, session.id);
  });

  it('reads the Claude Code session', async () => {
    const parsed = await parseExample('claude-code-session.jsonl');
    assert.equal(parsed.format, 'claude_code');
    const session = parsed.sessions[0]!;
    assert.equal(parsed.sessions.length, 1);
    assert.equal(session.id, 'sess-1');
    assert.equal(session.title, 'Flaky test');
    const summary = session.messages.map((m) => [m.id, m.role, m.agentId ?? null, m.blocks.map((b) => b.kind)]);
    assert.deepEqual(summary, [
      ['u1', 'user', null, ['text']],
      ['a1', 'assistant', 'claude-sonnet-4-5', ['thinking', 'text', 'tool_use']],
      ['t1', 'tool', null, ['tool_result']],
      ['a2', 'assistant', 'claude-sonnet-4-5', ['text']],
    ]);
    assert.equal(session.messages[1]?.blocks[2]?.content, 'Read\n{\n  "file_path": "/w/app/test/upload.test.ts"\n}');
    assert.equal(session.messages[2]?.blocks[0]?.content, 'await sleep(500);\nexpect(done).toBe(true);');
    assert.equal(session.messages[0]?.createdAt, '2026-06-01T09:00:00.000Z');
    assert.match(session.messages[0]?.location ?? '', /claude-code-session\.jsonl:2$/);
  });

  it('reads the ChatGPT export', async () => {
    const parsed = await parseExample('chatgpt-conversations.json');
    assert.equal(parsed.format, 'chatgpt');
    const session = parsed.sessions[0]!;
    assert.equal(session.id, 'conv-1');
    assert.equal(session.title, 'Atomic writes');
    const summary = session.messages.map((m) => [m.id, m.role, m.createdAt, m.agentId ?? null, m.content]);
    assert.deepEqual(summary, [
      ['n1', 'user', '2025-10-09T08:53:30.000Z', null, 'How do I write a file atomically in Node?'],
      ['n2', 'assistant', '2025-10-09T08:53:40.000Z', 'gpt-4o', 'Write to a temporary file in the same folder, fsync it, then rename it over the target.'],
      ['n3', 'user', '2025-10-09T08:53:50.000Z', null, 'Thanks!'],
    ]);
  });
});
