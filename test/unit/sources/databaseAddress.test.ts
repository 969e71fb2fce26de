import { strict as assert } from 'node:assert';
import { ExportError } from '../../../server/src/errors';
import { isDatabaseAddress, parseDatabaseAddress } from '../../../server/src/sources/sql/address';

describe('sources: database address (mysql://USER@HOST:PORT/DATABASE)', () => {
  it('reads user, host, port, database, table (default chat_messages) and tls (default off)', () => {
    const a = parseDatabaseAddress('mysql://ana@db.example.com:4000/kb');
    assert.deepEqual({ ...a }, { user: 'ana', host: 'db.example.com', port: 4000, database: 'kb', table: 'chat_messages', tls: false, canonical: 'mysql://ana@db.example.com:4000/kb?table=chat_messages' });
    const b = parseDatabaseAddress('mysql://2aBc.root@[::1]/kb?tls=true&table=msgs');
    assert.deepEqual([b.host, b.port, b.table, b.tls, b.canonical], ['::1', 4000, 'msgs', true, 'mysql://2aBc.root@[::1]:4000/kb?table=msgs&tls=true']);
    assert.equal(parseDatabaseAddress(b.canonical).canonical, b.canonical);
  });

  it('tells addresses from paths', () => {
    assert.equal(isDatabaseAddress('mysql://u@h:1/d'), true);
    assert.equal(isDatabaseAddress('MYSQL://u@h:1/d'), true);
    assert.equal(isDatabaseAddress('./mysql/chat.jsonl'), false);
    assert.equal(isDatabaseAddress('/tmp/x.json'), false);
  });

  for (const [what, text, pattern] of [
    ['no user', 'mysql://h:4000/kb', /needs a user/],
    ['no database', 'mysql://u@h:4000/', /database/],
    ['an injection-shaped table', 'mysql://u@h:4000/kb?table=x;DROP%20TABLE%20t', /table/],
    ['an unknown parameter', 'mysql://u@h:4000/kb?ssl=1', /unknown parameter "ssl"/],
    ['tls=maybe', 'mysql://u@h:4000/kb?tls=maybe', /tls must be true or false/],
    ['an empty address', 'mysql://', /needs a user/],
    ['not a URL', 'mysql://u@h:99999/kb', /not a URL|port/],
  ] as const) {
    it(`refuses ${what} (INVALID_INPUT)`, () => {
      assert.throws(() => parseDatabaseAddress(text), (e: unknown) => e instanceof ExportError && e.code === 'INVALID_INPUT' && pattern.test(e.message));
    });
  }

  it('refuses a password in the address without repeating it', () => {
    assert.throws(
      () => parseDatabaseAddress('mysql://ana:s3cr3t-value@h:4000/kb'),
      (e: unknown) => e instanceof ExportError && e.code === 'INVALID_INPUT' && /DEVGUIDE_SOURCE_PASSWORD/.test(e.message) && !e.message.includes('s3cr3t-value'),
    );
  });
});
