import { strict as assert } from 'node:assert';
import { hostname } from 'node:os';
import type { Clock } from '../../../server/src/clock';
import { ExportError } from '../../../server/src/errors';
import { openTidbStore } from '../../../server/src/store/tidb/openTidbStore';
import { LEASE_MS, type TidbStore } from '../../../server/src/store/tidb/tidbStore';
import { sharedMariaDb, type MariaDb, type TestDatabase } from '../../support/mariadb';
import { describeStoreContract } from '../../unit/store/storeContract';
import { makeJob, steppingClock } from '../../unit/store/helpers';

/** The team store against a real MariaDB: the Store contract the file store passes, and what only a shared database has. */

async function open(db: MariaDb, testDb: TestDatabase, options: { clock?: Clock; password?: () => string } = {}): Promise<TidbStore> {
  return openTidbStore(
    { type: 'tidb', host: db.host, port: db.port, user: testDb.user, database: testDb.database, tls: false },
    { getSecret: async (id, field) => (id === 'store' && field === 'password' ? (options.password?.() ?? testDb.password) : undefined), baseDir: process.cwd(), ...(options.clock ? { clock: options.clock } : {}) },
  );
}

describeStoreContract('TiDB team store (MariaDB)', async (clock) => {
  const db = await sharedMariaDb();
  const testDb = await db.newDatabase('store_contract');
  return { store: await open(db, testDb, { clock }), dispose: async () => void (await db.sql(`DROP DATABASE \`${testDb.database}\``)) };
});

describe('TiDB team store (MariaDB)', function () {
  this.timeout(60_000);
  let db: MariaDb;
  let testDb: TestDatabase;
  let store: TidbStore;

  beforeEach(async () => {
    db = await sharedMariaDb();
    testDb = await db.newDatabase('team_store');
  });
  afterEach(async () => {
    await store?.close();
    await db.sql(`DROP DATABASE \`${testDb.database}\``);
  });

  it('creates its tables by a versioned, idempotent migration: the first use applies it, db migrate then applies nothing', async () => {
    store = await open(db, testDb);
    assert.deepEqual(await store.migrate(), [
      { version: 1, description: 'export_jobs, audit_logs and security_audit_logs with the indexes of the job queries' },
      { version: 2, description: 'rollback_objects and rollback_markers: what an update replaced, so any member may roll it back' },
    ]);
    assert.deepEqual(await store.migrate(), []);
    const tables = (await db.sql('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY t', [testDb.database])) as { t: string }[];
    assert.deepEqual(
      tables.map((r) => r.t),
      ['audit_logs', 'devguide_export_migrations', 'export_jobs', 'rollback_markers', 'rollback_objects', 'security_audit_logs'],
    );
    const indexes = (await db.sql("SELECT DISTINCT INDEX_NAME AS i FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'export_jobs' ORDER BY i", [testDb.database])) as { i: string }[];
    assert.deepEqual(
      indexes.map((r) => r.i),
      ['idx_export_jobs_created', 'idx_export_jobs_destination_created', 'idx_export_jobs_status_created', 'idx_export_jobs_type_created', 'idx_export_jobs_type_status', 'PRIMARY', 'uq_export_jobs_seq'],
    );
    // A second store (another process) on the same tables sees the first one's records.
    await store.createJob(makeJob('j1', { actor: 'ana', destination_type: 'local' }));
    const other = await open(db, testDb);
    try {
      assert.equal((await other.getJob('j1'))?.actor, 'ana');
    } finally {
      await other.close();
    }
  });

  it('the sweep never marks a live machine\'s job; another machine\'s job is interrupted only once its heartbeat is older than the lease', async () => {
    let now = Date.parse('2026-06-01T12:00:00.000Z');
    const clock: Clock = { now: () => new Date(now), monotonic: () => now };
    store = await open(db, testDb, { clock });
    const elsewhere = { pid: 4242, host: `not-${hostname()}`, started_at: '2026-06-01T11:00:00.000Z' };
    await store.createJob(makeJob('remote', { status: 'running', owner: elsewhere, created_at: '2026-06-01T12:00:00.000Z' }));
    await store.createJob(makeJob('mine', { status: 'running', created_at: '2026-06-01T12:00:00.000Z' }));

    now += LEASE_MS - 1_000;
    assert.equal(await store.recoverInterrupted(), 0);
    // The remote owner is alive: its heartbeat (any write of the job) moves the lease on.
    await db.sql(`UPDATE \`${testDb.database}\`.export_jobs SET heartbeat_at = ? WHERE job_id = 'remote'`, [new Date(now).toISOString().slice(0, 23).replace('T', ' ')]);
    now += LEASE_MS - 1_000;
    assert.equal(await store.recoverInterrupted(), 0);
    // Mine keeps its own heartbeat (a running process); the remote one goes silent.
    await store.beat();
    now += 2_000;
    await store.beat();
    assert.equal(await store.recoverInterrupted(), 1);
    const remote = await store.getJob('remote');
    assert.equal(remote?.status, 'failed');
    assert.equal(remote?.error_code, 'INTERRUPTED');
    assert.equal((await store.getJob('mine'))?.status, 'running');
  });

  it('a wrong password is AUTH_EXPIRED naming user and host (never the password), offering the store\'s credential; the next call reads the password again', async () => {
    let password = 'not-the-password-123';
    store = await open(db, testDb, { password: () => password });
    const error = await store.listJobs().then(
      () => assert.fail('listed with a wrong password'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ExportError);
    assert.equal(error.code, 'AUTH_EXPIRED');
    assert.match(error.message, new RegExp(`user "${testDb.user}"`));
    assert.match(error.message, /127\.0\.0\.1/);
    assert.match(error.message, /DEVGUIDE_SECRET_STORE_PASSWORD/);
    assert.doesNotMatch(JSON.stringify({ message: error.message, details: error.details }), /not-the-password-123/);
    assert.equal(error.details?.['destination'], 'store');
    assert.equal(error.details?.['field'], 'password');
    // The person sets the right password (SecretStorage): the next call reads it again — no restart.
    password = testDb.password;
    assert.deepEqual(await store.listJobs(), []);
  });

  it('pages, counts and groups in SQL over many jobs (the jobs list query)', async () => {
    store = await open(db, testDb, { clock: steppingClock() });
    for (let i = 0; i < 120; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      await store.createJob(makeJob(`j${String(i).padStart(3, '0')}`, { created_at: `2026-02-${day}T10:00:00.000Z`, status: i % 3 === 0 ? 'failed' : 'completed', destination_type: i % 2 === 0 ? 'local' : 'tidb' }));
    }
    const page = await store.listJobs({ limit: 50, offset: 0 });
    assert.equal(page.length, 50);
    assert.ok(page.every((job, i) => i === 0 || Date.parse((page[i - 1] as typeof job).created_at) >= Date.parse(job.created_at)));
    assert.equal(await store.countJobs(), 120);
    assert.equal(await store.countJobs({ status: 'failed' }), 40);
    const stats = await store.jobStats();
    assert.equal(stats.reduce((sum, s) => sum + s.count, 0), 120);
    assert.deepEqual(stats.map((s) => `${s.destination_type}/${s.status}`), ['local/completed', 'local/failed', 'tidb/completed', 'tidb/failed']);
  });
});
