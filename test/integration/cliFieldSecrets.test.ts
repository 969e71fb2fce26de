import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { cliWorkspace, EXAMPLES, type CliWorkspace } from './cliHarness';

// Issue 11 item 4: a token in --title, --filename, --author, --tag, --meta,
// --session or --messages blocks the export whatever the destination (the
// local one here), and no store file, audit record or output holds it.

const chatMessages = join(EXAMPLES, 'chat-messages.jsonl');

/** Built at run time from pieces: no token-shaped literal in this file. */
function fakeToken(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  let body = '';
  for (let i = 0; i < 35; i++) body += alphabet.charAt((i * 17 + 5) % alphabet.length);
  return `${'gh'}${'p_'}${body}7`;
}

/** Every file under the store folder, as text. */
async function storeText(dir: string): Promise<string> {
  if (!existsSync(dir)) return '';
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(names.filter((n) => n.isFile()).map((n) => readFile(join(n.parentPath, n.name), 'utf8')));
  return texts.join('\n');
}

async function assertNowhere(ws: CliWorkspace, token: string, outputs: string[]): Promise<void> {
  for (const output of outputs) assert.ok(!output.includes(token), 'the output holds the token');
  assert.ok(!(await storeText(ws.store)).includes(token), 'a store file holds the token');
  assert.equal(existsSync(join(ws.dir, 'exports')), false, 'nothing is exported');
}

describe('CLI: secrets in the fields a user types (in-process)', function () {
  let ws: CliWorkspace;
  beforeEach(async () => {
    ws = await cliWorkspace();
  });
  afterEach(async () => {
    await ws.cleanup();
  });

  const token = fakeToken();
  const FIELD_CASES: [string, string[]][] = [
    ['--title', ['--title', `Deploy with ${token}`]],
    ['--filename', ['--filename', `${token}.md`]],
    ['--author', ['--author', token]],
    ['--tag', ['--tag', 'ops', '--tag', token]],
    ['--meta', ['--meta', `ticket=${token}`]],
    ['--title with --redact', ['--title', token, '--redact']],
  ];
  for (const [name, flags] of FIELD_CASES) {
    it(`blocks a token in ${name} for the local destination, and records the block without it`, async () => {
      const run = await ws.run(['export', chatMessages, ...flags, '--json']);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      const out = run.json<Record<string, any>>();
      assert.equal(out['status'], 'blocked');
      assert.equal(out['review'].reason, 'SECRET_IN_FIELD');
      assert.equal(out['error'].code, 'BIN_BLOCKED');
      const warning = out['review'].warnings.find((w: { code: string }) => w.code === 'SECRET_IN_FIELD');
      assert.match(warning.message, /secretlint-github/);
      await assertNowhere(ws, token, [run.stdout, run.stderr]);
      const store = await storeText(ws.store);
      assert.match(store, /"CreateExportJob\.block"/);
      assert.match(store, /"secret_detected"/);

      const text = await ws.run(['export', chatMessages, ...flags]);
      assert.equal(text.code, 3);
      await assertNowhere(ws, token, [text.stdout, text.stderr]);
      assert.match(text.stderr, /SECRET_IN_FIELD|possible secret/i);
    });
  }

  for (const [name, flags] of [
    ['--session', ['--session', token]],
    ['--messages', ['--messages', `msg_1,${token}`]],
  ] as [string, string[]][]) {
    it(`stops at a token in ${name} before reading anything, and says which field`, async () => {
      const run = await ws.run(['export', chatMessages, ...flags, '--json']);
      assert.notEqual(run.code, 0);
      const out = run.json<Record<string, any>>();
      assert.equal(out['error'].code, 'BIN_BLOCKED');
      assert.equal(out['error'].details.reason, 'SECRET_IN_FIELD');
      assert.match(out['error'].message, name === '--session' ? /session id/ : /message id 2/);
      await assertNowhere(ws, token, [run.stdout, run.stderr]);
      assert.match(await storeText(ws.store), /"secret_detected"/);
    });
  }

  it('redacts a secret in a title taken from the selection (not typed, so not a block), even without --redact', async () => {
    const source = join(ws.dir, 'titled.jsonl');
    const rows = [
      { id: 'm1', session_id: 's1', surface: 'reasoning', agent_id: null, role: 'user', content: `Why does ${token} fail?`, metadata: {}, created_at: '2026-01-01T00:00:00Z' },
      { id: 'm2', session_id: 's1', surface: 'reasoning', agent_id: null, role: 'assistant', content: 'It expired.', metadata: {}, created_at: '2026-01-01T00:01:00Z' },
    ];
    await writeFile(source, rows.map((r) => JSON.stringify(r)).join('\n'));
    const run = await ws.run(['export', source, '--messages', 'm1,m2', '--json']);
    assert.equal(run.code, 0, run.stdout);
    const out = run.json<Record<string, any>>();
    assert.equal(out['title'], 'Why does [REDACTED:secretlint-github] fail?');
    assert.equal(out['filename'], 'why-does-redacted-secretlint-github-fail.md');
    assert.ok(!(await storeText(ws.store)).includes(token), 'the job record holds only the redacted title');
  });
});

describe('CLI bundle: a token in --title (node dist/cli.js)', function () {
  let ws: CliWorkspace;
  before(function () {
    if (!existsSync(resolve(__dirname, '..', '..', 'dist', 'cli.js'))) {
      throw new Error('dist/cli.js is missing: run `node build.mjs` first (npm test does)');
    }
  });
  beforeEach(async () => {
    ws = await cliWorkspace();
  });
  afterEach(async () => {
    await ws.cleanup();
  });

  it('is blocked, and neither the --json output nor any store file holds it', async () => {
    const token = fakeToken();
    const cli = resolve(__dirname, '..', '..', 'dist', 'cli.js');
    const result = spawnSync(process.execPath, [cli, 'export', chatMessages, '--title', token, '--json'], {
      cwd: ws.dir,
      env: { ...process.env, DEVGUIDE_EXPORT_STORE: ws.store },
      encoding: 'utf8',
    });
    assert.equal(result.status, 3, result.stderr);
    assert.equal(JSON.parse(result.stdout).review.reason, 'SECRET_IN_FIELD');
    await assertNowhere(ws, token, [result.stdout, result.stderr]);
    const files = (await readdir(ws.store)).sort();
    assert.ok(files.includes('audit.jsonl') && files.includes('security.jsonl'), files.join(', '));
  });
});
