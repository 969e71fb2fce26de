import { z } from 'zod';

/**
 * Table and column names are the one part of a statement that cannot be a
 * parameter. They are checked against a strict pattern (letters, digits, `_`
 * and `$`, not starting with a digit, at most 64 characters: MySQL's and
 * TiDB's limit) and then backquoted. A name that does not match never
 * reaches a statement.
 */

export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_$]{0,63}$/;
export const IDENTIFIER_RULE = 'must be a plain SQL name: a letter or "_", then up to 63 letters, digits, "_" or "$"';

/** A database name travels as a connection parameter and as a value, never in SQL text; it may also hold "-". */
export const DATABASE_PATTERN = /^[A-Za-z0-9_$-]{1,64}$/;
export const DATABASE_RULE = 'must be 1–64 letters, digits, "_", "$" or "-"';

export const identifierSchema = z.string().regex(IDENTIFIER_PATTERN, IDENTIFIER_RULE);
export const databaseNameSchema = z.string().regex(DATABASE_PATTERN, DATABASE_RULE);

export function isIdentifier(name: string): boolean {
  return IDENTIFIER_PATTERN.test(name);
}

/** `name` backquoted for SQL text; throws for anything but a checked identifier (defence in depth). */
export function quoteIdentifier(name: string): string {
  if (!isIdentifier(name)) throw new Error(`not a checked SQL identifier: ${JSON.stringify(name).slice(0, 80)}`);
  return `\`${name}\``;
}
