import assert from 'node:assert/strict';
import { ExportError } from '../../../server/src/errors';
import { createRateLimiter, type RateLimit, type RateLimiterOptions } from '../../../server/src/pipeline/rateLimiter';
import { withRetry, type Sleep } from '../../../server/src/pipeline/retry';

/** A fake monotonic clock, and a sleep that advances it instead of waiting. */
function fakeTime(): { now: () => number; advance: (ms: number) => void; sleep: Sleep; waits: number[] } {
  let time = 1_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => time,
    advance: (ms) => void (time += ms),
    sleep: async (ms) => {
      waits.push(ms);
      time += ms;
    },
  };
}

function limiterWith(limits: Record<string, RateLimit>, extra: Partial<RateLimiterOptions> = {}) {
  const time = fakeTime();
  const limiter = createRateLimiter(limits, { now: time.now, sleep: time.sleep, ...extra });
  return { limiter, ...time };
}

/** How many tokens can be taken right now. */
function drain(limiter: { tryAcquire(key: string): { ok: boolean } }, key: string): number {
  let taken = 0;
  while (limiter.tryAcquire(key).ok) {
    taken++;
    assert.ok(taken < 10_000, 'bucket never ran dry');
  }
  return taken;
}

async function rejectionOf(promise: Promise<unknown>): Promise<ExportError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ExportError, `expected an ExportError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('createRateLimiter', () => {
  describe('capacity', () => {
    it('is burst when given', () => {
      const { limiter } = limiterWith({ github: { requestsPerMinute: 60, burst: 5 } });
      assert.equal(drain(limiter, 'github'), 5);
    });

    it('is otherwise one second of requests, at least 1', () => {
      const { limiter } = limiterWith({
        fast: { requestsPerMinute: 600 },
        odd: { requestsPerMinute: 90 },
        slow: { requestsPerMinute: 6 },
      });
      assert.equal(drain(limiter, 'fast'), 10);
      assert.equal(drain(limiter, 'odd'), 2);
      assert.equal(drain(limiter, 'slow'), 1);
    });
  });

  describe('refill', () => {
    it('is continuous at requestsPerMinute / 60000 per ms', () => {
      const { limiter, advance } = limiterWith({ github: { requestsPerMinute: 60, burst: 3 } });
      assert.equal(drain(limiter, 'github'), 3);
      assert.deepEqual(limiter.tryAcquire('github'), { ok: false, retryAfterMs: 1000 });
      advance(400);
      assert.deepEqual(limiter.tryAcquire('github'), { ok: false, retryAfterMs: 600 });
      advance(600);
      assert.deepEqual(limiter.tryAcquire('github'), { ok: true });
      advance(2500);
      assert.equal(drain(limiter, 'github'), 2, '2.5 tokens refilled, 2 whole ones usable');
      assert.deepEqual(limiter.tryAcquire('github'), { ok: false, retryAfterMs: 500 });
    });

    it('never exceeds capacity after a long quiet spell', () => {
      const { limiter, advance } = limiterWith({ github: { requestsPerMinute: 60, burst: 3 } });
      drain(limiter, 'github');
      advance(3_600_000);
      assert.equal(drain(limiter, 'github'), 3);
    });

    it('rounds a fractional wait up to whole milliseconds', () => {
      const { limiter } = limiterWith({ drive: { requestsPerMinute: 7 } });
      drain(limiter, 'drive');
      // One token per 60000 / 7 = 8571.43 ms.
      assert.deepEqual(limiter.tryAcquire('drive'), { ok: false, retryAfterMs: 8572 });
    });

    it('keeps separate buckets per key', () => {
      const { limiter } = limiterWith({ a: { requestsPerMinute: 60 }, b: { requestsPerMinute: 60 } });
      assert.equal(drain(limiter, 'a'), 1);
      assert.equal(drain(limiter, 'b'), 1);
    });
  });

  describe('keys without a configured limit', () => {
    it('are unlimited', () => {
      const { limiter } = limiterWith({ github: { requestsPerMinute: 1 } });
      for (let i = 0; i < 1000; i++) assert.deepEqual(limiter.tryAcquire('local'), { ok: true });
    });

    it('take defaultLimit when given, one bucket per key', () => {
      const seen: string[] = [];
      const { limiter } = limiterWith(
        { 'gh-docs': { requestsPerMinute: 600 } },
        {
          defaultLimit: (key) => {
            seen.push(key);
            return key.startsWith('gh-') ? { requestsPerMinute: 60, burst: 2 } : undefined;
          },
        },
      );
      assert.equal(drain(limiter, 'gh-docs'), 10, 'a configured key ignores the default');
      assert.equal(drain(limiter, 'gh-team'), 2);
      assert.equal(drain(limiter, 'gh-other'), 2);
      assert.ok(limiter.tryAcquire('local').ok);
      assert.ok(limiter.tryAcquire('local').ok);
      assert.deepEqual(seen, ['gh-team', 'gh-other', 'local'], 'asked once per key');
    });

    it('does not mistake Object.prototype members for configured keys', () => {
      const { limiter } = limiterWith({});
      assert.deepEqual(limiter.tryAcquire('constructor'), { ok: true });
      assert.deepEqual(limiter.tryAcquire('toString'), { ok: true });
    });
  });

  describe('noteServerRetryAfter', () => {
    it('empties the bucket until then, with one token ready at that time', () => {
      const { limiter, advance } = limiterWith({ github: { requestsPerMinute: 600 } });
      assert.ok(limiter.tryAcquire('github').ok, 'bucket starts full (10)');
      limiter.noteServerRetryAfter('github', 5000);
      assert.deepEqual(limiter.tryAcquire('github'), { ok: false, retryAfterMs: 5000 });
      advance(4999);
      assert.deepEqual(limiter.tryAcquire('github'), { ok: false, retryAfterMs: 1 });
      advance(1);
      assert.deepEqual(limiter.tryAcquire('github'), { ok: true });
      assert.deepEqual(limiter.tryAcquire('github'), { ok: false, retryAfterMs: 100 }, 'then the normal rate');
    });

    it('still waits for a token when the server asks for less than one token interval', () => {
      const { limiter, advance } = limiterWith({ tidb: { requestsPerMinute: 6, burst: 4 } });
      limiter.noteServerRetryAfter('tidb', 2000);
      advance(2000);
      assert.deepEqual(limiter.tryAcquire('tidb'), { ok: false, retryAfterMs: 8000 });
    });

    it('blocks an otherwise unlimited key', () => {
      const { limiter, advance } = limiterWith({});
      limiter.noteServerRetryAfter('drive', 3000);
      assert.deepEqual(limiter.tryAcquire('drive'), { ok: false, retryAfterMs: 3000 });
      advance(3000);
      assert.deepEqual(limiter.tryAcquire('drive'), { ok: true });
      assert.deepEqual(limiter.tryAcquire('drive'), { ok: true });
    });

    it('never shortens an earlier, longer retry-after', () => {
      const { limiter, advance } = limiterWith({});
      limiter.noteServerRetryAfter('drive', 10_000);
      advance(1000);
      limiter.noteServerRetryAfter('drive', 2000);
      assert.deepEqual(limiter.tryAcquire('drive'), { ok: false, retryAfterMs: 9000 });
    });

    it('ignores a retry-after that is not a positive number', () => {
      const { limiter } = limiterWith({});
      limiter.noteServerRetryAfter('drive', Number.NaN);
      limiter.noteServerRetryAfter('drive', -1);
      assert.deepEqual(limiter.tryAcquire('drive'), { ok: true });
    });
  });

  describe('acquire', () => {
    it('returns at once while tokens remain', async () => {
      const { limiter, waits } = limiterWith({ github: { requestsPerMinute: 60, burst: 2 } });
      await limiter.acquire('github', { maxWaitMs: 0 });
      await limiter.acquire('github', { maxWaitMs: 0 });
      assert.deepEqual(waits, []);
    });

    it('waits for the next token when that fits in maxWaitMs', async () => {
      const { limiter, waits } = limiterWith({ github: { requestsPerMinute: 60 } });
      await limiter.acquire('github', { maxWaitMs: 5000 });
      await limiter.acquire('github', { maxWaitMs: 1000 });
      await limiter.acquire('github', { maxWaitMs: 5000 });
      assert.deepEqual(waits, [1000, 1000]);
    });

    it('throws RATE_LIMITED without waiting when the wait is longer than maxWaitMs', async () => {
      const { limiter, waits } = limiterWith({ github: { requestsPerMinute: 60 } });
      await limiter.acquire('github', { maxWaitMs: 0 });
      const error = await rejectionOf(limiter.acquire('github', { maxWaitMs: 999 }));
      assert.equal(error.code, 'RATE_LIMITED');
      assert.equal(error.recoverable, true);
      assert.deepEqual(error.details, { retryAfterMs: 1000, destination: 'github' });
      assert.match(error.message, /github/);
      assert.deepEqual(waits, []);
    });

    it('bounds the total wait when another caller takes the token first', async () => {
      const time = fakeTime();
      const limiter = createRateLimiter(
        { github: { requestsPerMinute: 60 } },
        {
          now: time.now,
          // While we sleep, a competing export takes the token that was refilled.
          sleep: async (ms) => {
            await time.sleep(ms);
            assert.ok(limiter.tryAcquire('github').ok);
          },
        },
      );
      await limiter.acquire('github', { maxWaitMs: 0 });
      const error = await rejectionOf(limiter.acquire('github', { maxWaitMs: 1500 }));
      assert.equal(error.code, 'RATE_LIMITED');
      assert.deepEqual(error.details, { retryAfterMs: 1000, destination: 'github' });
      assert.deepEqual(time.waits, [1000]);
    });

    it('waits out a server retry-after', async () => {
      const { limiter, waits } = limiterWith({});
      limiter.noteServerRetryAfter('drive', 2500);
      await limiter.acquire('drive', { maxWaitMs: 3000 });
      assert.deepEqual(waits, [2500]);
    });

    it('throws CANCELLED when the signal is already aborted', async () => {
      const { limiter } = limiterWith({});
      const controller = new AbortController();
      controller.abort();
      assert.equal((await rejectionOf(limiter.acquire('local', { maxWaitMs: 0, signal: controller.signal }))).code, 'CANCELLED');
    });

    it('throws CANCELLED when aborted during the wait', async () => {
      const controller = new AbortController();
      let sleepStarted: () => void = () => {};
      const started = new Promise<void>((resolve) => (sleepStarted = resolve));
      const { limiter } = limiterWith(
        { github: { requestsPerMinute: 60 } },
        {
          sleep: (_ms, signal) =>
            new Promise<void>((_resolve, reject) => {
              signal?.addEventListener('abort', () => reject(new Error('aborted')));
              sleepStarted();
            }),
        },
      );
      await limiter.acquire('github', { maxWaitMs: 0 });
      const pending = limiter.acquire('github', { maxWaitMs: 5000, signal: controller.signal });
      await started;
      controller.abort();
      assert.equal((await rejectionOf(pending)).code, 'CANCELLED');
    });

    it('composes with withRetry, which waits the retryAfterMs it reports', async () => {
      const { limiter, sleep, waits } = limiterWith({ github: { requestsPerMinute: 20 } });
      let saves = 0;
      const save = async (): Promise<string> => {
        await limiter.acquire('github', { maxWaitMs: 0 });
        saves++;
        return `commit-${saves}`;
      };
      assert.equal(await withRetry(save, { maxRetries: 3, sleep, jitter: () => 0 }), 'commit-1');
      assert.equal(await withRetry(save, { maxRetries: 3, sleep, jitter: () => 0 }), 'commit-2');
      assert.deepEqual(waits, [3000], 'one token per 3 s');
    });
  });

  it('refuses an invalid limit with SCHEMA_INVALID', () => {
    const { limiter } = limiterWith({
      zero: { requestsPerMinute: 0 },
      burst: { requestsPerMinute: 60, burst: 0.5 },
    });
    assert.throws(() => limiter.tryAcquire('zero'), (e: unknown) => e instanceof ExportError && e.code === 'SCHEMA_INVALID');
    assert.throws(() => limiter.tryAcquire('burst'), (e: unknown) => e instanceof ExportError && e.code === 'SCHEMA_INVALID');
  });
});
