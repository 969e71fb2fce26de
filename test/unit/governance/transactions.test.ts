import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bin } from '../../../server/src/governance/bin';
import { systemClock } from '../../../server/src/clock';
import { nodeAtomicWriteFs, type AtomicWriteFs } from '../../../server/src/destinations/atomicWrite';
import { createLocalDestination } from '../../../server/src/destinations/local';
import { expectationOf, type Destination } from '../../../server/src/destinations/types';
import { ExportError } from '../../../server/src/errors';
import { publishJob, type PublishPlan } from '../../../server/src/pipeline/publish';
import { createMemoryStore } from '../../../server/src/store/memoryStore';
import type { Store } from '../../../server/src/store/types';

/**
 * Issue 3: inject a failure at each step of the publish transaction and
 * check that the destination and the job store agree afterwards.
 */

type Fault = 'appendAudit:commit' | 'updateJob:completed' | 'updateJob:all-after-running';

function faultyStore(inner: Store, faults: Set<Fault>): Store {
  return {
    ...inner,
    createJob: (job) => inner.createJob(job),
    getJob: (id) => inner.getJob(id),
    listJobs: (q) => inner.listJobs(q),
    listAudit: (f) => inner.listAudit(f),
    appendSecurity: (e) => inner.appendSecurity(e),
    listSecurity: () => inner.listSecurity(),
    recoverInterrupted: () => inner.recoverInterrupted(),
    close: () => inner.close(),
    async appendAudit(event) {
      if (faults.has('appendAudit:commit') && event.action.endsWith('.commit')) throw new ExportError('STORE_FAILED', 'disk full (injected)');
      return inner.appendAudit(event);
    },
    async updateJob(id, patch) {
      if (faults.has('updateJob:completed') && patch.status === 'completed') throw new ExportError('STORE_FAILED', 'store gone (injected)');
      if (faults.has('updateJob:all-after-running') && patch.status !== 'running') throw new ExportError('STORE_FAILED', 'store gone (injected)');
      return inner.updateJob(id, patch);
    },
  };
}

