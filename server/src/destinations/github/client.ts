import type { Octokit } from '@octokit/rest';
import { realSleep } from '../../pipeline/retry';
import { SECONDARY_FALLBACK_MS } from './errors';

/**
 * The Octokit a GitHub destination talks through, with
 * - @octokit/plugin-retry: 5xx and dropped connections retried with
 *   growing waits; never 409 (a stale sha must be re-read, not resent), nor
 *   the 4xx answers that cannot change by asking again;
 * - @octokit/plugin-throttling: rate limits waited out as GitHub documents
 *   (retry-after, else the reset time, else at least a minute, growing),
 *   but only up to the configured retries and wait; past them the error
 *   comes back and becomes RATE_LIMITED with the time to retry;
 * - each request limited in time, and silent (no log: nothing of a request
 *   can reach a log).
 * Imported only when a GitHub destination is built.
 */

export type GitHubClient = Octokit;

export interface GitHubClientOptions {
  baseUrl: string;
  token: string;
  /** `limits.maxRetries`: retries of a 5xx / dropped connection, and rate-limit waits. */
  maxRetries: number;
  /** The longest single rate-limit wait (`limits.defaultTimeoutMs`). */
  maxWaitMs: number;
  /** Time limit of one HTTP request. */
  timeoutMs: number;
  /** plugin-retry waits (n+1)² × this after the n-th failure (1 s; tests shorten it). */
  retryBaseMs?: number;
  /** One "second" of a rate-limit wait (1000; tests shorten it). */
  rateLimitUnitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

// 409: a stale sha; 429: the throttling plugin's; the rest cannot change by asking again.
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];

/**
 * GitHub asks for no more than 80 content-creating requests a minute and a
 * second between writes when there are many: a bucket of 10 writes that
 * refills one a second (at most 70 in a first minute) per API host. A
 * single export makes 1–4 writes, so it never waits; a long run is paced.
 */
const WRITE_BURST = 10;
const WRITE_REFILL_MS = 1000;

class WritePacer {
  private tokens = WRITE_BURST;
  private updated = performance.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly sleep: (ms: number) => Promise<void>) {}

  take(): Promise<void> {
    const turn = this.queue.then(async () => {
      this.refill();
      if (this.tokens < 1) {
        await this.sleep((1 - this.tokens) * WRITE_REFILL_MS);
        this.refill();
      }
      this.tokens -= 1;
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(WRITE_BURST, this.tokens + (now - this.updated) / WRITE_REFILL_MS);
    this.updated = now;
  }
}

const pacers = new Map<string, WritePacer>();

/** The throttling plugin's limiter shape (a Bottleneck.Group), backed by the pacer. */
function pacedGroup(pacer: WritePacer | undefined) {
  return {
    key: () => ({
      async schedule<T>(options: { weight?: number } | undefined, task: (...args: unknown[]) => Promise<T>, ...args: unknown[]): Promise<T> {
        // A retry is scheduled with weight 0: it was paced when first sent.
        if (pacer && options?.weight !== 0) await pacer.take();
        return task(...args);
      },
    }),
  };
}

let instances = 0;

export async function createGitHubClient(options: GitHubClientOptions): Promise<GitHubClient> {
  const [{ Octokit: Base }, { retry }, { throttling }] = await Promise.all([
    import('@octokit/rest'),
    import('@octokit/plugin-retry'),
    import('@octokit/plugin-throttling'),
  ]);
  const sleep = options.sleep ?? ((ms: number) => realSleep(ms));
  const unit = options.rateLimitUnitMs ?? 1000;
  const pacer = pacers.get(options.baseUrl) ?? new WritePacer(sleep);
  pacers.set(options.baseUrl, pacer);

  /** Wait out a limit when the configured limits allow it (the plugin then waits `retryAfter` units and resends). */
  const mayWait = (retryAfterSeconds: number, retryCount: number): boolean => retryCount < options.maxRetries && retryAfterSeconds * 1000 <= options.maxWaitMs;
  const timedFetch: typeof fetch = (input, init) => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };

  const Client = Base.plugin(retry, throttling);
  instances += 1;
  return new Client({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: 'devguide-export',
    log: silent,
    request: { fetch: timedFetch, log: silent },
    retry: { doNotRetry: DO_NOT_RETRY, retries: options.maxRetries, retryAfterBaseValue: options.retryBaseMs ?? 1000 },
    throttle: {
      // Its own limiter groups per client; writes go through the shared pacer instead of a fixed 1 s spacing.
      id: `devguide-${process.pid}-${instances}`,
      retryAfterBaseValue: unit,
      fallbackSecondaryRateRetryAfter: SECONDARY_FALLBACK_MS / 1000,
      write: pacedGroup(pacer) as never,
      notifications: pacedGroup(undefined) as never,
      onRateLimit: (retryAfter: number, _request: unknown, _octokit: unknown, retryCount: number) => mayWait(retryAfter, retryCount),
      onSecondaryRateLimit: async (retryAfter: number, _request: unknown, _octokit: unknown, retryCount: number) => {
        // Without retry-after, GitHub asks for at least a minute, growing while the limit persists.
        const fallback = retryAfter === SECONDARY_FALLBACK_MS / 1000;
        const total = fallback ? retryAfter * 2 ** retryCount : retryAfter;
        if (!mayWait(total, retryCount)) return false;
        if (total > retryAfter) await sleep((total - retryAfter) * unit);
        return true;
      },
    },
  });
}
