import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { composeApp, type App } from '../../../server/src/app/compose';
import { systemClock } from '../../../server/src/clock';
import { parseConfig } from '../../../server/src/config';
import type { ExportError } from '../../../server/src/errors';
import { newMasterKeyText } from '../../../server/src/team/crypto';
import { TEAM_TABLES } from '../../../server/src/team/teamSql';
import { openTidbStore } from '../../../server/src/store/tidb/openTidbStore';
import type { Store } from '../../../server/src/store/types';
import { sharedMariaDb, type MariaDb, type TestDatabase } from '../../support/mariadb';

/**
 * The team store's shared part through the application layer, against a
 * real MariaDB: the shared tables' migration, a template published through
 * the Bin and used by an export, a shared TiDB destination whose password
 * is sealed (no table row holds it), and who may export there (owner,
 * grantees) — the others get PERMISSION_DENIED and an access_denied event;
 * a wrong key and a changed ciphertext never reach the destination.
 */

const ROOT = resolve(__dirname, '..', '..', '..');
const TRANSCRIPT = join(ROOT, 'examples', 'chat-messages.jsonl');
const NOTES = '---\nname: Team Notes\noutput: markdown\nextension: .md\n---\n# {{metadata.title}} (team notes)\n\n{{{content}}}\n';

/** A JSON column as mysql2 returns it: parsed (MySQL, TiDB, MariaDB's JSON alias) or text. */
function jsonColumn(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}

