import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLES, requireBuiltCli, runBuiltCli, type BuiltCliRun as Run } from '../cliHarness';
import { newMasterKeyText } from '../../../server/src/team/crypto';
import { sharedMariaDb, type MariaDb, type TestDatabase } from '../../support/mariadb';

/**
 * The team store's shared templates and destinations end to end through
 * the bundled CLI (node dist/cli.js), with `store: {type: "tidb"}` in
 * --config: db migrate, templates publish (needs --yes) and list, a shared
 * destination added with its password from the environment, refused to a
 * member without a grant and used once granted, a wrong team key refused,
 * removal. No output ever holds the password or the key.
 *
 * The job store is the team store too (issue 14 part A's TiDB store).
 */

const TRANSCRIPT = join(EXAMPLES, 'chat-messages.jsonl');
const TEMPLATE = '---\nname: Incident Report\noutput: markdown\nextension: .md\n---\n# {{metadata.title}} (incident)\n\n{{{content}}}\n';

/** The identity and team key come only from what a test gives (never the developer's own environment). */
const runCli = (args: string[], options: { cwd: string; env: Record<string, string> }) =>
  runBuiltCli(args, { ...options, unsetEnv: ['DEVGUIDE_USER', 'DEVGUIDE_ACTOR', 'DEVGUIDE_STORE_KEY'] });

