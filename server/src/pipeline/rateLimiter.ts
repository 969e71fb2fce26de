import { ExportError } from '../errors';
import { cancelledError, realSleep, type Sleep } from './retry';

/** Same shape as `rateLimits.<key>` in the configuration. */
export interface RateLimit {
  requestsPerMinute: number;
  /** Bucket capacity: requests allowed back to back after a quiet spell. */
  burst?: number;
}

export interface RateLimiterOptions {
  /** Monotonic milliseconds; defaults to `performance.now()`. */
  now?: () => number;
  sleep?: Sleep;
  /**
   * The limit of a key absent from `limits`, e.g. a default per destination
   * type (`key => TYPE_DEFAULTS[typeOf(key)]`). Each key still gets its own
   * bucket. Without it (or when it returns undefined) such keys are unlimited.
   */
  defaultLimit?: (destinationKey: string) => RateLimit | undefined;
}

export type AcquireResult = { ok: true } | { ok: false; retryAfterMs: number };

export interface AcquireOptions {
  /** The longest total wait accepted; beyond it, RATE_LIMITED is thrown without waiting. */
  maxWaitMs: number;
  signal?: AbortSignal;
}

export interface RateLimiter {
  /** Takes a token now if there is one; never waits. */
  tryAcquire(destinationKey: string): AcquireResult;
  /**
   * Takes a token, waiting for one if that fits in `maxWaitMs`; otherwise
   * throws RATE_LIMITED with `details {retryAfterMs, destination}` so a
   * `withRetry` around the call waits the right time.
   */
  acquire(destinationKey: string, options: AcquireOptions): Promise<void>;
  /** A server answered 429 / Retry-After: no request to this key until then. */
  noteServerRetryAfter(destinationKey: string, retryAfterMs: number): void;
}

interface Bucket {
  capacity: number;
  tokensPerMs: number;
  tokens: number;
  /** When `tokens` was last brought up to date; may lie in the future after a server retry-after. */
  updatedAt: number;
}

interface KeyState {
  /** Undefined for an unlimited key. */
  bucket: Bucket | undefined;
  /** Set by a server retry-after; applies to unlimited keys too. */
  blockedUntil: number;
}

// Guards `tokens >= 1` against float drift in the refill arithmetic.
const EPSILON = 1e-9;

/**
 * Token buckets, one per destination key (a destination id, or whatever the
 * caller keys `rateLimits` by). Each starts full; it refills continuously at
 * `requestsPerMinute / 60000` tokens per ms up to its capacity, which is
 * `burst`, or else one second's worth of requests (at least 1). Waiters are
 * not queued: concurrent `acquire` calls race for each new token, and each
 * stays bounded by its own `maxWaitMs`.
 */
export function createRateLimiter(limits: Record<string, RateLimit>, options: RateLimiterOptions = {}): RateLimiter {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? realSleep;
  const states = new Map<string, KeyState>();

  function stateOf(key: string): KeyState {
    let state = states.get(key);
    if (state === undefined) {
      const limit = Object.prototype.hasOwnProperty.call(limits, key) ? limits[key] : options.defaultLimit?.(key);
      state = { bucket: limit === undefined ? undefined : newBucket(key, limit, now()), blockedUntil: -Infinity };
      states.set(key, state);
    }
    return state;
  }

  function tryAcquire(destinationKey: string): AcquireResult {
    const state = stateOf(destinationKey);
    const at = now();
    if (at < state.blockedUntil) return { ok: false, retryAfterMs: wholeMs(state.blockedUntil - at) };
    const bucket = state.bucket;
    if (bucket === undefined) return { ok: true };
    refill(bucket, at);
    if (bucket.tokens >= 1 - EPSILON) {
      bucket.tokens = Math.max(0, bucket.tokens - 1);
      return { ok: true };
    }
    const tokenAt = Math.max(bucket.updatedAt, at) + (1 - bucket.tokens) / bucket.tokensPerMs;
    return { ok: false, retryAfterMs: wholeMs(tokenAt - at) };
  }

  async function acquire(destinationKey: string, { maxWaitMs, signal }: AcquireOptions): Promise<void> {
    const deadline = now() + Math.max(0, maxWaitMs);
    for (;;) {
      if (signal?.aborted) throw cancelledError();
      const result = tryAcquire(destinationKey);
      if (result.ok) return;
      if (now() + result.retryAfterMs > deadline) {
        throw new ExportError(
          'RATE_LIMITED',
          `Rate limit for "${destinationKey}" reached; next request possible in ${result.retryAfterMs} ms`,
          { details: { retryAfterMs: result.retryAfterMs, destination: destinationKey } },
        );
      }
      try {
        await sleep(result.retryAfterMs, signal);
      } catch (thrown) {
        if (signal?.aborted) throw cancelledError();
        throw thrown;
      }
    }
  }

  function noteServerRetryAfter(destinationKey: string, retryAfterMs: number): void {
    if (!Number.isFinite(retryAfterMs) || retryAfterMs <= 0) return;
    const state = stateOf(destinationKey);
    const at = now();
    const until = at + retryAfterMs;
    state.blockedUntil = Math.max(state.blockedUntil, until);
    const bucket = state.bucket;
    if (bucket === undefined) return;
    // Empty now, and refill so that exactly one token is ready when the server allows the next request.
    refill(bucket, at);
    bucket.tokens = 0;
    bucket.updatedAt = Math.max(bucket.updatedAt, state.blockedUntil - 1 / bucket.tokensPerMs);
  }

  return { tryAcquire, acquire, noteServerRetryAfter };
}

function newBucket(key: string, limit: RateLimit, at: number): Bucket {
  const { requestsPerMinute, burst } = limit;
  if (!(Number.isFinite(requestsPerMinute) && requestsPerMinute > 0)) {
    throw new ExportError('SCHEMA_INVALID', `rateLimits.${key}.requestsPerMinute must be a positive number`, {
      recoverable: false,
    });
  }
  if (burst !== undefined && !(Number.isInteger(burst) && burst >= 1)) {
    throw new ExportError('SCHEMA_INVALID', `rateLimits.${key}.burst must be a whole number ≥ 1`, { recoverable: false });
  }
  const capacity = burst ?? Math.max(1, Math.ceil(requestsPerMinute / 60));
  return { capacity, tokensPerMs: requestsPerMinute / 60_000, tokens: capacity, updatedAt: at };
}

function refill(bucket: Bucket, at: number): void {
  if (at <= bucket.updatedAt) return;
  bucket.tokens = Math.min(bucket.capacity, bucket.tokens + (at - bucket.updatedAt) * bucket.tokensPerMs);
  bucket.updatedAt = at;
}

function wholeMs(ms: number): number {
  return Math.max(1, Math.ceil(ms - EPSILON));
}
