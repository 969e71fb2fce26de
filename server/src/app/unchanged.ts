import type { Clock } from '../clock';

/**
 * Whether a new output equals the existing file apart from the export time
 * (issue 10 item 13): exporting the same selection again must not become an
 * UPDATE with nothing in it. The lines that depend on the time are found by
 * rendering once more at another time; every other line must be the same.
 */

/** A clock a day away from `clock`, for the second render. */
export function shiftedClock(clock: Clock): Clock {
  const DAY = 86_400_000;
  return { now: () => new Date(clock.now().getTime() - DAY), monotonic: () => clock.monotonic() };
}

export function sameApartFromExportTime(existing: string, content: string, renderedAtOtherTime: string): boolean {
  if (existing === content) return true;
  const before = existing.split('\n');
  const now = content.split('\n');
  const other = renderedAtOtherTime.split('\n');
  if (before.length !== now.length || other.length !== now.length) return false;
  let timeLines = 0;
  for (let i = 0; i < now.length; i += 1) {
    if (before[i] === now[i]) continue;
    // A differing line is allowed only where the output itself changes with the time.
    if (other[i] === now[i]) return false;
    timeLines += 1;
  }
  return timeLines > 0;
}
