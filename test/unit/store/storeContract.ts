import { strict as assert } from 'node:assert';
import { hostname } from 'node:os';
import type { Clock } from '../../../server/src/clock';
import { ExportError } from '../../../server/src/errors';
import type { Store } from '../../../server/src/store/types';
import { deadPid, makeAudit, makeJob, steppingClock } from './helpers';

/** The behaviour every Store must have; run against each implementation. */
export function describeStoreContract(
  name: string,
  open: (clock: Clock) => Promise<{ store: Store; dispose(): Promise<void> }>,
): void {
  describe(`${name}: Store contract`, () => {
    let store: Store;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await open(steppingClock()));
    });
    afterEach(async () => {
      await store.close();
      await dispose();
    });

    it('round-trips create, update and get', async () => {
      await store.createJob(makeJob('j1', { block_ids: ['b1'], stages_ms: { assemble: 3 } }));
      const updated = await store.updateJob('j1', { status: 'running', started_at: '2026-01-01T00:00:01.000Z' });
      assert.equal(updated.status, 'running');
      assert.equal(updated.title, 'Job j1');
      assert.deepEqual(updated.block_ids, ['b1']);
      const fetched = await store.getJob('j1');
      assert.deepEqual(fetched, updated);
      assert.equal(await store.getJob('missing'), undefined);
    });

    it('clears an optional field passed as undefined, and keeps a required one', async () => {
      await store.createJob(makeJob('j1', { status: 'failed', error_code: 'TIMEOUT', error_message: 'slow' }));
      const retried = await store.updateJob('j1', {
        status: 'queued',
        error_code: undefined,
        error_message: undefined,
        title: undefined,
        retry_count: 1,
      });
      assert.equal(retried.error_code, undefined);
      assert.equal('error_message' in retried, false);
      assert.equal(retried.title, 'Job j1');
      assert.equal(retried.retry_count, 1);
    });

    it('stamps the current process as owner on create and when a job is (re)queued or run', async () => {
      await store.createJob(makeJob('j1', { owner: { pid: 1, host: 'elsewhere', started_at: '2026-01-01T00:00:00.000Z' } }));
      assert.equal((await store.getJob('j1'))?.owner?.host, 'elsewhere');
      const running = await store.updateJob('j1', { status: 'running' });
      assert.equal(running.owner?.pid, process.pid);
      assert.equal(running.owner?.host, hostname());
      await store.createJob(makeJob('j2'));
      assert.equal((await store.getJob('j2'))?.owner?.pid, process.pid);
    });

    it('returns copies: changing a returned record does not change the store', async () => {
      await store.createJob(makeJob('j1'));
      const job = await store.getJob('j1');
      assert.ok(job);
      job.message_ids.push('tampered');
      job.title = 'tampered';
      const again = await store.getJob('j1');
      assert.deepEqual(again?.message_ids, ['m1', 'm2']);
      assert.equal(again?.title, 'Job j1');
    });

    it('throws JOB_NOT_FOUND when updating an unknown job', async () => {
      await assert.rejects(store.updateJob('nope', { status: 'running' }), (error: unknown) => {
        assert.ok(error instanceof ExportError);
        assert.equal(error.code, 'JOB_NOT_FOUND');
        assert.match(error.message, /nope/);
        return true;
      });
    });

    it('refuses a second job with the same id', async () => {
      await store.createJob(makeJob('j1'));
      await assert.rejects(store.createJob(makeJob('j1', { title: 'again' })), { code: 'INVALID_INPUT' });
      assert.equal((await store.getJob('j1'))?.title, 'Job j1');
    });

    it('lists jobs newest first, filtered by status and destination, with limit and offset', async () => {
      const spec: [string, string, 'queued' | 'completed' | 'failed', string][] = [
        ['a', '2026-01-01T10:00:00.000Z', 'completed', 'local'],
        ['b', '2026-01-03T10:00:00.000Z', 'failed', 'github'],
        ['c', '2026-01-02T10:00:00.000Z', 'completed', 'github'],
        ['d', '2026-01-05T10:00:00.000Z', 'completed', 'local'],
        ['e', '2026-01-04T10:00:00.000Z', 'queued', 'local'],
      ];
      for (const [id, created_at, status, destination_id] of spec) {
        await store.createJob(makeJob(id, { created_at, status, destination_id }));
      }
      const ids = (jobs: { job_id: string }[]) => jobs.map((j) => j.job_id);
      assert.deepEqual(ids(await store.listJobs()), ['d', 'e', 'b', 'c', 'a']);
      assert.deepEqual(ids(await store.listJobs({ status: 'completed' })), ['d', 'c', 'a']);
      assert.deepEqual(ids(await store.listJobs({ destinationId: 'github' })), ['b', 'c']);
      assert.deepEqual(ids(await store.listJobs({ status: 'completed', destinationId: 'local' })), ['d', 'a']);
      assert.deepEqual(ids(await store.listJobs({ limit: 2 })), ['d', 'e']);
      assert.deepEqual(ids(await store.listJobs({ limit: 2, offset: 2 })), ['b', 'c']);
      assert.deepEqual(ids(await store.listJobs({ offset: 4 })), ['a']);
      assert.deepEqual(ids(await store.listJobs({ offset: 9 })), []);
      await store.updateJob('e', { status: 'completed' });
      assert.deepEqual(ids(await store.listJobs({ status: 'completed' })), ['d', 'e', 'c', 'a']);
    });

    it('filters by destination type and creation time; counts the matches and counts by type and status', async () => {
      const spec: [string, string, 'queued' | 'completed' | 'failed', string, string | undefined][] = [
        ['a', '2026-01-01T10:00:00.000Z', 'completed', 'local', 'local'],
        ['b', '2026-01-03T10:00:00.000Z', 'failed', 'gh', 'github'],
        ['c', '2026-01-02T10:00:00.000Z', 'completed', 'gh', 'github'],
        ['d', '2026-01-05T10:00:00.000Z', 'failed', 'kb', 'tidb'],
        ['e', '2026-01-04T10:00:00.000Z', 'completed', 'old', undefined],
      ];
      for (const [id, created_at, status, destination_id, destination_type] of spec) {
        await store.createJob(makeJob(id, { created_at, status, destination_id, ...(destination_type ? { destination_type } : {}) }));
      }
      const ids = (jobs: { job_id: string }[]) => jobs.map((j) => j.job_id);
      assert.deepEqual(ids(await store.listJobs({ destinationType: 'github' })), ['b', 'c']);
      assert.deepEqual(ids(await store.listJobs({ since: '2026-01-03T10:00:00.000Z' })), ['d', 'e', 'b']);
      assert.deepEqual(ids(await store.listJobs({ status: 'failed', since: '2026-01-03T00:00:00Z' })), ['d', 'b']);
      assert.deepEqual(ids(await store.listJobs({ destinationType: 'unknown' })), ['e']);
      assert.equal(await store.countJobs(), 5);
      assert.equal(await store.countJobs({ status: 'failed' }), 2);
      assert.equal(await store.countJobs({ destinationType: 'github', since: '2026-01-02T12:00:00Z' }), 1);
      assert.deepEqual(await store.jobStats(), [
        { destination_type: 'github', status: 'completed', count: 1 },
        { destination_type: 'github', status: 'failed', count: 1 },
        { destination_type: 'local', status: 'completed', count: 1 },
        { destination_type: 'tidb', status: 'failed', count: 1 },
        { destination_type: 'unknown', status: 'completed', count: 1 },
      ]);
      assert.deepEqual(await store.jobStats({ status: 'failed' }), [
        { destination_type: 'github', status: 'failed', count: 1 },
        { destination_type: 'tidb', status: 'failed', count: 1 },
      ]);
    });

    it('lists jobs created at the same time with the later-created first', async () => {
      await store.createJob(makeJob('first'));
      await store.createJob(makeJob('second'));
      assert.deepEqual(
        (await store.listJobs()).map((j) => j.job_id),
        ['second', 'first'],
      );
    });

    it('lists audit events in time order, filtered by job and transaction', async () => {
      await store.appendAudit(makeAudit('e3', { timestamp: '2026-01-01T00:00:03.000Z', job_id: 'j1', transaction_id: 't1' }));
      await store.appendAudit(makeAudit('e1', { timestamp: '2026-01-01T00:00:01.000Z', job_id: 'j1' }));
      await store.appendAudit(makeAudit('e2', { timestamp: '2026-01-01T00:00:02.000Z', job_id: 'j2', transaction_id: 't1' }));
      await store.appendAudit(makeAudit('e0', { timestamp: '2026-01-01T00:00:00.000Z', metadata: { nested: { n: 1 } } }));
      const ids = (events: { event_id: string }[]) => events.map((e) => e.event_id);
      assert.deepEqual(ids(await store.listAudit()), ['e0', 'e1', 'e2', 'e3']);
      assert.deepEqual(ids(await store.listAudit({ jobId: 'j1' })), ['e1', 'e3']);
      assert.deepEqual(ids(await store.listAudit({ transactionId: 't1' })), ['e2', 'e3']);
      assert.deepEqual(ids(await store.listAudit({ jobId: 'j1', transactionId: 't1' })), ['e3']);
      assert.deepEqual((await store.listAudit())[0]?.metadata, { nested: { n: 1 } });
    });

    it('stores security events in time order', async () => {
      const base = { actor: 'tester', resource: 'github:docs', metadata: {} } as const;
      await store.appendSecurity({
        ...base,
        event_id: 's2',
        timestamp: '2026-01-01T00:00:02.000Z',
        type: 'secret_detected',
        severity: 'critical',
      });
      await store.appendSecurity({
        ...base,
        event_id: 's1',
        timestamp: '2026-01-01T00:00:01.000Z',
        type: 'credential_accessed',
        severity: 'info',
      });
      assert.deepEqual(
        (await store.listSecurity()).map((e) => [e.event_id, e.type]),
        [
          ['s1', 'credential_accessed'],
          ['s2', 'secret_detected'],
        ],
      );
    });

    it('recoverInterrupted fails unfinished jobs of exited processes and leaves the rest', async () => {
      const gone = await deadPid();
      const host = hostname();
      const longAgo = '2020-01-01T00:00:00.000Z';
      const deadOwner = { pid: gone, host, started_at: longAgo };
      await store.createJob(
        makeJob('dead-running', { status: 'running', started_at: '2026-01-01T00:00:00.000Z', owner: deadOwner }),
      );
      await store.createJob(makeJob('dead-queued', { status: 'queued', owner: deadOwner }));
      await store.createJob(makeJob('dead-done', { status: 'completed', owner: deadOwner }));
      // Our own pid, but an earlier start time: a previous process that had the same pid (containers reuse pids).
      await store.createJob(makeJob('reused-pid', { status: 'running', owner: { ...deadOwner, pid: process.pid } }));
      await store.createJob(makeJob('other-host', { status: 'running', owner: { ...deadOwner, host: `not-${host}` } }));
      await store.createJob(makeJob('mine', { status: 'running' }));

      assert.equal(await store.recoverInterrupted(), 3);
      for (const id of ['dead-running', 'dead-queued', 'reused-pid']) {
        const job = await store.getJob(id);
        assert.equal(job?.status, 'failed', id);
        assert.equal(job?.error_code, 'INTERRUPTED');
        assert.equal(job?.error_message, 'The export was interrupted before it finished (the process exited).');
        assert.ok(job?.completed_at);
      }
      assert.equal(typeof (await store.getJob('dead-running'))?.duration_ms, 'number');
      assert.equal((await store.getJob('dead-done'))?.status, 'completed');
      assert.equal((await store.getJob('other-host'))?.status, 'running');
      assert.equal((await store.getJob('mine'))?.status, 'running');
      assert.equal(await store.recoverInterrupted(), 0);
    });
  });
}
