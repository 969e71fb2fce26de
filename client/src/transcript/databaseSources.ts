import * as z from 'zod/mini';

/**
 * The `devguideExport.sources` setting as the client needs it: the
 * databases whose chat_messages table Export Transcript… offers, and the
 * address the server reads each through (`mysql://USER@HOST:PORT/DB?table=…`
 * — the same form the CLI takes; the password is never in it). The server
 * validates the full entries; a half-typed one is skipped here. Pure.
 */

const sourceEntry = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.optional(z.string()),
  type: z.literal('tidb'),
  host: z.string().check(z.minLength(1)),
  port: z.optional(z.number()),
  user: z.string().check(z.minLength(1)),
  database: z.string().check(z.minLength(1)),
  table: z.optional(z.string()),
  /** `{ca}`: the address asks for TLS; the server takes the CA file from the matching configured source. */
  tls: z.optional(z.union([z.boolean(), z.object({ ca: z.string().check(z.minLength(1)) })])),
});

export interface DatabaseSourceRef {
  id: string;
  name: string;
  /** `mysql://USER@HOST:PORT/DATABASE?table=NAME[&tls=true]`. */
  address: string;
  /** `user@host:port/database.table`, for a picker. */
  description: string;
}

/** The id a source's password is stored and asked for under (server/src/app/databaseSources.ts). */
export function sourceCredentialId(sourceId: string): string {
  return `source:${sourceId}`;
}

export function databaseSourcesOf(value: unknown): DatabaseSourceRef[] {
  if (!Array.isArray(value)) return [];
  const refs: DatabaseSourceRef[] = [];
  for (const entry of value) {
    const parsed = sourceEntry.safeParse(entry);
    if (!parsed.success) continue;
    const s = parsed.data;
    const port = s.port ?? 4000;
    const table = s.table ?? 'chat_messages';
    const host = s.host.includes(':') ? `[${s.host}]` : s.host;
    const tls = s.tls !== false;
    refs.push({
      id: s.id,
      name: s.name ?? s.id,
      address: `mysql://${encodeURIComponent(s.user)}@${host}:${port}/${s.database}?table=${table}${tls ? '&tls=true' : ''}`,
      description: `${s.user}@${s.host}:${port}/${s.database}.${table}`,
    });
  }
  return refs;
}
