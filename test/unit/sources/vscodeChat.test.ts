import assert from 'node:assert/strict';
import { parseTranscript } from '../../../server/src/sources';
import { expectExportError } from './expectExportError';

describe('sources: VS Code chat export', () => {
  it('uses sessionId and customTitle when present, and keeps part order', () => {
    const text = JSON.stringify({
      sessionId: 'abc',
      customTitle: 'My chat',
      requests: [
        {
          requestId: 'r1',
          message: { text: 'Edit it' },
          timestamp: 1764000000000,
          agent: { id: 'github.copilot.editsAgent' },
          response: [
            { value: 'First ' },
            { value: 'chunk.' },
            { kind: 'toolInvocationSerialized', toolId: 'copilot_applyPatch', invocationMessage: 'Applying patch' },
            { kind: 'textEditGroup', uri: { $mid: 1, path: '/w/src/a.ts', scheme: 'file' }, edits: [] },
            { kind: 'codeblockUri', uri: { path: '/w/src/a.ts' } },
            { kind: 'thinking', value: ['Check ', 'tests'] },
            { kind: 'thinking', value: '' },
            { kind: 'markdownContent', content: { value: 'Done.' } },
            { kind: 'toolInvocationSerialized', toolId: 'copilot_runTests' },
          ],
        },
        { requestId: 'r2', message: { text: '', parts: [{ text: 'From ' }, { text: 'parts' }] }, response: [] },
      ],
    });
    const parsed = parseTranscript(text, 'chat.json');
    const session = parsed.sessions[0]!;
    assert.equal(session.id, 'abc');
    assert.equal(session.title, 'My chat');
    const reply = session.messages[1]!;
    assert.equal(reply.agentId, 'github.copilot.editsAgent');
    assert.deepEqual(
      reply.blocks.map((b) => [b.kind, b.content]),
      [
        ['text', 'First chunk.'],
        ['tool_use', 'Applying patch'],
        ['text', 'Edited `a.ts`'],
        ['thinking', 'Check tests'],
        ['text', 'Done.'],
        ['tool_use', 'copilot_runTests'],
      ],
    );
    // The second request has no timestamp (older export): it inherits the last time and keeps its place; no empty reply.
    assert.deepEqual(
      session.messages.map((m) => [m.id, m.createdAt]),
      [
        ['r1', '2025-11-24T16:00:00.000Z'],
        ['r1:response', '2025-11-24T16:00:00.001Z'],
        ['r2', '2025-11-24T16:00:00.001Z'],
      ],
    );
    assert.equal(session.messages[2]?.content, 'From parts');
  });

  it('names the request and field of an invalid request', () => {
    const text = JSON.stringify({ requests: [{ requestId: 'r1', message: { text: 'ok' }, timestamp: 1 }, { requestId: 'r2', message: { text: 'x' }, timestamp: 'soon' }] });
    expectExportError(() => parseTranscript(text, 'chat.json'), 'INVALID_INPUT', 'chat.json: field "requests[1].timestamp"');
  });
});
