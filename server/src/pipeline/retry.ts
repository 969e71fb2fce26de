import { ExportError, toExportError } from '../errors';

/**
 * Waits `ms` milliseconds. Implementations should reject when `signal` aborts;
 * callers still re-check the signal afterwards, so one that ignores it only
 * delays cancellation.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export function cancelledError(): ExportError {
  return new ExportError('CANCELLED', 'The operation was cancelled', { recoverable: false });
}

// setTimeout fires at once for delays above 2^31-1 ms; clamp instead.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A real timer that stops early, rejecting with CANCELLED, when `signal` aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.min(MAX_TIMER_MS, Math.max(0, ms)));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface RetryInfo {
  /** The attempt that just failed (1-based). */
  attempt: number;
  /** How long we wait before the next attempt. */
  delayMs: number;
  error: ExportError;
}

export interface RetryOptions {
  /** Retries after the first try: at most `maxRetries + 1` calls of the operation. */
  maxRetries: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A number in [0, 1); injected for deterministic tests. */
  jitter?: () => number;
  sleep?: Sleep;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
}

export const DEFAULT_BASE_DELAY_MS = 500;
export const DEFAULT_MAX_DELAY_MS = 30_000;

/**
 * The wait after failed attempt `attempt` (1-based), before any server
 * retry-after: exponential `min(maxDelay, base · 2^(attempt-1))` with
 * "equal jitter" — half of it fixed, half random — so a retry never fires
 * immediately, yet clients that failed together do not retry in lockstep.
 */
export function backoffDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number, jitter: number): number {
  const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  const half = exponential / 2;
  return Math.round(half + clampUnit(jitter) * half);
}

/** `details.retryAfterMs` of an error (RATE_LIMITED, HTTP Retry-After), when it is usable. */
export function retryAfterMsOf(error: ExportError): number | undefined {
  const value = error.details?.['retryAfterMs'];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Runs `operation` (given its 1-based attempt number) until it succeeds.
 * Only recoverable ExportErrors are retried; anything else, including
 * unknown throws (as INTERNAL_ERROR), is thrown at once. A server's
 * `details.retryAfterMs` is a lower bound on the wait, even above
 * `maxDelayMs`. When the retries run out: MAX_RETRIES_EXCEEDED. When
 * `signal` aborts: CANCELLED.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { maxRetries, signal, onRetry } = options;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new ExportError('INVALID_INPUT', `maxRetries must be a whole number ≥ 0, got ${maxRetries}`, {
      recoverable: false,
    });
  }
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const jitter = options.jitter ?? Math.random;
  const sleep = options.sleep ?? realSleep;
  const totalAttempts = maxRetries + 1;

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw cancelledError();
    let error: ExportError;
    try {
      return await operation(attempt);
    } catch (thrown) {
      error = toExportError(thrown);
    }
    // An operation that failed because we aborted it should report the cancel, not its symptom.
    if (signal?.aborted) throw cancelledError();
    if (!error.recoverable || retriedAlready(error)) throw error;
    if (attempt >= totalAttempts) throw retriesExhausted(attempt, error);

    const backoff = backoffDelayMs(attempt, baseDelayMs, maxDelayMs, jitter());
    const delayMs = Math.max(backoff, Math.ceil(retryAfterMsOf(error) ?? 0));
    onRetry?.({ attempt, delayMs, error });
    try {
      await sleep(delayMs, signal);
    } catch (thrown) {
      if (signal?.aborted) throw cancelledError();
      throw toExportError(thrown);
    }
  }
}

/**
 * An error that says how many attempts it took (`details.attempts`) was
 * retried already by whoever made it — a destination with its own backoff,
 * or a nested withRetry — and is not retried again.
 */
export function retriedAlready(error: ExportError): boolean {
  return typeof error.details?.['attempts'] === 'number';
}

function retriesExhausted(attempts: number, lastError: ExportError): ExportError {
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  return new ExportError('MAX_RETRIES_EXCEEDED', `Gave up after ${tries}: ${lastError.message}`, {
    details: { attempts, lastError: lastError.toInfo() },
    recoverable: true,
    cause: lastError,
  });
}

function clampUnit(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return value > 1 ? 1 : value;
}
