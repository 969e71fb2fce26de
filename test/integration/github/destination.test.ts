import { strict as assert } from 'node:assert';
import { checkedGitHubConfig } from '../../../server/src/destinations/githubDescriptor';
import { createGitHubDestination, type GitHubDestinationOptions } from '../../../server/src/destinations/github/destination';
import type { Destination, SaveRequest } from '../../../server/src/destinations/types';
import { ExportError, type ErrorCode } from '../../../server/src/errors';
import {
  badCredentials,
  connectionReset,
  primaryRateLimit,
  secondaryRateLimit,
  serverError,
  staleSha,
  startFakeGitHub,
  type FakeGitHub,
} from '../../support/githubFake';

/**
 * The GitHub destination against the local stand-in (every request checked
 * against GitHub's OpenAPI description): reading, the review's impact,
 * writing in both modes, batches as one commit, rollback, and each fault of
 * issue 12.
 */

const PUT = 'repos/create-or-update-file-contents';

function rejectsWith(code: ErrorCode, pattern?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ExportError, `not an ExportError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

function request(filename: string, content: string, extra: Partial<SaveRequest> = {}): SaveRequest {
  return { filename, content, title: filename.replace(/\.md$/, ''), metadata: {}, jobId: `job_${filename.replace(/\W/g, '')}0000`, expected: { exists: false }, ...extra };
}

describe('GitHub destination against the fake GitHub', function () {
  let fake: FakeGitHub;

  beforeEach(async () => {
    fake = await startFakeGitHub();
    fake.addRepo('acme/docs', { visibility: 'private', files: { 'README.md': '# Docs\n', 'docs/existing.md': 'old\n' } });
  });
  afterEach(async () => {
    await fake.close();
    fake.assertNoViolations();
  });

  function destination(entry: Record<string, unknown> = {}, options: Partial<GitHubDestinationOptions> = {}): Destination {
    const config = checkedGitHubConfig({ id: 'gh', type: 'github', repo: 'acme/docs', path: 'docs', baseUrl: fake.baseUrl, ...entry });
    // Octokit's waits shortened: a "second" of a rate-limit wait is 1 ms, retries wait 1, 4, 9 ms.
    return createGitHubDestination(config, { token: fake.token, workspaceRoot: '/work', maxRetries: 2, maxWaitMs: 30_000, timeoutMs: 10_000, retryBaseMs: 1, rateLimitUnitMs: 1, ...options });
  }

  const repo = () => fake.repo('acme/docs');

  describe('review', () => {
    it('reads the existing file raw, over 1 MB too, with its blob sha as the version', async () => {
      const big = `${'x'.repeat(99)}\n`.repeat(15_000);
      repo().commitFiles('main', { 'docs/big.md': big });
      const existing = await destination().fetchExisting('big.md');
      assert.equal(existing?.content, big);
      assert.equal(existing?.version, repo().blobAt('main', 'docs/big.md'));
      assert.equal(existing?.location, `${fake.webUrl}/acme/docs/blob/main/docs/big.md`);
      assert.match(fake.calls('repos/get-content').at(-1)?.accept ?? '', /vnd\.github\.raw/);
      assert.equal(await destination().fetchExisting('absent.md'), undefined);
    });

    it('describes CREATE or UPDATE, and a public repository adds "file will be publicly visible"', async () => {
      const gh = destination();
      assert.equal((await gh.describeImpact('new.md')).action, 'CREATE');
      const update = await gh.describeImpact('existing.md');
      assert.equal(update.action, 'UPDATE');
      assert.equal(update.resource, 'acme/docs@main:docs/existing.md');
      assert.deepEqual(update.warnings, []);
      repo().visibility = 'public';
      const publicImpact = await destination().describeImpact('new.md');
      assert.ok(publicImpact.warnings.some((w) => /file will be publicly visible/.test(w)), publicImpact.warnings.join('\n'));
      repo().push = false;
      assert.ok((await destination().describeImpact('new.md')).warnings.some((w) => /cannot push/.test(w)));
    });

    it('tests the connection: reachable, push access, branch, visibility, folder', async () => {
      const ok = await destination().testConnection();
      assert.equal(ok.ok, true, ok.message);
      assert.match(ok.message, /acme\/docs .* reachable \(private\); the token may push; branch main exists; folder docs\/ exists/);
      assert.match((await destination({ path: 'new/place' }).testConnection()).message, /folder new\/place\/ does not exist yet/);
      const noBranch = await destination({ branch: 'gone' }).testConnection();
      assert.equal(noBranch.ok, false);
      assert.match(noBranch.message, /Branch "gone" does not exist in acme\/docs/);
      repo().visibility = 'public';
      repo().push = false;
      const readOnly = await destination().testConnection();
      assert.equal(readOnly.ok, false);
      assert.match(readOnly.message, /public: exports are publicly visible.*may NOT push/);
      const missing = await destination({ repo: 'acme/nothing' }).testConnection();
      assert.equal(missing.ok, false);
      assert.match(missing.message, /repository acme\/nothing was not found/);
      assert.ok(!missing.message.includes(fake.token));
    });
  });

  describe('commit mode', () => {
    it('creates, then updates with the blob sha the review saw; the location is the file\'s html_url', async () => {
      const gh = destination();
      const created = await gh.save(request('plan.md', '# Plan\n', { expected: { exists: false } }));
      assert.equal(created.action, 'CREATE');
      assert.equal(created.location, `${fake.webUrl}/acme/docs/blob/main/docs/plan.md`);
      assert.equal(repo().file('main', 'docs/plan.md'), '# Plan\n');
      assert.equal(repo().history('main')[0]?.message, 'docs: export plan');
      const seen = await gh.fetchExisting('plan.md');
      const updated = await gh.save(request('plan.md', '# Plan v2\n', { expected: { exists: true, version: seen?.version as string } }));
      assert.equal(updated.action, 'UPDATE');
      assert.equal(repo().file('main', 'docs/plan.md'), '# Plan v2\n');
      assert.equal(fake.calls(PUT).length, 2);
    });

    it('stale sha (409): someone pushed since the review — CONFLICT, their edit kept, nothing written', async () => {
      const gh = destination();
      const seen = await gh.fetchExisting('existing.md');
      repo().commitFiles('main', { 'docs/existing.md': 'a colleague\'s edit\n' });
      const commits = repo().history('main').length;
      await assert.rejects(gh.save(request('existing.md', 'mine\n', { expected: { exists: true, version: seen?.version as string } })), rejectsWith('CONFLICT', /docs\/existing\.md was changed on main of acme\/docs since the review; nothing was overwritten/));
      assert.equal(repo().file('main', 'docs/existing.md'), 'a colleague\'s edit\n');
      assert.equal(repo().history('main').length, commits);
      assert.equal(fake.calls(PUT).length, 1, '409 is not retried by Octokit');
      assert.equal(fake.calls(PUT)[0]?.status, 409);
    });

    it('stale sha (422 "does not match"): the file was deleted since the review — CONFLICT', async () => {
      const gh = destination();
      const seen = await gh.fetchExisting('existing.md');
      repo().commitFiles('main', { 'docs/existing.md': null });
      await assert.rejects(gh.save(request('existing.md', 'mine\n', { expected: { exists: true, version: seen?.version as string } })), rejectsWith('CONFLICT', /was deleted/));
      assert.equal(fake.calls(PUT)[0]?.status, 422);
      assert.equal(repo().file('main', 'docs/existing.md'), undefined);
    });

    it('422 "sha wasn\'t supplied": someone created the file since the review saw none — CONFLICT, theirs kept', async () => {
      const gh = destination();
      assert.equal(await gh.fetchExisting('race.md'), undefined);
      repo().commitFiles('main', { 'docs/race.md': 'theirs\n' });
      await assert.rejects(gh.save(request('race.md', 'mine\n', { expected: { exists: false } })), rejectsWith('CONFLICT', /docs\/race\.md was created by someone else/));
      assert.equal(fake.calls(PUT)[0]?.status, 422);
      assert.equal(repo().file('main', 'docs/race.md'), 'theirs\n');
    });

    it('a 409 while the file is still as reviewed (the branch moved) is re-read and written', async () => {
      const gh = destination();
      const seen = await gh.fetchExisting('existing.md');
      fake.fault({ operationId: PUT, action: staleSha('docs/existing.md', 409) });
      await gh.save(request('existing.md', 'mine\n', { expected: { exists: true, version: seen?.version as string } }));
      assert.equal(repo().file('main', 'docs/existing.md'), 'mine\n');
      assert.deepEqual(fake.calls(PUT).map((c) => c.status), [409, 200]);
    });

    it('404: a missing repository or branch is DESTINATION_NOT_FOUND naming it', async () => {
      await assert.rejects(destination({ repo: 'acme/nothing' }).fetchExisting('a.md'), rejectsWith('DESTINATION_NOT_FOUND', /repository acme\/nothing was not found/));
      await assert.rejects(destination({ branch: 'gone' }).fetchExisting('a.md'), rejectsWith('DESTINATION_NOT_FOUND', /Branch "gone" does not exist in acme\/docs/));
      await assert.rejects(destination({ branch: 'gone' }).save(request('a.md', 'x\n')), rejectsWith('DESTINATION_NOT_FOUND', /Branch "gone"/));
    });

    it('a folder that does not exist yet is created by the first export', async () => {
      const gh = destination({ path: 'skills/new' });
      assert.equal((await gh.describeImpact('a.md')).action, 'CREATE');
      await gh.save(request('a.md', 'x\n', { expected: { exists: false } }));
      assert.equal(repo().file('main', 'skills/new/a.md'), 'x\n');
    });

    it('401 is AUTH_EXPIRED; the token is in no message', async () => {
      fake.fault({ operationId: 'repos/get', action: badCredentials() });
      await assert.rejects(destination().fetchExisting('a.md'), (error: unknown) => rejectsWith('AUTH_EXPIRED', /Sign in again/)(error) && !JSON.stringify((error as ExportError).toInfo()).includes(fake.token));
      await assert.rejects(destination({}, { token: 'ghp_revoked' }).describeImpact('a.md'), rejectsWith('AUTH_EXPIRED'));
    });

    it('403 without push access is PERMISSION_DENIED, and nothing is written', async () => {
      repo().push = false;
      await assert.rejects(destination().save(request('a.md', 'x\n', { expected: { exists: false } })), rejectsWith('PERMISSION_DENIED', /acme\/docs.*push access/));
      assert.equal(repo().file('main', 'docs/a.md'), undefined);
    });
  });

  describe('rate limits', () => {
    it('primary (403, x-ratelimit-remaining: 0): waits for the reset when within the limits, then writes', async () => {
      fake.fault({ operationId: PUT, action: primaryRateLimit(1) });
      await destination().save(request('a.md', 'x\n', { expected: { exists: false } }));
      assert.deepEqual(fake.calls(PUT).map((c) => c.status), [403, 201]);
    });

    it('primary (429) with a reset beyond the configured wait: RATE_LIMITED with the time to retry, at once', async () => {
      fake.fault({ operationId: PUT, action: primaryRateLimit(3600, 429) });
      const started = Date.now();
      await assert.rejects(destination({}, { maxWaitMs: 30_000 }).save(request('a.md', 'x\n', { expected: { exists: false } })), (error: unknown) => {
        // The reset is a whole second (x-ratelimit-reset): 3,599–3,601 s from now, rounded up to 60 or 61 minutes.
        rejectsWith('RATE_LIMITED', /primary rate limit .* try again in 6[01] min/)(error);
        const details = (error as ExportError).details ?? {};
        assert.ok(Number(details['retryAfterMs']) > 3_590_000 && Number(details['retryAfterMs']) <= 3_601_000);
        assert.ok(Date.parse(String(details['retryAt'])) > started + 3_590_000);
        return true;
      });
      assert.equal(fake.calls(PUT).length, 1);
      assert.equal(repo().file('main', 'docs/a.md'), undefined);
    });

    it('secondary with retry-after (403 and 429): waited out, then written', async () => {
      fake.fault({ operationId: PUT, action: secondaryRateLimit(3) });
      fake.fault({ operationId: PUT, action: secondaryRateLimit(2, 429) });
      await destination().save(request('a.md', 'x\n', { expected: { exists: false } }));
      assert.deepEqual(fake.calls(PUT).map((c) => c.status), [403, 429, 201]);
    });

    it('secondary without retry-after waits at least a minute: past the configured wait, RATE_LIMITED in 60 s', async () => {
      fake.fault({ operationId: PUT, action: secondaryRateLimit() });
      await assert.rejects(
        destination({}, { maxWaitMs: 10_000 }).save(request('a.md', 'x\n', { expected: { exists: false } })),
        (error: unknown) => rejectsWith('RATE_LIMITED', /secondary rate limit .* try again in 60 s/)(error) && (error as ExportError).details?.['retryAfterMs'] === 60_000,
      );
      assert.equal(fake.calls(PUT).length, 1);
    });

    it('secondary without retry-after within the configured wait: waited (growing), then written', async () => {
      fake.fault({ operationId: PUT, times: 2, action: secondaryRateLimit() });
      await destination({}, { maxWaitMs: 300_000 }).save(request('a.md', 'x\n', { expected: { exists: false } }));
      assert.deepEqual(fake.calls(PUT).map((c) => c.status), [403, 403, 201]);
    });

    it('stops waiting after the configured retries', async () => {
      fake.fault({ operationId: PUT, times: Infinity, action: secondaryRateLimit(1) });
      await assert.rejects(destination({}, { maxRetries: 2 }).save(request('a.md', 'x\n', { expected: { exists: false } })), rejectsWith('RATE_LIMITED'));
      assert.equal(fake.calls(PUT).length, 3);
    });
  });

  describe('5xx and connection resets', () => {
    it('are retried with backoff, then written', async () => {
      fake.fault({ operationId: PUT, action: serverError(502) });
      fake.fault({ operationId: PUT, action: connectionReset() });
      await destination().save(request('a.md', 'x\n', { expected: { exists: false } }));
      assert.deepEqual(fake.calls(PUT).map((c) => c.status), [502, -1, 201]);
      assert.equal(repo().file('main', 'docs/a.md'), 'x\n');
    });

    it('that persist end as CONNECTION_FAILED after the configured retries', async () => {
      fake.fault({ operationId: PUT, times: Infinity, action: serverError(503) });
      await assert.rejects(destination({}, { maxRetries: 2 }).save(request('a.md', 'x\n', { expected: { exists: false } })), rejectsWith('CONNECTION_FAILED', /GitHub answered 503/));
      assert.equal(fake.calls(PUT).length, 3);
      const earlier = fake.calls('repos/get').length;
      fake.fault({ operationId: 'repos/get', times: Infinity, action: connectionReset() });
      await assert.rejects(destination({}, { maxRetries: 1 }).fetchExisting('a.md'), rejectsWith('CONNECTION_FAILED', /Could not reach GitHub/));
      assert.equal(fake.calls('repos/get').length - earlier, 2, 'the first try and one retry');
    });
  });

  describe('pull request mode', () => {
    it('commits on a new branch devguide-export/<short job id> and opens a PR with the provenance; the base is untouched', async () => {
      const gh = destination({ mode: 'pull_request' });
      const baseHead = repo().head('main');
      const provenance = { source: '/work/chats/chat.jsonl', sessionId: 'sess_1', messageIds: ['m1'], templateId: 'markdown', contentHash: 'sha256:abc' };
      const result = await gh.save(request('plan.md', '# Plan\n', { jobId: 'job_ab12cd34-0000', expected: { exists: false }, provenance }));
      assert.equal(repo().head('main'), baseHead, 'the base branch is untouched');
      assert.equal(repo().file('devguide-export/ab12cd34', 'docs/plan.md'), '# Plan\n');
      const pull = repo().pulls.get(1);
      assert.ok(pull);
      assert.equal(pull.head, 'devguide-export/ab12cd34');
      assert.equal(pull.base, 'main');
      assert.equal(result.location, `${fake.webUrl}/acme/docs/pull/1`);
      for (const part of ['`chats/chat.jsonl`', '`sess_1`', '`m1`', '`markdown`', '`sha256:abc`', '`job_ab12cd34-0000`']) assert.ok(pull.body.includes(part), part);
    });

    it('a failure after the branch is created but before the PR is opened deletes the branch', async () => {
      fake.fault({ operationId: 'pulls/create', times: Infinity, action: serverError(500) });
      const branches = repo().branches();
      await assert.rejects(destination({ mode: 'pull_request' }).save(request('plan.md', 'x\n', { expected: { exists: false } })), rejectsWith('CONNECTION_FAILED', /was deleted again/));
      assert.equal(fake.calls('git/create-ref').length, 1, 'the branch was created');
      assert.equal(fake.calls('git/delete-ref').length, 1, 'and deleted again');
      assert.deepEqual(repo().branches(), branches, 'no orphan branch');
      assert.equal(repo().pulls.size, 0);
    });

    it('holds to the review too: a file changed on the base since is CONFLICT before any branch exists', async () => {
      const gh = destination({ mode: 'pull_request' });
      const seen = await gh.fetchExisting('existing.md');
      repo().commitFiles('main', { 'docs/existing.md': 'theirs\n' });
      await assert.rejects(gh.save(request('existing.md', 'mine\n', { expected: { exists: true, version: seen?.version as string } })), rejectsWith('CONFLICT'));
      assert.equal(fake.calls('git/create-ref').length, 0);
    });
  });

  describe('batch', () => {
    const fifty = () => Array.from({ length: 50 }, (_, i) => request(`batch-${i}.md`, `# ${i}\n`, { jobId: `job_batch${i}`, expected: { exists: false } }));

    it('lands 50 files as ONE commit through the git data API, the ref update not forced', async () => {
      const before = repo().history('main').length;
      const results = await destination().saveBatch?.(fifty());
      assert.equal(results?.length, 50);
      assert.equal(repo().history('main').length, before + 1, 'exactly one commit');
      assert.equal(repo().file('main', 'docs/batch-49.md'), '# 49\n');
      assert.equal(fake.calls(PUT).length, 0);
      assert.deepEqual(fake.writes().map((w) => w.operationId), ['git/create-tree', 'git/create-commit', 'git/update-ref']);
      assert.equal(results?.[0]?.location, `${fake.webUrl}/acme/docs/blob/main/docs/batch-0.md`);
    });

    it('when the branch moved meanwhile (another file), the commit is rebuilt on the new head — nothing of theirs is lost', async () => {
      fake.fault({ operationId: 'git/update-ref', action: { before: (f) => f.repo('acme/docs').commitFiles('main', { 'other.md': 'theirs\n' }) } });
      await destination().saveBatch?.(fifty().slice(0, 3));
      assert.deepEqual(fake.calls('git/update-ref').map((c) => c.status), [422, 200]);
      assert.equal(repo().file('main', 'other.md'), 'theirs\n');
      assert.equal(repo().file('main', 'docs/batch-2.md'), '# 2\n');
    });

    it('when one of its files changed since the review, nothing is written: CONFLICT', async () => {
      const gh = destination();
      const seen = await gh.fetchExisting('existing.md');
      repo().commitFiles('main', { 'docs/existing.md': 'theirs\n' });
      const head = repo().head('main');
      const batch = [request('a.md', 'a\n', { expected: { exists: false } }), request('existing.md', 'mine\n', { expected: { exists: true, version: seen?.version as string } })];
      await assert.rejects(gh.saveBatch?.(batch) ?? Promise.resolve(), rejectsWith('CONFLICT', /docs\/existing\.md was changed/));
      assert.equal(repo().head('main'), head);
      assert.equal(fake.writes().length, 0);
    });

    it('in pull request mode, is one PR', async () => {
      await destination({ mode: 'pull_request' }).saveBatch?.(fifty().slice(0, 5));
      assert.equal(repo().pulls.size, 1);
      assert.equal(repo().history(repo().pulls.get(1)?.head as string).length, repo().history('main').length + 1);
    });
  });

  describe('rollback', () => {
    it('a created file: a new commit deletes it; an updated one: a new commit restores the previous content', async () => {
      const gh = destination();
      const created = await gh.save(request('new.md', 'new\n', { expected: { exists: false } }));
      const seen = await gh.fetchExisting('existing.md');
      const updated = await gh.save(request('existing.md', 'changed\n', { expected: { exists: true, version: seen?.version as string } }));
      await gh.rollback(created.rollback);
      await gh.rollback(updated.rollback);
      assert.equal(repo().file('main', 'docs/new.md'), undefined);
      assert.equal(repo().file('main', 'docs/existing.md'), 'old\n');
      await gh.rollback(updated.rollback); // twice is fine
    });

    it('is refused with a clear message when the file changed since the export', async () => {
      const gh = destination();
      const created = await gh.save(request('new.md', 'new\n', { expected: { exists: false } }));
      repo().commitFiles('main', { 'docs/new.md': 'edited by a colleague\n' });
      await assert.rejects(gh.rollback(created.rollback), rejectsWith('ROLLBACK_FAILED', /docs\/new\.md in acme\/docs was changed after the export; it was left as it is/));
      assert.equal(repo().file('main', 'docs/new.md'), 'edited by a colleague\n');
    });

    it('a pull request is closed and its branch deleted; a merged one is refused', async () => {
      const gh = destination({ mode: 'pull_request' });
      const result = await gh.save(request('plan.md', 'x\n', { jobId: 'job_feedbeef', expected: { exists: false } }));
      await gh.rollback(result.rollback);
      assert.equal(repo().pulls.get(1)?.state, 'closed');
      assert.equal(repo().head('devguide-export/feedbeef'), undefined);
      const merged = await gh.save(request('other.md', 'y\n', { jobId: 'job_cafecafe', expected: { exists: false } }));
      (repo().pulls.get(2) as { merged: boolean }).merged = true;
      await assert.rejects(gh.rollback(merged.rollback), rejectsWith('ROLLBACK_FAILED', /was merged; revert it on GitHub/));
    });
  });
});

