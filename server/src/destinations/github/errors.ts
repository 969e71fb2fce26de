import { ExportError, toExportError } from '../../errors';

/**
 * GitHub's answers as the project's errors. Octokit's RequestError is read
 * by shape (status, response headers and body message) so this stays a pure
 * function, tested without a server. Messages name the repository and what
 * was being done; they never carry the request (its headers hold the token).
 */

export interface GitHubFailureContext {
  destinationId: string;
  repo: string;
  /** What was being done, e.g. `read docs/a.md`. */
  what: string;
  /** The error for a 404 here (repository, branch, file …); default: the repository. */
  notFound?: () => ExportError;
  /** Attempts made (Octokit's retries), for the message. */
  attempts?: number;
  now?: number;
}

interface ResponseLike {
  headers?: Record<string, string | number | undefined>;
  data?: unknown;
}

export interface RequestErrorLike {
  status: number;
  message: string;
  response?: ResponseLike;
}

export function isRequestErrorLike(error: unknown): error is RequestErrorLike & Error {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number';
}

/** The `message` of GitHub's JSON error body (or the error's), one line, short. */
export function gitHubMessage(error: RequestErrorLike): string {
  const data = error.response?.data;
  const fromBody = data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string' ? (data as { message: string }).message : undefined;
  const detail = data && typeof data === 'object' && Array.isArray((data as { errors?: unknown }).errors) ? (data as { errors: { message?: unknown }[] }).errors.map((e) => (typeof e?.message === 'string' ? e.message : '')).filter(Boolean).join('; ') : '';
  const text = [fromBody ?? error.message, detail].filter(Boolean).join(': ');
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function header(error: RequestErrorLike, name: string): string | undefined {
  const value = error.response?.headers?.[name];
  return value === undefined ? undefined : String(value);
}

const SECONDARY = /secondary rate limit/i;
/** GitHub's guidance without `retry-after` on a secondary limit: at least one minute. */
export const SECONDARY_FALLBACK_MS = 60_000;

export interface RateLimitInfo {
  kind: 'primary' | 'secondary';
  /** How long until a retry may succeed. */
  retryAfterMs: number;
}

/**
 * Whether an answer is a rate limit, and for how long (GitHub's docs:
 * `retry-after` when present; else, with `x-ratelimit-remaining: 0`, the
 * `x-ratelimit-reset` time; else a secondary limit waits at least a minute).
 */
export function rateLimitOf(error: RequestErrorLike, now = Date.now()): RateLimitInfo | undefined {
  if (error.status !== 403 && error.status !== 429) return undefined;
  const message = gitHubMessage(error);
  const retryAfter = Number(header(error, 'retry-after'));
  const secondary = SECONDARY.test(message);
  const exhausted = header(error, 'x-ratelimit-remaining') === '0';
  if (!secondary && !exhausted && !Number.isFinite(retryAfter) && error.status !== 429) return undefined;
  const kind = secondary || !exhausted ? 'secondary' : 'primary';
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && header(error, 'retry-after') !== undefined) return { kind, retryAfterMs: retryAfter * 1000 };
  const reset = Number(header(error, 'x-ratelimit-reset'));
  if (exhausted && Number.isFinite(reset) && reset > 0) return { kind, retryAfterMs: Math.max(0, reset * 1000 - now + 1000) };
  return { kind, retryAfterMs: SECONDARY_FALLBACK_MS };
}

/** "42 s", "3 min", "2 h 5 min". */
export function formatWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A stale blob sha: someone changed the file (or the branch moved) between review and write. */
export function isStaleShaAnswer(error: unknown): boolean {
  if (!isRequestErrorLike(error)) return false;
  if (error.status === 409) return true;
  return error.status === 422 && /does not match|"?sha"? wasn'?t supplied/i.test(gitHubMessage(error));
}

/** A ref update that was not a fast-forward (the branch moved). */
export function isNotFastForward(error: unknown): boolean {
  return isRequestErrorLike(error) && error.status === 422 && /not a fast.forward/i.test(gitHubMessage(error));
}

