import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { cliWorkspace, EXAMPLES, type CliWorkspace } from '../cliHarness';
import { startFakeGitHub, type FakeGitHub } from '../../support/githubFake';

/**
 * Issue 12 through the CLI: a GitHub destination from --config, the token
 * from the environment, review → --yes → commit; a batch as one commit;
 * rollback; faults coded; the token in no output and no store file.
 */

const CLI = resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
const transcript = join(EXAMPLES, 'chat-messages.jsonl');

async function everyFileUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('GitHub destination through the CLI', function () {
  this.timeout(60_000);
  let fake: FakeGitHub;
  let ws: CliWorkspace;
  let env: Record<string, string>;

  beforeEach(async () => {
    fake = await startFakeGitHub();
    fake.addRepo('acme/handbook', { visibility: 'public', files: { 'README.md': '# Handbook\n', 'docs/existing.md': 'old\n' } });
    ws = await cliWorkspace();
    await writeConfig({});
    env = { DEVGUIDE_SECRET_GH_TOKEN: fake.token };
  });
  afterEach(async () => {
    await fake.close();
    await ws.cleanup();
    fake.assertNoViolations();
  });

  async function writeConfig(extra: Record<string, unknown>) {
    const destination = { id: 'gh', type: 'github', repo: 'acme/handbook', path: 'docs', baseUrl: fake.baseUrl, ...extra };
    await writeFile(join(ws.dir, 'devguide.json'), JSON.stringify({ destinations: [destination], defaultDestination: 'gh' }));
  }
  const exportArgs = (...more: string[]) => ['export', transcript, '--config', 'devguide.json', '--json', ...more];
  const repo = () => fake.repo('acme/handbook');

  async function assertTokenNowhere(outputs: string[]) {
    for (const text of outputs) assert.ok(!text.includes(fake.token), 'the token is in the output');
    for (const file of await everyFileUnder(ws.store)) assert.ok(!(await readFile(file, 'utf8')).includes(fake.token), `${file} holds the token`);
  }

  it('without --yes: the review (high risk, CREATE, publicly visible) and exit 3, nothing written', async () => {
    const run = await ws.run(exportArgs('--title', 'Rollback plan'), env);
    assert.equal(run.code, 3, run.stdout);
    const out = run.json<{ review: { risk_level: string; action: string; requires_accept: boolean; warnings: { message: string }[] } }>();
    assert.equal(out.review.risk_level, 'high');
    assert.equal(out.review.action, 'CREATE');
    assert.equal(out.review.requires_accept, true);
    assert.ok(out.review.warnings.some((w) => /publicly visible/.test(w.message)));
    assert.equal(fake.writes().length, 0);
  });

  it('with --yes: one commit on the default branch, the job located at the html_url, the token nowhere', async () => {
    const before = repo().history('main').length;
    const run = await ws.run(exportArgs('--title', 'Rollback plan', '--yes'), env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const job = run.json<{ status: string; output_location: string; filename: string }>();
    assert.equal(job.status, 'completed');
    assert.match(job.output_location, new RegExp(`^${fake.webUrl}/acme/handbook/blob/main/docs/rollback-plan\\.md$`));
    assert.match(repo().file('main', 'docs/rollback-plan.md') ?? '', /^# Rollback plan/m);
    assert.equal(repo().history('main').length, before + 1);
    await assertTokenNowhere([run.stdout, run.stderr]);
  });

  it('falls back to GITHUB_TOKEN', async () => {
    const run = await ws.run(exportArgs('--title', 'From env', '--yes'), { GITHUB_TOKEN: fake.token });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.ok(repo().file('main', 'docs/from-env.md'));
  });

  it('no token: AUTH_EXPIRED saying where a token comes from; a refused one: AUTH_EXPIRED, the token not repeated', async () => {
    const none = await ws.run(exportArgs('--title', 'X', '--yes'), {});
    assert.equal(none.code, 1, none.stdout);
    assert.equal(none.json<{ error: { code: string; message: string } }>().error.code, 'AUTH_EXPIRED');
    assert.match(none.json<{ error: { message: string } }>().error.message, /DEVGUIDE_SECRET_GH_TOKEN or GITHUB_TOKEN/);
    const wrong = 'ghp_' + 'Wr0ngT0kenForTests'.padEnd(36, 'q');
    const refused = await ws.run(exportArgs('--title', 'X', '--yes'), { DEVGUIDE_SECRET_GH_TOKEN: wrong });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stdout, /AUTH_EXPIRED/);
    assert.ok(!refused.stdout.includes(wrong) && !refused.stderr.includes(wrong));
  });

  it('an UPDATE of a file a colleague changed after the review: CONFLICT, their edit kept', async () => {
    // The review reads docs/existing.md; the fake changes it between the read and the write.
    fake.fault({ operationId: 'repos/create-or-update-file-contents', action: { before: () => repo().commitFiles('main', { 'docs/existing.md': 'theirs\n' }) } });
    const run = await ws.run(exportArgs('--filename', 'existing.md', '--title', 'Mine', '--yes'), env);
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /"code": "CONFLICT"/);
    assert.equal(repo().file('main', 'docs/existing.md'), 'theirs\n');
  });

  it('a batch of three lands as ONE commit, and rollback of a created file removes it in a new commit', async () => {
    await writeFile(
      join(ws.dir, 'plan.yaml'),
      ['exports:', ...['One', 'Two', 'Three'].map((t) => `  - { file: ${JSON.stringify(transcript)}, title: ${t}, dest: gh }`)].join('\n'),
    );
    const before = repo().history('main').length;
    const run = await ws.run(['batch', 'plan.yaml', '--config', 'devguide.json', '--yes', '--json'], env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const out = run.json<{ successful: number; results: { job_id?: string; status: string }[] }>();
    assert.equal(out.successful, 3);
    assert.equal(repo().history('main').length, before + 1, 'one commit for the batch');
    for (const name of ['one', 'two', 'three']) assert.ok(repo().file('main', `docs/${name}.md`), name);

    const jobId = out.results[0]?.job_id ?? '';
    const rolled = await ws.run(['jobs', 'rollback', jobId, '--config', 'devguide.json', '--yes', '--json'], env);
    assert.equal(rolled.code, 0, rolled.stdout + rolled.stderr);
    assert.equal(repo().file('main', 'docs/one.md'), undefined);
    assert.ok(repo().file('main', 'docs/two.md'), 'the other files of the batch stay');
  });

  it('dist/cli.js publishes and exits (no open handle keeps it alive)', async () => {
    const child = spawn(process.execPath, [CLI, ...exportArgs('--title', 'Spawned', '--yes')], {
      cwd: ws.dir,
      env: { ...process.env, DEVGUIDE_EXPORT_STORE: ws.store, DEVGUIDE_ACTOR: 'tester', GITHUB_TOKEN: '', ...env },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    assert.equal(code, 0, stdout);
    assert.ok(repo().file('main', 'docs/spawned.md'));
    assert.ok(!stdout.includes(fake.token));
  });
});
