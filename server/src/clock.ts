/** Injected time source so stages and stores are deterministic under test. */
export interface Clock {
  now(): Date;
  /** High-resolution milliseconds for stage timings. */
  monotonic(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonic: () => performance.now(),
};

/** ISO 8601 UTC with milliseconds and a single `Z` (never `+00:00Z`). */
export function isoUtc(date: Date): string {
  return date.toISOString();
}
