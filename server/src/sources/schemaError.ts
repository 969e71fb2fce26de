import type { z } from 'zod';
import { ExportError } from '../errors';

/**
 * Validates one record of a transcript with zod and, on failure, throws
 * INVALID_INPUT naming where (line or JSON path) and which field.
 */
export function parseRecord<T>(
  schema: z.ZodType<T>,
  value: unknown,
  where: { path: string; line?: number; fieldPrefix?: readonly PropertyKey[] },
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const fieldPath = [...(where.fieldPrefix ?? []), ...(issue?.path ?? [])];
  const field = formatFieldPath(fieldPath);
  const place = where.line === undefined ? where.path : `${where.path} line ${where.line}`;
  const what = field === '' ? (issue?.message ?? 'invalid record') : `field "${field}": ${issue?.message ?? 'invalid value'}`;
  const details: Record<string, unknown> = { path: where.path, field };
  if (where.line !== undefined) details['line'] = where.line;
  return fail(new ExportError('INVALID_INPUT', `${place}: ${what}`, { details, recoverable: false }));
}

export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function fail(error: ExportError): never {
  throw error;
}
