import assert from 'node:assert/strict';
import type { Block } from '../../../server/src/model';
import { showBlock, DEFAULT_TOOL_OUTPUT } from '../../../server/src/pipeline/toolOutput';

const block = (kind: Block['kind'], content: string): Block => ({
  id: 'b',
  kind,
  content,
  messageId: 'm',
  role: 'tool',
  timestamp: '2026-01-01T00:00:00.000Z',
  surface: 'outputs',
});

describe('pipeline: tool output in the readable text (issue 10 item 9)', () => {
  const result = block('tool_result', Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n'));

  it('summary: a result is its first lines and how many more', () => {
    const shown = showBlock(result, DEFAULT_TOOL_OUTPUT);
    assert.equal(shown.text, `${Array.from({ length: 8 }, (_, i) => `line ${i + 1}`).join('\n')}\n… 22 more lines`);
    assert.equal(shown.omittedLines, 21, '30 lines became 9');
  });

  it('summary: a call is its name and its input on one line, cut', () => {
    const input = JSON.stringify({ file_path: '/w/app/x.ts', content: 'y'.repeat(500) }, null, 2);
    const shown = showBlock(block('tool_use', `Write\n${input}`), DEFAULT_TOOL_OUTPUT);
    assert.ok(shown.text?.startsWith('Write { "file_path": "/w/app/x.ts", "content": "yyy'), shown.text);
    assert.ok((shown.text?.length ?? 0) <= 'Write '.length + 200);
    assert.ok(shown.text?.endsWith('…'));
    assert.equal(showBlock(block('tool_use', 'Bash'), DEFAULT_TOOL_OUTPUT).text, 'Bash', 'a call without input is its name');
  });

  it('full keeps everything; none leaves tool blocks out; other blocks are never touched', () => {
    assert.equal(showBlock(result, { ...DEFAULT_TOOL_OUTPUT, mode: 'full' }).text, result.content);
    assert.equal(showBlock(result, { ...DEFAULT_TOOL_OUTPUT, mode: 'none' }).text, undefined);
    const prose = block('text', result.content);
    assert.equal(showBlock(prose, { ...DEFAULT_TOOL_OUTPUT, mode: 'none' }).text, prose.content);
    assert.equal(showBlock(prose, DEFAULT_TOOL_OUTPUT).text, prose.content);
  });
});
