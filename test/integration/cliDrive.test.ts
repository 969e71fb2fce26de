import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeDrive, type FakeDrive, type FakeFile } from '../support/driveFake/server';

/**
 * Issue 15 end to end through the built CLI (dist/cli.js, a child process):
 * a `drive` destination in the --config file whose rootUrl and tokenUrl
 * point at the local Drive stand-in, the credentials in
 * DEVGUIDE_SECRET_<ID>_OAUTH_CREDENTIALS. The job store and the folder must
 * agree after every run, and no credential may appear in the store, the
 * output or the audit.
 */

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const ENV_NAME = 'DEVGUIDE_SECRET_TEAM_DRIVE_OAUTH_CREDENTIALS';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json(): Record<string, any>;
}

describe('CLI with a Google Drive destination (dist/cli.js)', function () {
  this.timeout(60_000);
  let fake: FakeDrive;
  let folder: FakeFile;
  let dir: string;
  let credentials: string;

  before(function () {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "node build.mjs" first`);
  });

  beforeEach(async () => {
    fake = await startFakeDrive();
    folder = fake.addFolder({ name: 'Team wiki' });
    credentials = fake.tokens.authorizedUser();
    dir = await mkdtemp(join(tmpdir(), 'devguide-cli-drive-'));
    await copyFile(join(ROOT, 'examples', 'chat-messages.jsonl'), join(dir, 'chat.jsonl'));
    await writeConfig();
  });
  afterEach(async function () {
    const violations = [...fake.violations];
    await fake.close();
    await rm(dir, { recursive: true, force: true });
    if (this.currentTest?.state === 'passed') assert.deepEqual(violations, []);
  });

  async function writeConfig(folderId = folder.id): Promise<void> {
    const config = { destinations: [{ id: 'team-drive', name: 'Team wiki', type: 'drive', folderId, rootUrl: fake.rootUrl, tokenUrl: fake.tokenUrl }] };
    await writeFile(join(dir, 'devguide.json'), JSON.stringify(config));
  }

  function cli(args: string[], env: Record<string, string | undefined> = { [ENV_NAME]: credentials }): Promise<Run> {
    return new Promise((resolvePromise, reject) => {
      // Async: the fake answers from this process while the CLI runs.
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: dir,
        env: { PATH: process.env['PATH'], HOME: dir, DEVGUIDE_EXPORT_STORE: join(dir, '.store'), DEVGUIDE_ACTOR: 'tester', ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
      child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
      child.on('error', reject);
      child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> }));
    });
  }

  const exportArgs = (...extra: string[]) => ['export', 'chat.jsonl', '--dest', 'team-drive', '--config', 'devguide.json', '--json', ...extra];

  /** Every file of the store folder, as text. */
  async function storeText(): Promise<string> {
    const folderPath = join(dir, '.store');
    if (!existsSync(folderPath)) return '';
    const names = await readdir(folderPath, { recursive: true, withFileTypes: true });
    const texts = await Promise.all(names.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'utf8')));
    return texts.join('\n');
  }

  function assertNoCredentials(...texts: string[]): void {
    const secret = JSON.parse(credentials) as Record<string, string>;
    for (const text of texts) {
      for (const value of [secret['client_secret'], secret['refresh_token']]) assert.ok(value && !text.includes(value), 'a credential leaked');
      assert.doesNotMatch(text, /ya29\./, 'an access token leaked');
    }
  }

  it('exports to the folder with --yes; the job, the file and its link agree; a second export updates it; rollback restores then trashes', async () => {
    const created = await cli(exportArgs('--title', 'Drive demo', '--yes'));
    assert.equal(created.code, 0, created.stderr + created.stdout);
    const out = created.json();
    assert.equal(out['status'], 'completed');
    assert.equal(out['review'].risk_level, 'high');
    assert.equal(out['review'].action, 'CREATE');
    const [file] = fake.filesIn(folder.id);
    assert.ok(file);
    assert.equal(file.name, 'drive-demo.md');
    assert.equal(file.mimeType, 'text/markdown');
    assert.match(fake.content(file.id) ?? '', /Plan the export rollback/);
    assert.equal(out['output_location'], `${fake.rootUrl}file/d/${file.id}/view?usp=drivesdk`);

    const updated = await cli(exportArgs('--title', 'Drive demo', '--filename', 'drive-demo.md', '--tag', 'second', '--yes', '--force'));
    assert.equal(updated.code, 0, updated.stderr + updated.stdout);
    assert.equal(updated.json()['review'].action, 'UPDATE');
    assert.equal(file.revisions.length, 2);
    assert.equal(fake.filesIn(folder.id).length, 1);

    const rolledUpdate = await cli(['jobs', 'rollback', updated.json()['job_id'], '--yes', '--json']);
    assert.equal(rolledUpdate.code, 0, rolledUpdate.stderr + rolledUpdate.stdout);
    assert.equal(rolledUpdate.json()['status'], 'rolled_back');
    assert.equal(fake.content(file.id), file.revisions[0]!.content.toString('utf8'));
    const rolledCreate = await cli(['jobs', 'rollback', out['job_id'], '--yes', '--json']);
    assert.equal(rolledCreate.code, 0, rolledCreate.stderr + rolledCreate.stdout);
    assert.equal(file.trashed, true);
    assert.ok(fake.files.has(file.id), 'trashed, not deleted');

    assertNoCredentials(created.stdout, created.stderr, updated.stdout, rolledUpdate.stdout, rolledCreate.stdout, await storeText());
  });

  it('needs --yes for a Drive export (high risk) and writes nothing without it', async () => {
    const run = await cli(exportArgs('--title', 'Unreviewed'));
    assert.equal(run.code, 3, run.stderr + run.stdout);
    assert.equal(fake.filesIn(folder.id).length, 0);
    assert.equal(fake.calls('files.create').length, 0);
  });

  it('a refused write fails the job with PERMISSION_DENIED, and the folder stays empty', async () => {
    fake.fail({ on: 'files.create', status: 403, reason: 'insufficientFilePermissions' });
    const run = await cli(exportArgs('--title', 'Denied', '--yes'));
    assert.equal(run.code, 1, run.stderr + run.stdout);
    const out = run.json();
    assert.equal(out['status'], 'failed');
    assert.equal(out['error']?.code ?? out['error_code'], 'PERMISSION_DENIED');
    assert.equal(fake.filesIn(folder.id).length, 0);
    const jobs = await cli(['jobs', 'list', '--json']);
    assert.deepEqual(jobs.json()['jobs'].map((j: Record<string, unknown>) => j['status']), ['failed']);
  });

  it('a long rate limit ends as RATE_LIMITED with the time to retry, at once', async () => {
    fake.fail({ on: 'files.create', status: 429, headers: { 'retry-after': '900' } });
    const run = await cli(exportArgs('--title', 'Limited', '--yes'));
    assert.equal(run.code, 1, run.stderr + run.stdout);
    const out = run.json();
    assert.equal(out['error']?.code ?? out['error_code'], 'RATE_LIMITED');
    assert.match(JSON.stringify(out), /try again in 900 s/);
    assert.equal(fake.calls('files.create').length, 1, 'not retried by the publish stage either');
    assert.equal(fake.filesIn(folder.id).length, 0);
  });

  it('without credentials: AUTH_EXPIRED naming the environment variable; a missing folder: DESTINATION_NOT_FOUND naming its id', async () => {
    const none = await cli(exportArgs('--title', 'No creds', '--yes'), {});
    assert.notEqual(none.code, 0);
    assert.match(none.stdout + none.stderr, /AUTH_EXPIRED/);
    assert.match(none.stdout + none.stderr, new RegExp(ENV_NAME));
    await writeConfig('missingFolder42');
    const missing = await cli(exportArgs('--title', 'No folder', '--yes'));
    assert.notEqual(missing.code, 0);
    assert.match(missing.stdout + missing.stderr, /DESTINATION_NOT_FOUND/);
    assert.match(missing.stdout + missing.stderr, /missingFolder42/);
    assertNoCredentials(none.stdout, none.stderr, missing.stdout, missing.stderr, await storeText());
  });
});
