import assert from 'node:assert/strict';
import { checkCredentialValue, secretKey, type SecretField } from '../../../client/src/credentials/credentialFields';
import { Credentials, SILENT_SESSION_TIMEOUT_MS, type GitHubSession, type GitHubSessions, type SecretStore } from '../../../client/src/credentials/credentials';
import { setCredential, type CredentialPrompts } from '../../../client/src/credentials/setCredentialFlow';
import { Logger, MemorySink } from '../../../client/src/logging/logger';

const SECRET = 'ghp_unitTestSecretValue0123456789';

// The fields come from the server's devguide/listDestinations (DestinationSummary.secretFields).
const TOKEN: SecretField = { field: 'token', label: 'personal access token', prompt: 'A GitHub token.', placeHolder: 'ghp_…' };
const PASSWORD: SecretField = { field: 'password', label: 'database password', prompt: 'The password.', placeHolder: 'password' };
const DRIVE: SecretField = { field: 'credentials', label: 'OAuth credentials', prompt: 'OAuth JSON or a token.', placeHolder: '{…}', json: true };
const GITHUB = { id: 'gh', type: 'github', name: 'GitHub', secretFields: [TOKEN] };
const DB = { id: 'db', type: 'tidb', name: 'DB', secretFields: [PASSWORD] };
const LOCAL = { id: 'local', type: 'local', name: 'Local', secretFields: [] };

class FakeSecrets implements SecretStore {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}

/** The GitHub auth seam: what VS Code's provider would do, or code-server's lack of one. */
function fakeGitHub(behaviour: { silent?: GitHubSession | 'hang'; interactive?: GitHubSession | 'no-provider' | 'declined' }): GitHubSessions & { calls: boolean[] } {
  const calls: boolean[] = [];
  return {
    calls,
    async getSession(interactive) {
      calls.push(interactive);
      if (!interactive) {
        if (behaviour.silent === 'hang') return new Promise<GitHubSession | undefined>(() => undefined);
        return behaviour.silent;
      }
      if (behaviour.interactive === 'no-provider') throw new Error("Timed out waiting for authentication provider 'github'");
      if (behaviour.interactive === 'declined') throw new Error('User did not consent to login.');
      return behaviour.interactive;
    },
  };
}

function setup(github: GitHubSessions = fakeGitHub({})) {
  const secrets = new FakeSecrets();
  const memory = new MemorySink();
  const logger = new Logger([memory]);
  return { secrets, memory, logger, credentials: new Credentials(secrets, github, logger) };
}

function prompts(answers: { method?: 'account' | 'token'; value?: string }): CredentialPrompts & { asked: string[]; warnings: string[] } {
  const asked: string[] = [];
  const warnings: string[] = [];
  return {
    asked,
    warnings,
    async pickGitHubMethod() {
      asked.push('method');
      return answers.method;
    },
    async askValue(field) {
      asked.push(`value:${field.field}`);
      return answers.value;
    },
    warn(message) {
      warnings.push(message);
    },
  };
}

