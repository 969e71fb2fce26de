import { strict as assert } from 'node:assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDatabaseAddress } from '../../../server/src/sources/sql/address';
import { chatSourceSql } from '../../../server/src/sources/sql/chatMessagesSql';
import { DatabaseTranscripts } from '../../../server/src/sources/sql/databaseTranscripts';
import { cliWorkspace, type CliWorkspace } from '../cliHarness';
import { createChatMessagesTable, insertChatRows, type ChatRow } from '../../support/chatMessages';
import { sharedMariaDb, type MariaDb, type TestDatabase } from '../../support/mariadb';

/**
 * The `chat_messages` table as a transcript source, through the CLI
 * (in-process): `mysql://USER@HOST:PORT/DATABASE` wherever a transcript
 * file goes (sessions, export, preview, a batch plan's file), only the
 * chosen session's rows read, in time order then by id, blocks with their
 * provenance; a missing table, missing columns and malformed metadata are
 * coded errors naming the table and row.
 */

const ROWS: ChatRow[] = [
  // Out of insertion order, with a tie on created_at (ordered by id then).
  { id: 'm3', session_id: 's1', surface: 'outputs', agent_id: 'claude', role: 'assistant', content: null, metadata: { blocks: [{ id: 'm3-think', kind: 'thinking', content: 'Weigh the options.' }, { id: 'm3-text', kind: 'text', content: 'Use a unique index.' }] }, created_at: '2026-03-01T10:00:02.000Z' },
  { id: 'm1', session_id: 's1', surface: 'inputs', role: 'user', content: 'How do we avoid duplicate rows?', created_at: '2026-03-01T10:00:00.000Z' },
  { id: 'm2b', session_id: 's1', surface: 'reasoning', agent_id: 'claude', role: 'assistant', content: 'Second at the same time.', created_at: '2026-03-01T10:00:01.000Z' },
  { id: 'm2a', session_id: 's1', surface: 'reasoning', agent_id: 'claude', role: 'assistant', content: 'First at the same time.', created_at: '2026-03-01T10:00:01.000Z' },
  { id: 'x1', session_id: 's2', role: 'user', content: 'Another session entirely.', created_at: '2026-03-02T09:00:00.000Z' },
];

