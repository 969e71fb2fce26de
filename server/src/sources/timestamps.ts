/**
 * Timestamp normalisation: every source's times become ISO 8601 UTC
 * (`Date.toISOString()`), or undefined when they are not a valid time.
 */

/** A date-time without a zone (e.g. MySQL's `2026-01-02 15:29:00`) is read as UTC. */
const NO_ZONE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
/** Numbers below this are seconds since the epoch, above it milliseconds (1e11 s is the year 5138). */
const SECONDS_LIMIT = 1e11;

/**
 * Already what `toISOString()` writes, with a day every month has and an
 * hour below 24: it maps to itself, so the Date round trip can be skipped.
 * (Days 29–31 and hour 24 take the slow path, where Date rolls them over.)
 */
const CANONICAL_ISO = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** The calendar part of an ISO-like date-time, checked before Date.parse (which turns 2026-02-30 into March 2nd). */
const CALENDAR = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/;

/** False for a month, day, hour, minute or second that does not exist (2026-02-30, 13th month, 25 o'clock). */
function calendarFieldsExist(value: string): boolean {
  const match = CALENDAR.exec(value);
  if (!match) return true; // not this shape: Date.parse decides
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part)));
  if (year === undefined || month === undefined || day === undefined) return true;
  if (month < 1 || month > 12) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day >= 1 && day <= daysInMonth && hour <= 24 && minute <= 59 && second <= 60;
}

export function isoFromString(value: string): string | undefined {
  if (CANONICAL_ISO.test(value)) return value;
  const trimmed = value.trim();
  if (trimmed === '' || !calendarFieldsExist(trimmed)) return undefined;
  const normalised = NO_ZONE.test(trimmed) ? `${trimmed.replace(' ', 'T')}Z` : trimmed;
  return isoFromMillis(Date.parse(normalised));
}

export function isoFromMillis(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(Math.round(ms));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function isoFromSeconds(seconds: number): string | undefined {
  return isoFromMillis(seconds * 1000);
}

/** Epoch numbers: seconds or milliseconds, told apart by size. */
export function isoFromEpoch(value: number): string | undefined {
  return Math.abs(value) < SECONDS_LIMIT ? isoFromSeconds(value) : isoFromMillis(value);
}

export function isoFromUnknown(value: string | number): string | undefined {
  return typeof value === 'number' ? isoFromEpoch(value) : isoFromString(value);
}
