import { backoffDelayMs, cancelledError, realSleep, type Sleep } from '../pipeline/retry';
import { isConnectionLoss, isRetryableConflict } from './errors';

/**
 * A whole transaction, tried again on TiDB's write conflicts and MySQL's
 * deadlocks and lock wait timeouts (TiDB ≥ 8.0 no longer retries optimistic
 * transactions itself), and on a lost connection — the server rolled the
 * transaction back, so trying it whole again is safe. Exponential backoff
 * with jitter; the last error is thrown as it is for the caller to map
 * (with the number of attempts).
 */

export interface TransactionRetryOptions {
  maxRetries: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: Sleep;
  jitter?: () => number;
  signal?: AbortSignal;
  onRetry?: (attempt: number, error: unknown) => void;
}

export class RetriesExhausted extends Error {
  constructor(
    readonly attempts: number,
    readonly last: unknown,
  ) {
    super(last instanceof Error ? last.message : String(last));
    this.name = 'RetriesExhausted';
  }
}

export async function withTransactionRetries<T>(attemptOnce: (attempt: number) => Promise<T>, options: TransactionRetryOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const jitter = options.jitter ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw cancelledError();
    try {
      return await attemptOnce(attempt);
    } catch (error) {
      const retryable = isRetryableConflict(error) || isConnectionLoss(error);
      if (!retryable) throw error;
      if (attempt > options.maxRetries) throw new RetriesExhausted(attempt, error);
      options.onRetry?.(attempt, error);
      await sleep(backoffDelayMs(attempt, options.baseDelayMs ?? 100, options.maxDelayMs ?? 5_000, jitter()), options.signal);
    }
  }
}
