import assert from 'node:assert/strict';
import { ExportError } from '../../../server/src/errors';
import { backoffDelayMs, realSleep, withRetry, type RetryInfo, type Sleep } from '../../../server/src/pipeline/retry';

/** A sleep that records each wait and returns at once. */
function recordingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

/** An operation that throws the given errors in turn, then returns `value`. */
function failingThen<T>(errors: unknown[], value: T): { operation: (attempt: number) => Promise<T>; attempts: number[] } {
  const attempts: number[] = [];
  return {
    attempts,
    operation: async (attempt) => {
      attempts.push(attempt);
      const error = errors[attempts.length - 1];
      if (error !== undefined) throw error;
      return value;
    },
  };
}

const connectionFailed = (n = 1): ExportError => new ExportError('CONNECTION_FAILED', `connection reset #${n}`);
const alwaysFailing = (): Promise<never> => Promise.reject(connectionFailed());

async function rejectionOf(promise: Promise<unknown>): Promise<ExportError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ExportError, `expected an ExportError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('withRetry', () => {
  it('returns the first success without waiting', async () => {
    const { sleep, waits } = recordingSleep();
    const { operation, attempts } = failingThen([], 'ok');
    assert.equal(await withRetry(operation, { maxRetries: 3, sleep }), 'ok');
    assert.deepEqual(attempts, [1]);
    assert.deepEqual(waits, []);
  });

  it('retries recoverable errors and passes the attempt number', async () => {
    const { sleep, waits } = recordingSleep();
    const { operation, attempts } = failingThen([connectionFailed(1), new ExportError('TIMEOUT', 't')], 'done');
    assert.equal(await withRetry(operation, { maxRetries: 3, sleep, jitter: () => 0 }), 'done');
    assert.deepEqual(attempts, [1, 2, 3]);
    assert.deepEqual(waits, [250, 500]);
  });

  it('does not retry an error that was retried already where it was made (details.attempts): it keeps its code', async () => {
    const { sleep, waits } = recordingSleep();
    const rateLimited = new ExportError('RATE_LIMITED', 'try again in 8 s', { details: { attempts: 5, retryAfterMs: 8000 } });
    const { operation, attempts } = failingThen([rateLimited], 'never');
    const error = await rejectionOf(withRetry(operation, { maxRetries: 3, sleep }));
    assert.equal(error, rateLimited);
    assert.deepEqual(attempts, [1]);
    assert.deepEqual(waits, []);
  });

  describe('backoff (equal jitter)', () => {
    const cases: Array<{ jitter: number; expected: number[] }> = [
      { jitter: 0, expected: [250, 500, 1000, 2000, 4000] },
      { jitter: 0.5, expected: [375, 750, 1500, 3000, 6000] },
      { jitter: 1, expected: [500, 1000, 2000, 4000, 8000] },
    ];
    for (const { jitter, expected } of cases) {
      it(`waits ${expected.join(', ')} ms with jitter ${jitter}`, async () => {
        const { sleep, waits } = recordingSleep();
        await rejectionOf(withRetry(alwaysFailing, { maxRetries: 5, sleep, jitter: () => jitter }));
        assert.deepEqual(waits, expected);
      });
    }

    it('caps the exponential at maxDelayMs', async () => {
      const { sleep, waits } = recordingSleep();
      await rejectionOf(
        withRetry(alwaysFailing, { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000, sleep, jitter: () => 1 }),
      );
      assert.deepEqual(waits, [100, 200, 400, 800, 1000]);
    });

    it('clamps out-of-range jitter into [0, 1]', () => {
      assert.equal(backoffDelayMs(1, 1000, 30_000, -3), 500);
      assert.equal(backoffDelayMs(1, 1000, 30_000, 7), 1000);
      assert.equal(backoffDelayMs(1, 1000, 30_000, Number.NaN), 500);
    });
  });

  describe('server retry-after', () => {
    const rateLimited = (retryAfterMs: unknown): ExportError =>
      new ExportError('RATE_LIMITED', 'slow down', { details: { retryAfterMs } });

    it('waits at least details.retryAfterMs, even beyond maxDelayMs', async () => {
      const { sleep, waits } = recordingSleep();
      const { operation } = failingThen([rateLimited(5000), rateLimited(45_000)], 'ok');
      await withRetry(operation, { maxRetries: 3, maxDelayMs: 30_000, sleep, jitter: () => 0 });
      assert.deepEqual(waits, [5000, 45_000]);
    });

    it('keeps the backoff when it is longer than retryAfterMs', async () => {
      const { sleep, waits } = recordingSleep();
      const { operation } = failingThen([rateLimited(10)], 'ok');
      await withRetry(operation, { maxRetries: 1, baseDelayMs: 1000, sleep, jitter: () => 1 });
      assert.deepEqual(waits, [1000]);
    });

    it('ignores a retryAfterMs that is not a positive number', async () => {
      const { sleep, waits } = recordingSleep();
      const { operation } = failingThen([rateLimited('soon'), rateLimited(-5)], 'ok');
      await withRetry(operation, { maxRetries: 2, sleep, jitter: () => 0 });
      assert.deepEqual(waits, [250, 500]);
    });

    it('rounds a fractional retryAfterMs up', async () => {
      const { sleep, waits } = recordingSleep();
      const { operation } = failingThen([rateLimited(1200.2)], 'ok');
      await withRetry(operation, { maxRetries: 1, sleep, jitter: () => 0 });
      assert.deepEqual(waits, [1201]);
    });
  });

  it('reports each retry to onRetry before waiting', async () => {
    const { sleep } = recordingSleep();
    const first = connectionFailed(1);
    const second = connectionFailed(2);
    const seen: RetryInfo[] = [];
    const { operation } = failingThen([first, second], 'ok');
    await withRetry(operation, { maxRetries: 2, sleep, jitter: () => 0, onRetry: (info) => seen.push(info) });
    assert.deepEqual(seen, [
      { attempt: 1, delayMs: 250, error: first },
      { attempt: 2, delayMs: 500, error: second },
    ]);
  });

  describe('errors that are not retried', () => {
    it('rethrows a non-recoverable ExportError at once', async () => {
      const { sleep, waits } = recordingSleep();
      const denied = new ExportError('PERMISSION_DENIED', 'no write access');
      const { operation, attempts } = failingThen([denied], 'never');
      assert.equal(await rejectionOf(withRetry(operation, { maxRetries: 5, sleep })), denied);
      assert.deepEqual(attempts, [1]);
      assert.deepEqual(waits, []);
    });

    it('honours an explicit recoverable flag over the code default', async () => {
      const { sleep } = recordingSleep();
      const notRecoverable = new ExportError('CONNECTION_FAILED', 'bad host', { recoverable: false });
      const { operation: op1, attempts: a1 } = failingThen([notRecoverable], 'x');
      await rejectionOf(withRetry(op1, { maxRetries: 3, sleep }));
      assert.deepEqual(a1, [1]);

      const recoverable = new ExportError('AUTH_EXPIRED', 'token refreshed', { recoverable: true });
      const { operation: op2, attempts: a2 } = failingThen([recoverable], 'x');
      assert.equal(await withRetry(op2, { maxRetries: 3, sleep }), 'x');
      assert.deepEqual(a2, [1, 2]);
    });

    it('turns an unknown throw into INTERNAL_ERROR and does not retry it', async () => {
      const { sleep, waits } = recordingSleep();
      const { operation, attempts } = failingThen([new TypeError('x is undefined')], 'never');
      const error = await rejectionOf(withRetry(operation, { maxRetries: 5, sleep }));
      assert.equal(error.code, 'INTERNAL_ERROR');
      assert.equal(error.recoverable, false);
      assert.match(error.message, /x is undefined/);
      assert.deepEqual(attempts, [1]);
      assert.deepEqual(waits, []);
    });
  });

  describe('MAX_RETRIES_EXCEEDED', () => {
    it('after maxRetries + 1 attempts, names them and the last error', async () => {
      const { sleep, waits } = recordingSleep();
      const last = new ExportError('TIMEOUT', 'GitHub did not answer within 30000 ms', { details: { ms: 30_000 } });
      const { operation, attempts } = failingThen([connectionFailed(1), connectionFailed(2), last], 'never');
      const error = await rejectionOf(withRetry(operation, { maxRetries: 2, sleep, jitter: () => 0 }));
      assert.equal(error.code, 'MAX_RETRIES_EXCEEDED');
      assert.equal(error.recoverable, true);
      assert.equal(error.message, 'Gave up after 3 attempts: GitHub did not answer within 30000 ms');
      assert.deepEqual(error.details, { attempts: 3, lastError: last.toInfo() });
      assert.equal(error.cause, last);
      assert.deepEqual(attempts, [1, 2, 3]);
      assert.deepEqual(waits, [250, 500], 'no wait after the last attempt');
    });

    it('with maxRetries 0, after the single attempt', async () => {
      const { sleep, waits } = recordingSleep();
      const error = await rejectionOf(withRetry(alwaysFailing, { maxRetries: 0, sleep }));
      assert.equal(error.code, 'MAX_RETRIES_EXCEEDED');
      assert.equal(error.message, 'Gave up after 1 attempt: connection reset #1');
      assert.deepEqual(error.details?.['attempts'], 1);
      assert.deepEqual(waits, []);
    });

    it('refuses a maxRetries that is not a whole number ≥ 0', async () => {
      for (const maxRetries of [-1, 1.5, Number.NaN]) {
        const error = await rejectionOf(withRetry(alwaysFailing, { maxRetries }));
        assert.equal(error.code, 'INVALID_INPUT');
      }
    });
  });

  describe('cancellation', () => {
    it('does not start when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const { operation, attempts } = failingThen([], 'never');
      const error = await rejectionOf(withRetry(operation, { maxRetries: 3, signal: controller.signal }));
      assert.equal(error.code, 'CANCELLED');
      assert.deepEqual(attempts, []);
    });

    it('stops during the wait and makes no further attempt', async () => {
      const controller = new AbortController();
      let sleepStarted: () => void = () => {};
      const started = new Promise<void>((resolve) => (sleepStarted = resolve));
      // Never resolves on its own: only the abort ends it, like a real timer cancelled early.
      const sleep: Sleep = (_ms, signal) =>
        new Promise<void>((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(new Error('aborted')));
          sleepStarted();
        });
      const { operation, attempts } = failingThen([connectionFailed()], 'never');
      const pending = withRetry(operation, { maxRetries: 3, sleep, signal: controller.signal });
      await started;
      controller.abort();
      const error = await rejectionOf(pending);
      assert.equal(error.code, 'CANCELLED');
      assert.deepEqual(attempts, [1]);
    });

    it('reports CANCELLED when the operation fails because it was aborted', async () => {
      const controller = new AbortController();
      const { sleep, waits } = recordingSleep();
      const operation = async (): Promise<never> => {
        controller.abort();
        throw connectionFailed();
      };
      const error = await rejectionOf(withRetry(operation, { maxRetries: 3, sleep, signal: controller.signal }));
      assert.equal(error.code, 'CANCELLED');
      assert.deepEqual(waits, []);
    });

    it('stops after a sleep that ignores the signal', async () => {
      const controller = new AbortController();
      const { sleep } = recordingSleep();
      const { operation, attempts } = failingThen([connectionFailed(), connectionFailed()], 'never');
      const error = await rejectionOf(
        withRetry(operation, { maxRetries: 3, sleep, signal: controller.signal, onRetry: () => controller.abort() }),
      );
      assert.equal(error.code, 'CANCELLED');
      assert.deepEqual(attempts, [1]);
    });

    it('the default sleep rejects with CANCELLED when aborted, before or during the wait', async () => {
      const before = new AbortController();
      before.abort();
      assert.equal((await rejectionOf(realSleep(60_000, before.signal))).code, 'CANCELLED');

      const during = new AbortController();
      const pending = realSleep(60_000, during.signal);
      during.abort();
      assert.equal((await rejectionOf(pending)).code, 'CANCELLED');
    });
  });
});
