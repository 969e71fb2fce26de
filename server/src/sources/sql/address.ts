import { z } from 'zod';
import { databaseNameSchema, identifierSchema } from '../../db/identifiers';
import { ExportError } from '../../errors';

/**
 * A `chat_messages` table as a transcript source, written where a
 * transcript file's path goes: `mysql://USER@HOST:PORT/DATABASE` with an
 * optional `?table=NAME` (default chat_messages) and `?tls=true`. The
 * password never goes in the address (CLI: DEVGUIDE_SOURCE_PASSWORD; VS
 * Code: SecretStorage of the configured source).
 */

export const DEFAULT_CHAT_TABLE = 'chat_messages';
const DEFAULT_PORT = 4000;

export interface DatabaseAddress {
  user: string;
  host: string;
  port: number;
  database: string;
  table: string;
  tls: boolean;
  /** The address as written back: no password, parameters in one order (a job's `source`). */
  canonical: string;
}

/** True for a source that names a database table rather than a file. */
export function isDatabaseAddress(path: string): boolean {
  return /^mysql:\/\//i.test(path);
}

const partsSchema = z.object({
  user: z.string().min(1, 'needs a user: mysql://USER@HOST:PORT/DATABASE').max(128),
  host: z.string().min(1).max(255).regex(/^[A-Za-z0-9.:_\-[\]%]+$/, 'has an invalid host'),
  port: z.number().int().min(1).max(65535),
  database: databaseNameSchema,
  table: identifierSchema,
  tls: z.boolean(),
});

function invalid(message: string): ExportError {
  return new ExportError('INVALID_INPUT', `Database source: ${message}. Expected mysql://USER@HOST:PORT/DATABASE[?table=NAME][&tls=true].`, { recoverable: false });
}

export function parseDatabaseAddress(text: string): DatabaseAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('the address is not a URL');
  }
  if (url.protocol !== 'mysql:') throw invalid(`"${url.protocol}" is not mysql:`);
  // Never echo it: the password belongs in the environment or SecretStorage.
  if (url.password !== '') throw invalid('a password in the address is refused; set DEVGUIDE_SOURCE_PASSWORD (CLI) or store it with the configured source (VS Code)');
  const unknown = [...url.searchParams.keys()].filter((k) => k !== 'table' && k !== 'tls');
  if (unknown.length > 0) throw invalid(`unknown parameter ${unknown.map((k) => `"${k}"`).join(', ')}`);
  const tlsText = url.searchParams.get('tls');
  if (tlsText !== null && tlsText !== 'true' && tlsText !== 'false') throw invalid('tls must be true or false');
  const parsed = partsSchema.safeParse({
    user: decodeURIComponent(url.username),
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? DEFAULT_PORT : Number(url.port),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    table: url.searchParams.get('table') ?? DEFAULT_CHAT_TABLE,
    tls: tlsText === 'true',
  });
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${String(i.path[0] ?? 'address')} ${i.message}`).join('; '));
  return withCanonical(parsed.data);
}

export function withCanonical(parts: Omit<DatabaseAddress, 'canonical'>): DatabaseAddress {
  const host = parts.host.includes(':') ? `[${parts.host}]` : parts.host;
  const query = [`table=${parts.table}`, ...(parts.tls ? ['tls=true'] : [])].join('&');
  return { ...parts, canonical: `mysql://${encodeURIComponent(parts.user)}@${host}:${parts.port}/${parts.database}?${query}` };
}
