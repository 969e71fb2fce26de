import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cliWorkspace, type CliWorkspace } from './cliHarness';

/** A Claude Code session as real ones are: thousands of records, tool results of a few KB each. */
function claudeCodeSession(records: number): string {
  const lines: string[] = [];
  let parent: string | null = null;
  const at = (n: number) => new Date(Date.UTC(2026, 5, 1, 9, 0, 0) + n * 1000).toISOString();
  const fileDump = Array.from({ length: 120 }, (_, i) => `  const value${i} = compute(${i}); // a line of a file the tool read`).join('\n');
  for (let n = 0; n < records; n += 3) {
    const ids = [`u${n}`, `a${n}`, `t${n}`];
    lines.push(JSON.stringify({ parentUuid: parent, isSidechain: false, type: 'user', message: { role: 'user', content: `Step ${n}: look at file ${n}.` }, uuid: ids[0], timestamp: at(n), sessionId: 'big' }));
    lines.push(
      JSON.stringify({
        parentUuid: ids[0],
        isSidechain: false,
        type: 'assistant',
        message: { role: 'assistant', content: [{ type: 'text', text: `Reading file ${n}.` }, { type: 'tool_use', id: `tool${n}`, name: 'Read', input: { file_path: `/w/app/src/file${n}.ts` } }] },
        uuid: ids[1],
        timestamp: at(n + 1),
        sessionId: 'big',
      }),
    );
    lines.push(
      JSON.stringify({ parentUuid: ids[1], isSidechain: false, type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `tool${n}`, content: fileDump }] }, uuid: ids[2], timestamp: at(n + 2), sessionId: 'big' }),
    );
    parent = ids[2] ?? null;
  }
  return `${lines.join('\n')}\n`;
}

describe('CLI: a whole real-size Claude Code session exports (issue 10 item 9)', function () {
  this.timeout(120_000);
  let ws: CliWorkspace;
  let file: string;
  before(async () => {
    ws = await cliWorkspace();
    file = join(ws.dir, 'session.jsonl');
    const text = claudeCodeSession(3_000);
    assert.ok(text.length > 7_000_000, `${text.length} characters`);
    await writeFile(file, text);
  });
  after(async () => {
    await ws.cleanup();
  });

  it('summarises tool output by default and stays within the limit; says how much it summarised', async () => {
    const run = await ws.run(['export', file, '--json']);
    assert.equal(run.code, 0, run.stdout.slice(0, 2000));
    const out = run.json<Record<string, any>>();
    assert.equal(out['status'], 'completed');
    const tool = out['statistics'].tool_output;
    assert.equal(tool.mode, 'summary');
    assert.equal(tool.summarized_blocks, 2_000, 'every tool call and result was shortened');
    assert.ok(tool.omitted_lines > 100_000, JSON.stringify(tool));
    assert.ok(out['statistics'].char_count < 1_000_000, `${out['statistics'].char_count} characters`);
  });

  it('--tool-output full is the whole dump (over the limit: blocked), none leaves tools out', async () => {
    const full = await ws.run(['preview', file, '--tool-output', 'full', '--json']);
    assert.equal(full.json<Record<string, any>>()['validation'].errors[0]?.code, 'CONTENT_TOO_LARGE');
    const none = (await ws.run(['preview', file, '--tool-output', 'none', '--json'])).json<Record<string, any>>();
    assert.equal(none['statistics'].tool_output.omitted_blocks, 2_000);
    assert.doesNotMatch(none['content'], /Tool result/);
  });
});
