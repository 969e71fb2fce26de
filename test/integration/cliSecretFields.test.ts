import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cliWorkspace, EXAMPLES, type CliWorkspace } from './cliHarness';

/**
 * Issue 11 item 4: a token typed into a field (file name, title, tag, …)
 * blocks the export everywhere, local too, and is in no file name, no store
 * record (jobs, audit, security) and no output, with or without --redact.
 */

// Built at run time so this file holds no token-shaped literal.
const token = () => 'ghp_' + 'Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1Ji0Hg9Fe8Dc7'.slice(0, 36);
const chatMessages = join(EXAMPLES, 'chat-messages.jsonl');

async function everyFileUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('CLI: secrets in user-supplied fields (issue 11 item 4)', () => {
  let ws: CliWorkspace;
  beforeEach(async () => {
    ws = await cliWorkspace();
  });
  afterEach(() => ws.cleanup());

  const cases: Array<[string, (secret: string) => string[]]> = [
    ['--filename', (s) => ['--filename', `notes-${s}.md`]],
    ['--title', (s) => ['--title', `Rotate ${s} today`]],
    ['--tag', (s) => ['--tag', s]],
    ['--meta', (s) => ['--meta', `ticket=${s}`]],
  ];
  for (const [flag, args] of cases) {
    for (const redact of [false, true]) {
      it(`${flag}${redact ? ' with --redact' : ''}: blocked (exit 3) for a local export, and the token is nowhere`, async () => {
        const secret = token();
        const run = await ws.run(['export', chatMessages, ...args(secret), '--json', ...(redact ? ['--redact'] : [])]);
        assert.equal(run.code, 3, run.stdout);
        const out = run.json<{ review: { blocked: boolean; reason: string; reason_message: string } }>();
        assert.equal(out.review.blocked, true);
        assert.equal(out.review.reason, 'SECRET_IN_FIELD');
        assert.match(out.review.reason_message, /possible secret in/i);
        assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), 'not in the output');
        assert.equal(existsSync(join(ws.dir, 'exports')), false, 'nothing written');
        for (const file of await everyFileUnder(ws.store)) assert.ok(!(await readFile(file, 'utf8')).includes(secret), `${file} holds the token`);
      });
    }
  }

  it('text output never repeats a token either', async () => {
    const secret = token();
    const run = await ws.run(['export', chatMessages, '--title', `Rotate ${secret}`]);
    assert.equal(run.code, 3);
    assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), run.stderr);
    assert.match(run.stderr, /SECRET_IN_FIELD/);
  });
});
