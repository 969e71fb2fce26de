import { z } from 'zod';
import { isoFromUnknown } from './timestamps';

/** zod pieces several transcript schemas share. */

/** An id written as a string or a number; always a non-empty string after parsing. */
export const idField = z.union([z.string().min(1), z.number().int()]).transform(String);

/** A time as an ISO string, a zone-less `YYYY-MM-DD HH:MM:SS`, or epoch seconds / milliseconds → ISO 8601 UTC. */
export const timestampField = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const iso = isoFromUnknown(value);
  if (iso === undefined) {
    ctx.addIssue({ code: 'custom', message: `not a valid date/time: ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return iso;
});

/** Plain JSON objects only (not arrays, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