describe('Team store: shared templates and destinations through the CLI (dist/cli.js)', function () {
  this.timeout(120_000);
  let server: MariaDb;
  let teamDb: TestDatabase;
  let targetDb: TestDatabase;
  let dir: string;
  let key: string;
  const outputs: string[] = [];

  before(async function () {
    requireBuiltCli();
    server = await sharedMariaDb();
  });
  beforeEach(async () => {
    teamDb = await server.newDatabase('teamcli');
    targetDb = await server.newDatabase('teamclidest');
    dir = await mkdtemp(join(tmpdir(), 'devguide-team-cli-'));
    key = newMasterKeyText();
    outputs.length = 0;
    await writeFile(
      join(dir, 'devguide.json'),
      JSON.stringify({ store: { type: 'tidb', host: server.host, port: server.port, user: teamDb.user, database: teamDb.database, tls: false } }),
    );
    await writeFile(join(dir, 'incident.hbs'), TEMPLATE);
    await writeFile(join(dir, 'kb.json'), JSON.stringify({ id: 'kb', type: 'tidb', name: 'Team KB', host: server.host, port: server.port, user: targetDb.user, database: targetDb.database, tls: false }));
  });
  afterEach(async () => {
    for (const text of outputs) {
      assert.ok(!text.includes(targetDb.password), 'an output holds the shared password');
      assert.ok(!text.includes(teamDb.password), 'an output holds the store password');
      assert.ok(!text.includes(key), 'an output holds the team key');
    }
    await rm(dir, { recursive: true, force: true });
  });

  /** One member: who they are and their copy of the team key. */
  const as = (user: string, extra: Record<string, string> = {}) => async (...args: string[]): Promise<Run> => {
    const run = await runCli([...args, '--config', 'devguide.json'], {
      cwd: dir,
      env: { DEVGUIDE_USER: user, DEVGUIDE_EXPORT_STORE: join(dir, `.store-${user}`), DEVGUIDE_SECRET_STORE_PASSWORD: teamDb.password, DEVGUIDE_STORE_KEY: key, ...extra },
    });
    outputs.push(run.stdout, run.stderr);
    return run;
  };

  it('db migrate, templates publish (review, --yes), templates list shows it as custom with created_by', async () => {
    const alice = as('alice');
    const migrated = await alice('db', 'migrate', '--json');
    assert.equal(migrated.code, 0, migrated.stderr + migrated.stdout);
    assert.ok(migrated.json<{ destinations: { destination_id: string }[] }>().destinations.some((d) => d.destination_id === 'store'));

    const unreviewed = await alice('templates', 'publish', 'incident.hbs');
    assert.equal(unreviewed.code, 3, unreviewed.stderr);
    assert.match(unreviewed.stderr, /risk critical/);
    assert.match(unreviewed.stderr, /re-run with --yes/);
    const before = await alice('templates', 'list', '--json');
    assert.ok(!before.json<{ templates: { id: string }[] }>().templates.some((t) => t.id === 'incident'));

    const published = await alice('templates', 'publish', 'incident.hbs', '--yes');
    assert.equal(published.code, 0, published.stderr);
    assert.match(published.stdout, /Published team template "incident" \(version 1\) as alice/);

    const listed = await as('bob')('templates', 'list', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    const incident = listed.json<{ templates: { id: string; type: string; created_by?: string; source: string }[] }>().templates.find((t) => t.id === 'incident');
    assert.deepEqual(incident && { type: incident.type, created_by: incident.created_by, source: incident.source }, { type: 'custom', created_by: 'alice', source: 'team' });
    const text = await as('bob')('templates', 'list');
    assert.match(text.stdout, /incident\s+markdown\s+team\s+Incident Report/);
  });

  it('destinations add (password from the environment, sealed), list, access refused then granted, wrong key refused, remove', async () => {
    const alice = as('alice');
    assert.equal((await alice('db', 'migrate')).code, 0);
    const added = await as('alice', { DEVGUIDE_SECRET_KB_PASSWORD: targetDb.password })('destinations', 'add', 'kb.json', '--yes');
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /credentials sealed with the team key: password/);
    assert.equal((await alice('db', 'migrate', '--dest', 'kb')).code, 0);

    const listed = await as('bob')('destinations', 'list', '--json');
    const [kb] = listed.json<{ destinations: { id: string; owner: string; can_export: boolean; credential_fields: string[] }[] }>().destinations;
    assert.deepEqual(kb && [kb.id, kb.owner, kb.can_export, kb.credential_fields], ['kb', 'alice', false, ['password']]);

    const exportArgs = ['export', TRANSCRIPT, '--dest', 'kb', '--title', 'Shared', '--yes'];
    const refused = await as('bob')(...exportArgs);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /error PERMISSION_DENIED: User "bob" may not export to the shared destination "kb"/);

    assert.equal((await as('bob')('destinations', 'grant', 'kb', 'bob', 'write')).code, 1, 'only the owner or an admin grants');
    const granted = await alice('destinations', 'grant', 'kb', 'bob', 'write');
    assert.equal(granted.code, 0, granted.stderr);
    const exported = await as('bob')(...exportArgs);
    assert.equal(exported.code, 0, exported.stderr);

    const wrongKey = await as('bob', { DEVGUIDE_STORE_KEY: newMasterKeyText() })(...exportArgs, '--force');
    assert.equal(wrongKey.code, 1);
    assert.match(wrongKey.stderr, /error AUTH_EXPIRED: The credential "password" of shared destination "kb" was sealed with team store key version 1/);
    const badKey = await as('bob', { DEVGUIDE_STORE_KEY: 'swordfish' })(...exportArgs, '--force');
    assert.match(badKey.stderr, /error AUTH_EXPIRED: The team store key is not valid/);

    const notYet = await alice('destinations', 'remove', 'kb');
    assert.equal(notYet.code, 3);
    const removed = await alice('destinations', 'remove', 'kb', '--yes');
    assert.equal(removed.code, 0, removed.stderr);
    assert.match((await alice('destinations', 'list')).stdout, /No shared destinations/);
  });

  it('refuses a credential typed as a flag value and names only the variable', async () => {
    const run = await as('alice')('destinations', 'add', 'kb.json', '--secret-env', 'password=hunter2-not-a-variable!');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--secret-env expects FIELD=VARIABLE/);
    assert.ok(!run.stderr.includes('hunter2'));
  });
});
