import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { databaseSourcesOf } from '../../../client/src/transcript/databaseSources';
import { type LspTestClient, startBuiltServer, tempWorkspace, type TempWorkspace } from '../lsp/lspClient';
import { createChatMessagesTable, insertChatRows } from '../../support/chatMessages';
import { sharedMariaDb, type MariaDb, type TestDatabase } from '../../support/mariadb';

/**
 * A tidb destination and a chat_messages source through the language
 * server over stdio (dist/server.js), as the extension drives it: settings
 * from workspace/configuration, passwords answered to devguide/getSecret
 * (SecretStorage), Test Destination, the source's sessions and messages,
 * preview → createJob → the row exists; shutdown closes the pools.
 */

interface ResponseErrorLike {
  data?: { code: string; message: string };
}

describe('TiDB destination and chat_messages source over stdio (dist/server.js)', function () {
  this.timeout(60_000);
  let server: MariaDb;
  let db: TestDatabase;
  let client: LspTestClient;
  let ws: TempWorkspace;

  before(async () => {
    server = await sharedMariaDb();
    db = await server.newDatabase('lsp');
    const connection = await db.connect();
    await createChatMessagesTable(connection);
    await insertChatRows(connection, [
      { id: 'q1', session_id: 'team-1', role: 'user', content: 'Where do exports go?', created_at: '2026-04-01T08:00:00.000Z' },
      { id: 'a1', session_id: 'team-1', role: 'assistant', agent_id: 'claude', content: null, metadata: { blocks: [{ id: 'a1-t', kind: 'text', content: 'Into exported_artifacts.' }] }, created_at: '2026-04-01T08:00:05.000Z' },
    ]);
    await connection.end();
  });
  beforeEach(async () => {
    ws = await tempWorkspace();
    client = startBuiltServer({ storeDir: join(ws.dir, '.store') });
    client.settings = {
      destinations: [{ id: 'kb', type: 'tidb', host: server.host, port: server.port, user: db.user, database: db.database, tls: false }],
      sources: [{ id: 'team', name: 'Team chats', type: 'tidb', host: server.host, port: server.port, user: db.user, database: db.database, tls: false }],
    };
    await client.initialize(ws.uri);
  });
  afterEach(async () => {
    await client.shutdown();
    assert.ok(!client.serverLog.some((l) => /killed by/.test(l)), `the server exited by itself on exit (pools closed): ${client.serverLog.join('\n')}`);
    await ws.cleanup();
  });

  const request = <R>(method: string, params: unknown) => client.connection.sendRequest<R>(method, params);

  it('tests the destination, lists the source, previews and publishes a row; passwords come from devguide/getSecret only', async () => {
    client.secrets = { 'kb/password': db.password, 'source:team/password': db.password };
    const [source] = databaseSourcesOf((client.settings as { sources: unknown }).sources);
    assert.ok(source);

    const tested = await request<{ ok: boolean; message: string; latencyMs: number }>('devguide/testDestination', { destinationId: 'kb' });
    assert.equal(tested.ok, true, tested.message);
    assert.match(tested.message, /round trip \d+ ms/);

    const listed = await request<{ format: string; sessions: { id: string; message_count: number; messages: unknown[] }[] }>('devguide/listSessions', { path: source.address });
    assert.deepEqual(listed.sessions.map((s) => [s.id, s.message_count]), [['team-1', 2]]);
    const one = await request<{ sessions: { messages: { id: string; blocks: { id: string }[] }[] }[] }>('devguide/listSessions', { path: source.address, sessionId: 'team-1' });
    assert.deepEqual(one.sessions[0]?.messages.map((m) => m.blocks.map((b) => b.id)), [['q1#0'], ['a1-t']]);

    const preview = await request<Record<string, any>>('devguide/previewExport', {
      source: { kind: 'file', path: source.address },
      sessionId: 'team-1',
      destination: 'kb',
      filename: 'where-exports-go.md',
      title: 'Where exports go',
    });
    assert.equal(preview['review'].action, 'CREATE');
    assert.equal(preview['review'].risk_level, 'medium');
    assert.equal(preview['review'].requires_accept, true);
    const created = await request<{ job: Record<string, any> }>('devguide/createJob', { transactionId: preview['transaction_id'], explicit: true });
    assert.equal(created.job['status'], 'completed', JSON.stringify(created));
    assert.match(created.job['output_location'], new RegExp(`^tidb://${db.database}/exported_artifacts/\\d+$`));
    assert.equal(created.job['source'], source.address);

    const connection = await db.connect();
    const [rows] = await connection.query('SELECT filename, content FROM exported_artifacts');
    await connection.end();
    const [row] = rows as { filename: string; content: string }[];
    assert.equal(row?.filename, 'where-exports-go.md');
    assert.match(row?.content ?? '', /Into exported_artifacts\./);

    assert.ok(client.secretRequests.includes('kb/password'));
    assert.ok(client.secretRequests.includes('source:team/password'));
    const jobs = JSON.stringify(await request('devguide/getJob', { jobId: created.job['job_id'] }));
    assert.doesNotMatch(jobs, new RegExp(db.password), 'no password in the job or its audit trail');
  });

  it('without a stored password: the source answers AUTH_EXPIRED (the client then asks for it), Test Destination says what is wrong', async () => {
    const [source] = databaseSourcesOf((client.settings as { sources: unknown }).sources);
    const error = await request('devguide/listSessions', { path: source?.address }).then(
      () => assert.fail('expected AUTH_EXPIRED'),
      (e: ResponseErrorLike) => e,
    );
    assert.equal(error.data?.code, 'AUTH_EXPIRED');
    assert.match(error.data?.message ?? '', new RegExp(`rejected user "${db.user}"`));
    const tested = await request<{ ok: boolean; message: string }>('devguide/testDestination', { destinationId: 'kb' });
    assert.equal(tested.ok, false);
    assert.match(tested.message, /Set Destination Credential/);
  });
});
