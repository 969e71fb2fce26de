import type { FaultAction } from './server';

/** The failures of issue 12's "Faults" list, as GitHub answers them. */

/** Primary rate limit: the hour's quota is spent until `reset` (GitHub: 403 or 429, `x-ratelimit-remaining: 0`). */
export function primaryRateLimit(resetInSeconds: number, status: 403 | 429 = 403): FaultAction {
  return {
    status,
    headers: {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': '5000',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds),
    },
    body: { message: 'API rate limit exceeded for user ID 1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' },
  };
}

/** Secondary rate limit: `retry-after` when GitHub gives one, and its message either way. */
export function secondaryRateLimit(retryAfterSeconds?: number, status: 403 | 429 = 403): FaultAction {
  return {
    status,
    ...(retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': String(retryAfterSeconds) } }),
    body: {
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    },
  };
}

export function serverError(status = 502): FaultAction {
  return { status, body: { message: 'Server Error' } };
}

export function connectionReset(): FaultAction {
  return { reset: true };
}

export function badCredentials(): FaultAction {
  return { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } };
}

export function staleSha(path: string, status: 409 | 422 = 409): FaultAction {
  return { status, body: { message: `${path} does not match 0000000000000000000000000000000000000000` } };
}
