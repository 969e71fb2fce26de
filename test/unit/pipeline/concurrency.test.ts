import assert from 'node:assert/strict';
import { ExportError } from '../../../server/src/errors';
import { mapWithConcurrency } from '../../../server/src/pipeline/concurrency';

/** Lets `turns` rounds of the microtask queue run: a deterministic stand-in for work of varying length. */
async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('mapWithConcurrency', () => {
  it('never has more than `limit` calls in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const items = Array.from({ length: 20 }, (_, i) => i);
    await mapWithConcurrency(items, 3, async (item) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await yieldTurns((item * 7) % 5);
      inFlight--;
    });
    assert.equal(maxInFlight, 3);
  });

  it('keeps input order when calls finish out of order', async () => {
    const finished: number[] = [];
    const items = [5, 1, 4, 0, 3, 2];
    const results = await mapWithConcurrency(items, 3, async (item, index) => {
      await yieldTurns(item * 3);
      finished.push(item);
      return `item ${item} at ${index}`;
    });
    assert.notDeepEqual(finished, items, 'the test needs out-of-order completion');
    assert.deepEqual(
      results,
      items.map((item, index) => ({ status: 'fulfilled', value: `item ${item} at ${index}` })),
    );
  });

  it('isolates failures, rejected or thrown synchronously', async () => {
    const called: number[] = [];
    const boom = new ExportError('WRITE_FAILED', 'disk full');
    const results = await mapWithConcurrency([0, 1, 2, 3, 4], 2, (item) => {
      called.push(item);
      if (item === 1) return Promise.reject(boom);
      if (item === 3) throw new Error('sync failure');
      return Promise.resolve(item * 10);
    });
    assert.deepEqual(called.sort(), [0, 1, 2, 3, 4]);
    assert.deepEqual(results[0], { status: 'fulfilled', value: 0 });
    assert.deepEqual(results[1], { status: 'rejected', reason: boom });
    assert.deepEqual(results[2], { status: 'fulfilled', value: 20 });
    assert.equal(results[3]?.status, 'rejected');
    assert.deepEqual(results[4], { status: 'fulfilled', value: 40 });
  });

  it('starts the next item as soon as any slot frees, not in batches', async () => {
    const gates = [deferred<void>(), deferred<void>(), deferred<void>()];
    const started: number[] = [];
    const all = mapWithConcurrency([0, 1, 2], 2, async (item) => {
      started.push(item);
      await gates[item]?.promise;
      return item;
    });
    await yieldTurns(3);
    assert.deepEqual(started, [0, 1]);
    gates[1]?.resolve();
    await yieldTurns(3);
    assert.deepEqual(started, [0, 1, 2], 'item 2 started while item 0 is still running');
    gates[2]?.resolve();
    gates[0]?.resolve();
    assert.deepEqual(
      (await all).map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled'],
    );
  });

  it('runs everything at once when limit exceeds the item count', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    await mapWithConcurrency([1, 2, 3], Infinity, async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await yieldTurns(2);
      inFlight--;
    });
    assert.equal(maxInFlight, 3);
  });

  it('settles an empty list without calling fn', async () => {
    let calls = 0;
    assert.deepEqual(await mapWithConcurrency([], 4, async () => ++calls), []);
    assert.equal(calls, 0);
  });

  it('refuses a limit that is not a whole number ≥ 1', async () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(
        mapWithConcurrency([1], limit, async (x) => x),
        (e: unknown) => e instanceof ExportError && e.code === 'INVALID_INPUT',
      );
    }
  });
});
