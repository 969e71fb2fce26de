import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { cliWorkspace, type CliWorkspace } from './cliHarness';

const EXAMPLES = resolve(__dirname, '..', '..', 'examples');

/** Issue 10 item 1: a selection of lines maps to the messages whose JSON (or lines) span them, in every format. */
describe('CLI --lines: the messages under lines of a transcript', () => {
  let ws: CliWorkspace;
  beforeEach(async () => {
    ws = await cliWorkspace();
  });
  afterEach(async () => {
    await ws.cleanup();
  });

  const selected = async (file: string, lines: string) => {
    const run = await ws.run(['preview', file, '--lines', lines, '--json']);
    const out = run.json<Record<string, any>>();
    return { code: run.code, out, count: out['statistics']?.message_count as number | undefined, title: out['metadata']?.title as string | undefined };
  };

  it('VS Code Chat export: the lines of one request\'s message, or of its response', async () => {
    const file = join(EXAMPLES, 'vscode-chat-export.json');
    const question = await selected(file, '7');
    assert.equal(question.count, 1);
    assert.equal(question.title, 'How do I debounce diagnostics in a language server?');
    const answer = await selected(file, '12-13');
    assert.equal(answer.count, 1);
    assert.doesNotMatch(answer.out['content'], /"requestId"|"kind":/, 'never the raw JSON');
    const both = await selected(file, '7,12');
    assert.equal(both.count, 2);
  });

  it('ChatGPT conversations.json: a node of the branch the user saw; a node of an abandoned branch is no message', async () => {
    const conversation = [
      {
        id: 'conv-b',
        title: 'Branches',
        current_node: 'kept',
        mapping: {
          root: { id: 'root', parent: null, children: ['q'], message: null },
          q: { id: 'q', parent: 'root', children: ['kept', 'left'], message: { id: 'q', author: { role: 'user' }, content: { content_type: 'text', parts: ['Which way?'] }, create_time: 1760000010 } },
          kept: { id: 'kept', parent: 'q', children: [], message: { id: 'kept', author: { role: 'assistant' }, content: { content_type: 'text', parts: ['This way.'] }, create_time: 1760000020 } },
          left: { id: 'left', parent: 'q', children: [], message: { id: 'left', author: { role: 'assistant' }, content: { content_type: 'text', parts: ['The abandoned way.'] }, create_time: 1760000015 } },
        },
      },
    ];
    const text = JSON.stringify(conversation, null, 2);
    const file = join(ws.dir, 'conversations.json');
    await writeFile(file, text);
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const kept = await selected(file, `${lineOf('This way.')}`);
    assert.equal(kept.count, 1);
    assert.match(kept.out['content'], /This way\./);
    const left = await selected(file, `${lineOf('The abandoned way.')}`);
    assert.equal(left.code, 2);
    assert.equal(left.out['error'].code, 'EMPTY_SELECTION');
    assert.equal((await selected(join(EXAMPLES, 'chatgpt-conversations.json'), '10-11')).count, 2);
  });

  it('Claude Code session and chat_messages rows: the records on the lines', async () => {
    assert.equal((await selected(join(EXAMPLES, 'claude-code-session.jsonl'), '2')).count, 1);
    assert.equal((await selected(join(EXAMPLES, 'claude-code-session.jsonl'), '2-3')).count, 2);
    assert.equal((await selected(join(EXAMPLES, 'chat-messages.jsonl'), '2')).count, 1);
  });

  it('refuses malformed ranges as a usage error', async () => {
    for (const bad of ['0', '5-2', 'a-b', ',']) {
      const run = await ws.run(['preview', join(EXAMPLES, 'chat-messages.jsonl'), '--lines', bad]);
      assert.equal(run.code, 2, bad);
    }
  });
});
