import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Issue 11 item 10 over real stdio: a framing error makes the built server
 * exit non-zero (so the client's restart policy applies) instead of hanging.
 */

const SERVER = resolve(__dirname, '..', '..', '..', 'dist', 'server.js');

function exitAfter(bytes: Buffer, timeoutMs = 10_000): Promise<{ code: number | null; stderr: string }> {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run "node build.mjs" first`);
  const store = mkdtempSync(join(tmpdir(), 'devguide-framing-'));
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, DEVGUIDE_EXPORT_STORE: store } });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.write(bytes);
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the server was still running ${timeoutMs} ms after invalid framing (stderr: ${stderr})`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      rmSync(store, { recursive: true, force: true });
      done({ code, stderr });
    });
  });
}

describe('language server over stdio: invalid framing ends the process', () => {
  for (const [name, bytes] of [
    ['Content-Length: abc', 'Content-Length: abc\r\n\r\n{}'],
    ['Content-Length: -5', 'Content-Length: -5\r\n\r\n{}'],
    ['no header', '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}'],
    ['a length too small', 'Content-Length: 10\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}'],
  ] as const) {
    it(`exits non-zero on ${name}, saying why on stderr`, async () => {
      const { code, stderr } = await exitAfter(Buffer.from(bytes));
      assert.notEqual(code, 0);
      assert.notEqual(code, null);
      assert.match(stderr, /invalid LSP framing/);
    });
  }
});
