import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../server/src/config';
import { createTidbDestination, versionOf, type TidbDestinationOptions } from '../../../server/src/destinations/tidb/destination';
import { checkedTidbConfig } from '../../../server/src/destinations/tidbDescriptor';
import { expectationOf, type Destination, type SaveRequest } from '../../../server/src/destinations/types';
import { ExportError, type ErrorCode } from '../../../server/src/errors';
import { sharedMariaDb, type MariaDb, type TestDatabase } from '../../support/mariadb';

/**
 * The TiDB destination against a real MySQL-protocol server (MariaDB, as
 * .ci/run installs it): the table's migration, CREATE and UPDATE held to
 * the review, rollback, and the faults of issue 13.
 */

function rejectsWith(code: ErrorCode, pattern?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ExportError, `not an ExportError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

function request(filename: string, content: string, extra: Partial<SaveRequest> = {}): SaveRequest {
  return { filename, content, title: filename, metadata: { title: filename }, jobId: `job_${filename.replace(/\W/g, '')}_${Math.random().toString(36).slice(2, 8)}`, expected: { exists: false }, ...extra };
}

/** A JSON column's value: MariaDB's JSON is text, which mysql2 may or may not parse. */
function json(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** An error as mysql2 reports a TiDB write conflict or a deadlock. */
function serverError(errno: number, message: string): Error {
  return Object.assign(new Error(message), { errno, code: errno === 1213 ? 'ER_LOCK_DEADLOCK' : 'ER_UNKNOWN', sqlMessage: message, sqlState: '40001' });
}

describe('TiDB destination against a real MySQL-protocol server', function () {
  this.timeout(60_000);
  let server: MariaDb;
  let db: TestDatabase;
  let dataDir: string;
  const open: Destination[] = [];

  before(async () => {
    server = await sharedMariaDb();
  });
  beforeEach(async () => {
    db = await server.newDatabase('dest');
    dataDir = await mkdtemp(join(tmpdir(), 'devguide-tidb-data-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((d) => d.dispose()));
    await rm(dataDir, { recursive: true, force: true });
  });

  function entry(extra: Record<string, unknown> = {}) {
    return checkedTidbConfig({ id: 'kb', type: 'tidb', host: server.host, port: server.port, user: db.user, database: db.database, tls: false, ...extra });
  }

  function destination(extra: Record<string, unknown> = {}, options: Partial<TidbDestinationOptions> = {}): Destination {
    const made = createTidbDestination(entry(extra), { password: db.password, workspaceRoot: dataDir, dataDir, maxRetries: 3, retryBaseMs: 1, ...options });
    open.push(made);
    return made;
  }

  async function rows(table = 'exported_artifacts', order = 'id'): Promise<Record<string, unknown>[]> {
    const connection = await db.connect();
    try {
      const [result] = await connection.query(`SELECT * FROM \`${table}\` ORDER BY \`${order}\``);
      return result as Record<string, unknown>[];
    } finally {
      await connection.end();
    }
  }

  /** Review, then save, as the pipeline does. */
  async function exportOnce(target: Destination, filename: string, content: string): Promise<ReturnType<Destination['save']>> {
    const existing = await target.fetchExisting(filename);
    return target.save(request(filename, content, { expected: expectationOf(existing) }));
  }

  describe('the table', () => {
    it('is created by the first save (migration 1, recorded), with the issue\'s columns and a unique filename', async () => {
      const target = destination();
      assert.equal(await target.fetchExisting('a.md'), undefined, 'no table yet: nothing exists');
      const impact = await target.describeImpact('a.md');
      assert.equal(impact.action, 'CREATE');
      assert.match(impact.warnings.join('\n'), /does not exist yet/);
      const result = await target.save(request('a.md', '# A\n'));
      assert.equal(result.action, 'CREATE');
      assert.match(result.location, new RegExp(`^tidb://${db.database}/exported_artifacts/\\d+$`));
      const connection = await db.connect();
      try {
        const [columns] = await connection.query('SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', ['exported_artifacts']);
        assert.deepEqual((columns as { name: string }[]).map((c) => c.name), ['id', 'filename', 'content', 'metadata', 'content_hash', 'job_id', 'created_at', 'updated_at']);
        const [ledger] = await connection.query('SELECT table_name, version FROM devguide_export_migrations');
        assert.deepEqual((ledger as { table_name: string; version: number }[]).map((r) => [r.table_name, r.version]), [['exported_artifacts', 1]]);
        await assert.rejects(connection.query("INSERT INTO exported_artifacts (filename, content, content_hash) VALUES ('a.md', 'x', 'y')"), /Duplicate/);
      } finally {
        await connection.end();
      }
    });

    it('a table of another shape is used through columnMappings; a missing mapped column is DESTINATION_CONFIG_INVALID naming it', async () => {
      const connection = await db.connect();
      await connection.query('CREATE TABLE kb_docs (doc_id BIGINT AUTO_INCREMENT PRIMARY KEY, path VARCHAR(255) NOT NULL UNIQUE, body LONGTEXT NOT NULL, extra JSON NULL)');
      await connection.end();
      const mapped = destination({ table: 'kb_docs', columnMappings: { filename: 'path', content: 'body', metadata: 'extra' } });
      const created = await exportOnce(mapped, 'spec.md', 'body one');
      assert.equal(created.action, 'CREATE');
      const updated = await exportOnce(mapped, 'spec.md', 'body two');
      assert.equal(updated.action, 'UPDATE');
      const [row] = await rows('kb_docs', 'doc_id');
      assert.equal(row?.['path'], 'spec.md');
      assert.equal(row?.['body'], 'body two');
      assert.deepEqual(json(row?.['extra']), { title: 'spec.md' });

      const wrong = destination({ table: 'kb_docs', columnMappings: { filename: 'path', content: 'text' } });
      await assert.rejects(wrong.fetchExisting('spec.md'), rejectsWith('DESTINATION_CONFIG_INVALID', /no column "text".*columnMappings/));
      const unmapped = destination({ table: 'kb_docs' });
      await assert.rejects(unmapped.save(request('x.md', 'x')), rejectsWith('DESTINATION_CONFIG_INVALID', /no column "filename", "content"/));
    });

    it('refuses injection-shaped table and column names before anything runs', async () => {
      const evil = 'x; DROP TABLE t; --';
      for (const bad of [{ table: evil }, { columnMappings: { filename: evil } }, { table: 'a`b' }, { database: 'd; DROP DATABASE d' }]) {
        assert.throws(() => checkedTidbConfig({ id: 'kb', type: 'tidb', host: '127.0.0.1', user: 'u', database: 'd', ...bad }), rejectsWith('DESTINATION_CONFIG_INVALID'));
        assert.throws(
          () => parseConfig({ destinations: [{ id: 'kb', type: 'tidb', host: '127.0.0.1', user: 'u', database: 'd', ...bad }] }),
          rejectsWith('DESTINATION_CONFIG_INVALID', /destinations\[0\] \("kb"\)/),
        );
      }
    });
  });

  describe('save, held to the review', () => {
    it('inserts, then updates by filename; fetchExisting gives the content and its hash as the version; describeImpact says UPDATE', async () => {
      const target = destination();
      const created = await exportOnce(target, 'notes.md', 'first');
      const existing = await target.fetchExisting('notes.md');
      assert.deepEqual(existing, { location: created.location, content: 'first', version: versionOf('first') });
      assert.equal((await target.describeImpact('notes.md')).action, 'UPDATE');
      const updated = await exportOnce(target, 'notes.md', 'second');
      assert.equal(updated.action, 'UPDATE');
      assert.equal(updated.location, created.location, 'the same row');
      const [row] = await rows();
      assert.equal(row?.['content'], 'second');
      assert.equal(row?.['content_hash'], versionOf('second'));
      assert.match(String(row?.['job_id']), /^job_notesmd_/);
    });

    it('CONFLICT, writing nothing, when the row appeared, changed or went away after the review', async () => {
      const target = destination();
      await target.save(request('c.md', 'mine'));
      await assert.rejects(target.save(request('c.md', 'again', { expected: { exists: false } })), rejectsWith('CONFLICT', /created after the review/));
      await assert.rejects(target.save(request('c.md', 'again', { expected: { exists: true, version: versionOf('something else') } })), rejectsWith('CONFLICT', /changed after the review/));
      await assert.rejects(target.save(request('gone.md', 'x', { expected: { exists: true, version: versionOf('x') } })), rejectsWith('CONFLICT', /deleted after the review/));
      assert.deepEqual((await rows()).map((r) => [r['filename'], r['content']]), [['c.md', 'mine']]);
    });

    it('two exporters updating the same filename at once: one wins, the other gets CONFLICT (no lost update)', async () => {
      const first = destination();
      const second = destination();
      await exportOnce(first, 'shared.md', 'base');
      const reviewedA = await first.fetchExisting('shared.md');
      const reviewedB = await second.fetchExisting('shared.md');
      const results = await Promise.allSettled([
        first.save(request('shared.md', 'from A', { expected: expectationOf(reviewedA) })),
        second.save(request('shared.md', 'from B', { expected: expectationOf(reviewedB) })),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(won.length, 1, JSON.stringify(results.map((r) => r.status)));
      assert.equal(lost.length, 1);
      assert.ok(rejectsWith('CONFLICT')(lost[0]?.reason));
      const [row] = await rows();
      assert.ok(row?.['content'] === 'from A' || row?.['content'] === 'from B');
      // The loser reviews again and then writes over the winner's version.
      const again = await second.fetchExisting('shared.md');
      await second.save(request('shared.md', 'B after review', { expected: expectationOf(again) }));
      assert.equal((await rows())[0]?.['content'], 'B after review');
    });

    it('two exporters creating the same new filename at once: one row, the other gets CONFLICT', async () => {
      await destination().save(request('seed.md', 'x')); // the table exists
      const results = await Promise.allSettled([destination().save(request('new.md', 'A')), destination().save(request('new.md', 'B'))]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, JSON.stringify(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))));
      const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.ok(rejectsWith('CONFLICT')(lost?.reason));
      assert.equal((await rows()).filter((r) => r['filename'] === 'new.md').length, 1);
    });

    it('refuses content over TiDB\'s 6 MiB entry limit before sending anything (CONTENT_TOO_LARGE)', async () => {
      const statements: string[] = [];
      const target = destination({}, { beforeStatement: (sql) => void statements.push(sql) });
      await assert.rejects(target.save(request('big.md', 'x'.repeat(6 * 1024 * 1024 + 1))), rejectsWith('CONTENT_TOO_LARGE', /6 MiB/));
      assert.deepEqual(statements, []);
    });
  });

  describe('faults', () => {
    it('retries the whole transaction on an injected TiDB write conflict (8002) and a deadlock (1213), then succeeds', async () => {
      const injected = [serverError(8002, 'Write conflict, txnStartTS=1, conflictStartTS=2 [try again later]'), serverError(1213, 'Deadlock found when trying to get lock; try restarting transaction')];
      let attempts = 0;
      const target = destination({}, {
        beforeStatement: (sql) => {
          if (sql === 'START TRANSACTION') attempts += 1;
          if (sql === 'COMMIT' && injected.length > 0) throw injected.shift();
        },
      });
      const result = await target.save(request('retry.md', 'content'));
      assert.equal(result.action, 'CREATE');
      assert.equal(attempts, 3);
      assert.deepEqual((await rows()).map((r) => r['content']), ['content']);
    });

    it('gives up with a coded error after maxRetries write conflicts, leaving no row', async () => {
      const target = destination({}, { maxRetries: 2, beforeStatement: (sql) => { if (sql === 'COMMIT') throw serverError(9007, 'Write conflict'); } });
      await assert.rejects(target.save(request('never.md', 'x')), rejectsWith('MAX_RETRIES_EXCEEDED', /write conflict.*after 3 attempts/));
      assert.deepEqual(await rows(), []);
    });

    it('a wrong password is AUTH_EXPIRED naming the user and host, never the password', async () => {
      const target = destination({}, { password: 'not-the-password' });
      const error = await target.fetchExisting('a.md').then(() => undefined, (e: unknown) => e);
      assert.ok(rejectsWith('AUTH_EXPIRED', new RegExp(`${server.host}:${server.port}.*"${db.user}"`))(error));
      assert.doesNotMatch(JSON.stringify((error as ExportError).toInfo()), /not-the-password/);
      const check = await target.testConnection();
      assert.equal(check.ok, false);
      assert.match(check.message, /rejected user/);
    });

    it('a user without write privilege gets PERMISSION_DENIED; Test Destination says what is missing', async () => {
      await destination().save(request('a.md', 'x'));
      const reader = `r${process.pid % 100000}_${Date.now() % 100000}`;
      await server.sql(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY 'readpw'`, [reader]);
      await server.sql(`GRANT SELECT ON \`${db.database}\`.* TO ?@'127.0.0.1'`, [reader]);
      const readOnly = destination({ user: reader }, { password: 'readpw' });
      const existing = await readOnly.fetchExisting('a.md');
      await assert.rejects(readOnly.save(request('a.md', 'y', { expected: expectationOf(existing) })), rejectsWith('PERMISSION_DENIED', new RegExp(`"${reader}"`)));
      const check = await readOnly.testConnection();
      assert.equal(check.ok, false);
      assert.match(check.message, /may not insert into/);
    });

    it('Test Destination checks connect, table access and write privilege, and reports latency', async () => {
      const target = destination();
      const before = await target.testConnection();
      assert.equal(before.ok, true, before.message);
      assert.match(before.message, /does not exist yet/);
      await target.save(request('a.md', 'x'));
      const after = await target.testConnection();
      assert.equal(after.ok, true, after.message);
      assert.match(after.message, /round trip \d+ ms.*readable and writable/);
      assert.ok(after.latencyMs >= 0);
      assert.equal((await rows()).length, 1, 'testing writes no row');
    });
  });

  describe('rollback', () => {
    it('deletes an inserted row; restores the previous content of an updated one; both once', async () => {
      const target = destination();
      const created = await exportOnce(target, 'r.md', 'v1');
      const updated = await exportOnce(target, 'r.md', 'v2');
      await target.rollback(updated.rollback);
      assert.deepEqual((await rows()).map((r) => [r['content'], r['content_hash']]), [['v1', versionOf('v1')]]);
      assert.deepEqual(json((await rows())[0]?.['metadata']), { title: 'r.md' });
      await target.rollback(created.rollback);
      assert.deepEqual(await rows(), []);
      await target.rollback(created.rollback); // already gone: nothing to do
    });

    it('is refused, with a clear message, when the row changed since the export', async () => {
      const target = destination();
      const created = await exportOnce(target, 'edited.md', 'v1');
      const updated = await exportOnce(target, 'edited.md', 'v2');
      await exportOnce(target, 'edited.md', 'v3 by someone else');
      await assert.rejects(target.rollback(updated.rollback), rejectsWith('ROLLBACK_FAILED', /changed after the export; it was not restored/));
      await assert.rejects(target.rollback(created.rollback), rejectsWith('ROLLBACK_FAILED', /changed after the export; it was left in place/));
      assert.equal((await rows())[0]?.['content'], 'v3 by someone else');
    });
  });
});