describe('Team store: shared templates, destinations and access (MariaDB)', function () {
  this.timeout(60_000);
  let server: MariaDb;
  let teamDb: TestDatabase;
  let targetDb: TestDatabase;
  let dir: string;
  let store: Store;
  let key: string;
  const apps: App[] = [];

  before(async () => {
    server = await sharedMariaDb();
  });
  beforeEach(async () => {
    teamDb = await server.newDatabase('team');
    targetDb = await server.newDatabase('teamdest');
    dir = await mkdtemp(join(tmpdir(), 'devguide-team-'));
    // The team's jobs and events in the same database (the team store's records part).
    store = await openTidbStore(
      { type: 'tidb', host: server.host, port: server.port, user: teamDb.user, database: teamDb.database, tls: false },
      { getSecret: async (id, field) => (id === 'store' && field === 'password' ? teamDb.password : undefined), baseDir: dir },
    );
    key = newMasterKeyText();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.dispose();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** One member's App: their identity, their copy of the team key, the same team store. */
  function member(actor: string, options: { key?: string; secrets?: Record<string, string> } = {}): App {
    const config = parseConfig({
      store: { type: 'tidb', host: server.host, port: server.port, user: teamDb.user, database: teamDb.database, tls: false },
      destinations: [{ id: 'notes', type: 'local', baseDir: 'out' }],
      defaultDestination: 'notes',
    });
    const secrets: Record<string, string> = { 'store/password': teamDb.password, 'store/key': options.key ?? key, ...options.secrets };
    const app = composeApp(
      { workspaceRoot: dir, actor, clock: systemClock, builtinTemplatesDir: join(ROOT, 'templates'), getSecret: async (id, field) => secrets[`${id}/${field}`] },
      { config, trust: { trusted: true, workspaceDestinationIds: new Set() }, store: { store, dataDir: join(dir, '.data', actor) } },
    );
    apps.push(app);
    return app;
  }

  const kbEntry = () => ({ id: 'kb', type: 'tidb', name: 'Team KB', host: server.host, port: server.port, user: targetDb.user, database: targetDb.database, tls: false });

  async function rowsOf(db: TestDatabase, sql: string): Promise<Record<string, unknown>[]> {
    const connection: Connection = await db.connect();
    try {
      const [rows] = await connection.query(sql);
      return rows as Record<string, unknown>[];
    } finally {
      await connection.end();
    }
  }

  /** Alice migrates, shares kb with its password sealed, and creates kb's table. */
  async function aliceSharesKb(): Promise<App> {
    const alice = member('alice');
    const migrated = await alice.migrations.run();
    // The team store's records, then its shared tables.
    assert.deepEqual(migrated.map((m) => [m.destination_id, m.applied.map((a) => a.version)]), [['store', [1, 2]], ['store', [1]]]);
    const review = await alice.team.reviewDestination(kbEntry(), { password: targetDb.password }, false);
    assert.equal(review.blocked, false, review.reason_message ?? '');
    assert.equal(review.requires_accept, true);
    await assert.rejects(alice.team.apply(review.transaction_id, false), (e: ExportError) => e.code === 'REVIEW_REQUIRED');
    const again = await alice.team.reviewDestination(kbEntry(), { password: targetDb.password }, false);
    await alice.team.apply(again.transaction_id, true);
    await alice.migrations.run('kb');
    return alice;
  }

  const exportTo = (app: App, destination: string, title: string) =>
    app.exports.exportNow({ source: { kind: 'file', path: TRANSCRIPT }, destination, title }, { yes: true, force: false });

  it('db migrate creates the three shared tables once (a second run applies nothing)', async () => {
    const app = member('alice');
    // The store's records (versions 1 and 2), then its shared tables.
    assert.deepEqual((await app.migrations.run()).map((r) => r.applied.length), [2, 1]);
    assert.deepEqual((await app.migrations.run()).map((r) => r.applied.length), [0, 0]);
    const tables = (await rowsOf(teamDb, 'SHOW TABLES')).map((r) => Object.values(r)[0]);
    for (const table of TEAM_TABLES) assert.ok(tables.includes(table), table);
  });

  it('templates publish: a critical review that needs Accept; then listed as custom with created_by and used by an export', async () => {
    const alice = member('alice');
    await alice.migrations.run();
    const review = await alice.team.reviewTemplate('team-notes', NOTES);
    assert.equal(review.risk_level, 'critical');
    assert.equal(review.requires_accept, true);
    assert.equal(review.action, 'CREATE');
    await assert.rejects(alice.team.apply(review.transaction_id, false), (e: ExportError) => e.code === 'REVIEW_REQUIRED');
    assert.equal((await rowsOf(teamDb, 'SELECT * FROM export_templates')).length, 0, 'nothing stored before the Accept');
    const accepted = await alice.team.reviewTemplate('team-notes', NOTES);
    assert.deepEqual(await alice.team.apply(accepted.transaction_id, true), { kind: 'template', id: 'team-notes', version: 1 });
    const actions = (await store.listAudit({ transactionId: accepted.transaction_id })).map((e) => e.action);
    assert.deepEqual(actions, ['CreateTemplate.preflight', 'CreateTemplate.accept', 'CreateTemplate.commit']);

    // Bob, another member, sees it and exports with it.
    const bob = member('bob');
    const listed = (await bob.catalog.templates()).find((t) => t.id === 'team-notes');
    assert.ok(listed);
    assert.equal(listed.type, 'custom');
    assert.equal(listed.source, 'team');
    assert.equal(listed.created_by, 'alice');
    assert.equal(listed.name, 'Team Notes');
    const run = await bob.exports.exportNow({ source: { kind: 'file', path: TRANSCRIPT }, template: 'team-notes', title: 'Standup' }, { yes: true, force: false });
    assert.equal(run.status, 'completed');
    assert.ok('job' in run && run.job.template_id === 'team-notes');

    // A workspace file of the id stays a workspace file: New Template cannot create it over the draft the team version hides.
    await mkdir(join(dir, '.devguide', 'templates'), { recursive: true });
    await writeFile(join(dir, '.devguide', 'templates', 'team-notes.hbs'), NOTES);
    const shadowed = await alice.changes.review({ kind: 'template', type: 'CreateTemplate', id: 'team-notes', text: NOTES });
    assert.equal(shadowed.reason, 'NAME_NOT_UNIQUE');

    // Publishing again is an UPDATE of version 1; a change under it in between is a CONFLICT.
    const update = await bob.team.reviewTemplate('team-notes', NOTES.replace('(team notes)', '(v2)'));
    assert.equal(update.action, 'UPDATE');
    const racing = await alice.team.reviewTemplate('team-notes', NOTES.replace('(team notes)', '(v2 by alice)'));
    assert.deepEqual(await alice.team.apply(racing.transaction_id, true), { kind: 'template', id: 'team-notes', version: 2 });
    await assert.rejects(bob.team.apply(update.transaction_id, true), (e: ExportError) => e.code === 'CONFLICT');
  });

  it('a template that does not compile is blocked; without a team store publish is refused', async () => {
    const alice = member('alice');
    await alice.migrations.run();
    const broken = await alice.team.reviewTemplate('broken', '---\nname: B\noutput: markdown\n---\n{{#each messages}}\n');
    assert.equal(broken.blocked, true);
    assert.equal(broken.reason, 'TEMPLATE_INVALID');
    const solo = composeApp(
      { workspaceRoot: dir, actor: 'solo', clock: systemClock, builtinTemplatesDir: join(ROOT, 'templates'), getSecret: async () => undefined },
      { config: parseConfig({}), trust: { trusted: true, workspaceDestinationIds: new Set() }, store: { store, dataDir: join(dir, '.solo') } },
    );
    apps.push(solo);
    await assert.rejects(solo.team.reviewTemplate('x', NOTES), (e: ExportError) => e.code === 'INVALID_INPUT' && /team store/.test(e.message));
  });

  it('a shared destination: listed as shared; its password sealed (no row of any team table holds it); the owner exports with it', async () => {
    const alice = await aliceSharesKb();
    const listed = (await alice.catalog.destinations()).find((d) => d.id === 'kb');
    assert.ok(listed);
    assert.equal(listed.shared, true);
    assert.equal(listed.owner, 'alice');

    const run = await exportTo(alice, 'kb', 'Shared export');
    assert.equal(run.status, 'completed', JSON.stringify(run.status === 'completed' ? '' : run));
    assert.equal((await rowsOf(targetDb, 'SELECT filename FROM exported_artifacts')).length, 1);

    // Every table of the team's database: the shared ones, the store's records, rollback data, the migration ledger.
    const tables = (await rowsOf(teamDb, 'SHOW TABLES')).map((r) => String(Object.values(r)[0]));
    for (const table of [...TEAM_TABLES, 'export_jobs', 'audit_logs', 'security_audit_logs', 'devguide_export_migrations']) assert.ok(tables.includes(table), table);
    for (const table of tables) {
      const rows = await rowsOf(teamDb, `SELECT * FROM \`${table}\``);
      for (const row of rows) {
        const text = JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
        assert.ok(!text.includes(targetDb.password), `${table} holds the password in clear`);
        assert.ok(!text.includes(Buffer.from(targetDb.password).toString('base64')), `${table} holds the password as base64`);
        assert.ok(!text.includes(key), `${table} holds the team key`);
      }
    }
    const [row] = await rowsOf(teamDb, 'SELECT encrypted_credentials FROM export_destinations');
    const sealed = jsonColumn(row?.['encrypted_credentials']) as Record<string, { alg: string; v: number }>;
    assert.deepEqual(Object.keys(sealed), ['password']);
    assert.equal(sealed['password']?.alg, 'A256GCM');
    assert.equal(sealed['password']?.v, 1);
  });

  it('access: another member is refused (PERMISSION_DENIED + access_denied, nothing written) until granted write; only the owner or an admin grants', async () => {
    const alice = await aliceSharesKb();
    const bob = member('bob');
    await assert.rejects(exportTo(bob, 'kb', 'Bob tries'), (e: ExportError) => e.code === 'PERMISSION_DENIED' && /bob/.test(e.message));
    const denied = (await store.listSecurity()).filter((e) => e.type === 'access_denied');
    assert.equal(denied.length, 1);
    assert.equal(denied[0]?.actor, 'bob');
    assert.equal(denied[0]?.resource, 'destination:kb');
    assert.equal((await rowsOf(targetDb, 'SELECT * FROM exported_artifacts')).length, 0);

    await assert.rejects(bob.team.grant('kb', 'bob', 'write'), (e: ExportError) => e.code === 'PERMISSION_DENIED');
    await assert.rejects(bob.team.removeDestination('kb'), (e: ExportError) => e.code === 'PERMISSION_DENIED');
    await alice.team.grant('kb', 'bob', 'read');
    await assert.rejects(exportTo(bob, 'kb', 'Read is not write'), (e: ExportError) => e.code === 'PERMISSION_DENIED');
    await alice.team.grant('kb', 'bob', 'write');
    const run = await exportTo(bob, 'kb', 'Bob exports');
    assert.equal(run.status, 'completed');
    assert.equal((await rowsOf(targetDb, 'SELECT * FROM exported_artifacts')).length, 1);
    const list = await bob.team.listDestinations();
    assert.deepEqual(list.map((d) => [d.id, d.owner, d.can_export, d.can_administer, d.credential_fields]), [['kb', 'alice', true, false, ['password']]]);

    // An admin grant lets carol administer it; revoking bob's takes his exports away again.
    await alice.team.grant('kb', 'carol', 'admin');
    const carol = member('carol');
    assert.deepEqual(await carol.team.revoke('kb', 'bob'), { revoked: true });
    await assert.rejects(exportTo(member('bob'), 'kb', 'Revoked'), (e: ExportError) => e.code === 'PERMISSION_DENIED');
    await carol.team.removeDestination('kb');
    assert.equal((await rowsOf(teamDb, 'SELECT * FROM destination_access')).length, 0, 'its access list went with it');
  });

  it('rollback data lives in the team store: an update alice made on her machine is rolled back by bob on his', async () => {
    const alice = await aliceSharesKb();
    await alice.team.grant('kb', 'bob', 'write');
    const toRelease = (title: string) => alice.exports.exportNow({ source: { kind: 'file', path: TRANSCRIPT }, destination: 'kb', title, filename: 'release.md' }, { yes: true, force: false });
    assert.equal((await toRelease('Release 1')).status, 'completed');
    const update = await toRelease('Release 2');
    assert.equal(update.status, 'completed');
    assert.ok(update.status === 'completed' && update.job.action === 'UPDATE');
    const jobId = update.status === 'completed' ? update.job.job_id : '';
    const [before] = await rowsOf(targetDb, "SELECT content FROM exported_artifacts WHERE filename = 'release.md'");
    assert.match(String(before?.['content']), /Release 2/);
    // What the update replaced is in the team's database, not in alice's data folder.
    assert.equal((await rowsOf(teamDb, 'SELECT hash FROM rollback_objects')).length, 1);
    assert.equal(existsSync(join(dir, '.data', 'alice', 'backups', 'tidb', 'objects')), false);

    const bob = member('bob');
    const rolled = await bob.jobs.rollback(jobId);
    assert.equal(rolled.status, 'rolled_back');
    const [after] = await rowsOf(targetDb, "SELECT content FROM exported_artifacts WHERE filename = 'release.md'");
    assert.match(String(after?.['content']), /Release 1/);
    assert.doesNotMatch(String(after?.['content']), /Release 2/);
    // Its marker released; nothing needs the content any more once no completed job refers to it: pruned.
    assert.equal((await rowsOf(teamDb, 'SELECT job_id FROM rollback_markers')).length, 0);
    assert.equal((await rowsOf(teamDb, 'SELECT hash FROM rollback_objects')).length, 0);
  });

  it('a local file written on another machine is not rolled back from this one: ROLLBACK_FAILED naming that machine, the file left alone', async () => {
    const alice = member('alice');
    const run = await exportTo(alice, 'notes', 'Written on her laptop');
    assert.equal(run.status, 'completed');
    const job = run.status === 'completed' ? run.job : undefined;
    const written = join(dir, String(job?.output_location).replace(/^.*?out\//, 'out/'));
    assert.ok(existsSync(written), written);
    const record = await store.getJob(String(job?.job_id));
    await store.updateJob(String(job?.job_id), { owner: { ...(record?.owner ?? { pid: 1, started_at: new Date().toISOString() }), host: 'alice-laptop' } });
    await assert.rejects(member('bob').jobs.rollback(String(job?.job_id)), (e: ExportError) => e.code === 'ROLLBACK_FAILED' && /alice-laptop; roll it back there/.test(e.message));
    assert.ok(existsSync(written), 'the file is left alone');
    assert.equal((await store.getJob(String(job?.job_id)))?.status, 'completed');
  });

  it('a wrong key is AUTH_EXPIRED and a changed ciphertext DESTINATION_CONFIG_INVALID: nothing reaches the destination', async () => {
    await aliceSharesKb();
    const wrong = member('alice', { key: newMasterKeyText() });
    await assert.rejects(exportTo(wrong, 'kb', 'Wrong key'), (e: ExportError) => e.code === 'AUTH_EXPIRED' && /team store key/.test(e.message) && !e.message.includes(targetDb.password));
    const none = member('alice', { key: '' });
    await assert.rejects(exportTo(none, 'kb', 'No key'), (e: ExportError) => e.code === 'AUTH_EXPIRED' && /DEVGUIDE_STORE_KEY/.test(e.message));
    const malformed = member('alice', { key: 'not-a-key' });
    await assert.rejects(exportTo(malformed, 'kb', 'Bad key'), (e: ExportError) => e.code === 'AUTH_EXPIRED' && /base64 of 32 random bytes/.test(e.message));

    // Someone with write access to the database flips a ciphertext byte.
    const [row] = await rowsOf(teamDb, 'SELECT encrypted_credentials FROM export_destinations');
    const sealed = jsonColumn(row?.['encrypted_credentials']) as Record<string, { c: string }>;
    const bytes = Buffer.from(sealed['password']?.c ?? '', 'base64');
    bytes[0] = (bytes[0] as number) ^ 0x20;
    (sealed['password'] as { c: string }).c = bytes.toString('base64');
    const connection = await teamDb.connect();
    await connection.execute('UPDATE export_destinations SET encrypted_credentials = ? WHERE destination_id = ?', [JSON.stringify(sealed), 'kb']);
    await connection.end();
    const alice = member('alice');
    await assert.rejects(exportTo(alice, 'kb', 'Tampered'), (e: ExportError) => e.code === 'DESTINATION_CONFIG_INVALID' && /integrity/.test(e.message));
    assert.equal((await rowsOf(targetDb, 'SELECT * FROM exported_artifacts')).length, 0);
  });

  it('a shared destination cannot take an id the settings (unless it is that entry) or the store use, nor carry a credential in its entry; unknown credential fields are refused', async () => {
    const alice = member('alice');
    await alice.migrations.run();
    for (const id of ['notes', 'local', 'store']) {
      const review = await alice.team.reviewDestination({ ...kbEntry(), id }, {}, false);
      assert.equal(review.reason, 'NAME_NOT_UNIQUE', id);
    }
    // Her own settings' entry as it stands (what Manage Destinations offers): shared, with a word that hers stays in use on her machine.
    const own = await alice.team.reviewDestination({ id: 'notes', type: 'local', baseDir: 'out' }, {}, false);
    assert.equal(own.blocked, false, own.reason_message ?? '');
    assert.ok(own.warnings.some((w) => w.code === 'OWN_SETTINGS_ENTRY'));
    await alice.team.apply(own.transaction_id, true);
    assert.deepEqual((await alice.team.listDestinations()).map((d) => [d.id, d.owner]), [['notes', 'alice']]);
    const withSecret = await alice.team.reviewDestination({ id: 'gh', type: 'github', repo: 'acme/docs', token: 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB' }, {}, false);
    assert.equal(withSecret.blocked, true);
    const unknownField = await alice.team.reviewDestination(kbEntry(), { token: 'x' }, false);
    assert.equal(unknownField.reason, 'DESTINATION_CONFIG_INVALID');
  });
});
