import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeAtomicWriteFs } from '../../../server/src/destinations/atomicWrite';
import { LocalBackups } from '../../../server/src/destinations/localBackups';
import type { RollbackData } from '../../../server/src/store/rollbackData';
import { openTidbStore } from '../../../server/src/store/tidb/openTidbStore';
import type { TidbStore } from '../../../server/src/store/tidb/tidbStore';
import { sharedMariaDb } from '../../support/mariadb';

/**
 * What an update replaced, kept for its rollback: the same contract for the
 * data folder (LocalBackups, the file store) and the team store's tables
 * (on MariaDB), so a destination may use either.
 */

interface Subject {
  data: RollbackData;
  /** The largest stored value, in bytes (the team store: one row of rollback_objects must fit TiDB's 6 MiB entry). */
  largestStored?(): Promise<number>;
  dispose(): Promise<void>;
}

function describeRollbackDataContract(name: string, open: () => Promise<Subject>): void {
  describe(`rollback data: ${name}`, function () {
    this.timeout(60_000);
    let subject: Subject;
    beforeEach(async () => {
      subject = await open();
    });
    afterEach(async () => subject.dispose());

    it('keeps the previous content and reads it back by its reference', async () => {
      const kept = await subject.data.keep('job_1', 'docs/a.md', Buffer.from('before\n'));
      assert.equal((await subject.data.read(kept.path))?.toString('utf8'), 'before\n');
    });

    it('a retried save of the same job keeps the first content (the true original)', async () => {
      const first = await subject.data.keep('job_1', 'docs/a.md', Buffer.from('original'));
      const again = await subject.data.keep('job_1', 'docs/a.md', Buffer.from('written by attempt 1'));
      assert.equal(again.path, first.path);
      assert.equal((await subject.data.read(again.path))?.toString('utf8'), 'original');
    });

    it('undo removes what the failed write kept; prune keeps what a marker or a completed job needs, and nothing else', async () => {
      const failed = await subject.data.keep('job_failed', 'a', Buffer.from('only for the failed write'));
      await failed.undo();
      assert.equal(await subject.data.read(failed.path), undefined);

      const pending = await subject.data.keep('job_pending', 'b', Buffer.from('marked'));
      const done = await subject.data.keep('job_done', 'c', Buffer.from('referenced by a completed job'));
      const gone = await subject.data.keep('job_gone', 'd', Buffer.from('nobody needs this'));
      await subject.data.release('job_done');
      await subject.data.release('job_gone');
      await subject.data.prune(new Set([done.path]));
      assert.equal((await subject.data.read(pending.path))?.toString('utf8'), 'marked', 'a job marker keeps it');
      assert.equal((await subject.data.read(done.path))?.toString('utf8'), 'referenced by a completed job');
      assert.equal(await subject.data.read(gone.path), undefined, 'released and unreferenced: pruned');
    });

    it('the same content for two jobs is kept once and outlives the release of one of them', async () => {
      const a = await subject.data.keep('job_a', 'x', Buffer.from('shared'));
      const b = await subject.data.keep('job_b', 'y', Buffer.from('shared'));
      assert.equal(a.path, b.path);
      await subject.data.release('job_a');
      await subject.data.prune(new Set());
      assert.equal((await subject.data.read(b.path))?.toString('utf8'), 'shared');
    });

    it('a large content (7 MiB of text, as JSON of a 6 MiB row would be) comes back whole', async () => {
      const large = Buffer.from(JSON.stringify({ content: 'line of an exported document\n'.repeat(250_000) }), 'utf8');
      assert.ok(large.length > 7 * 1024 * 1024);
      const kept = await subject.data.keep('job_large', 'big.md', large);
      assert.ok((await subject.data.read(kept.path))?.equals(large));
      if (subject.largestStored) assert.ok((await subject.largestStored()) < 6 * 1024 * 1024, 'stored compressed, within one TiDB entry');
    });

    it('binary content comes back byte for byte', async () => {
      const bytes = Buffer.from([0, 255, 1, 254, 0x80, 0x0a, 0x0d]);
      const kept = await subject.data.keep('job_bin', 't', bytes);
      assert.deepEqual(await subject.data.read(kept.path), bytes);
    });
  });
}

describeRollbackDataContract('the data folder (LocalBackups)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'devguide-rollback-data-'));
  return { data: new LocalBackups(join(dir, 'backups'), nodeAtomicWriteFs), dispose: () => rm(dir, { recursive: true, force: true }) };
});

describeRollbackDataContract('the team store (MariaDB)', async () => {
  const db = await sharedMariaDb();
  const testDb = await db.newDatabase('rollback_data');
  const store: TidbStore = await openTidbStore(
    { type: 'tidb', host: db.host, port: db.port, user: testDb.user, database: testDb.database, tls: false },
    { getSecret: async (id, field) => (id === 'store' && field === 'password' ? testDb.password : undefined), baseDir: process.cwd() },
  );
  return {
    data: store.rollbackData,
    largestStored: async () => {
      const [row] = (await db.sql(`SELECT MAX(LENGTH(content)) AS n FROM \`${testDb.database}\`.rollback_objects`)) as { n: number }[];
      return Number(row?.n ?? 0);
    },
    dispose: async () => {
      await store.close();
      await db.sql(`DROP DATABASE \`${testDb.database}\``);
    },
  };
});
