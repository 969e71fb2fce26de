import assert from 'node:assert/strict';
import { parseTranscript } from '../../../server/src/sources';
import { expectExportError } from './expectExportError';

interface NodeSpec {
  id: string;
  parent: string | null;
  children: string[];
  role?: string;
  parts?: unknown[];
  content?: Record<string, unknown>;
  time?: number | null;
  metadata?: Record<string, unknown>;
  recipient?: string;
}

function conversation(id: string, current: string | null, nodes: NodeSpec[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const mapping: Record<string, unknown> = {};
  for (const n of nodes) {
    mapping[n.id] = {
      id: n.id,
      parent: n.parent,
      children: n.children,
      message:
        n.role === undefined
          ? null
          : {
              id: n.id,
              author: { role: n.role, metadata: {} },
              content: n.content ?? { content_type: 'text', parts: n.parts ?? [] },
              create_time: n.time === undefined ? 1760000000 : n.time,
              metadata: n.metadata ?? {},
              ...(n.recipient === undefined ? {} : { recipient: n.recipient }),
            },
    };
  }
  return { id, title: `Title ${id}`, create_time: 1760000000, current_node: current, mapping, ...extra };
}

describe('sources: ChatGPT conversations.json', () => {
  // root → sys (hidden) → u1 → a1 (first answer) ; u1 → a1b (regenerated, current) → u2
  const regenerated = conversation('c1', 'u2', [
    { id: 'root', parent: null, children: ['sys'] },
    { id: 'sys', parent: 'root', children: ['u1'], role: 'system', parts: ['You are ChatGPT'], time: null, metadata: { is_visually_hidden_from_conversation: true } },
    { id: 'u1', parent: 'sys', children: ['a1', 'a1b'], role: 'user', parts: ['Question'], time: 1760000010.25 },
    { id: 'a1', parent: 'u1', children: [], role: 'assistant', parts: ['First answer'], time: 1760000020 },
    { id: 'a1b', parent: 'u1', children: ['u2'], role: 'assistant', parts: ['Regenerated answer'], time: 1760000030, metadata: { model_slug: 'gpt-4o' } },
    { id: 'u2', parent: 'a1b', children: [], role: 'user', parts: ['Follow-up', { content_type: 'image_asset_pointer', asset_pointer: 'file-service://x' }, { content_type: 'unknown_thing' }], time: 1760000040 },
  ]);

  it('keeps only the branch leading to current_node and skips hidden system messages', () => {
    const session = parseTranscript(JSON.stringify([regenerated]), 'c.json').sessions[0]!;
    assert.equal(session.id, 'c1');
    assert.equal(session.title, 'Title c1');
    assert.deepEqual(
      session.messages.map((m) => [m.id, m.role, m.content, m.createdAt]),
      [
        ['u1', 'user', 'Question', '2025-10-09T08:53:30.250Z'],
        ['a1b', 'assistant', 'Regenerated answer', '2025-10-09T08:53:50.000Z'],
        ['u2', 'user', 'Follow-up\n[image]', '2025-10-09T08:54:00.000Z'],
      ],
    );
    assert.equal(session.messages[1]?.agentId, 'gpt-4o');
    assert.equal(session.messages[0]?.location, 'c.json#/0/mapping/u1');
  });

  it('reads several conversations, a single conversation object, and conversation_id', () => {
    const second = conversation('c2', 'x1', [
      { id: 'r', parent: null, children: ['x1'] },
      { id: 'x1', parent: 'r', children: [], role: 'user', parts: ['Hello there'] },
    ], { conversation_id: 'conv-two', title: null });
    const parsed = parseTranscript(JSON.stringify([regenerated, second]), 'c.json');
    assert.deepEqual(parsed.sessions.map((s) => [s.id, s.title]), [['c1', 'Title c1'], ['conv-two', 'Hello there']]);
    const single = parseTranscript(JSON.stringify(second), 'one.json');
    assert.equal(single.format, 'chatgpt');
    assert.equal(single.sessions[0]?.id, 'conv-two');
  });

  it('maps content types: thoughts, code to a tool, execution output, reasoning recap, empty messages', () => {
    const conv = conversation('c3', 'e', [
      { id: 'r', parent: null, children: ['u'] },
      { id: 'u', parent: 'r', children: ['t'], role: 'user', parts: ['Plot it'] },
      { id: 't', parent: 'u', children: ['rr'], role: 'assistant', content: { content_type: 'thoughts', thoughts: [{ summary: 'S', content: 'Think hard' }] } },
      { id: 'rr', parent: 't', children: ['c'], role: 'assistant', content: { content_type: 'reasoning_recap', content: 'Thought for 3s' } },
      { id: 'c', parent: 'rr', children: ['o'], role: 'assistant', recipient: 'python', content: { content_type: 'code', language: 'python', text: 'print(1)' } },
      { id: 'o', parent: 'c', children: ['empty'], role: 'tool', content: { content_type: 'execution_output', text: '1' } },
      { id: 'empty', parent: 'o', children: ['e'], role: 'assistant', parts: [''] },
      { id: 'e', parent: 'empty', children: [], role: 'assistant', parts: ['Done'] },
    ]);
    const messages = parseTranscript(JSON.stringify([conv]), 'c.json').sessions[0]!.messages;
    assert.deepEqual(
      messages.map((m) => [m.id, m.role, m.blocks.map((b) => b.kind)]),
      [
        ['u', 'user', ['text']],
        ['t', 'assistant', ['thinking']],
        ['c', 'assistant', ['tool_use']],
        ['o', 'tool', ['tool_result']],
        ['e', 'assistant', ['text']],
      ],
    );
  });

  it('falls back to the latest leaf without current_node, and refuses an unknown current_node', () => {
    const nodes: NodeSpec[] = [
      { id: 'r', parent: null, children: ['u'] },
      { id: 'u', parent: 'r', children: ['a', 'b'], role: 'user', parts: ['Q'], time: 1 },
      { id: 'a', parent: 'u', children: [], role: 'assistant', parts: ['old'], time: 2 },
      { id: 'b', parent: 'u', children: [], role: 'assistant', parts: ['new'], time: 3 },
    ];
    const fallback = parseTranscript(JSON.stringify([conversation('c', null, nodes)]), 'c.json');
    assert.deepEqual(fallback.sessions[0]?.messages.map((m) => m.content), ['Q', 'new']);
    expectExportError(() => parseTranscript(JSON.stringify([conversation('c', 'zz', nodes)]), 'c.json'), 'INVALID_INPUT', 'current_node "zz"');
  });

  it('names the field of an invalid conversation', () => {
    const bad = conversation('c', 'u', [{ id: 'u', parent: null, children: [], role: 'user', parts: ['Q'] }]);
    (bad['mapping'] as Record<string, { message: { author: unknown } }>)['u']!.message.author = { name: 'x' };
    expectExportError(() => parseTranscript(JSON.stringify([bad]), 'c.json'), 'INVALID_INPUT', 'field "[0].mapping.u.message.author.role"');
  });
});
