import { strict as assert } from 'node:assert';
import { join, resolve } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { composeApp, type App } from '../../../server/src/app/compose';
import { systemClock } from '../../../server/src/clock';
import { parseConfig } from '../../../server/src/config';
import { newMasterKeyText } from '../../../server/src/team/crypto';
import { openTidbStore } from '../../../server/src/store/tidb/openTidbStore';
import { type LspTestClient, startBuiltServer, tempWorkspace, type TempWorkspace } from '../lsp/lspClient';
import { sharedMariaDb, type MariaDb, type TestDatabase } from '../../support/mariadb';

/**
 * The team store's shared templates and destinations through the language
 * server over stdio (dist/server.js), as the extension drives it: the
 * template list (team, custom, created_by), the destination list (shared,
 * owner), Manage Destinations' requests (list, share with the member's own
 * SecretStorage credential, apply, remove), and the `user` setting as the
 * identity access is checked against.
 *
 * The server's job store is the team store too (issue 14 part A's TiDB store).
 */

const ROOT = resolve(__dirname, '..', '..', '..');
const TEMPLATE = '---\nname: Release Notes\noutput: markdown\nextension: .md\n---\n# {{metadata.title}}\n\n{{{content}}}\n';

interface ResponseErrorLike {
  data?: { code: string; message: string };
}

describe('Team store over stdio (dist/server.js): team templates, shared destinations, the user setting', function () {
  this.timeout(90_000);
  let server: MariaDb;
  let teamDb: TestDatabase;
  let targetDb: TestDatabase;
  let client: LspTestClient;
  let ws: TempWorkspace;
  let key: string;
  let storeEntry: Record<string, unknown>;

  before(async () => {
    server = await sharedMariaDb();
  });
  beforeEach(async () => {
    teamDb = await server.newDatabase('teamlsp');
    targetDb = await server.newDatabase('teamlspdest');
    key = newMasterKeyText();
    ws = await tempWorkspace();
    storeEntry = { type: 'tidb', host: server.host, port: server.port, user: teamDb.user, database: teamDb.database, tls: false };

    // Alice set the team store up from her CLI (the same application layer).
    const aliceStore = await openTidbStore(
      { type: 'tidb', host: server.host, port: server.port, user: teamDb.user, database: teamDb.database, tls: false },
      { getSecret: async (id, field) => (id === 'store' && field === 'password' ? teamDb.password : undefined), baseDir: ws.dir },
    );
    const alice: App = composeApp(
      {
        workspaceRoot: ws.dir,
        actor: 'alice',
        clock: systemClock,
        builtinTemplatesDir: join(ROOT, 'templates'),
        getSecret: async (id, field) => (({ 'store/password': teamDb.password, 'store/key': key }) as Record<string, string>)[`${id}/${field}`],
      },
      { config: parseConfig({ store: storeEntry }), trust: { trusted: true, workspaceDestinationIds: new Set() }, store: { store: aliceStore, dataDir: join(ws.dir, '.alice') } },
    );
    try {
      await alice.migrations.run();
      const template = await alice.team.reviewTemplate('release-notes', TEMPLATE);
      await alice.team.apply(template.transaction_id, true);
      const kb = { id: 'kb', type: 'tidb', name: 'Team KB', host: server.host, port: server.port, user: targetDb.user, database: targetDb.database, tls: false };
      const shared = await alice.team.reviewDestination(kb, { password: targetDb.password }, false);
      await alice.team.apply(shared.transaction_id, true);
    } finally {
      await alice.dispose();
      await aliceStore.close();
    }

    client = startBuiltServer({ storeDir: join(ws.dir, '.store') });
    client.settings = { store: storeEntry, user: 'alice' };
    client.secrets = { 'store/password': teamDb.password, 'store/key': key };
    await client.initialize(ws.uri);
  });
  afterEach(async () => {
    await client?.shutdown();
    await ws.cleanup();
  });

  const request = <R>(method: string, params: unknown) => client.connection.sendRequest<R>(method, params);

  async function rowsOf(db: TestDatabase, sql: string): Promise<Record<string, unknown>[]> {
    const connection: Connection = await db.connect();
    try {
      const [rows] = await connection.query(sql);
      return rows as Record<string, unknown>[];
    } finally {
      await connection.end();
    }
  }

  it('lists the team template (custom, created_by) and the shared destination (shared, owner); alice may administer it by her user setting', async () => {
    const templates = await request<{ id: string; type: string; source: string; created_by?: string; enabled: boolean }[]>('devguide/listTemplates', null);
    const team = templates.find((t) => t.id === 'release-notes');
    assert.deepEqual(team && [team.type, team.source, team.created_by, team.enabled], ['custom', 'team', 'alice', true]);

    const destinations = await request<{ id: string; shared?: boolean; owner?: string; enabled: boolean }[]>('devguide/listDestinations', null);
    const kb = destinations.find((d) => d.id === 'kb');
    assert.deepEqual(kb && [kb.shared, kb.owner, kb.enabled], [true, 'alice', true]);
    assert.equal(destinations.find((d) => d.id === 'local')?.shared, undefined);

    const shared = await request<{ id: string; owner: string; can_administer: boolean; credential_fields: string[] }[]>('devguide/listSharedDestinations', null);
    assert.deepEqual(shared.map((d) => [d.id, d.owner, d.can_administer, d.credential_fields]), [['kb', 'alice', true, ['password']]]);

    // The team template renders an export's preview; the shared destination's password is opened with the key.
    const preview = await request<{ transaction_id: string; review: { blocked: boolean; action: string } }>('devguide/previewExport', {
      source: { kind: 'file', path: join(ROOT, 'examples', 'chat-messages.jsonl') },
      template: 'release-notes',
      destination: 'kb',
      title: 'Release 1',
    });
    assert.equal(preview.review.blocked, false);
    assert.ok(!client.secretRequests.includes('kb/password'), 'the shared password is the team\'s, not asked from SecretStorage');
    await request('devguide/rejectReview', { transactionId: preview.transaction_id });
  });

  it('another user (the setting changed) is refused the shared destination with PERMISSION_DENIED', async () => {
    client.settings = { store: storeEntry, user: 'mallory' };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    let shared: { can_export: boolean }[] = [];
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      shared = await request<{ can_export: boolean }[]>('devguide/listSharedDestinations', null);
      if (shared[0]?.can_export === false) break;
      await new Promise((r) => setTimeout(r, wait));
    }
    await assert.rejects(
      request('devguide/previewExport', { source: { kind: 'file', path: join(ROOT, 'examples', 'chat-messages.jsonl') }, destination: 'kb', title: 'Nope' }),
      (e: ResponseErrorLike) => e.data?.code === 'PERMISSION_DENIED' && /mallory/.test(e.data.message),
    );
  });

  it('Manage Destinations: shares a destination with the member\'s own SecretStorage credential (sealed), then removes it', async () => {
    const docs = { id: 'docs', type: 'tidb', name: 'Docs', host: server.host, port: server.port, user: targetDb.user, database: targetDb.database, tls: false };
    client.secrets['docs/password'] = targetDb.password;
    const review = await request<{ transaction_id: string; risk_level: string; requires_accept: boolean; warnings: { code: string }[] }>('devguide/shareDestination', { config: docs });
    assert.equal(review.risk_level, 'high');
    assert.equal(review.requires_accept, true);
    assert.ok(review.warnings.some((w) => w.code === 'SHARED_CREDENTIALS'));
    await assert.rejects(request('devguide/applyTeamChange', { transactionId: review.transaction_id }), (e: ResponseErrorLike) => e.data?.code === 'REVIEW_REQUIRED');
    const again = await request<{ transaction_id: string }>('devguide/shareDestination', { config: docs });
    assert.deepEqual(await request('devguide/applyTeamChange', { transactionId: again.transaction_id, explicit: true }), { kind: 'destination', id: 'docs', version: 1 });
    const rows = await rowsOf(teamDb, "SELECT * FROM export_destinations WHERE destination_id = 'docs'");
    assert.equal(rows.length, 1);
    assert.ok(!JSON.stringify(rows).includes(targetDb.password));
    assert.deepEqual((await request<{ id: string }[]>('devguide/listSharedDestinations', null)).map((d) => d.id), ['docs', 'kb']);

    assert.equal(await request('devguide/removeSharedDestination', { destinationId: 'docs' }), null);
    assert.deepEqual((await request<{ id: string }[]>('devguide/listSharedDestinations', null)).map((d) => d.id), ['kb']);
  });
});