describe('GitHub Enterprise Server (baseUrl https://HOST/api/v3) against the fake', () => {
  it('reads, writes and rolls back under /api/v3, checked against the GHES description', async () => {
    const fake = await startFakeGitHub({ flavor: 'ghes' });
    try {
      fake.addRepo('team/skills', { files: { 'README.md': 'x\n' } });
      assert.match(fake.baseUrl, /\/api\/v3$/);
      const config = checkedGitHubConfig({ id: 'ghe', type: 'github', repo: 'team/skills', baseUrl: `${fake.baseUrl}/`, mode: 'commit' });
      const gh = createGitHubDestination(config, { token: fake.token, workspaceRoot: '/work', retryBaseMs: 1, rateLimitUnitMs: 1 });
      assert.equal((await gh.testConnection()).ok, true);
      const result = await gh.save({ filename: 'skill.md', content: 'skill\n', title: 'Skill', metadata: {}, jobId: 'job_1', expected: { exists: false } });
      assert.equal(fake.repo('team/skills').file('main', 'skill.md'), 'skill\n');
      await gh.rollback(result.rollback);
      assert.equal(fake.repo('team/skills').file('main', 'skill.md'), undefined);
      assert.ok(fake.requests.length > 0);
    } finally {
      await fake.close();
      fake.assertNoViolations();
    }
  });
});