describe('client: credentials', () => {
  it('keys SecretStorage per destination id and field', () => {
    assert.equal(secretKey('gh', 'token'), 'devguideExport.credential/gh/token');
    assert.notEqual(secretKey('gh', 'token'), secretKey('gh2', 'token'));
    assert.notEqual(secretKey('gh', 'token'), secretKey('gh', 'password'));
  });

  it('stores, answers and clears a credential — and never logs its value', async () => {
    const { credentials, secrets, memory, logger } = setup();
    await credentials.set('team-db', 'password', SECRET);
    assert.equal(secrets.values.get(secretKey('team-db', 'password')), SECRET);
    assert.equal(await credentials.resolve('team-db', 'password', 'tidb'), SECRET);
    assert.equal(await credentials.has('team-db', 'password'), true);
    assert.equal(await credentials.clear('team-db', 'password'), true);
    assert.equal(await credentials.clear('team-db', 'password'), false);
    assert.equal(await credentials.resolve('team-db', 'password', 'tidb'), null);
    const log = memory.snapshot().join('\n');
    assert.ok(log.includes('team-db'), 'the log says what happened');
    assert.ok(!log.includes(SECRET), 'but never the value');
    assert.equal(logger.scrubbedCount, 0, 'nothing had to be scrubbed: the value was never written');
  });

  it('answers a GitHub token from the signed-in account when none is stored, silently', async () => {
    const github = fakeGitHub({ silent: { accessToken: 'gho_sessionToken123', accountLabel: 'octocat' } });
    const { credentials, memory } = setup(github);
    assert.equal(await credentials.resolve('gh', 'token', 'github'), 'gho_sessionToken123');
    assert.deepEqual(github.calls, [false], 'only a silent lookup: the server\'s request must not pop up a sign-in');
    assert.match(memory.snapshot().join('\n'), /GitHub account octocat/);
    assert.ok(!memory.snapshot().join('\n').includes('gho_sessionToken123'));
  });

  it('prefers a stored token over the account, and asks no provider for other types or fields', async () => {
    const github = fakeGitHub({ silent: { accessToken: 'gho_sessionToken123', accountLabel: 'octocat' } });
    const { credentials } = setup(github);
    await credentials.set('gh', 'token', SECRET);
    assert.equal(await credentials.resolve('gh', 'token', 'github'), SECRET);
    assert.equal(await credentials.resolve('db', 'password', 'tidb'), null);
    assert.equal(await credentials.resolve('gh', 'webhook', 'github'), null);
    assert.deepEqual(github.calls, []);
  });

  it('gives up on a provider that never answers (code-server has none) after a bounded wait', async function () {
    this.timeout(SILENT_SESSION_TIMEOUT_MS + 2_000);
    const { credentials } = setup(fakeGitHub({ silent: 'hang' }));
    const started = Date.now();
    assert.equal(await credentials.resolve('gh', 'token', 'github'), null);
    assert.ok(Date.now() - started >= SILENT_SESSION_TIMEOUT_MS - 50);
  });

  it('Set Credential for GitHub offers the account first; signing in removes a stored token', async () => {
    const github = fakeGitHub({ interactive: { accessToken: 'gho_new', accountLabel: 'octocat' } });
    const { credentials, secrets } = setup(github);
    await credentials.set('gh', 'token', SECRET);
    const ui = prompts({ method: 'account' });
    const outcome = await setCredential(GITHUB, credentials, ui);
    assert.deepEqual(outcome, { status: 'github-account', account: 'octocat' });
    assert.deepEqual(ui.asked, ['method']);
    assert.equal(secrets.values.has(secretKey('gh', 'token')), false);
  });

  it('falls back to a personal access token when GitHub sign-in is unavailable', async () => {
    const { credentials, secrets } = setup(fakeGitHub({ interactive: 'no-provider' }));
    const ui = prompts({ method: 'account', value: `  ${SECRET} ` });
    const outcome = await setCredential(GITHUB, credentials, ui);
    assert.deepEqual(outcome, { status: 'stored', field: 'token' });
    assert.deepEqual(ui.asked, ['method', 'value:token']);
    assert.equal(ui.warnings.length, 1);
    assert.equal(secrets.values.get(secretKey('gh', 'token')), SECRET, 'trimmed');
  });

  it('the token path and given values skip the questions they answer', async () => {
    const { credentials } = setup();
    const ui = prompts({});
    assert.deepEqual(await setCredential(GITHUB, credentials, ui, { value: SECRET }), { status: 'stored', field: 'token' });
    assert.deepEqual(await setCredential(DB, credentials, ui, { value: 'pw-123456' }), { status: 'stored', field: 'password' });
    assert.deepEqual(ui.asked, []);
  });

  it('cancelling, unknown fields and destinations without credentials (the server lists none)', async () => {
    const { credentials } = setup();
    assert.deepEqual(await setCredential(GITHUB, credentials, prompts({})), { status: 'cancelled' });
    assert.deepEqual(await setCredential(DB, credentials, prompts({})), { status: 'cancelled' });
    assert.equal((await setCredential(LOCAL, credentials, prompts({}))).status, 'unsupported');
    assert.equal((await setCredential(DB, credentials, prompts({}), { field: 'token', value: 'x' })).status, 'unsupported');
  });

  it('checks typed values: not empty, no spaces, JSON objects for Drive', () => {
    const token = TOKEN;
    const drive = DRIVE;
    assert.ok(checkCredentialValue(token, '  '));
    assert.ok(checkCredentialValue(token, 'ab cd'));
    assert.equal(checkCredentialValue(token, 'ghp_x'), undefined);
    assert.ok(checkCredentialValue(drive, '{not json'));
    assert.ok(checkCredentialValue(drive, '{}') === undefined);
    assert.equal(checkCredentialValue(drive, 'ya29.token'), undefined);
  });
});
