import { strict as assert } from 'node:assert';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type LspTestClient, REPO_ROOT, type TempWorkspace, startBuiltServer, tempWorkspace } from '../lsp/lspClient';
import { startFakeGitHub, type FakeGitHub } from '../../support/githubFake';

/**
 * Issue 12 through the language server (dist/server.js over stdio), as the
 * extension drives it: GitHub destinations from the settings, the token
 * answered to devguide/getSecret, preview → createJob → rollbackJob, in
 * commit and pull request mode; the token in no log line.
 */

interface PreviewLike {
  transaction_id: string;
  filename: string;
  review: { risk_level: string; action: string; warnings: { message: string }[]; requires_accept: boolean };
}
interface JobLike {
  job_id: string;
  status: string;
  output_location?: string | null;
  error_code?: string | null;
}
interface ResponseErrorLike {
  data?: { code: string; message: string; recoverable: boolean; details?: Record<string, unknown> };
}

describe('GitHub destination through the language server (stdio)', function () {
  this.timeout(60_000);
  let fake: FakeGitHub;
  let client: LspTestClient;
  let ws: TempWorkspace;

  beforeEach(async () => {
    fake = await startFakeGitHub();
    fake.addRepo('acme/handbook', { visibility: 'private', files: { 'README.md': '# Handbook\n' } });
    ws = await tempWorkspace();
    await copyFile(join(REPO_ROOT, 'examples', 'chat-messages.jsonl'), join(ws.dir, 'chat.jsonl'));
    client = startBuiltServer({ storeDir: join(ws.dir, '.store') });
    client.settings = {
      destinations: [
        { id: 'gh', type: 'github', repo: 'acme/handbook', path: 'docs', baseUrl: fake.baseUrl },
        { id: 'ghpr', type: 'github', repo: 'acme/handbook', path: 'docs', mode: 'pull_request', baseUrl: fake.baseUrl },
      ],
    };
    client.secrets = { 'gh/token': fake.token, 'ghpr/token': fake.token };
    await client.initialize(ws.uri);
    await until(async () => (await request<{ id: string }[]>('devguide/listDestinations', {})).some((d) => d.id === 'ghpr'));
  });
  afterEach(async () => {
    const log = client.serverLog.join('\n');
    await client.shutdown();
    await ws.cleanup();
    await fake.close();
    fake.assertNoViolations();
    assert.ok(!log.includes(fake.token), 'the token is in the server log');
  });

  const request = <R>(method: string, params: unknown) => client.connection.sendRequest<R>(method, params);
  const repo = () => fake.repo('acme/handbook');
  const preview = (title: string, destination: string) =>
    request<PreviewLike>('devguide/previewExport', { source: { kind: 'file', path: 'chat.jsonl' }, title, destination });

  async function until(check: () => Promise<boolean>): Promise<void> {
    for (;;) {
      if (await check()) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it('commit mode: a high-risk review, Accept commits, the job is at the html_url; rollback deletes the created file', async () => {
    const open = await preview('Over LSP', 'gh');
    assert.equal(open.review.risk_level, 'high');
    assert.equal(open.review.action, 'CREATE');
    const created = await request<{ job: JobLike }>('devguide/createJob', { transactionId: open.transaction_id, explicit: true });
    assert.equal(created.job.status, 'completed');
    assert.equal(created.job.output_location, `${fake.webUrl}/acme/handbook/blob/main/docs/over-lsp.md`);
    assert.match(repo().file('main', 'docs/over-lsp.md') ?? '', /^# Over LSP/m);

    const rolled = await request<JobLike>('devguide/rollbackJob', { jobId: created.job.job_id });
    assert.equal(rolled.status, 'rolled_back');
    assert.equal(repo().file('main', 'docs/over-lsp.md'), undefined);
  });

  it('pull request mode: a branch and a PR, main untouched; rollback closes the PR and deletes its branch', async () => {
    const mainHead = repo().head('main');
    const open = await preview('Proposal', 'ghpr');
    const created = await request<{ job: JobLike }>('devguide/createJob', { transactionId: open.transaction_id, explicit: true });
    assert.equal(created.job.status, 'completed');
    assert.match(created.job.output_location ?? '', /\/acme\/handbook\/pull\/1$/);
    assert.equal(repo().head('main'), mainHead, 'the base branch is untouched');
    const pull = repo().pulls.get(1);
    assert.ok(pull && pull.state === 'open');
    assert.match(pull.head, /^devguide-export\//);
    assert.match(pull.body ?? '', /Content hash/);

    await request<JobLike>('devguide/rollbackJob', { jobId: created.job.job_id });
    assert.equal(repo().pulls.get(1)?.state, 'closed');
    assert.ok(!repo().branches().some((b) => b.startsWith('devguide-export/')), 'no export branch left');
  });

  it('no token stored: the review fails AUTH_EXPIRED with a re-authenticate action, nothing written', async () => {
    client.secrets = {};
    const refused = await preview('No token', 'gh').then(
      () => assert.fail('expected an error'),
      (error: ResponseErrorLike) => error,
    );
    assert.equal(refused.data?.code, 'AUTH_EXPIRED');
    assert.equal(refused.data?.details?.['action'], 'reauthenticate');
    assert.equal(repo().history('main').length, 1);
  });

  it('Test Destination reports reachability, push permission, the branch and the folder', async () => {
    const check = await request<{ ok: boolean; message: string }>('devguide/testDestination', { destinationId: 'gh' });
    assert.equal(check.ok, true, check.message);
    assert.match(check.message, /acme\/handbook .*reachable \(private\).*may push.*branch main exists/);
  });
});
