import { strict as assert } from 'node:assert';
import { copyFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DestinationSummary } from '../../../server/src/protocol';
import { startFakeDrive, type FakeDrive, type FakeFile } from '../../support/driveFake/server';
import { type LspTestClient, REPO_ROOT, type TempWorkspace, startBuiltServer, tempWorkspace } from './lspClient';

/**
 * Issue 15 through the built language server over stdio, as the extension
 * drives it: a `drive` destination in the settings, its credentials answered
 * from "SecretStorage" through devguide/getSecret, preview (the review says
 * CREATE or UPDATE as the folder holds it) → createJob → the stand-in holds
 * the file; rollback; no credential in the server's log, answers or store.
 */

interface ResponseErrorLike {
  data?: { code: string; message: string };
}

describe('Google Drive destination over stdio (dist/server.js)', function () {
  this.timeout(30_000);
  let client: LspTestClient;
  let ws: TempWorkspace;
  let fake: FakeDrive;
  let folder: FakeFile;
  let credentials: string;
  const answers: string[] = [];

  beforeEach(async () => {
    fake = await startFakeDrive();
    folder = fake.addFolder({ name: 'Team wiki' });
    credentials = fake.tokens.authorizedUser();
    ws = await tempWorkspace();
    await copyFile(join(REPO_ROOT, 'examples', 'chat-messages.jsonl'), join(ws.dir, 'chat.jsonl'));
    client = startBuiltServer({ storeDir: join(ws.dir, '.store') });
    client.settings = { destinations: [{ id: 'team-drive', name: 'Team wiki', type: 'drive', folderId: folder.id, rootUrl: fake.rootUrl, tokenUrl: fake.tokenUrl }] };
    client.secrets = { 'team-drive/oauth_credentials': credentials };
    answers.length = 0;
    await client.initialize(ws.uri);
    await untilListed();
  });
  afterEach(async () => {
    await client.shutdown();
    const violations = [...fake.violations];
    await fake.close();
    await ws.cleanup();
    assert.deepEqual(violations, []);
  });

  async function request<R>(method: string, params: unknown): Promise<R> {
    const result = await client.connection.sendRequest<R>(method, params);
    answers.push(JSON.stringify(result));
    return result;
  }

  /** The server applies settings after asking for them: wait until it lists the Drive destination. */
  async function untilListed(): Promise<DestinationSummary> {
    const deadline = Date.now() + 10_000;
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      const list = await client.connection.sendRequest<DestinationSummary[]>('devguide/listDestinations', {});
      const drive = list.find((d) => d.id === 'team-drive');
      if (drive) return drive;
      if (Date.now() > deadline) throw new Error(`the server never listed team-drive: ${JSON.stringify(list)}\n${client.serverLog.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async function storeText(): Promise<string> {
    const entries = await readdir(join(ws.dir, '.store'), { recursive: true, withFileTypes: true });
    return (await Promise.all(entries.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'utf8')))).join('\n');
  }

  it('lists the destination with its credential field, tests it, previews, creates the file, then updates and rolls back', async () => {
    const listed = await untilListed();
    assert.equal(listed.type, 'drive');
    assert.equal(listed.risk, 'high');
    assert.equal(listed.remote, true);
    assert.deepEqual(listed.secretFields.map((f) => [f.field, f.json]), [['oauth_credentials', true]]);

    const check = await request<{ ok: boolean; message: string }>('devguide/testDestination', { destinationId: 'team-drive' });
    assert.equal(check.ok, true, check.message);

    const preview = await request<Record<string, any>>('devguide/previewExport', { source: { kind: 'file', path: 'chat.jsonl' }, title: 'Over LSP', destination: 'team-drive' });
    assert.equal(preview['review'].action, 'CREATE');
    assert.equal(preview['review'].risk_level, 'high');
    const created = await request<{ job: Record<string, any> }>('devguide/createJob', { transactionId: preview['transaction_id'], explicit: true });
    assert.equal(created.job['status'], 'completed');
    const [file] = fake.filesIn(folder.id);
    assert.ok(file);
    assert.equal(file.name, 'over-lsp.md');
    assert.match(fake.content(file.id) ?? '', /Plan the export rollback/);
    assert.equal(created.job['output_location'], `${fake.rootUrl}file/d/${file.id}/view?usp=drivesdk`);

    const again = await request<Record<string, any>>('devguide/previewExport', { source: { kind: 'file', path: 'chat.jsonl' }, title: 'Over LSP', destination: 'team-drive', filename: 'over-lsp.md', tags: ['again'] });
    assert.equal(again['review'].action, 'UPDATE');
    const updated = await request<{ job: Record<string, any> }>('devguide/createJob', { transactionId: again['transaction_id'], explicit: true, force: true });
    assert.equal(updated.job['status'], 'completed');
    assert.equal(file.revisions.length, 2);

    const rolled = await request<Record<string, any>>('devguide/rollbackJob', { jobId: updated.job['job_id'] });
    assert.equal(rolled['status'], 'rolled_back');
    assert.equal(fake.content(file.id), file.revisions[0]!.content.toString('utf8'));

    const secret = JSON.parse(credentials) as Record<string, string>;
    const seen = [client.serverLog.join('\n'), answers.join('\n'), await storeText()];
    for (const text of seen) {
      assert.ok(!text.includes(secret['client_secret']!) && !text.includes(secret['refresh_token']!), 'a credential leaked');
      assert.doesNotMatch(text, /ya29\./, 'an access token leaked');
    }
  });

  it('a review accepted after the file was changed on Drive is refused with CONFLICT, and nothing is written', async () => {
    const existing = fake.addFile({ name: 'seen.md', parent: folder.id, content: 'as reviewed' });
    const preview = await request<Record<string, any>>('devguide/previewExport', { source: { kind: 'file', path: 'chat.jsonl' }, title: 'Seen', destination: 'team-drive', filename: 'seen.md' });
    assert.equal(preview['review'].action, 'UPDATE');
    fake.edit(existing.id, 'a colleague was quicker');
    const created = await request<{ job: Record<string, any> }>('devguide/createJob', { transactionId: preview['transaction_id'], explicit: true });
    assert.equal(created.job['status'], 'failed');
    assert.equal(created.job['error_code'], 'CONFLICT', JSON.stringify(created));
    assert.match(created.job['error_message'], /changed after the review/);
    assert.equal(fake.content(existing.id), 'a colleague was quicker');
    assert.equal(fake.calls('files.update').length, 0);
  });

  it('without a stored credential the preview fails with AUTH_EXPIRED, asking to sign in', async () => {
    client.secrets = {};
    const failure = await request('devguide/previewExport', { source: { kind: 'file', path: 'chat.jsonl' }, title: 'No creds', destination: 'team-drive' }).then(
      () => assert.fail('expected an error'),
      (error: ResponseErrorLike) => error,
    );
    assert.equal(failure.data?.code, 'AUTH_EXPIRED');
    assert.match(failure.data?.message ?? '', /Sign in to Google Drive/);
  });
});
