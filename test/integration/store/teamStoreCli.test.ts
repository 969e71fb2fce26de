import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { composeApp } from '../../../server/src/app/compose';
import { systemClock } from '../../../server/src/clock';
import { parseConfig } from '../../../server/src/config';
import { ExportError } from '../../../server/src/errors';
import { openTidbStore } from '../../../server/src/store/tidb/openTidbStore';
import { EXAMPLES, requireBuiltCli, runBuiltCli as runCli } from '../cliHarness';
import { sharedMariaDb, startMariaDb, type MariaDb, type TestDatabase } from '../../support/mariadb';

/**
 * The team store end to end: two CLI processes (dist/cli.js) exporting at
 * once into one shared history, each seeing the other's job; db migrate;
 * store import from a file store, twice (the second copies nothing); and
 * the database stopping mid-job — the job ends failed once the database is
 * back, never stuck running.
 */

const ROOT = resolve(__dirname, '..', '..', '..');
const TRANSCRIPT = join(EXAMPLES, 'chat-messages.jsonl');

type JobLine = { job_id: string; status: string; actor?: string; filename: string };

describe('Team store through the CLI (dist/cli.js) and faults (MariaDB)', function () {
  this.timeout(120_000);
  let dir: string;
  let server: MariaDb;
  let db: TestDatabase;

  before(function () {
    requireBuiltCli();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'devguide-team-store-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function teamConfig(): Promise<{ config: string; env: Record<string, string> }> {
    server = await sharedMariaDb();
    db = await server.newDatabase('team_cli');
    const config = join(dir, 'team.json');
    await writeFile(
      config,
      JSON.stringify({ store: { type: 'tidb', host: server.host, port: server.port, user: db.user, database: db.database, tls: false }, destinations: [{ id: 'notes', type: 'local', baseDir: 'out' }], defaultDestination: 'notes' }),
    );
    return { config, env: { DEVGUIDE_SECRET_STORE_PASSWORD: db.password, DEVGUIDE_EXPORT_STORE: join(dir, '.unused-local-store') } };
  }

  it('db migrate; two processes exporting at once share one history: each sees both jobs, with their actors; no password in any output', async () => {
    const { config, env } = await teamConfig();
    const at = { cwd: dir, env };
    const migrated = await runCli(['db', 'migrate', '--config', config, '--json'], at);
    assert.equal(migrated.code, 0, migrated.stderr + migrated.stdout);
    const parts = migrated.json<{ destinations: { destination_id: string; resource: string; applied: unknown[] }[] }>().destinations;
    assert.match(parts[0]?.resource ?? '', /jobs, audit, security events/);

    const [ana, ben] = await Promise.all([
      runCli(['export', TRANSCRIPT, '--config', config, '--filename', 'ana.md', '--title', 'Ana', '--json'], { cwd: dir, env: { ...env, DEVGUIDE_USER: 'ana' } }),
      runCli(['export', TRANSCRIPT, '--config', config, '--filename', 'ben.md', '--title', 'Ben', '--json'], { cwd: dir, env: { ...env, DEVGUIDE_USER: 'ben' } }),
    ]);
    assert.equal(ana.code, 0, ana.stderr + ana.stdout);
    assert.equal(ben.code, 0, ben.stderr + ben.stdout);
    for (const user of ['ana', 'ben']) {
      const listed = await runCli(['jobs', 'list', '--config', config, '--json'], { cwd: dir, env: { ...env, DEVGUIDE_USER: user } });
      assert.equal(listed.code, 0, listed.stderr);
      const jobs = listed.json<{ jobs: JobLine[] }>().jobs;
      assert.deepEqual(jobs.map((j) => `${j.filename}:${j.status}:${j.actor}`).sort(), ['ana.md:completed:ana', 'ben.md:completed:ben']);
    }
    // The seed's §7.2 queries, in SQL.
    const list = async (...flags: string[]) => {
      const run = await runCli(['jobs', 'list', '--config', config, '--json', ...flags], at);
      assert.equal(run.code, 0, run.stderr);
      return run.json<{ jobs?: JobLine[]; stats?: unknown[]; pagination?: { total: number } }>();
    };
    assert.deepEqual((await list('--stats')).stats, [{ destination_type: 'local', status: 'completed', count: 2 }]);
    assert.equal((await list('--failed-within', '24h')).jobs?.length, 0);
    assert.equal((await list('--dest', 'notes', '--since', '1h')).jobs?.length, 2);
    assert.equal((await list('--type', 'github')).jobs?.length, 0);
    assert.equal((await list('--since', '2999-01-01')).jobs?.length, 0);
    const page = await list('--limit', '1');
    assert.equal(page.jobs?.length, 1);
    assert.equal(page.pagination?.total, 2);
    const bad = await runCli(['jobs', 'list', '--config', config, '--since', 'yesterday'], at);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /--since expects a date .* or a duration such as 30m, 24h or 7d, not "yesterday"/);

    for (const run of [migrated, ana, ben]) assert.ok(!`${run.stdout}${run.stderr}`.includes(db.password));
  });

  it('store import copies a file store into the team store once; a second run copies nothing', async () => {
    const { config, env } = await teamConfig();
    const local = join(dir, 'my-store');
    const localConfig = join(dir, 'local.json');
    await writeFile(localConfig, JSON.stringify({ destinations: [{ id: 'notes', type: 'local', baseDir: 'out' }], defaultDestination: 'notes' }));
    for (const name of ['one', 'two']) {
      const run = await runCli(['export', TRANSCRIPT, '--config', localConfig, '--store', local, '--filename', `${name}.md`, '--json'], { cwd: dir, env });
      assert.equal(run.code, 0, run.stderr + run.stdout);
    }
    const first = await runCli(['store', 'import', '--from', local, '--config', config, '--json'], { cwd: dir, env });
    assert.equal(first.code, 0, first.stderr + first.stdout);
    const imported = first.json<{ imported: { jobs: number; audit: number }; read: { jobs: number; audit: number } }>();
    assert.equal(imported.imported.jobs, 2);
    assert.equal(imported.read.jobs, 2);
    assert.ok(imported.imported.audit > 0);
    assert.equal(imported.imported.audit, imported.read.audit);
    const second = await runCli(['store', 'import', '--from', local, '--config', config], { cwd: dir, env });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /Imported from .*: 0 of 2 jobs, 0 of \d+ audit events/);
    const listed = await runCli(['jobs', 'list', '--config', config, '--json'], { cwd: dir, env });
    assert.deepEqual(listed.json<{ jobs: JobLine[] }>().jobs.map((j) => j.filename).sort(), ['one.md', 'two.md']);

    const missing = await runCli(['store', 'import', '--from', join(dir, 'nowhere'), '--config', config], { cwd: dir, env });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /not a DevGuide Export store folder/);
  });

  it("the database stopping as a job ends: once the database is back the job's ending is written — never stuck running", async () => {
    const own = await startMariaDb();
    try {
      const teamDb = await own.newDatabase('team_fault');
      let killOn = -1;
      let updates = 0;
      const store = await openTidbStore(
        { type: 'tidb', host: own.host, port: own.port, user: teamDb.user, database: teamDb.database, tls: false },
        {
          getSecret: async (id, field) => (id === 'store' && field === 'password' ? teamDb.password : undefined),
          baseDir: dir,
          connectTimeoutMs: 2_000,
          maxRetries: 0,
          // The job's second update (running → completed) finds the server gone.
          beforeStatement: async (sql) => {
            if (!/^UPDATE `export_jobs`/.test(sql)) return;
            updates += 1;
            if (updates === killOn) await own.kill();
          },
        },
      );
      const app = composeApp(
        { workspaceRoot: dir, actor: 'ana', clock: systemClock, builtinTemplatesDir: join(ROOT, 'templates'), getSecret: async () => undefined },
        {
          config: parseConfig({ destinations: [{ id: 'notes', type: 'local', baseDir: 'out' }], defaultDestination: 'notes', limits: { maxRetries: 0 } }),
          trust: { trusted: true, workspaceDestinationIds: new Set() },
          store: { store, dataDir: join(dir, '.data') },
        },
      );
      try {
        await store.migrate();
        killOn = 2;
        // The export's own answer depends on where the ending was lost (it is written after the file); what matters is the record.
        await app.exports.exportNow({ source: { kind: 'file', path: TRANSCRIPT }, destination: 'notes', filename: 'cut.md' }, { yes: true, force: false }).catch(() => undefined);
        assert.ok(updates >= 2, 'the server went away as the job ended');
        const before = await store.listJobs().then(
          () => 'listed',
          (e: unknown) => (e instanceof ExportError ? e.code : String(e)),
        );
        assert.equal(before, 'CONNECTION_FAILED', 'the store says the database is unreachable');
        killOn = -1;
        await own.restart();
        const [job] = await store.listJobs();
        assert.ok(job, 'the job was recorded before the server went away');
        assert.ok(job.status === 'completed' || job.status === 'failed', `the job ended (${job.status}), written once the database was back`);
        assert.equal((await store.getJob(job.job_id))?.status, job.status);
      } finally {
        await app.dispose();
        await store.close();
      }
    } finally {
      await own.stop();
    }
  });
});