describe('chat_messages source (mysql://) through the CLI', function () {
  this.timeout(60_000);
  let server: MariaDb;
  let db: TestDatabase;
  let cli: CliWorkspace;
  let address: string;
  let env: Record<string, string>;

  before(async () => {
    server = await sharedMariaDb();
    db = await server.newDatabase('source');
    const connection = await db.connect();
    await createChatMessagesTable(connection);
    await insertChatRows(connection, ROWS);
    await connection.end();
    address = `mysql://${db.user}@${server.host}:${server.port}/${db.database}`;
    env = { DEVGUIDE_SOURCE_PASSWORD: db.password };
  });
  beforeEach(async () => {
    cli = await cliWorkspace();
  });
  afterEach(async () => {
    await cli.cleanup();
  });

  it('sessions lists the table\'s sessions with their message counts; --session lists one session\'s messages in time order, then by id', async () => {
    const listed = await cli.run(['sessions', address, '--json'], env);
    assert.equal(listed.code, 0, listed.stderr + listed.stdout);
    const summary = listed.json<{ format: string; sessions: { id: string; message_count: number; messages: unknown[] }[] }>();
    assert.equal(summary.format, 'sql');
    assert.deepEqual(summary.sessions.map((s) => [s.id, s.message_count, s.messages.length]), [['s2', 1, 0], ['s1', 4, 0]]);

    const one = await cli.run(['sessions', address, '--session', 's1', '--json'], env);
    assert.equal(one.code, 0, one.stderr);
    const [session] = one.json<{ sessions: { id: string; title: string; messages: { id: string; role: string; agent_id: string | null; surface: string; created_at: string; blocks: { id: string; kind: string }[] }[] }[] }>().sessions;
    assert.equal(session?.title, 'How do we avoid duplicate rows?');
    assert.deepEqual(session?.messages.map((m) => m.id), ['m1', 'm2a', 'm2b', 'm3']);
    assert.deepEqual(session?.messages[3], {
      id: 'm3',
      role: 'assistant',
      created_at: '2026-03-01T10:00:02.000Z',
      agent_id: 'claude',
      surface: 'outputs',
      preview: 'Weigh the options. Use a unique index.',
      blocks: [{ id: 'm3-think', kind: 'thinking', preview: 'Weigh the options.' }, { id: 'm3-text', kind: 'text', preview: 'Use a unique index.' }],
    });

    const text = await cli.run(['sessions', address], env);
    assert.match(text.stdout, /s1 {2}4 message\(s\) {2}2026-03-01T10:00:00.000Z – 2026-03-01T10:00:02.000Z/);
  });

  it('exports selected blocks of a session, each with role, agent, surface and time; the job\'s source is the address (no password)', async () => {
    const run = await cli.run(['export', address, '--session', 's1', '--messages', 'm1,m3', '--blocks', 'm1#0,m3-text', '--template', 'yaml-markdown', '--out', 'out', '--filename', 'dup.md', '--yes', '--json'], env);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const job = run.json<{ status: string; source: string; session_id: string; message_ids: string[] }>();
    assert.equal(job.status, 'completed');
    assert.equal(job.source, `${address}?table=chat_messages`);
    assert.deepEqual(job.message_ids, ['m1', 'm3']);
    const written = await readFile(join(cli.dir, 'out', 'dup.md'), 'utf8');
    assert.match(written, /How do we avoid duplicate rows\?/);
    assert.match(written, /Use a unique index\./);
    assert.doesNotMatch(written, /Weigh the options/, 'the unselected thinking block is left out');
    assert.doesNotMatch(JSON.stringify(run.stdout), new RegExp(db.password));

    const preview = await cli.run(['preview', address, '--session', 's2', '--json'], env);
    assert.equal(preview.code, 0, preview.stderr);
    assert.match(preview.stdout, /Another session entirely/);
  });

  it('reads only the chosen session\'s rows, through the session_id index', async () => {
    const connection = await db.connect();
    try {
      const [plan] = await connection.query(`EXPLAIN ${chatSourceSql.sessionRows('chat_messages')}`, ['s1']);
      // A five-row table may be scanned whole; what matters is that the session's index serves the WHERE.
      const [first] = plan as { possible_keys: string | null }[];
      assert.match(String(first?.possible_keys), /idx_session_time/);
    } finally {
      await connection.end();
    }
    assert.match(chatSourceSql.sessionRows('chat_messages'), /WHERE `session_id` = \? ORDER BY `created_at`, `id`$/);
  });

  it('a session read for the picker is read again for the export only when its rows changed (added, edited)', async () => {
    const statements: string[] = [];
    const source = new DatabaseTranscripts({
      workspaceRoot: cli.dir,
      timeoutMs: () => 10_000,
      credentialsFor: async () => ({ password: db.password, tls: false, hint: '' }),
    });
    const spy = source as unknown as { clientFor: (...args: unknown[]) => Promise<{ client: { rows: (sql: string, values?: unknown[]) => Promise<unknown[]> } }> };
    const original = spy.clientFor.bind(source);
    spy.clientFor = async (...args) => {
      const opened = await original(...args);
      const rows = opened.client.rows.bind(opened.client);
      return { ...opened, client: { ...opened.client, rows: (sql: string, values?: unknown[]) => (statements.push(sql), rows(sql, values)) } };
    };
    const at = parseDatabaseAddress(address);
    const reads = () => statements.filter((s) => s.includes('ORDER BY')).length;
    const connection = await db.connect();
    try {
      const first = await source.loadSession(at, 's2');
      assert.equal(await source.loadSession(at, 's2'), first, 'unchanged: the same parse');
      assert.equal(reads(), 1);
      await insertChatRows(connection, [{ id: 'x2', session_id: 's2', role: 'assistant', content: 'A later answer.', created_at: '2026-03-02T09:00:01.000Z' }]);
      assert.deepEqual((await source.loadSession(at, 's2')).sessions[0]?.messages.map((m) => m.id), ['x1', 'x2']);
      await connection.query("UPDATE chat_messages SET content = 'Edited answer.' WHERE id = 'x2'");
      assert.equal((await source.loadSession(at, 's2')).sessions[0]?.messages[1]?.content, 'Edited answer.');
      assert.equal(reads(), 3);
    } finally {
      await connection.query("DELETE FROM chat_messages WHERE id = 'x2'");
      await connection.end();
      await source.dispose();
    }
  });

  it('a batch plan\'s file may be a database address', async () => {
    const plan = join(cli.dir, 'plan.json');
    await writeFile(plan, JSON.stringify([{ file: address, session: 's2', out: 'batch', filename: 's2.md', template: 'markdown' }]));
    const run = await cli.run(['batch', plan, '--yes', '--json'], env);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(await readFile(join(cli.dir, 'batch', 's2.md'), 'utf8'), /Another session entirely/);
  });

  it('without --session, a table of several sessions asks for one (INVALID_INPUT listing them)', async () => {
    const run = await cli.run(['export', address, '--out', 'out', '--yes', '--json'], env);
    assert.equal(run.code, 2);
    const { error } = run.json<{ error: { code: string; message: string } }>();
    assert.equal(error.code, 'INVALID_INPUT');
    assert.match(error.message, /2 sessions; choose one with --session: s2, s1/);
  });

  describe('errors', () => {
    it('a missing table is UNKNOWN_FORMAT naming it; missing columns too', async () => {
      const missing = await cli.run(['sessions', `${address}?table=no_such_table`, '--json'], env);
      assert.equal(missing.code, 2);
      assert.equal(missing.json<{ error: { code: string } }>().error.code, 'UNKNOWN_FORMAT');
      assert.match(missing.stdout, new RegExp(`${db.database}\\.no_such_table does not exist`));

      const connection = await db.connect();
      await connection.query('CREATE TABLE IF NOT EXISTS notes (id INT PRIMARY KEY, body TEXT)');
      await connection.end();
      const shape = await cli.run(['sessions', `${address}?table=notes`, '--json'], env);
      const { error } = shape.json<{ error: { code: string; message: string } }>();
      assert.equal(error.code, 'UNKNOWN_FORMAT');
      assert.match(error.message, /notes is not a chat_messages table: it has no column "session_id", "surface"/);
    });

    it('malformed metadata is INVALID_INPUT naming the table and the row id', async () => {
      const connection = await db.connect();
      // A TEXT metadata column (as many schemas have) can hold anything.
      await connection.query('CREATE TABLE IF NOT EXISTS loose_messages (id VARCHAR(64) PRIMARY KEY, session_id VARCHAR(64), surface VARCHAR(16), agent_id VARCHAR(64), role VARCHAR(16), content TEXT, metadata LONGTEXT, created_at DATETIME(3), KEY (session_id))');
      await insertChatRows(connection, [
        { id: 'ok1', session_id: 'bad', role: 'user', content: 'fine', created_at: '2026-01-01T00:00:00.000Z' },
        { id: 'broken7', session_id: 'bad', role: 'assistant', content: 'x', metadata: '{"blocks": [', created_at: '2026-01-01T00:00:01.000Z' },
        { id: 'shape9', session_id: 'shape', role: 'assistant', content: 'x', metadata: { blocks: 'not a list' }, created_at: '2026-01-01T00:00:01.000Z' },
      ], 'loose_messages');
      await connection.end();
      const bad = await cli.run(['export', `${address}?table=loose_messages`, '--session', 'bad', '--out', 'out', '--yes', '--json'], env);
      assert.equal(bad.code, 2);
      const { error } = bad.json<{ error: { code: string; message: string } }>();
      assert.equal(error.code, 'INVALID_INPUT');
      assert.match(error.message, new RegExp(`${db.database}\\.loose_messages row id=broken7: metadata is not valid JSON`));
      const shape = await cli.run(['sessions', `${address}?table=loose_messages`, '--session', 'shape', '--json'], env);
      assert.match(shape.json<{ error: { message: string } }>().error.message, /loose_messages row id=shape9: metadata\.blocks/);
    });

    it('a wrong password is AUTH_EXPIRED naming the user and host; a password in the address is refused and never echoed', async () => {
      const wrong = await cli.run(['sessions', address, '--json'], { DEVGUIDE_SOURCE_PASSWORD: 'wrong-password-123' });
      assert.equal(wrong.json<{ error: { code: string } }>().error.code, 'AUTH_EXPIRED');
      assert.match(wrong.stdout, new RegExp(`${server.host}:${server.port} rejected user \\\\"${db.user}\\\\"`));
      assert.doesNotMatch(wrong.stdout + wrong.stderr, /wrong-password-123/);

      const inline = await cli.run(['sessions', `mysql://${db.user}:hunter2secret@${server.host}:${server.port}/${db.database}`, '--json'], env);
      assert.equal(inline.code, 2);
      assert.match(inline.stdout, /password in the address is refused/);
      assert.doesNotMatch(inline.stdout + inline.stderr, /hunter2secret/);
    });
  });
});
