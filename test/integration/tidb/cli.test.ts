import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { EXAMPLES, requireBuiltCli, runBuiltCli as runCli, type BuiltCliRun as Run } from '../cliHarness';
import { sharedMariaDb, startMariaDb, type MariaDb, type TestDatabase } from '../../support/mariadb';

/**
 * End to end through the bundled CLI (node dist/cli.js) with a `tidb`
 * destination in --config: `db migrate`, export (CREATE, then UPDATE),
 * rollback, the review a medium-risk export needs, the process ending
 * (the pool closed), no password anywhere in the output; and the server
 * stopping mid-export: the job fails with CONNECTION_FAILED, no row is
 * half-written, and the same export succeeds once the server is back.
 */

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('TiDB destination end to end through the CLI (dist/cli.js)', function () {
  this.timeout(120_000);
  let dir: string;

  before(function () {
    requireBuiltCli();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'devguide-tidb-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function configFor(server: MariaDb, db: TestDatabase): Promise<{ config: string; env: Record<string, string> }> {
    const config = join(dir, 'devguide.json');
    await writeFile(config, JSON.stringify({ destinations: [{ id: 'kb', type: 'tidb', host: server.host, port: server.port, user: db.user, database: db.database, tls: false }] }));
    return { config, env: { DEVGUIDE_EXPORT_STORE: join(dir, '.store'), DEVGUIDE_ACTOR: 'tester', DEVGUIDE_SECRET_KB_PASSWORD: db.password } };
  }

  async function artifactRows(db: TestDatabase): Promise<{ filename: string; content: string }[]> {
    const connection = await db.connect();
    try {
      const [rows] = await connection.query('SELECT filename, content FROM exported_artifacts ORDER BY id');
      return rows as { filename: string; content: string }[];
    } finally {
      await connection.end();
    }
  }

  it('db migrate (idempotent), export CREATE then UPDATE, rollback; the review asks for --yes; never the password', async () => {
    const server = await sharedMariaDb();
    const db = await server.newDatabase('cli');
    const { config, env } = await configFor(server, db);
    const at = { cwd: dir, env };
    const transcript = join(EXAMPLES, 'chat-messages.jsonl');

    const migrated = await runCli(['db', 'migrate', '--config', config, '--json'], at);
    assert.equal(migrated.code, 0, migrated.stderr + migrated.stdout);
    assert.deepEqual(migrated.json(), { destinations: [{ destination_id: 'kb', resource: `tidb://${db.database}/exported_artifacts`, applied: [{ version: 1, description: 'create the artifact table' }] }] });
    const again = await runCli(['db', 'migrate', '--config', config], at);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /kb: tidb:\/\/\S+ up to date/);

    const unaccepted = await runCli(['export', transcript, '--config', config, '--dest', 'kb', '--filename', 'plan.md', '--json'], at);
    assert.equal(unaccepted.code, 3, 'a database export is medium risk: it needs --yes');
    assert.deepEqual(await artifactRows(db), []);

    const created = await runCli(['export', transcript, '--config', config, '--dest', 'kb', '--filename', 'plan.md', '--title', 'First', '--yes', '--json'], at);
    assert.equal(created.code, 0, created.stderr + created.stdout);
    const job = created.json<{ status: string; action: string; output_location: string; job_id: string; review: { risk_level: string; action: string } }>();
    assert.equal(job.status, 'completed');
    assert.equal(job.action, 'CREATE');
    assert.equal(job.review.risk_level, 'medium');
    assert.match(job.output_location, new RegExp(`^tidb://${db.database}/exported_artifacts/1$`));
    assert.ok(created.ms < 15_000, `the CLI ended (its pool closed) in ${created.ms} ms`);

    const updated = await runCli(['export', transcript, '--config', config, '--dest', 'kb', '--filename', 'plan.md', '--title', 'Second', '--yes', '--json'], at);
    assert.equal(updated.code, 0, updated.stderr + updated.stdout);
    const second = updated.json<{ action: string; job_id: string; review: { action: string } }>();
    assert.equal(second.review.action, 'UPDATE');
    assert.equal(second.action, 'UPDATE');
    assert.match((await artifactRows(db))[0]?.content ?? '', /Second/);

    const rolledBack = await runCli(['jobs', 'rollback', second.job_id, '--yes', '--json', '--config', config], at);
    assert.equal(rolledBack.code, 0, rolledBack.stderr + rolledBack.stdout);
    const rows = await artifactRows(db);
    assert.equal(rows.length, 1);
    assert.match(rows[0]?.content ?? '', /First/);

    const shown = await runCli(['jobs', 'show', job.job_id, '--json', '--config', config], at);
    for (const run of [migrated, again, unaccepted, created, updated, rolledBack, shown]) {
      assert.doesNotMatch(run.stdout + run.stderr, new RegExp(db.password), 'the password never appears');
    }
  });

  it('a wrong password: AUTH_EXPIRED, and the CLI exits (the review\'s pool is closed, it does not keep the process alive)', async () => {
    const server = await sharedMariaDb();
    const db = await server.newDatabase('cli_wrong_pw');
    const { config, env } = await configFor(server, db);
    const run = await runCli(['export', join(EXAMPLES, 'chat-messages.jsonl'), '--config', config, '--dest', 'kb', '--yes'], {
      cwd: dir,
      env: { ...env, DEVGUIDE_SECRET_KB_PASSWORD: 'not-the-password-42' },
      killAfterMs: 20_000,
    });
    assert.equal(run.signal, null, 'the CLI had to be killed: something kept it alive after the error');
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /AUTH_EXPIRED/);
    assert.ok(!`${run.stdout}${run.stderr}`.includes('not-the-password-42'));
  });

  it('an injection-shaped table name is DESTINATION_CONFIG_INVALID and nothing runs', async () => {
    const config = join(dir, 'evil.json');
    await writeFile(config, JSON.stringify({ destinations: [{ id: 'kb', type: 'tidb', host: '127.0.0.1', port: 1, user: 'u', database: 'd', table: 'x; DROP TABLE t; --', tls: false }] }));
    const run = await runCli(['db', 'migrate', '--config', config, '--json'], { cwd: dir, env: { DEVGUIDE_EXPORT_STORE: join(dir, '.store') } });
    assert.equal(run.code, 2);
    const { error } = run.json<{ error: { code: string; message: string } }>();
    assert.equal(error.code, 'DESTINATION_CONFIG_INVALID');
    assert.match(error.message, /destinations\[0\] \("kb"\)\.table: must be a plain SQL name/);
  });

  it('the server stopping mid-export: CONNECTION_FAILED, the job failed, no half-written row; the same export succeeds once it is back', async () => {
    // A server of its own: this test kills it. Locks wait long enough for the kill to land mid-transaction.
    const server = await startMariaDb({ lockWaitTimeoutS: 60 });
    let blocker: Connection | undefined;
    try {
      const db = await server.newDatabase('kill');
      const { config, env } = await configFor(server, db);
      const at = { cwd: dir, env };
      const transcript = join(EXAMPLES, 'chat-messages.jsonl');
      assert.equal((await runCli(['db', 'migrate', '--config', config], at)).code, 0);

      // Another session holds the filename's lock: the export's transaction stops there, inside its transaction.
      blocker = await db.connect();
      await blocker.query('START TRANSACTION');
      await blocker.query("INSERT INTO exported_artifacts (filename, content, content_hash) VALUES ('held.md', 'x', 'x')");
      const exporting = runCli(['export', transcript, '--config', config, '--dest', 'kb', '--filename', 'held.md', '--yes', '--json'], at);
      let ended: Run | undefined;
      void exporting.then((run) => (ended = run));
      await waitFor(async () => {
        if (ended) throw new Error(`the export ended before it waited on the lock: ${ended.stdout}${ended.stderr}`);
        // Its locking read is running: it cannot finish while the other session holds the row.
        const rows = (await server.sql("SELECT COUNT(*) AS waiting FROM information_schema.PROCESSLIST WHERE USER = ? AND INFO LIKE '%FOR UPDATE'", [db.user])) as { waiting: number | string }[];
        return Number(rows[0]?.waiting) > 0;
      }, 'the export to wait on the row lock');
      const killedAt = Date.now();
      await server.kill();
      blocker = undefined;

      const failed = await exporting;
      // Retries of a refused connection take well under a second; nothing (a statement's timer) keeps the CLI alive after.
      assert.ok(Date.now() - killedAt < 10_000, `the CLI ended ${Date.now() - killedAt} ms after the server stopped`);
      assert.equal(failed.code, 1, failed.stderr + failed.stdout);
      const job = failed.json<{ status: string; job_id: string; error: { code: string; message: string; recoverable: boolean } }>();
      assert.equal(job.status, 'failed');
      assert.equal(job.error.code, 'CONNECTION_FAILED');
      assert.equal(job.error.recoverable, true);
      assert.match(job.error.message, new RegExp(`${server.host}:${server.port}`));

      await server.restart();
      assert.deepEqual(await artifactRows(db), [], 'neither the export nor the killed session left a row');
      const listed = await runCli(['jobs', 'show', job.job_id, '--json', '--config', config], at);
      assert.equal(listed.json<{ status: string; error_code: string }>().status, 'failed');

      const retried = await runCli(['export', transcript, '--config', config, '--dest', 'kb', '--filename', 'held.md', '--yes', '--json'], at);
      assert.equal(retried.code, 0, retried.stderr + retried.stdout);
      assert.equal(retried.json<{ status: string }>().status, 'completed');
      assert.deepEqual((await artifactRows(db)).map((r) => r.filename), ['held.md']);
    } finally {
      await blocker?.end().catch(() => undefined);
      await server.stop();
    }
  });
});
