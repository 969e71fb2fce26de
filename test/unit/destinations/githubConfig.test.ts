import { strict as assert } from 'node:assert';
import { parseConfig } from '../../../server/src/config';
import { secretFromEnvironment } from '../../../server/src/cli/runtime';
import { githubDestination } from '../../../server/src/destinations/githubDescriptor';
import { batchCommitMessageOf, commitMessageOf, exportBranchName, pullRequestBody, repoPathOf } from '../../../server/src/destinations/github/paths';
import { gitBlobSha } from '../../../server/src/destinations/github/gitBlob';
import { ExportError } from '../../../server/src/errors';

/** Issue 12: the GitHub destination's settings entry, its names in the repository and where the CLI finds its token. */

function configError(entry: Record<string, unknown>): ExportError {
  try {
    parseConfig({ destinations: [entry] }, 'config file c.json');
  } catch (error) {
    assert.ok(error instanceof ExportError);
    return error;
  }
  assert.fail('expected the entry to be refused');
}

describe('GitHub destination: configuration', () => {
  it('accepts an entry with defaults: commit mode, the root folder, the default branch', () => {
    const config = parseConfig({ destinations: [{ id: 'gh', type: 'github', repo: 'acme/docs' }] });
    const entry = config.destinations[0];
    assert.deepEqual(entry, { id: 'gh', type: 'github', repo: 'acme/docs', path: '', mode: 'commit' });
    const full = parseConfig({
      destinations: [{ id: 'ghe', type: 'github', repo: 'team/skills', branch: 'release/docs', path: '/docs/skills/', mode: 'pull_request', baseUrl: 'https://git.example.com/api/v3/', commitMessage: 'chore: {title}' }],
    }).destinations[0];
    assert.deepEqual(full, { id: 'ghe', type: 'github', repo: 'team/skills', branch: 'release/docs', path: 'docs/skills', mode: 'pull_request', baseUrl: 'https://git.example.com/api/v3', commitMessage: 'chore: {title}' });
  });

  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['no repo', { id: 'gh', type: 'github' }, /destinations\[0\] \("gh"\)\.repo: is required/],
    ['repo not owner/name', { id: 'gh', type: 'github', repo: 'docs' }, /\.repo: must be "owner\/name"/],
    ['repo with extra parts', { id: 'gh', type: 'github', repo: 'a/b/c' }, /\.repo: must be "owner\/name"/],
    ['path with ..', { id: 'gh', type: 'github', repo: 'a/b', path: 'docs/../secrets' }, /\.path: must not contain "\.\."/],
    ['path into .git', { id: 'gh', type: 'github', repo: 'a/b', path: '.git/hooks' }, /\.path: must not point into \.git/],
    ['unknown mode', { id: 'gh', type: 'github', repo: 'a/b', mode: 'pull-request' }, /\.mode: must be "commit" or "pull_request"/],
    ['bad branch', { id: 'gh', type: 'github', repo: 'a/b', branch: 'feature..x' }, /\.branch: is not a valid branch name/],
    ['baseUrl with credentials', { id: 'gh', type: 'github', repo: 'a/b', baseUrl: 'https://user:pw@git.example.com/api/v3' }, /\.baseUrl: must be an http\(s\) URL/],
    ['a token in the entry', { id: 'gh', type: 'github', repo: 'a/b', token: 'x' }, /Unrecognized key.*token/],
  ];
  for (const [what, entry, message] of refused) {
    it(`refuses ${what} with DESTINATION_CONFIG_INVALID naming the key`, () => {
      const error = configError(entry);
      assert.equal(error.code, 'DESTINATION_CONFIG_INVALID');
      assert.match(error.message, message);
    });
  }

  it('is high risk, remote, and asks for one credential: the token', () => {
    assert.equal(githubDestination.risk, 'high');
    assert.equal(githubDestination.remote, true);
    assert.deepEqual(githubDestination.secretFields.map((f) => f.field), ['token']);
  });

  it('without a token, building it is AUTH_EXPIRED saying where a token comes from', async () => {
    const config = parseConfig({ destinations: [{ id: 'my-gh', type: 'github', repo: 'a/b' }] }).destinations[0];
    assert.ok(config && config.type === 'github');
    await assert.rejects(
      githubDestination.create(config, { workspaceRoot: '/w', dataDir: '/d', getSecret: async () => undefined }),
      (error: ExportError) => error.code === 'AUTH_EXPIRED' && /DEVGUIDE_SECRET_MY_GH_TOKEN or GITHUB_TOKEN/.test(error.message) && error.details?.['action'] === 'reauthenticate',
    );
  });
});

