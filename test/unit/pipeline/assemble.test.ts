import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import type { ChatMessage, ParsedTranscript } from '../../../server/src/model';
import { assemble, fenced } from '../../../server/src/pipeline/assemble';
import { editorSelectionToMessages, parseTranscript } from '../../../server/src/sources';
import { type BlockDraft, withBlockProvenance } from '../../../server/src/sources/provenance';
import { expectExportError } from '../sources/expectExportError';

function message(id: string, fields: Partial<Omit<ChatMessage, 'blocks'>> & { blocks?: BlockDraft[] } = {}): ChatMessage {
  return withBlockProvenance({
    id,
    sessionId: 's1',
    surface: 'reasoning',
    role: 'user',
    content: `content ${id}`,
    blocks: [{ id: `${id}#0`, kind: 'text', content: `content ${id}` }],
    createdAt: '2026-01-02T15:29:00.000Z',
    ...fields,
  });
}

const twoSessions: ParsedTranscript = {
  format: 'chat_messages',
  sessions: [
    { id: 's1', title: 'First', messages: [message('m1'), message('m2', { createdAt: '2026-01-02T15:30:00.000Z' })] },
    { id: 's2', messages: [message('x1', { sessionId: 's2' })] },
  ],
};

describe('pipeline: assemble', () => {
  it('renders the example transcript as Markdown with provenance and stats', () => {
    const text = [
      '{"id":"msg_1","session_id":"sess_demo","surface":"reasoning","agent_id":null,"role":"user","content":"Plan the export rollback for GitHub.","metadata":{},"created_at":"2026-01-02T15:29:00Z"}',
      '{"id":"msg_2","session_id":"sess_demo","surface":"outputs","agent_id":"planner","role":"assistant","content":"","metadata":{"blocks":[{"id":"b1","content":"Revert with a new commit."},{"id":"b2","kind":"code","content":"git revert HEAD"},{"id":"b3","kind":"thinking","content":"Check branch.\\n\\nThen PR."}]},"created_at":"2026-01-02T15:30:00Z"}',
    ].join('\n');
    const parsed = parseTranscript(text, 'demo.jsonl');
    const out = assemble(parsed, 'demo.jsonl', {});
    assert.equal(
      out.text,
      [
        '### User — 2026-01-02 15:29 UTC',
        '',
        'Plan the export rollback for GitHub.',
        '',
        '### Assistant — 2026-01-02 15:30 UTC · planner',
        '',
        'Revert with a new commit.',
        '',
        '```\ngit revert HEAD\n```',
        '',
        '> Thinking: Check branch.\n>\n> Then PR.',
      ].join('\n'),
    );
    assert.deepEqual(out.source, { path: 'demo.jsonl', format: 'chat_messages' });
    assert.equal(out.sessionId, 'sess_demo');
    assert.equal(out.sessionTitle, 'Plan the export rollback for GitHub.');
    assert.deepEqual(out.surfaces, ['reasoning', 'outputs']);
    assert.deepEqual(out.stats, { messageCount: 2, blockCount: 4, charCount: out.text.length, tokenCount: Math.ceil(out.text.length / 4) });
    assert.equal(out.messages[1]?.location, 'demo.jsonl:2');
    assert.equal(out.messages[1]?.agentId, 'planner');
  });

  it('fences tool calls and results with a label, in full when asked', () => {
    const parsed: ParsedTranscript = {
      format: 'claude_code',
      sessions: [
        {
          id: 's1',
          messages: [
            message('a', { role: 'assistant', blocks: [{ id: 'a#0', kind: 'tool_use', content: 'Read\n{"file": "x"}' }] }),
            message('t', { role: 'tool', blocks: [{ id: 't#0', kind: 'tool_result', content: 'file body\n' }] }),
          ],
        },
      ],
    };
    assert.equal(
      assemble(parsed, 's.jsonl', { toolOutput: { mode: 'full', maxLines: 8, maxInputChars: 200 } }).text,
      '### Assistant — 2026-01-02 15:29 UTC\n\n**Tool call**\n\n```\nRead\n{"file": "x"}\n```\n\n### Tool — 2026-01-02 15:29 UTC\n\n**Tool result**\n\n```\nfile body\n```',
    );
    assert.match(assemble(parsed, 's.jsonl', {}).text, /\*\*Tool call\*\* \(summary\)\n\n```\nRead \{"file": "x"\}\n```/, 'by default a call is summarised on one line');
  });

  it('picks the only session, or requires a choice among several', () => {
    const single: ParsedTranscript = { format: 'chat_messages', sessions: [twoSessions.sessions[0]!] };
    assert.equal(assemble(single, 'f', {}).sessionId, 's1');
    const error = expectExportError(() => assemble(twoSessions, 'f', {}), 'INVALID_INPUT', 'holds 2 sessions; choose one: s1 ("First"), s2');
    assert.deepEqual(error.details, { sessions: [{ id: 's1', title: 'First' }, { id: 's2', title: null }] });
    assert.equal(assemble(twoSessions, 'f', { sessionId: 's2' }).messages[0]?.id, 'x1');
    const missing = expectExportError(() => assemble(twoSessions, 'f', { sessionId: 'nope' }), 'SESSION_NOT_FOUND', 'nope');
    assert.equal(missing.details?.['sessionId'], 'nope');
    expectExportError(() => assemble({ format: 'claude_code', sessions: [] }, 'f', {}), 'EMPTY_SELECTION');
  });

  it('selects messages in time order, whatever the order of the ids', () => {
    const out = assemble(twoSessions, 'f', { sessionId: 's1', messageIds: ['m2', 'm1'] });
    assert.deepEqual(out.messages.map((m) => m.id), ['m1', 'm2']);
    assert.equal(assemble(twoSessions, 'f', { sessionId: 's1', messageIds: ['m2'] }).stats.messageCount, 1);
    const error = expectExportError(() => assemble(twoSessions, 'f', { sessionId: 's1', messageIds: ['m1', 'zz', 'x1'] }), 'MESSAGE_NOT_FOUND', 'zz, x1');
    assert.deepEqual(error.details, { sessionId: 's1', messageIds: ['zz', 'x1'] });
  });

  it('sorts messages that arrive out of order (e.g. from another source)', () => {
    const parsed: ParsedTranscript = {
      format: 'sql',
      sessions: [{ id: 's1', messages: [message('late', { createdAt: '2026-01-02T16:00:00.000Z' }), message('early')] }],
    };
    assert.deepEqual(assemble(parsed, 'db', {}).messages.map((m) => m.id), ['early', 'late']);
  });

  it('selects blocks, recomputes content, and drops messages left without blocks', () => {
    const parsed: ParsedTranscript = {
      format: 'chat_messages',
      sessions: [
        {
          id: 's1',
          messages: [
            message('m1'),
            message('m2', {
              content: 'a\n\nb',
              blocks: [
                { id: 'b1', kind: 'text', content: 'a' },
                { id: 'b2', kind: 'text', content: 'b' },
              ],
            }),
          ],
        },
      ],
    };
    const out = assemble(parsed, 'f', { blockIds: ['b2'] });
    assert.deepEqual(out.messages.map((m) => [m.id, m.content, m.blocks.map((b) => b.id)]), [['m2', 'b', ['b2']]]);
    assert.equal(out.stats.blockCount, 1);
    const error = expectExportError(() => assemble(parsed, 'f', { messageIds: ['m1'], blockIds: ['b2', 'ghost'] }), 'MESSAGE_NOT_FOUND', 'Block(s)');
    assert.deepEqual(error.details, { sessionId: 's1', blockIds: ['b2', 'ghost'] });
  });

  it('reports an empty selection', () => {
    const blank: ParsedTranscript = {
      format: 'chat_messages',
      sessions: [{ id: 's1', messages: [message('m1', { content: ' ', blocks: [{ id: 'b', kind: 'text', content: ' \n\t' }] })] }],
    };
    expectExportError(() => assemble(blank, 'f', {}), 'EMPTY_SELECTION');
    expectExportError(() => assemble(blank, 'f', { blockIds: ['b'] }), 'EMPTY_SELECTION');
    expectExportError(() => assemble({ format: 'chatgpt', sessions: [{ id: 'e', messages: [] }] }, 'f', {}), 'EMPTY_SELECTION');
  });

  it('gives a message without blocks its content as one text block', () => {
    const parsed: ParsedTranscript = { format: 'sql', sessions: [{ id: 's1', messages: [message('m1', { content: 'plain', blocks: [] })] }] };
    assert.deepEqual(assemble(parsed, 'db', {}).messages[0]?.blocks, [
      { id: 'm1#0', kind: 'text', content: 'plain', messageId: 'm1', role: 'user', timestamp: '2026-01-02T15:29:00.000Z', surface: 'reasoning' },
    ]);
  });

  it('fences editor code with the language of the file', () => {
    const parsed = editorSelectionToMessages({ path: '/w/a.py', ranges: [{ startLine: 1, endLine: 1, text: 'print("```")' }], now: new Date('2026-01-01T00:00:00Z') });
    const out = assemble(parsed, '/w/a.py', {});
    assert.equal(out.text, '### Selection from a.py, line 1\n\n````python\nprint("```")\n````', 'an editor selection has no invented role or time (issue 10 item 17)');
    assert.deepEqual(out.surfaces, ['editor']);
  });

  it('makes fences longer than any backtick run inside', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('`', '`', 'a', '\n', ' ', '~') }), (content) => {
        const block = fenced(content, '');
        const fence = /^`+/.exec(block)?.[0] ?? '';
        assert.ok(fence.length >= 3);
        // No line of the content can close the fence: no run of backticks as long as the fence.
        assert.ok(!content.includes(fence), `content contains the fence ${fence}`);
        assert.ok(block.endsWith(`\n${fence}`));
      }),
      { numRuns: 300 },
    );
  });

  it('assembles 5,000 messages / ~1 MB quickly', () => {
    const messages: ChatMessage[] = [];
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 5000; i++) {
      const body = `Message ${i} ${'lorem ipsum '.repeat(16)}`;
      messages.push(
        message(`m${i}`, {
          role: i % 2 === 0 ? 'user' : 'assistant',
          createdAt: new Date(base + i * 1000).toISOString(),
          content: body,
          blocks: [
            { id: `m${i}#0`, kind: 'text', content: body },
            { id: `m${i}#1`, kind: i % 3 === 0 ? 'code' : 'thinking', content: 'x = `y` ```z```' },
          ],
        }),
      );
    }
    const parsed: ParsedTranscript = { format: 'chat_messages', sessions: [{ id: 's1', messages }] };
    const ids = messages.filter((_, i) => i % 2 === 0).map((m) => m.id);
    assemble(parsed, 'f', {}); // warm-up
    const times: number[] = [];
    let out = assemble(parsed, 'f', {});
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      out = assemble(parsed, 'f', { messageIds: ids });
      times.push(performance.now() - start);
    }
    const all = assemble(parsed, 'f', {});
    assert.ok(all.stats.charCount > 1_000_000, `~1 MB of text (${all.stats.charCount})`);
    assert.equal(out.stats.messageCount, 2500);
    const best = Math.min(...times);
    // Linear work is a few ms; a generous bound keeps slow CI machines green while catching quadratic work.
    assert.ok(best < 100, `best of 5 runs took ${best.toFixed(1)} ms`);
  });
});