describe('publish transaction under injected failures', () => {
  let dir: string;
  let store: Store;
  let bin: Bin;
  const faults = new Set<Fault>();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'devguide-tx-'));
    faults.clear();
    const memory = createMemoryStore();
    store = faultyStore(memory, faults);
    bin = new Bin({ store, clock: systemClock, requireAt: 'medium', actor: 'tester' });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function local(fs?: AtomicWriteFs): Destination {
    return createLocalDestination(
      { id: 'local', type: 'local', baseDir: join(dir, 'out'), onExisting: 'update' },
      { workspaceRoot: dir, backupDir: join(dir, 'data', 'backups'), ...(fs ? { fs } : {}) },
    );
  }

  async function accepted(destination: Destination, filename = 'a.md'): Promise<PublishPlan> {
    const review = await bin.preflight({
      changeType: 'CreateExportJob',
      impact: { risk_level: 'low', action: 'CREATE', affected_resources: [filename], token_cost: 1, affected_users: 1, details: {} },
      warnings: [],
      auditMetadata: { template: 'markdown', destination: 'local', filename },
    });
    await bin.accept(review.transaction_id, false);
    return {
      transactionId: review.transaction_id,
      destination,
      content: 'new content\n',
      title: 'T',
      metadata: {},
      // What a review of the folder sees now (the plan's destination may be a test double without fetchExisting).
      expected: expectationOf(await local().fetchExisting(filename)),
      job: {
        source: 'x.jsonl',
        session_id: 's',
        message_ids: ['m'],
        template_id: 'markdown',
        destination_id: 'local',
        filename,
        title: 'T',
      },
    };
  }

  const deps = () => ({ store, bin, clock: systemClock, maxRetries: 2, sleep: async () => undefined });

  async function filesIn(folder: string): Promise<string[]> {
    return existsSync(folder) ? await readdir(folder) : [];
  }

  it('commits: file written, job completed, audit trail preflight → accept → commit', async () => {
    const plan = await accepted(local());
    const outcome = await publishJob(plan, deps());
    assert.equal(outcome.error, undefined);
    assert.equal(outcome.job.status, 'completed');
    assert.equal(await readFile(join(dir, 'out', 'a.md'), 'utf8'), 'new content\n');
    const actions = (await store.listAudit({ transactionId: plan.transactionId })).map((e) => e.action);
    assert.deepEqual(actions, ['CreateExportJob.preflight', 'CreateExportJob.accept', 'CreateExportJob.commit']);
  });

  it('fails before the write: nothing written, job failed', async () => {
    const destination = local();
    const failing: Destination = { ...destination, save: async () => { throw new ExportError('PERMISSION_DENIED', 'no (injected)'); } };
    const outcome = await publishJob(await accepted(failing), deps());
    assert.equal(outcome.job.status, 'failed');
    assert.equal(outcome.job.error_code, 'PERMISSION_DENIED');
    assert.deepEqual(await filesIn(join(dir, 'out')), []);
    assert.equal((await store.getJob(outcome.job.job_id))?.status, 'failed');
  });

  it('a read-only folder (EROFS) fails the job at once: PERMISSION_DENIED, tried once, never retried (issue 11)', async () => {
    let opens = 0;
    const readOnly: AtomicWriteFs = {
      ...nodeAtomicWriteFs,
      open: (file, flags, mode) => {
        if (flags === 'r') return nodeAtomicWriteFs.open(file, flags, mode);
        opens += 1;
        return Promise.reject(Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' }));
      },
    };
    const outcome = await publishJob(await accepted(local(readOnly)), deps());
    assert.equal(outcome.job.status, 'failed');
    assert.equal(outcome.job.error_code, 'PERMISSION_DENIED');
    assert.equal(outcome.job.retry_count, 0);
    assert.equal(opens, 1, 'written once: a read-only folder does not become writable by asking again');
  });

  it('fails during the write: no partial file, no temp file, job failed', async () => {
    let writes = 0;
    const brokenFs: AtomicWriteFs = {
      ...nodeAtomicWriteFs,
      async open(file, flags, mode) {
        const handle = await nodeAtomicWriteFs.open(file, flags, mode);
        return {
          write: async (buffer, offset, length, position) => {
            writes += 1;
            await handle.write(buffer, offset, Math.min(length, 3), position);
            throw Object.assign(new Error('EIO (injected)'), { code: 'EIO' });
          },
          sync: () => handle.sync(),
          close: () => handle.close(),
        };
      },
    };
    const outcome = await publishJob(await accepted(local(brokenFs)), { ...deps(), maxRetries: 0 });
    assert.ok(writes > 0);
    assert.equal(outcome.job.status, 'failed');
    assert.deepEqual(await filesIn(join(dir, 'out')), []);
  });

  it('fails after the write, before the commit: the write is undone, job failed', async () => {
    faults.add('appendAudit:commit');
    const outcome = await publishJob(await accepted(local()), deps());
    assert.equal(outcome.job.status, 'failed');
    assert.equal(outcome.job.error_code, 'STORE_FAILED');
    assert.deepEqual(await filesIn(join(dir, 'out')), []);
    assert.equal((await store.getJob(outcome.job.job_id))?.status, 'failed');
  });

  it('fails during the commit of an UPDATE: the previous content is restored', async () => {
    await writeFile(join(dir, 'seed.txt'), '');
    await local().save({ filename: 'a.md', content: 'old content\n', title: 'T', metadata: {}, jobId: 'seed', expected: { exists: false } });
    faults.add('updateJob:completed');
    const outcome = await publishJob(await accepted(local()), deps());
    assert.equal(outcome.job.status, 'failed');
    assert.equal(await readFile(join(dir, 'out', 'a.md'), 'utf8'), 'old content\n');
    assert.equal((await store.getJob(outcome.job.job_id))?.status, 'failed');
  });

  it('when the store itself is gone after the write: the write is undone and recovery marks the job', async () => {
    faults.add('updateJob:all-after-running');
    const outcome = await publishJob(await accepted(local()), deps());
    assert.ok(outcome.error);
    assert.deepEqual(await filesIn(join(dir, 'out')), []);
    // Never "completed with nothing written": the record is still `running`,
    // and the next start's recovery turns it into INTERRUPTED.
    const job = await store.getJob(outcome.job.job_id);
    assert.equal(job?.status, 'running');
  });

  it('retries recoverable failures and records the retry count', async () => {
    const destination = local();
    let calls = 0;
    const flaky: Destination = {
      ...destination,
      save: async (request) => {
        calls += 1;
        if (calls < 3) throw new ExportError('CONNECTION_FAILED', 'reset (injected)');
        return destination.save(request);
      },
    };
    const outcome = await publishJob(await accepted(flaky), deps());
    assert.equal(outcome.job.status, 'completed');
    assert.equal(outcome.job.retry_count, 2);
  });

  it('gives up with MAX_RETRIES_EXCEEDED after the last try', async () => {
    const destination = local();
    const down: Destination = { ...destination, save: async () => { throw new ExportError('CONNECTION_FAILED', 'down (injected)'); } };
    const outcome = await publishJob(await accepted(down), deps());
    assert.equal(outcome.job.status, 'failed');
    assert.equal(outcome.job.error_code, 'MAX_RETRIES_EXCEEDED');
  });
});