describe('GitHub destination: the CLI\'s token', () => {
  const config = parseConfig({ destinations: [{ id: 'gh', type: 'github', repo: 'a/b' }, { id: 'docs', type: 'local', baseDir: 'docs' }] });

  it('reads DEVGUIDE_SECRET_<ID>_TOKEN first, then GITHUB_TOKEN', () => {
    assert.equal(secretFromEnvironment(config, { DEVGUIDE_SECRET_GH_TOKEN: 'own', GITHUB_TOKEN: 'ci' }, 'gh', 'token'), 'own');
    assert.equal(secretFromEnvironment(config, { GITHUB_TOKEN: 'ci' }, 'gh', 'token'), 'ci');
    assert.equal(secretFromEnvironment(config, { DEVGUIDE_SECRET_GH_TOKEN: '', GITHUB_TOKEN: 'ci' }, 'gh', 'token'), 'ci');
    assert.equal(secretFromEnvironment(config, {}, 'gh', 'token'), undefined);
  });

  it('GITHUB_TOKEN is for GitHub destinations only', () => {
    assert.equal(secretFromEnvironment(config, { GITHUB_TOKEN: 'ci' }, 'docs', 'token'), undefined);
    assert.equal(secretFromEnvironment(config, { GITHUB_TOKEN: 'ci' }, 'gh', 'password'), undefined);
  });
});

describe('GitHub destination: names in the repository', () => {
  it('puts files in the folder with the local destination\'s filename rules', () => {
    assert.equal(repoPathOf('docs', 'a.md'), 'docs/a.md');
    assert.equal(repoPathOf('', 'a.md'), 'a.md');
    assert.equal(repoPathOf('docs', '../../.github/workflows/x.yml'), 'docs/github/workflows/x.yml');
  });

  it('fills the commit message template; a batch lists its files', () => {
    assert.equal(commitMessageOf(undefined, { title: 'Rollback plan', filename: 'rollback-plan.md', path: 'docs/rollback-plan.md' }), 'docs: export Rollback plan');
    assert.equal(commitMessageOf('add {filename} ({path})', { title: 't', filename: 'a.md', path: 'docs/a.md' }), 'add a.md (docs/a.md)');
    assert.equal(batchCommitMessageOf(undefined, [{ title: 'A', path: 'd/a.md' }, { title: 'B', path: 'd/b.md' }]), 'docs: export 2 files\n\n- d/a.md: A\n- d/b.md: B\n');
  });

  it('names the export branch after the short job id', () => {
    assert.equal(exportBranchName('job_3F2A9C1E-1111-2222'), 'devguide-export/3f2a9c1e');
    assert.equal(exportBranchName('job_3f2a9c1e-1111', 2), 'devguide-export/3f2a9c1e-2');
  });

  it('writes the provenance into the pull request body, never a full local path', () => {
    const body = pullRequestBody(
      [{ path: 'docs/a.md', title: 'A', jobId: 'job_1', provenance: { source: '/home/me/work/chats/chat.jsonl', sessionId: 'sess_1', messageIds: ['m1', 'm2'], templateId: 'markdown', contentHash: 'sha256:abc' } }],
      '/home/me/work',
    );
    for (const part of ['`chats/chat.jsonl`', '`sess_1`', '`m1`, `m2`', '`markdown`', '`sha256:abc`', '`job_1`']) assert.ok(body.includes(part), `${part} in\n${body}`);
    assert.ok(!body.includes('/home/me'));
  });

  it('computes git\'s blob id, as GitHub reports a file\'s sha', () => {
    // `printf 'hello\n' | git hash-object --stdin`
    assert.equal(gitBlobSha(Buffer.from('hello\n')), 'ce013625030ba8dba906f756967f9e9ca394464a');
  });
});
