import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTidbDestination } from '../../../server/src/destinations/tidb/destination';
import { checkedTidbConfig } from '../../../server/src/destinations/tidbDescriptor';
import type { Destination } from '../../../server/src/destinations/types';
import { createChatMessagesTable, insertChatRows } from '../../support/chatMessages';
import { sharedMariaDb, startMariaDb, type MariaDb, type TestDatabase } from '../../support/mariadb';
import { cliWorkspace } from '../cliHarness';
import { makeCertificates, type TestCertificates } from '../../support/tlsCertificates';

/**
 * TLS as TiDB Cloud needs it: TLS ≥ 1.2 with the server's certificate
 * verified — its chain (against the system's CAs, or the `ca` file given)
 * and its name. Against MariaDB with certificates from a throwaway CA: one
 * for "localhost", one for another name.
 */
function tlsArgs(certificates: TestCertificates): string[] {
  return [`--ssl-ca=${certificates.ca}`, `--ssl-cert=${certificates.cert}`, `--ssl-key=${certificates.key}`, '--tls-version=TLSv1.2,TLSv1.3'];
}

describe('TiDB destination over TLS', function () {
  this.timeout(60_000);
  let certificates: TestCertificates;
  let server: MariaDb;
  let db: TestDatabase;
  let dataDir: string;
  const open: Destination[] = [];

  before(async () => {
    certificates = makeCertificates('DNS:localhost');
    server = await startMariaDb({ extraArgs: tlsArgs(certificates) });
    db = await server.newDatabase('tls');
    dataDir = await mkdtemp(join(tmpdir(), 'devguide-tls-data-'));
  });
  after(async () => {
    await Promise.all(open.map((d) => d.dispose()));
    await server?.stop();
    certificates?.remove();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  function destination(on: MariaDb, entry: Record<string, unknown>, password = db.password): Destination {
    const made = createTidbDestination(checkedTidbConfig({ id: 'kb', type: 'tidb', host: '127.0.0.1', port: on.port, user: db.user, database: db.database, ...entry }), {
      password,
      workspaceRoot: dataDir,
      dataDir,
      maxRetries: 0,
    });
    open.push(made);
    return made;
  }

  it('connects and writes with tls: {ca} — the chain and the name verified', async () => {
    const target = destination(server, { host: 'localhost', tls: { ca: certificates.ca } });
    const check = await target.testConnection();
    assert.equal(check.ok, true, check.message);
    assert.match(check.message, /\(TLS; round trip/);
    await target.save({ filename: 'secure.md', content: 'over TLS', title: 't', metadata: {}, jobId: 'job_tls', expected: { exists: false } });
    assert.equal((await target.fetchExisting('secure.md'))?.content, 'over TLS');
  });

  it('to an IP address: the chain is verified, not the name, and the review says so', async () => {
    const target = destination(server, { host: '127.0.0.1', tls: { ca: certificates.ca } });
    const impact = await target.describeImpact('secure.md');
    assert.match(impact.warnings.join('\n'), /IP address 127\.0\.0\.1 verifies the certificate's chain but not its name/);
    assert.equal((await destination(server, { host: 'localhost', tls: { ca: certificates.ca } }).describeImpact('x.md')).warnings.length, 0);
  });

  it('refuses a certificate the system does not trust (tls: true) with a coded TLS error', async () => {
    const check = await destination(server, { tls: true }).testConnection();
    assert.equal(check.ok, false);
    assert.match(check.message, /secure \(TLS\) connection to 127\.0\.0\.1:\d+ could not be made/);
  });

  it('refuses a certificate for another name than the host', async () => {
    const other = makeCertificates('DNS:db.example.invalid');
    const misnamed = await startMariaDb({ extraArgs: tlsArgs(other) });
    try {
      const target = destination(misnamed, { host: 'localhost', tls: { ca: other.ca } });
      await assert.rejects(target.fetchExisting('x.md'), (error: unknown) => (error as { code?: string }).code === 'CONNECTION_FAILED' && /TLS.*(altnames|does not match)/.test((error as Error).message));
      await target.dispose();
    } finally {
      await misnamed.stop();
      other.remove();
    }
  });

  it('refuses a server without TLS when TLS is asked for, and says so', async () => {
    const plain = await sharedMariaDb();
    const check = await destination(plain, { tls: { ca: certificates.ca } }, 'any').testConnection();
    assert.equal(check.ok, false);
    assert.match(check.message, /TLS/);
  });

  it('an unreadable CA file is DESTINATION_CONFIG_INVALID naming it', async () => {
    await assert.rejects(destination(server, { tls: { ca: 'no/such/ca.pem' } }).fetchExisting('x.md'), (error: unknown) => (error as { code?: string }).code === 'DESTINATION_CONFIG_INVALID' && /no\/such\/ca\.pem/.test((error as Error).message));
  });

  it('a chat_messages source configured with tls: {ca} reads its sessions over TLS (the CLI, its address matching the configured source)', async () => {
    const connection = await db.connect();
    try {
      await createChatMessagesTable(connection);
      await insertChatRows(connection, [{ id: 'm1', session_id: 'secure', role: 'user', content: 'Over TLS, please.', created_at: '2026-03-01T10:00:00.000Z' }]);
    } finally {
      await connection.end();
    }
    const cli = await cliWorkspace();
    try {
      const config = join(cli.dir, 'sources.json');
      const source = { id: 'chats', type: 'tidb', host: 'localhost', port: server.port, user: db.user, database: db.database };
      const address = `mysql://${db.user}@localhost:${server.port}/${db.database}`;
      const env = { DEVGUIDE_SOURCE_PASSWORD: db.password };
      await writeFile(config, JSON.stringify({ sources: [{ ...source, tls: { ca: certificates.ca } }] }));
      const listed = await cli.run(['sessions', address, '--config', config, '--json'], env);
      assert.equal(listed.code, 0, listed.stderr + listed.stdout);
      assert.deepEqual(listed.json<{ sessions: { id: string }[] }>().sessions.map((s) => s.id), ['secure']);
      // The same source with tls: true trusts only the system's CAs: this throwaway CA is refused.
      await writeFile(config, JSON.stringify({ sources: [{ ...source, tls: true }] }));
      const refused = await cli.run(['sessions', address, '--config', config, '--json'], env);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr + refused.stdout, /TLS/);
    } finally {
      await cli.cleanup();
    }
  });
});
