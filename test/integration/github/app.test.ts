import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runBatch, type BatchEntry } from '../../../server/src/app/batch';
import { composeApp, type App } from '../../../server/src/app/compose';
import { systemClock } from '../../../server/src/clock';
import { parseConfig } from '../../../server/src/config';
import { createMemoryStore } from '../../../server/src/store/memoryStore';
import type { Store } from '../../../server/src/store/types';
import { startFakeGitHub, type FakeGitHub } from '../../support/githubFake';

/**
 * Issue 12 through the application layer: review → accept → job, with the
 * job store and the repository agreeing whatever fails, and a batch's
 * GitHub exports landing as one commit.
 */

const ROOT = resolve(__dirname, '..', '..', '..');
const TRANSCRIPT = join(ROOT, 'examples', 'chat-messages.jsonl');

describe('GitHub exports through the app', function () {
  let fake: FakeGitHub;
  let dir: string;
  let store: Store;
  let app: App;

  function build(destinations: Record<string, unknown>[], storeOverride?: Store): App {
    store = storeOverride ?? createMemoryStore();
    const config = parseConfig({ destinations, defaultDestination: 'gh', limits: { maxRetries: 1 } });
    return composeApp(
      { workspaceRoot: dir, actor: 'tester', clock: systemClock, builtinTemplatesDir: join(ROOT, 'templates'), getSecret: async (id, field) => (id === 'gh' && field === 'token' ? fake.token : undefined) },
      { config, trust: { trusted: true, workspaceDestinationIds: new Set() }, store: { store, dataDir: join(dir, '.data') } },
    );
  }

  beforeEach(async () => {
    fake = await startFakeGitHub();
    fake.addRepo('acme/docs', { visibility: 'public', files: { 'README.md': '# Docs\n' } });
    dir = await mkdtemp(join(tmpdir(), 'devguide-gh-app-'));
    app = build([{ id: 'gh', type: 'github', repo: 'acme/docs', path: 'docs', baseUrl: fake.baseUrl }, { id: 'docs', type: 'local', baseDir: 'local-docs' }]);
  });
  afterEach(async () => {
    await app.dispose();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
    fake.assertNoViolations();
  });

  const repo = () => fake.repo('acme/docs');
  const preview = (title: string, destination = 'gh') => app.exports.preview({ source: { kind: 'file', path: TRANSCRIPT }, title, destination });

  it('reviews (high risk, UPDATE/CREATE from the repository, the public warning), accepts, and records the html_url', async () => {
    const open = await preview('Rollback plan');
    assert.equal(open.review.risk_level, 'high');
    assert.equal(open.review.requires_accept, true);
    assert.equal(open.review.action, 'CREATE');
    assert.ok(open.review.warnings.some((w) => /file will be publicly visible/.test(w.message)));
    const run = await app.exports.accept(open.transaction_id, true);
    assert.equal(run.error, undefined);
    assert.equal(run.job.status, 'completed');
    const url = `${fake.webUrl}/acme/docs/blob/main/docs/rollback-plan.md`;
    assert.equal(run.job.output_location, url);
    assert.equal((await store.getJob(run.job.job_id))?.output_url, url);
    assert.match(repo().file('main', 'docs/rollback-plan.md') ?? '', /Plan the export rollback/);
    const again = await preview('Rollback plan');
    assert.equal(again.review.action, 'UPDATE');
    assert.equal(again.unchanged, true, 'the remote content is what the review compares with');
  });

  it('a push between review and accept: the job fails with CONFLICT (recoverable), the colleague\'s edit is kept', async () => {
    repo().commitFiles('main', { 'docs/shared.md': 'v1\n' });
    const open = await app.exports.preview({ source: { kind: 'file', path: TRANSCRIPT }, title: 'Shared', filename: 'shared.md' });
    assert.equal(open.review.action, 'UPDATE');
    repo().commitFiles('main', { 'docs/shared.md': 'v2 by a colleague\n' });
    const run = await app.exports.accept(open.transaction_id, true);
    assert.equal(run.job.status, 'failed');
    assert.equal(run.error?.code, 'CONFLICT');
    assert.equal(run.error?.recoverable, true);
    assert.equal(repo().file('main', 'docs/shared.md'), 'v2 by a colleague\n');
    assert.equal((await store.getJob(run.job.job_id))?.status, 'failed');
  });

  it('a failure after the write undoes it: the job is failed and the repository holds nothing of it', async () => {
    const failing = createMemoryStore();
    const appendAudit = failing.appendAudit.bind(failing);
    failing.appendAudit = async (event) => {
      if (event.action === 'CreateExportJob.commit') throw new Error('disk full');
      return appendAudit(event);
    };
    await app.dispose();
    app = build([{ id: 'gh', type: 'github', repo: 'acme/docs', path: 'docs', baseUrl: fake.baseUrl }], failing);
    const open = await preview('Undone');
    const run = await app.exports.accept(open.transaction_id, true);
    assert.equal(run.job.status, 'failed');
    assert.equal(fake.calls('repos/create-or-update-file-contents').length, 1, 'it was written');
    assert.equal(fake.calls('repos/delete-file').length, 1, 'and undone by a new commit');
    assert.equal(repo().file('main', 'docs/undone.md'), undefined);
    assert.equal((await failing.getJob(run.job.job_id))?.status, 'failed');
  });

  it('a batch\'s GitHub exports land as ONE commit (local ones as before); each is its own job and rolls back alone', async () => {
    const entry = (title: string, destination: string): BatchEntry => ({ request: { source: { kind: 'file', path: TRANSCRIPT }, title, destination }, accept: false });
    const before = repo().history('main').length;
    const result = await runBatch(app, [entry('One', 'gh'), entry('Two', 'gh'), entry('Local', 'docs'), entry('Three', 'gh')], { acceptAll: true, concurrency: 4 });
    assert.equal(result.successful, 4, JSON.stringify(result.results.map((r) => r.error)));
    assert.equal(repo().history('main').length, before + 1, 'exactly one commit');
    assert.deepEqual(fake.writes().map((w) => w.operationId), ['git/create-tree', 'git/create-commit', 'git/update-ref']);
    for (const name of ['one', 'two', 'three']) assert.ok(repo().file('main', `docs/${name}.md`));
    assert.match(await readFile(join(dir, 'local-docs', 'local.md'), 'utf8'), /Plan the export rollback/);
    const jobs = result.results.map((r) => r.job_id);
    assert.equal(new Set(jobs).size, 4);
    const two = result.results[1]?.job_id as string;
    const rolled = await app.jobs.rollback(two);
    assert.equal(rolled.status, 'rolled_back');
    assert.equal(repo().file('main', 'docs/two.md'), undefined);
    assert.ok(repo().file('main', 'docs/one.md'));
  });

  it('a batch whose commit fails fails every GitHub job of it, and writes nothing', async () => {
    const entry = (title: string): BatchEntry => ({ request: { source: { kind: 'file', path: TRANSCRIPT }, title, destination: 'gh' }, accept: true });
    fake.fault({ operationId: 'git/create-tree', times: Infinity, action: { status: 500, body: { message: 'Server Error' } } });
    const head = repo().head('main');
    const result = await runBatch(app, [entry('A'), entry('B')], { acceptAll: false, concurrency: 2 });
    assert.equal(result.failed, 2);
    assert.deepEqual(result.results.map((r) => r.error?.code), ['CONNECTION_FAILED', 'CONNECTION_FAILED']);
    assert.equal(repo().head('main'), head);
    for (const r of result.results) assert.equal((await store.getJob(r.job_id as string))?.status, 'failed');
  });
});