describe('the Bin', () => {
  const clock = systemClock;
  const impact = (risk: 'low' | 'medium' | 'high' | 'critical', action: 'CREATE' | 'UPDATE' = 'CREATE') => ({
    risk_level: risk,
    action,
    affected_resources: ['r'],
    token_cost: 1,
    affected_users: 1,
    details: {},
  });

  it('requires an explicit accept at or above review.requireAt', async () => {
    const store = createMemoryStore();
    const bin = new Bin({ store, clock, requireAt: 'medium', actor: 'me' });
    const low = await bin.preflight({ changeType: 'CreateExportJob', impact: impact('low'), warnings: [], auditMetadata: {} });
    const medium = await bin.preflight({ changeType: 'CreateExportJob', impact: impact('medium'), warnings: [], auditMetadata: {} });
    const overwrite = await bin.preflight({ changeType: 'CreateExportJob', impact: impact('low', 'UPDATE'), warnings: [], forceAccept: true, auditMetadata: {} });
    assert.equal(low.requires_accept, false);
    assert.equal(medium.requires_accept, true);
    assert.equal(overwrite.requires_accept, true);
    await bin.accept(low.transaction_id, false);
    await assert.rejects(bin.accept(medium.transaction_id, false), (e: ExportError) => e.code === 'REVIEW_REQUIRED');
    await bin.accept(medium.transaction_id, true);
  });

  it('keeps a block final, audits it and logs access_denied', async () => {
    const store = createMemoryStore();
    const bin = new Bin({ store, clock, requireAt: 'critical', actor: 'me' });
    const review = await bin.preflight({
      changeType: 'CreateExportJob',
      impact: impact('high'),
      warnings: [],
      block: { reason: 'PERMISSION_DENIED', message: 'no' },
      auditMetadata: {},
    });
    assert.equal(review.blocked, true);
    assert.equal(review.requires_accept, false);
    await assert.rejects(bin.accept(review.transaction_id, true), (e: ExportError) => e.code === 'BIN_BLOCKED');
    const actions = (await store.listAudit({ transactionId: review.transaction_id })).map((e) => `${e.action}:${e.status}`);
    assert.deepEqual(actions, ['CreateExportJob.preflight:blocked', 'CreateExportJob.block:blocked']);
    assert.deepEqual((await store.listSecurity()).map((e) => e.type), ['access_denied']);
  });

  it('audits reject, and a rejected review cannot be accepted', async () => {
    const store = createMemoryStore();
    const bin = new Bin({ store, clock, requireAt: 'medium', actor: 'me' });
    const review = await bin.preflight({ changeType: 'CreateTemplate', impact: impact('critical'), warnings: [], auditMetadata: {} });
    await bin.reject(review.transaction_id, 'not now');
    await assert.rejects(bin.accept(review.transaction_id, true), (e: ExportError) => e.code === 'INVALID_INPUT');
    const events = await store.listAudit({ transactionId: review.transaction_id });
    assert.deepEqual(events.map((e) => e.action), ['CreateTemplate.preflight', 'CreateTemplate.reject']);
    assert.equal(events[1]?.metadata['reason'], 'not now');
  });
});
