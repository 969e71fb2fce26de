import { strict as assert } from 'node:assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { ExportError } from '../../../server/src/errors';
import { openFileStore } from '../../../server/src/store/fileStore';
import { deadPid, makeJob, makeTempDir, removeDir } from './helpers';

const WORKER = path.join(__dirname, 'fixtures', 'storeWorker.ts');
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

function startWorker(dir: string, tag: string, count: number, mode: 'append' | 'crash'): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', WORKER, dir, tag, String(count), mode], { cwd: REPO_ROOT });
}

function outputOf(child: ChildProcessWithoutNullStreams): { stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { stdout: () => stdout, stderr: () => stderr };
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}

function untilReady(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('ready\n')) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
  });
}

function parseLines(text: string): Record<string, unknown>[] {
  assert.ok(text.endsWith('\n'), 'the file ends with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, index) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        assert.fail(`line ${index + 1} is not a whole JSON record: ${line.slice(0, 80)}…`);
      }
    });
}

describe('file store: several processes', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('two processes appending at once produce only whole lines and lose nothing', async () => {
    const count = 200;
    const workers = ['w1', 'w2'].map((tag) => {
      const child = startWorker(dir, tag, count, 'append');
      return { tag, child, output: outputOf(child), exit: exitOf(child) };
    });
    await Promise.all(workers.map((w) => untilReady(w.child)));
    for (const w of workers) w.child.stdin.write('go\n');
    for (const w of workers) {
      assert.equal(await w.exit, 0, `${w.tag} failed: ${w.output.stderr()}`);
      assert.match(w.output.stdout(), /done/);
    }

    const jobLines = parseLines(await fs.readFile(path.join(dir, 'jobs.jsonl'), 'utf8'));
    assert.equal(jobLines.length, 2 * count * 2);
    const auditLines = parseLines(await fs.readFile(path.join(dir, 'audit.jsonl'), 'utf8'));
    assert.equal(auditLines.length, 2 * count);
    // Each worker waits for its own writes, so both ran interleaved only if their lines alternate somewhere.
    const actors = auditLines.map((l) => l['actor']);
    assert.ok(actors.some((actor, i) => i > 0 && actor !== actors[i - 1]));

    const store = await openFileStore(dir);
    try {
      const jobs = await store.listJobs();
      assert.equal(jobs.length, 2 * count);
      assert.ok(jobs.every((j) => j.status === 'completed'));
      assert.equal((await store.listAudit()).length, 2 * count);
      assert.equal(store.diagnostics().skippedLines, 0);
      assert.equal(store.diagnostics().orphanUpdates, 0);
    } finally {
      await store.close();
    }
  });

  it('recoverInterrupted fails the running job of a process that exited, and leaves this process’s', async () => {
    const crashed = startWorker(dir, 'gone', 0, 'crash');
    const output = outputOf(crashed);
    assert.equal(await exitOf(crashed), 3, output.stderr());

    const store = await openFileStore(dir);
    try {
      await store.createJob(makeJob('mine', { status: 'running' }));
      const before = await store.getJob('gone-crashed');
      assert.equal(before?.status, 'running');
      assert.equal(before?.owner?.pid, crashed.pid);

      assert.equal(await store.recoverInterrupted(), 1);
      const after = await store.getJob('gone-crashed');
      assert.equal(after?.status, 'failed');
      assert.equal(after?.error_code, 'INTERRUPTED');
      assert.equal(after?.error_message, 'The export was interrupted before it finished (the process exited).');
      assert.equal((await store.getJob('mine'))?.status, 'running');
    } finally {
      await store.close();
    }
  });
});

describe('file store: the append lock', () => {
  let dir: string;
  const lockFile = () => path.join(dir, 'jobs.lock');

  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  async function writeLock(content: string): Promise<void> {
    await fs.writeFile(lockFile(), content, { mode: 0o600 });
  }

  it('is released after each append', async () => {
    const store = await openFileStore(dir);
    await store.createJob(makeJob('j1'));
    await assert.rejects(fs.stat(lockFile()), { code: 'ENOENT' });
    await store.close();
  });

  it('takes over a lock whose process has exited', async () => {
    const pid = await deadPid();
    await writeLock(JSON.stringify({ pid, host: hostname(), at: Date.now(), token: 'old' }));
    const store = await openFileStore(dir, { lockTimeoutMs: 5_000 });
    await store.createJob(makeJob('j1'));
    assert.equal((await store.getJob('j1'))?.job_id, 'j1');
    await assert.rejects(fs.stat(lockFile()), { code: 'ENOENT' });
    assert.deepEqual((await fs.readdir(dir)).filter((f) => f.includes('.stale')), []);
    await store.close();
  });

  it('takes over a lock older than the stale age even if its process lives', async () => {
    await writeLock(JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() - 60_000, token: 'old' }));
    const store = await openFileStore(dir, { lockStaleMs: 10_000, lockTimeoutMs: 5_000 });
    await store.createJob(makeJob('j1'));
    await assert.rejects(fs.stat(lockFile()), { code: 'ENOENT' });
    await store.close();
  });

  it('takes over an unreadable lock file by its age', async () => {
    await writeLock('');
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(lockFile(), old, old);
    const store = await openFileStore(dir, { lockStaleMs: 10_000, lockTimeoutMs: 5_000 });
    await store.createJob(makeJob('j1'));
    assert.equal((await store.listJobs()).length, 1);
    await store.close();
  });

  it('waits for a live lock, then fails with STORE_FAILED', async () => {
    await writeLock(JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now(), token: 'held' }));
    const store = await openFileStore(dir, { lockTimeoutMs: 50 });
    await assert.rejects(store.createJob(makeJob('j1')), (error: unknown) => {
      assert.ok(error instanceof ExportError);
      assert.equal(error.code, 'STORE_FAILED');
      assert.equal(error.recoverable, true);
      assert.ok(error.message.includes(dir));
      assert.match(error.message, new RegExp(`pid ${process.pid}`));
      return true;
    });
    // The holder's lock is left alone, and reading needs no lock.
    assert.match(await fs.readFile(lockFile(), 'utf8'), /held/);
    assert.deepEqual(await store.listJobs(), []);
    await store.close();
  });

  it('proceeds once a live holder releases its lock', async () => {
    await writeLock(JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now(), token: 'held' }));
    const store = await openFileStore(dir, { lockTimeoutMs: 10_000 });
    const creating = store.createJob(makeJob('j1'));
    // Reading takes no lock, and nothing is written while another holds it.
    assert.deepEqual(await store.listJobs(), []);
    assert.deepEqual(await store.listJobs(), []);
    await fs.rm(lockFile());
    await creating;
    assert.equal((await store.listJobs()).length, 1);
    await store.close();
  });

  it('serialises many appends from two instances in one process', async () => {
    const a = await openFileStore(dir);
    const b = await openFileStore(dir);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).createJob(makeJob(`j${i}`))),
    );
    assert.equal((await a.listJobs()).length, 50);
    assert.equal((await b.listJobs()).length, 50);
    await Promise.all([a.close(), b.close()]);
  });
});
