import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Issue 11 item 1, as it was found: twenty CLI processes export different
 * content to one file name at once. Each review says what it saw (no file,
 * or one version); a write that no longer matches ends in CONFLICT. So no
 * review's CREATE ever replaces a file, and every completed job's content
 * is the file on disk or kept in the data folder for its rollback — nothing
 * is lost. Needs the bundle (`node build.mjs`).
 */

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const TRANSCRIPT = join(ROOT, 'examples', 'chat-messages.jsonl');
const PROCESSES = 20;

interface JobLine {
  job_id: string;
  status: string;
  action?: string;
  content_hash: string;
  error_code?: string;
}

function runCli(args: string[], cwd: string, store: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, DEVGUIDE_EXPORT_STORE: store, DEVGUIDE_ACTOR: 'tester' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('CLI: parallel exports to one file name (issue 11 item 1)', function () {
  this.timeout(120_000);
  let dir: string;

  before(async function () {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `node build.mjs` first');
    dir = await mkdtemp(join(tmpdir(), 'devguide-concurrent-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function race(store: string, out: string, round: string): Promise<void> {
    const runs = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) =>
        runCli(['export', TRANSCRIPT, '--filename', 'same.md', '--out', out, '--title', `${round} ${i}`, '--yes', '--json'], dir, store),
      ),
    );
    for (const run of runs) assert.ok(run.code === 0 || /CONFLICT/.test(run.stdout + run.stderr), `exit ${run.code}: ${run.stdout}${run.stderr}`);
  }

  it('no CREATE replaces a file; every completed job\'s content is on disk or kept for its rollback; the others are CONFLICT', async () => {
    const store = join(dir, 'store');
    const out = join(dir, 'out');
    await race(store, out, 'first');
    await race(store, out, 'second');

    const listed = await runCli(['jobs', 'list', '--json', '--limit', '100'], dir, store);
    const jobs = (JSON.parse(listed.stdout) as { jobs: JobLine[] }).jobs;
    assert.equal(jobs.length, PROCESSES * 2);
    const completed = jobs.filter((j) => j.status === 'completed');
    const failed = jobs.filter((j) => j.status === 'failed');
    assert.ok(completed.length >= 2, `at least one writer per round (${completed.length})`);
    for (const job of failed) assert.equal(job.error_code, 'CONFLICT', JSON.stringify(job));
    assert.equal(completed.filter((j) => j.action === 'CREATE').length, 1, 'one CREATE in all: the file was absent once');

    const onDisk = sha256(await readFile(join(out, 'same.md')));
    const objects = join(store, 'backups', 'local', 'objects');
    const kept = new Set(existsSync(objects) ? await readdir(objects) : []);
    for (const job of completed) {
      const hash = job.content_hash.replace(/^sha256:/, '');
      assert.ok(hash === onDisk || kept.has(hash), `job ${job.job_id}'s content is neither on disk nor kept for rollback`);
    }
  });
});
