import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { quoteIdentifier } from '../../../server/src/db/identifiers';
import { artifactSql } from '../../../server/src/destinations/tidb/artifactSql';
import { tidbDestinationSchema } from '../../../server/src/destinations/tidbDescriptor';

/**
 * The `tidb` destination entry: the server's zod schema and the settings
 * schema VS Code shows (package.json) accept and refuse the same entries;
 * names are identifiers, backquoted, never raw.
 */

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { items?: { oneOf: { properties: { type: { const: string } } }[] } }> }[] };
};
const destinationsSetting = manifest.contributes.configuration.flatMap((s) => Object.entries(s.properties)).find(([key]) => key === 'devguideExport.destinations')?.[1];
const tidbJsonSchema = destinationsSetting?.items?.oneOf.find((s) => s.properties.type.const === 'tidb');

const base = { id: 'kb', type: 'tidb', host: 'gateway01.us-west-2.prod.aws.tidbcloud.com', user: '2aBc.root', database: 'test' };
const EVIL = 'x; DROP TABLE t; --';

const cases: [string, Record<string, unknown>, boolean][] = [
  ['the minimal entry', base, true],
  ['every field', { ...base, name: 'KB', port: 4000, table: 'kb_docs', columnMappings: { filename: 'path', content: 'body', metadata: 'meta' }, tls: { ca: 'certs/ca.pem' }, allowedUsers: ['ana'] }, true],
  ['tls false', { ...base, host: '127.0.0.1', tls: false }, true],
  ['an IPv6 host', { ...base, host: '::1' }, true],
  ['a database with "-"', { ...base, database: 'my-db' }, true],
  ['table "_t$1"', { ...base, table: '_t$1' }, true],
  ['an injection-shaped table', { ...base, table: EVIL }, false],
  ['a backquote in a table', { ...base, table: 'a`b' }, false],
  ['a table starting with a digit', { ...base, table: '1t' }, false],
  ['a 65-character table', { ...base, table: `t${'x'.repeat(64)}` }, false],
  ['an injection-shaped column', { ...base, columnMappings: { content: EVIL } }, false],
  ['an unknown column mapping', { ...base, columnMappings: { body: 'b' } }, false],
  ['an injection-shaped database', { ...base, database: 'd; DROP DATABASE d' }, false],
  ['a URL as host', { ...base, host: 'mysql://h:4000' }, false],
  ['a host with a space', { ...base, host: 'a b' }, false],
  ['port 0', { ...base, port: 0 }, false],
  ['tls "yes"', { ...base, tls: 'yes' }, false],
  ['tls without ca', { ...base, tls: {} }, false],
  ['a password in the settings', { ...base, password: 'secret' }, false],
  ['no user', { id: 'kb', type: 'tidb', host: 'h', database: 'd' }, false],
];

describe('tidb destination entry', () => {
  it('the settings schema in package.json is there', () => {
    assert.ok(tidbJsonSchema, 'package.json has a tidb entry under devguideExport.destinations');
  });

  const validate = new Ajv({ strict: false, allErrors: true }).compile(tidbJsonSchema ?? {});
  for (const [what, entry, valid] of cases) {
    it(`${valid ? 'accepts' : 'refuses'} ${what}, in the server's schema and the settings schema alike`, () => {
      assert.equal(tidbDestinationSchema.safeParse(entry).success, valid, 'server (zod)');
      assert.equal(validate(entry), valid, `settings (JSON schema): ${JSON.stringify(validate.errors)}`);
    });
  }

  it('defaults: port 4000, table exported_artifacts, TLS on', () => {
    const parsed = tidbDestinationSchema.parse(base);
    assert.equal(parsed.port, 4000);
    assert.equal(parsed.table, 'exported_artifacts');
    assert.equal(parsed.tls, true);
  });

  it('puts names into SQL only backquoted, and refuses to quote anything that is not an identifier', () => {
    assert.equal(quoteIdentifier('exported_artifacts'), '`exported_artifacts`');
    for (const bad of [EVIL, 'a`b', '', '1a', 'a b', 'a.b']) assert.throws(() => quoteIdentifier(bad));
    const sql = artifactSql('kb_docs', { filename: 'path', content: 'body', metadata: 'meta', id: 'id' });
    assert.equal(sql.lockByFilename.sql, 'SELECT `id` AS row_id, `body` AS content, `meta` AS metadata, NULL AS job_id FROM `kb_docs` WHERE `path` = ? FOR UPDATE');
    assert.equal(sql.insert.sql, 'INSERT INTO `kb_docs` (`path`, `body`, `meta`) VALUES (?, ?, ?)');
    assert.deepEqual(sql.insert.values('a.md', { content: 'c', metadataJson: '{}', contentHash: 'h', jobId: 'j' }), ['a.md', 'c', '{}']);
    assert.throws(() => artifactSql(EVIL, { filename: 'f', content: 'c' }));
  });
});
