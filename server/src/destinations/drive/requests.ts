import { ExportError } from '../../errors';
import { backoffDelayMs, cancelledError, realSleep, type Sleep } from '../../pipeline/retry';
import type { DriveAuth } from './auth';
import { classifyFailure, isTransient, mayHaveApplied, type DriveFailure } from './failures';

/**
 * Every call to Drive goes through `run`: it adds the access token, refreshes
 * it once after a 401 (then AUTH_EXPIRED), waits out rate limits, 5xx and
 * dropped connections with truncated exponential backoff and jitter (then
 * RATE_LIMITED with the time to retry, or CONNECTION_FAILED), and turns
 * everything else into the project's coded errors.
 *
 * A write that may have reached Drive without an answer (a reset, a 5xx) is
 * not simply sent again: `reconcile` first looks whether it landed.
 *
 * The errors it throws carry `details.attempts`: they were retried here
 * already, so the publish stage does not retry them again (pipeline/retry.ts).
 */

export interface RetryPolicy {
  /** Tries of one call, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server's Retry-After above this is not waited for: RATE_LIMITED at once, with that time. */
  maxRetryAfterMs: number;
  sleep: Sleep;
  /** A number in [0, 1) for the jitter. */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 16_000,
  maxRetryAfterMs: 60_000,
  sleep: realSleep,
  random: Math.random,
};

export interface RunOptions<T> {
  signal?: AbortSignal | undefined;
  /** Safe to send again after a failure that may have been applied (reads, trash). Default true. */
  idempotent?: boolean;
  /** After an ambiguous failure of a write: the write's result if it landed after all, else undefined. */
  reconcile?: () => Promise<T | undefined>;
  /** The error for a 404 (the default names `what`). */
  notFound?: (failure: DriveFailure) => ExportError;
}

/** What is being done, for messages: "list the folder", "upload report.md". */
export type Action = string;

export class DriveRequests {
  constructor(
    private readonly auth: () => Promise<DriveAuth>,
    private readonly policy: RetryPolicy,
  ) {}

  async run<T>(what: Action, send: (authorization: string) => Promise<T>, options: RunOptions<T> = {}): Promise<T> {
    const { signal } = options;
    const idempotent = options.idempotent ?? true;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw cancelledError();
      const auth = await this.auth();
      let authorization: string;
      try {
        authorization = await abortable(auth.authorization(), signal);
      } catch (thrown) {
        if (thrown instanceof ExportError && thrown.code !== 'CANCELLED') throw withAttempts(thrown, attempt);
        const failure = classifyFailure(thrown);
        if (failure.kind === 'cancelled' || signal?.aborted) throw cancelledError();
        if (!isTransient(failure) || attempt >= this.policy.maxAttempts) throw tokenError(failure, attempt);
        await this.wait(attempt, failure, signal);
        continue;
      }
      let failure: DriveFailure;
      try {
        return await send(authorization);
      } catch (thrown) {
        if (thrown instanceof ExportError) throw thrown;
        failure = classifyFailure(thrown);
      }
      if (failure.kind === 'cancelled' || signal?.aborted) throw cancelledError();
      if (failure.kind === 'unauthorized') {
        // The access token was refused: one new token, then the user must sign in again.
        if (refreshed) throw authExpired(what, failure, attempt);
        refreshed = true;
        auth.invalidate();
        continue;
      }
      if (!isTransient(failure)) throw finalError(what, failure, attempt, options.notFound);
      if (!idempotent && mayHaveApplied(failure)) {
        const landed = await this.reconcileAfter(what, failure, attempt, options.reconcile);
        if (landed !== undefined) return landed;
      }
      if (attempt >= this.policy.maxAttempts) throw finalError(what, failure, attempt, options.notFound, this.nextDelay(attempt, failure));
      const retryAfter = failure.retryAfterMs ?? 0;
      if (retryAfter > this.policy.maxRetryAfterMs) throw finalError(what, failure, attempt, options.notFound, retryAfter);
      await this.wait(attempt, failure, signal);
    }
  }

  /** Whether a write that failed without an answer landed; undefined: it did not, send it again. */
  private async reconcileAfter<T>(what: Action, failure: DriveFailure, attempt: number, reconcile: (() => Promise<T | undefined>) | undefined): Promise<T | undefined> {
    if (!reconcile) throw finalError(what, failure, attempt);
    try {
      return await reconcile();
    } catch (thrown) {
      if (thrown instanceof ExportError && thrown.code === 'CANCELLED') throw thrown;
      // Not knowing whether the write landed, sending it again could write it twice.
      throw new ExportError('CONNECTION_FAILED', `Could not ${what}: ${failure.message}, and Google Drive could not be asked whether it was written.`, {
        details: { attempts: attempt, status: failure.status ?? null },
        recoverable: true,
      });
    }
  }

  private nextDelay(attempt: number, failure: DriveFailure): number {
    const backoff = backoffDelayMs(attempt, this.policy.baseDelayMs, this.policy.maxDelayMs, this.policy.random());
    return Math.max(backoff, Math.ceil(failure.retryAfterMs ?? 0));
  }

  private async wait(attempt: number, failure: DriveFailure, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.policy.sleep(this.nextDelay(attempt, failure), signal);
    } catch {
      throw cancelledError();
    }
    if (signal?.aborted) throw cancelledError();
  }
}

