import { strict as assert } from 'node:assert';
import { databaseSourcesOf, sourceCredentialId } from '../../../client/src/transcript/databaseSources';
import { SOURCE_SECRET_PREFIX, sourceSecretId } from '../../../server/src/app/databaseSources';
import { sourceConfigSchema } from '../../../server/src/config';
import { parseDatabaseAddress } from '../../../server/src/sources/sql/address';

/** The client's database sources: the address each is read through is the one the server parses back to the same entry. */
describe('client: database sources (devguideExport.sources)', () => {
  const entries = [
    { id: 'team', name: 'Team chats', type: 'tidb', host: 'gateway01.us-west-2.prod.aws.tidbcloud.com', user: '2aBc.root', database: 'kb' },
    { id: 'local', type: 'tidb', host: '127.0.0.1', port: 3306, user: 'dev', database: 'chats', table: 'messages_v2', tls: false },
    { id: 'v6', type: 'tidb', host: '::1', port: 4000, user: 'a@b', database: 'my-db', tls: true },
    { id: 'private', type: 'tidb', host: 'db.internal', user: 'dev', database: 'chats', tls: { ca: 'certs/ca.pem' } },
  ];

  it('builds the address the server parses back to the same server, user, database, table and TLS (defaults as the server\'s)', () => {
    const refs = databaseSourcesOf(entries);
    assert.equal(refs.length, 4);
    for (const [i, ref] of refs.entries()) {
      const config = sourceConfigSchema.parse(entries[i]);
      const address = parseDatabaseAddress(ref.address);
      assert.deepEqual(
        { host: address.host, port: address.port, user: address.user, database: address.database, table: address.table, tls: address.tls },
        // A CA file is not in the address: it asks for TLS, and the server takes the file from the configured source it matches.
        { host: config.host, port: config.port, user: config.user, database: config.database, table: config.table, tls: config.tls !== false },
      );
      assert.equal(address.canonical, ref.address, 'the job records the address as the client wrote it');
    }
    assert.equal(refs[0]?.name, 'Team chats');
    assert.equal(refs[1]?.description, 'dev@127.0.0.1:3306/chats.messages_v2');
  });

  it('skips half-typed entries and non-arrays', () => {
    assert.deepEqual(databaseSourcesOf(undefined), []);
    assert.deepEqual(databaseSourcesOf([{ id: 'x', type: 'tidb', host: 'h' }, { id: 'y', type: 'github' }, null]), []);
  });

  it('stores a source\'s password under the id the server asks for', () => {
    assert.equal(sourceCredentialId('team'), sourceSecretId('team'));
    assert.ok(sourceCredentialId('team').startsWith(SOURCE_SECRET_PREFIX));
  });
});
