import { strict as assert } from 'node:assert';
import { ExportError } from '../../../server/src/errors';
import {
  formatWait,
  gitHubFailure,
  isNotFastForward,
  isStaleShaAnswer,
  rateLimitOf,
  type RequestErrorLike,
} from '../../../server/src/destinations/github/errors';

/** GitHub's answers as the project's error codes (issue 12's Faults), without a server. */

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

function answer(status: number, message: string, headers: Record<string, string> = {}): RequestErrorLike & Error {
  return Object.assign(new Error(message), { status, response: { headers, data: { message } } });
}

function noAnswer(message: string): RequestErrorLike & Error {
  // Octokit reports a request that got no answer as status 500 without a response.
  return Object.assign(new Error(message), { status: 500 });
}

const context = { destinationId: 'gh', repo: 'acme/docs', what: 'write docs/a.md', now: NOW, attempts: 4 };

describe('GitHub destination: error mapping', () => {
  it('401 is AUTH_EXPIRED with a re-authenticate action', () => {
    const error = gitHubFailure(answer(401, 'Bad credentials'), context);
    assert.equal(error.code, 'AUTH_EXPIRED');
    assert.equal(error.details?.['action'], 'reauthenticate');
    assert.match(error.message, /Sign in again or set a new token/);
    assert.equal(error.recoverable, false);
  });

  it('403 without rate-limit signs is PERMISSION_DENIED naming the repository', () => {
    const error = gitHubFailure(answer(403, 'Permission to acme/docs.git denied to tester.'), context);
    assert.equal(error.code, 'PERMISSION_DENIED');
    assert.match(error.message, /acme\/docs/);
    assert.match(error.message, /push access/);
  });

  it('404 uses the caller\'s not-found error (repository by default)', () => {
    assert.equal(gitHubFailure(answer(404, 'Not Found'), context).code, 'DESTINATION_NOT_FOUND');
    const branch = gitHubFailure(answer(404, 'Not Found'), { ...context, notFound: () => new ExportError('DESTINATION_NOT_FOUND', 'Branch "x" does not exist') });
    assert.match(branch.message, /Branch "x"/);
  });

  it('primary rate limit (403 or 429, x-ratelimit-remaining: 0) is RATE_LIMITED until the reset', () => {
    for (const status of [403, 429]) {
      const reset = String(Math.floor(NOW / 1000) + 600);
      const error = gitHubFailure(answer(status, 'API rate limit exceeded for user ID 1.', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }), context);
      assert.equal(error.code, 'RATE_LIMITED');
      assert.equal(error.recoverable, true);
      assert.equal(error.details?.['kind'], 'primary');
      assert.equal(error.details?.['retryAfterMs'], 601_000);
      assert.equal(error.details?.['retryAt'], new Date(NOW + 601_000).toISOString());
      assert.match(error.message, /try again in 11 min/);
    }
  });

  it('secondary rate limit: retry-after when given, else at least a minute', () => {
    const withHeader = gitHubFailure(answer(403, 'You have exceeded a secondary rate limit.', { 'retry-after': '30' }), context);
    assert.equal(withHeader.code, 'RATE_LIMITED');
    assert.equal(withHeader.details?.['kind'], 'secondary');
    assert.equal(withHeader.details?.['retryAfterMs'], 30_000);
    const withoutHeader = gitHubFailure(answer(403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'), context);
    assert.equal(withoutHeader.details?.['retryAfterMs'], 60_000);
    const bare429 = gitHubFailure(answer(429, 'Too Many Requests', { 'retry-after': '5' }), context);
    assert.equal(bare429.code, 'RATE_LIMITED');
    assert.equal(bare429.details?.['retryAfterMs'], 5_000);
  });

  it('5xx and dropped connections are CONNECTION_FAILED (recoverable); a time-out is TIMEOUT', () => {
    const server = gitHubFailure(answer(502, 'Server Error'), context);
    assert.equal(server.code, 'CONNECTION_FAILED');
    assert.match(server.message, /502.*after 4 attempts/);
    assert.equal(server.recoverable, true);
    const reset = gitHubFailure(noAnswer('other side closed'), context);
    assert.equal(reset.code, 'CONNECTION_FAILED');
    assert.match(reset.message, /Could not reach GitHub/);
    assert.equal(gitHubFailure(noAnswer('The operation was aborted due to timeout'), context).code, 'TIMEOUT');
  });

  it('a cancel stays CANCELLED', () => {
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError', status: 500 });
    assert.equal(gitHubFailure(abort, context).code, 'CANCELLED');
  });

  it('knows a stale sha (409, 422 "does not match", 422 "sha wasn\'t supplied") and a refused fast-forward', () => {
    assert.equal(isStaleShaAnswer(answer(409, 'docs/a.md does not match abc')), true);
    assert.equal(isStaleShaAnswer(answer(422, 'docs/a.md does not match abc')), true);
    assert.equal(isStaleShaAnswer(answer(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')), true);
    assert.equal(isStaleShaAnswer(answer(422, 'Validation Failed')), false);
    assert.equal(isStaleShaAnswer(answer(404, 'Not Found')), false);
    assert.equal(isNotFastForward(answer(422, 'Update is not a fast forward')), true);
  });

  it('never puts the request (whose headers hold the token) in the error', () => {
    const token = 'ghp_' + 'A'.repeat(36);
    const thrown = Object.assign(answer(401, 'Bad credentials'), { request: { headers: { authorization: `token ${token}` } } });
    const error = gitHubFailure(thrown, context);
    assert.ok(!JSON.stringify(error.toInfo()).includes(token));
    assert.ok(!error.message.includes(token));
    assert.equal(error.cause, undefined, 'the RequestError is not kept as the cause');
  });

  it('rate limits only on 403/429 and formats waits for people', () => {
    assert.equal(rateLimitOf(answer(500, 'x', { 'retry-after': '1' })), undefined);
    assert.equal(rateLimitOf(answer(403, 'Resource not accessible')), undefined);
    assert.equal(formatWait(42_000), '42 s');
    assert.equal(formatWait(30 * 60_000), '30 min');
    assert.equal(formatWait(125 * 60_000), '2 h 5 min');
  });
});