describe('The user setting over stdio (dist/server.js): who acts in audit events', function () {
  this.timeout(60_000);
  let client: LspTestClient;
  let ws: TempWorkspace;

  beforeEach(async () => {
    ws = await tempWorkspace();
    client = startBuiltServer({ storeDir: join(ws.dir, '.store') });
    client.settings = { user: 'alice', destinations: [{ id: 'out', type: 'local', baseDir: 'out' }], defaultDestination: 'out' };
    await client.initialize(ws.uri);
  });
  afterEach(async () => {
    await client.shutdown();
    await ws.cleanup();
  });

  async function exportAs(title: string): Promise<string[]> {
    const preview = await client.connection.sendRequest<{ transaction_id: string }>('devguide/previewExport', {
      source: { kind: 'file', path: join(ROOT, 'examples', 'chat-messages.jsonl') },
      title,
    });
    const run = await client.connection.sendRequest<{ job: { job_id: string; status: string } }>('devguide/createJob', { transactionId: preview.transaction_id, explicit: true });
    assert.equal(run.job.status, 'completed');
    const details = await client.connection.sendRequest<{ audit_events: { actor: string }[] }>('devguide/getJob', { jobId: run.job.job_id });
    return [...new Set(details.audit_events.map((e) => e.actor))];
  }

  it('records the user setting as the actor, and a changed setting from then on (not the OS user)', async () => {
    assert.deepEqual(await exportAs('As alice'), ['alice']);
    client.settings = { user: 'bob', destinations: [{ id: 'out', type: 'local', baseDir: 'out' }], defaultDestination: 'out' };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    let actors: string[] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      actors = await exportAs(`As bob ${attempt}`);
      if (actors.includes('bob')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(actors, ['bob']);
  });
});
