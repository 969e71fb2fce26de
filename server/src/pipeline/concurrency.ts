import { ExportError } from '../errors';

/**
 * Calls `fn` on every item with at most `limit` calls in flight, and settles
 * with one result per item, in input order. A rejection (or synchronous
 * throw) is recorded for its item and never stops the others.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  if (!(limit === Infinity || (Number.isInteger(limit) && limit >= 1))) {
    throw new ExportError('INVALID_INPUT', `Concurrency limit must be a whole number ≥ 1, got ${limit}`, {
      recoverable: false,
    });
  }
  const results = new Array<PromiseSettledResult<R>>(items.length);
  let next = 0;

  // Each worker takes the next unclaimed index until none is left; JS runs them one step at a time, so no index is taken twice.
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await fn(items[index] as T, index) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  }

  const workerCount = Math.min(limit, items.length);
  await Promise.all(Array.from({ length: workerCount }, () => worker()));
  return results;
}
