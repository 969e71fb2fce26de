import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ExportError } from '../../../server/src/errors';
import { openFileStore, type FileStore } from '../../../server/src/store/fileStore';
import { makeAudit, makeJob, makeTempDir, removeDir, steppingClock } from './helpers';
import { describeStoreContract } from './storeContract';

describeStoreContract('file store', async (clock) => {
  const dir = await makeTempDir();
  return { store: await openFileStore(path.join(dir, 'store'), { clock }), dispose: () => removeDir(dir) };
});

describe('file store: files on disk', () => {
  let root: string;
  let dir: string;
  const opened: FileStore[] = [];

  async function open(): Promise<FileStore> {
    const store = await openFileStore(dir, { clock: steppingClock() });
    opened.push(store);
    return store;
  }
  const jobsFile = () => path.join(dir, 'jobs.jsonl');

  beforeEach(async () => {
    root = await makeTempDir();
    dir = path.join(root, 'nested', 'store');
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await removeDir(root);
  });

  it('keeps records across reopening', async () => {
    const first = await open();
    await first.createJob(makeJob('j1'));
    await first.updateJob('j1', { status: 'completed', output_location: 'exports/j1.md' });
    await first.appendAudit(makeAudit('a1', { job_id: 'j1' }));
    await first.close();
    const second = await open();
    assert.equal((await second.getJob('j1'))?.output_location, 'exports/j1.md');
    assert.equal((await second.listAudit({ jobId: 'j1' })).length, 1);
  });

  it('lets a second instance on the same folder see the first one’s writes, both ways', async () => {
    const a = await open();
    const b = await open();
    await a.createJob(makeJob('j1'));
    assert.equal((await b.getJob('j1'))?.status, 'queued');
    await b.updateJob('j1', { status: 'running' });
    assert.equal((await a.getJob('j1'))?.status, 'running');
    const done = await a.updateJob('j1', { status: 'completed' });
    assert.equal(done.status, 'completed');
    assert.deepEqual(await b.getJob('j1'), done);
    await b.appendAudit(makeAudit('a1'));
    await b.appendSecurity({
      event_id: 's1',
      timestamp: '2026-01-01T00:00:00.000Z',
      type: 'access_denied',
      severity: 'warning',
      actor: 'x',
      resource: 'y',
      metadata: {},
    });
    assert.deepEqual((await a.listAudit()).map((e) => e.event_id), ['a1']);
    assert.deepEqual((await a.listSecurity()).map((e) => e.event_id), ['s1']);
    assert.deepEqual((await a.listJobs()).map((j) => j.job_id), ['j1']);
  });

  it('writes one whole JSON line per change', async () => {
    const store = await open();
    await store.createJob(makeJob('j1'));
    await store.updateJob('j1', { status: 'running', error_code: undefined });
    const text = await fs.readFile(jobsFile(), 'utf8');
    assert.ok(text.endsWith('\n'));
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => [l['op'], l['job_id']]), [
      ['create', 'j1'],
      ['update', 'j1'],
    ]);
    assert.deepEqual(lines[1]?.['unset'], ['error_code']);
  });

  it('holds after its own writes what a fresh reader of the files holds (lines it wrote are not read back)', async () => {
    const writer = await open();
    await writer.createJob(makeJob('j1', { message_ids: Array.from({ length: 500 }, (_, i) => `m${i}`) }));
    await writer.updateJob('j1', { status: 'running', error_code: undefined });
    // Another process's line, written between two of ours: seen before the next append.
    await fs.appendFile(jobsFile(), JSON.stringify({ op: 'create', job_id: 'other', at: '2026-01-01T00:00:00.000Z', job: makeJob('other') }) + '\n');
    await writer.updateJob('j1', { status: 'completed', duration_ms: 3 });
    await fs.appendFile(jobsFile(), '{"op":"update","job_id":"j1","at":"2026-01'); // torn: the next append starts afresh
    await writer.updateJob('other', { status: 'failed' });

    const reader = await open();
    assert.deepEqual(await writer.listJobs(), await reader.listJobs());
    assert.deepEqual(writer.diagnostics().jobs, reader.diagnostics().jobs);
    assert.equal((await writer.getJob('j1'))?.status, 'completed');
  });

  it('skips a torn last line, and starts the next append on a fresh line', async () => {
    const store = await open();
    await store.createJob(makeJob('j1'));
    // A writer that crashed half-way through its line.
    await fs.appendFile(jobsFile(), '{"op":"create","job_id":"torn","at":"2026-01');

    const reader = await open();
    assert.equal(await reader.getJob('torn'), undefined);
    assert.deepEqual((await reader.listJobs()).map((j) => j.job_id), ['j1']);
    assert.equal(reader.diagnostics().skippedLines, 0);
    assert.ok(reader.diagnostics().jobs.pendingBytes > 0);

    await reader.createJob(makeJob('j2'));
    const lines = (await fs.readFile(jobsFile(), 'utf8')).split('\n');
    assert.equal(lines[1], '{"op":"create","job_id":"torn","at":"2026-01');
    assert.equal((JSON.parse(lines[2] ?? '') as { job_id: string }).job_id, 'j2');
    assert.equal(lines[3], '');

    for (const s of [store, reader]) {
      assert.deepEqual((await s.listJobs()).map((j) => j.job_id).sort(), ['j1', 'j2']);
      assert.equal(s.diagnostics().skippedLines, 1);
      assert.equal(s.diagnostics().jobs.pendingBytes, 0);
    }
  });

  it('skips and counts bad lines in the middle without losing the good ones', async () => {
    const store = await open();
    await store.createJob(makeJob('j1'));
    await fs.appendFile(
      jobsFile(),
      [
        'this is not json',
        JSON.stringify({ op: 'create', job_id: 'bad', at: 'not a time', job: makeJob('bad') }),
        JSON.stringify({ op: 'delete', job_id: 'j1', at: '2026-01-01T00:00:00.000Z' }),
        JSON.stringify({ op: 'update', job_id: 'ghost', at: '2026-01-01T00:00:00.000Z', patch: { status: 'failed' } }),
        '',
        JSON.stringify({ op: 'update', job_id: 'j1', at: '2026-01-01T00:00:00.000Z', patch: { status: 'completed' } }),
      ].join('\n') + '\n',
    );
    await fs.appendFile(path.join(dir, 'audit.jsonl'), '{"event_id":"a0"}\n' + JSON.stringify(makeAudit('a1')) + '\n');
    const warnings: string[] = [];
    const reader = await openFileStore(dir, { onWarning: (m) => warnings.push(m) });
    opened.push(reader);

    assert.equal((await reader.getJob('j1'))?.status, 'completed');
    assert.equal(await reader.getJob('bad'), undefined);
    assert.deepEqual((await reader.listAudit()).map((e) => e.event_id), ['a1']);
    const diagnostics = reader.diagnostics();
    assert.equal(diagnostics.jobs.skipped, 3);
    assert.equal(diagnostics.audit.skipped, 1);
    assert.equal(diagnostics.skippedLines, 4);
    assert.equal(diagnostics.orphanUpdates, 1);
    assert.match(diagnostics.jobs.warnings[0] ?? '', /jobs\.jsonl line 2: skipped, not valid JSON/);
    assert.match(diagnostics.jobs.warnings[1] ?? '', /line 3: skipped, does not match the record schema/);
    assert.match(diagnostics.jobs.warnings[2] ?? '', /line 4:/);
    assert.equal(warnings.length, 4);
  });

  it('reads only what was appended since the last read', async () => {
    const store = await open();
    await store.createJob(makeJob('j1', { title: 'aaaa' }));
    assert.equal((await store.getJob('j1'))?.title, 'aaaa');
    // Rewrite already-read bytes in place (same size, same file): an incremental reader does not see it.
    const text = await fs.readFile(jobsFile(), 'utf8');
    const handle = await fs.open(jobsFile(), 'r+');
    await handle.write(text.replace('"title":"aaaa"', '"title":"bbbb"'), 0, 'utf8');
    await handle.close();
    await store.createJob(makeJob('j2'));
    assert.equal((await store.getJob('j1'))?.title, 'aaaa');
    assert.equal((await store.getJob('j2'))?.title, 'Job j2');
  });

  it('starts over when the file is replaced or truncated', async () => {
    const store = await open();
    await store.createJob(makeJob('j1'));
    await store.createJob(makeJob('j2'));
    const lines = (await fs.readFile(jobsFile(), 'utf8')).split('\n');
    const replacement = path.join(dir, 'jobs.jsonl.new');
    await fs.writeFile(replacement, `${lines[1]}\n`);
    await fs.rename(replacement, jobsFile());
    assert.deepEqual((await store.listJobs()).map((j) => j.job_id), ['j2']);
    await fs.truncate(jobsFile(), 0);
    assert.deepEqual(await store.listJobs(), []);
  });

  it('validates records before writing them', async () => {
    const store = await open();
    await assert.rejects(store.createJob(makeJob('j1', { created_at: 'yesterday' })), (error: unknown) => {
      assert.ok(error instanceof ExportError);
      assert.equal(error.code, 'INVALID_INPUT');
      assert.match(error.message, /created_at/);
      return true;
    });
    await store.createJob(makeJob('j1'));
    await assert.rejects(store.updateJob('j1', { retry_count: -1 }), { code: 'INVALID_INPUT' });
    await assert.rejects(store.appendAudit(makeAudit('')), { code: 'INVALID_INPUT' });
    assert.equal((await fs.readFile(jobsFile(), 'utf8')).trimEnd().split('\n').length, 1);
  });

  it('handles 10 000 jobs', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const created_at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
      const job = makeJob(`job-${i}`, { created_at, destination_id: i % 2 === 0 ? 'local' : 'github' });
      lines.push(JSON.stringify({ op: 'create', job_id: job.job_id, at: created_at, job }));
      lines.push(JSON.stringify({ op: 'update', job_id: job.job_id, at: created_at, patch: { status: 'completed' } }));
    }
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(jobsFile(), lines.join('\n') + '\n');
    const store = await open();
    const page = await store.listJobs({ destinationId: 'github', limit: 3 });
    assert.deepEqual(page.map((j) => j.job_id), ['job-9999', 'job-9997', 'job-9995']);
    assert.equal((await store.getJob('job-5000'))?.status, 'completed');
  });

  it('creates a private folder and private files', async function () {
    if (process.platform === 'win32') this.skip();
    const store = await open();
    await store.createJob(makeJob('j1'));
    assert.equal((await fs.stat(dir)).mode & 0o777, 0o700);
    for (const file of ['jobs.jsonl', 'audit.jsonl', 'security.jsonl']) {
      assert.equal((await fs.stat(path.join(dir, file))).mode & 0o777, 0o600, file);
    }
  });

  it('reports I/O failures as STORE_FAILED naming the folder', async () => {
    await fs.writeFile(path.join(root, 'a-file'), '');
    const bad = path.join(root, 'a-file', 'store');
    await assert.rejects(openFileStore(bad), (error: unknown) => {
      assert.ok(error instanceof ExportError);
      assert.equal(error.code, 'STORE_FAILED');
      assert.equal(error.recoverable, true);
      assert.ok(error.message.includes(bad), error.message);
      return true;
    });
  });

  for (const file of ['jobs.jsonl', 'audit.jsonl']) {
    it(`refuses ${file} when it is a symbolic link (STORE_FAILED naming it); the file it points at is untouched (issue 11 item 2)`, async () => {
      await fs.mkdir(dir, { recursive: true });
      const outside = path.join(root, 'outside.txt');
      await fs.writeFile(outside, 'not yours\n', { mode: 0o644 });
      await fs.symlink(outside, path.join(dir, file));
      await assert.rejects(
        (async () => {
          const store = await open();
          await store.createJob(makeJob('job-1'));
          await store.appendAudit(makeAudit('audit-1'));
        })(),
        (error: unknown) => {
          assert.ok(error instanceof ExportError);
          assert.equal(error.code, 'STORE_FAILED');
          assert.match(error.message, new RegExp(`${file.replace('.', '\\.')} is a symbolic link`));
          return true;
        },
      );
      assert.equal(await fs.readFile(outside, 'utf8'), 'not yours\n');
      assert.equal((await fs.stat(outside)).mode & 0o777, 0o644, 'its mode unchanged');
    });
  }

  it('refuses to work after close', async () => {
    const store = await openFileStore(dir);
    await store.close();
    await assert.rejects(store.listJobs(), { code: 'STORE_FAILED' });
  });
});
