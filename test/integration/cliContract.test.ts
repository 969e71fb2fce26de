import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { cliWorkspace, EXAMPLES, type CliWorkspace } from './cliHarness';

/** Issue 11 items 12–14 and 16: what scripts and terminals get from the CLI. */

const CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');
const chatMessages = join(EXAMPLES, 'chat-messages.jsonl');

describe('CLI contract: --json errors, exit codes, terminal-safe text, closed pipes', () => {
  let ws: CliWorkspace;
  beforeEach(async () => {
    ws = await cliWorkspace();
  });
  afterEach(() => ws.cleanup());

  for (const args of [
    ['export', chatMessages, '--no-such-flag', '--json'],
    ['export', chatMessages, '--filename', '', '--json'],
    ['jobs', 'list', '--limit', 'many', '--json'],
  ]) {
    it(`a usage error with --json is a JSON error on stdout, exit 2: ${args.slice(2).join(' ')}`, async () => {
      const run = await ws.run(args);
      assert.equal(run.code, 2);
      assert.equal(run.stderr, '', 'nothing in plain text');
      const { error } = run.json<{ error: { code: string; message: string; recoverable: boolean } }>();
      assert.equal(error.code, 'INVALID_INPUT');
      assert.equal(error.recoverable, false);
      assert.ok(error.message.length > 0);
    });
  }

  it('exit 3 for every export the review does not let through; 2 only when the command cannot start', async () => {
    await writeFile(join(ws.dir, 'cfg.json'), JSON.stringify({ limits: { maxContentLength: 200 } }));
    assert.equal((await ws.run(['export', chatMessages, '--config', 'cfg.json', '--json'])).code, 3, 'over a limit');
    assert.equal((await ws.run(['preview', chatMessages, '--config', 'cfg.json', '--json'])).code, 3, 'a preview that would be blocked');
    assert.equal((await ws.run(['export', join(ws.dir, 'missing.jsonl')])).code, 2, 'no such file');
    assert.equal(existsSync(join(ws.dir, 'exports')), false);
  });

  it('control characters of a title never reach the terminal as text (ANSI colour, OSC 8 link, bell)', async () => {
    const title = 'Red \u001b[31malert\u001b[0m and \u001b]8;;https://evil.example\u0007a link\u001b]8;;\u0007 \u009b2J';
    const run = await ws.run(['export', chatMessages, '--title', title]);
    assert.equal(run.code, 0, run.stderr);
    for (const text of [run.stdout, run.stderr]) assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    const json = await ws.run(['jobs', 'list', '--json']);
    assert.match(json.stdout, /\\u001b\[31m/, 'JSON keeps the value, escaped');
  });

  it('a reader that closes the pipe early (| head -c 300) ends the CLI quietly, without a stack trace', async function () {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `node build.mjs` first');
    const big = join(ws.dir, 'big.jsonl');
    const rows = Array.from({ length: 4000 }, (_, i) =>
      JSON.stringify({ id: `m${i}`, session_id: `s${i % 400}`, surface: 'reasoning', agent_id: null, role: 'user', content: `message ${i}`, metadata: {}, created_at: '2026-01-01T00:00:00Z' }),
    );
    await writeFile(big, rows.join('\n'));
    const child = spawn(process.execPath, [CLI, 'sessions', big, '--json'], { cwd: ws.dir, env: { ...process.env, DEVGUIDE_EXPORT_STORE: ws.store } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    assert.doesNotMatch(stderr, /EPIPE|\n\s+at /, stderr);
    assert.notEqual(code, null, 'it exited by itself');
  });
});