/** Rejects with CANCELLED as soon as `signal` aborts (the token client takes no signal). */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(cancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function withAttempts(error: ExportError, attempts: number): ExportError {
  if (typeof error.details?.['attempts'] === 'number') return error;
  return new ExportError(error.code, error.message, { details: { ...error.details, attempts }, recoverable: error.recoverable });
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const reasonOf = (failure: DriveFailure) => (failure.reason && failure.reason !== failure.message ? ` (${failure.reason})` : '');

function authExpired(what: Action, failure: DriveFailure, attempts: number): ExportError {
  return new ExportError('AUTH_EXPIRED', `Google Drive refused the access token to ${what}, also after refreshing it${reasonOf(failure)}. Sign in to Google Drive again.`, {
    details: { attempts, status: failure.status ?? 401 },
    recoverable: false,
  });
}

/** The token endpoint failed: a refused refresh token or key is AUTH_EXPIRED; an unreachable one CONNECTION_FAILED. */
function tokenError(failure: DriveFailure, attempts: number): ExportError {
  if (isTransient(failure) || failure.kind === 'timeout') {
    return new ExportError('CONNECTION_FAILED', `Could not reach the Google token endpoint after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}: ${failure.message}.`, {
      details: { attempts, status: failure.status ?? null },
      recoverable: true,
    });
  }
  const reason = failure.reason ? `${failure.reason}${failure.message !== failure.reason && !failure.message.startsWith('HTTP ') ? `: ${failure.message}` : ''}` : failure.message;
  return new ExportError('AUTH_EXPIRED', `Google refused the Drive credentials (${reason}). Sign in to Google Drive again, or replace the credentials.`, {
    details: { attempts, status: failure.status ?? null, reason: failure.reason ?? null },
    recoverable: false,
  });
}

function finalError(what: Action, failure: DriveFailure, attempts: number, notFound?: (failure: DriveFailure) => ExportError, retryAfterMs?: number): ExportError {
  const details = { attempts, status: failure.status ?? null, reason: failure.reason ?? null };
  switch (failure.kind) {
    case 'rate-limited':
    case 'quota': {
      const wait = retryAfterMs ?? failure.retryAfterMs;
      const when = wait === undefined ? 'try again later' : `try again in ${seconds(wait)} s`;
      return new ExportError('RATE_LIMITED', `Google Drive is limiting requests${reasonOf(failure)} and did not accept the request to ${what} after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}: ${when}.`, {
        details: { ...details, ...(wait === undefined ? {} : { retryAfterMs: wait }) },
        recoverable: true,
      });
    }
    case 'forbidden':
      return new ExportError('PERMISSION_DENIED', `Google Drive does not allow you to ${what}${reasonOf(failure)}: ${failure.message}`, { details, recoverable: false });
    case 'not-found':
      return notFound ? withAttempts(notFound(failure), attempts) : new ExportError('WRITE_FAILED', `Could not ${what}: Google Drive says it does not exist (${failure.message}).`, { details, recoverable: false });
    case 'timeout':
      return new ExportError('TIMEOUT', `Google Drive did not answer the request to ${what} in time (${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}).`, { details, recoverable: true });
    case 'server':
    case 'network':
      return new ExportError('CONNECTION_FAILED', `Could not ${what} on Google Drive after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}: ${failure.message}.`, { details, recoverable: true });
    case 'cancelled':
      return cancelledError();
    case 'unauthorized':
      return authExpired(what, failure, attempts);
    case 'rejected':
      return new ExportError('INVALID_INPUT', `Google Drive rejected the request to ${what}${reasonOf(failure)}: ${failure.message}`, { details, recoverable: false });
  }
}
