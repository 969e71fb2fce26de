import { z } from 'zod';
import { databaseNameSchema } from './identifiers';

/**
 * Where a MySQL-protocol server is, as every database entry of the
 * configuration spells it (a TiDB destination, a chat_messages source, the
 * team store): host, port, user, database and TLS. The password is never
 * here; it is a credential (SecretStorage, or the CLI's environment).
 */

export const DEFAULT_TIDB_PORT = 4000;

/** A host name or address: no spaces, slashes or `@` (a URL pasted whole is refused). */
export const hostSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9.:_\-[\]%]+$/, 'must be a host name or IP address (no scheme, port, path or spaces)');

/** TLS ≥ 1.2 with the certificate verified (TiDB Cloud requires it); `{ca}` names a CA file; `false` only for a local server. */
export const tlsSchema = z.union([z.boolean(), z.object({ ca: z.string().min(1) }).strict()]).default(true);

export const dbEndpointFields = {
  host: hostSchema,
  port: z.number().int().min(1).max(65535).default(DEFAULT_TIDB_PORT),
  user: z.string().min(1).max(128),
  database: databaseNameSchema,
  tls: tlsSchema,
};