export function isReferenceMissing(error: unknown): boolean {
  return isRequestErrorLike(error) && (error.status === 404 || (error.status === 422 && /reference does not exist/i.test(gitHubMessage(error))));
}

export function isReferenceTaken(error: unknown): boolean {
  return isRequestErrorLike(error) && error.status === 422 && /reference already exists/i.test(gitHubMessage(error));
}

export function repositoryNotFound(destinationId: string, repo: string, host: string): ExportError {
  return new ExportError('DESTINATION_NOT_FOUND', `GitHub repository ${repo} was not found on ${host}, or the token of destination "${destinationId}" cannot see it.`, {
    details: { destination: destinationId, repo },
    recoverable: false,
  });
}

export function branchNotFound(destinationId: string, repo: string, branch: string): ExportError {
  return new ExportError('DESTINATION_NOT_FOUND', `Branch "${branch}" does not exist in ${repo} (destination "${destinationId}").`, {
    details: { destination: destinationId, repo, branch },
    recoverable: false,
  });
}

/** Maps anything an Octokit call threw to an ExportError. */
export function gitHubFailure(thrown: unknown, context: GitHubFailureContext): ExportError {
  if (thrown instanceof ExportError) return thrown;
  if (thrown instanceof Error && thrown.name === 'AbortError') return toExportError(thrown);
  if (!isRequestErrorLike(thrown)) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return new ExportError('CONNECTION_FAILED', `GitHub call failed (${context.what} in ${context.repo}): ${message}`, { recoverable: true });
  }
  const { status } = thrown;
  const message = gitHubMessage(thrown);
  const base = { destination: context.destinationId, repo: context.repo, status };
  const tries = context.attempts && context.attempts > 1 ? ` after ${context.attempts} attempts` : '';
  // Octokit reports a request that got no answer (reset, refused, DNS, timeout) as status 500 without a response.
  if (thrown.response === undefined && status === 500) {
    if (/time(d)? ?out|timeout/i.test(message)) {
      return new ExportError('TIMEOUT', `GitHub did not answer in time (${context.what} in ${context.repo})${tries}.`, { details: base, recoverable: true });
    }
    return new ExportError('CONNECTION_FAILED', `Could not reach GitHub (${context.what} in ${context.repo})${tries}: ${message}`, { details: base, recoverable: true });
  }
  const limit = rateLimitOf(thrown, context.now);
  if (limit) {
    const retryAt = new Date((context.now ?? Date.now()) + limit.retryAfterMs).toISOString();
    return new ExportError(
      'RATE_LIMITED',
      `GitHub's ${limit.kind} rate limit stopped ${context.what} in ${context.repo}: try again in ${formatWait(limit.retryAfterMs)} (after ${retryAt.slice(11, 16)} UTC).`,
      { details: { ...base, kind: limit.kind, retryAfterMs: limit.retryAfterMs, retryAt }, recoverable: true },
    );
  }
  switch (status) {
    case 401:
      return new ExportError('AUTH_EXPIRED', `GitHub rejected the token of destination "${context.destinationId}" (${message}). Sign in again or set a new token.`, {
        details: { ...base, action: 'reauthenticate' },
        recoverable: false,
      });
    case 403:
      return new ExportError('PERMISSION_DENIED', `The token of destination "${context.destinationId}" may not ${context.what} in ${context.repo}: it needs push access (${message}).`, {
        details: base,
        recoverable: false,
      });
    case 404:
      return context.notFound?.() ?? repositoryNotFound(context.destinationId, context.repo, 'GitHub');
    case 409:
      return new ExportError('CONFLICT', `${context.repo} changed while exporting (${context.what}): ${message}. Review the export again.`, { details: base, recoverable: true });
    default:
      if (status >= 500) {
        return new ExportError('CONNECTION_FAILED', `GitHub answered ${status} (${message}) to ${context.what} in ${context.repo}${tries}. Try again later.`, {
          details: base,
          recoverable: true,
        });
      }
      return new ExportError('WRITE_FAILED', `GitHub refused to ${context.what} in ${context.repo} (${status}: ${message}).`, { details: base, recoverable: false });
  }
}
