import { z } from 'zod';
import { ExportError } from './errors';
import { MAX_CONTENT_LENGTH } from './model';
import { ID_PATTERN, ID_RULE, RISK_LEVELS, TOOL_OUTPUT_MODES } from './protocolLimits';
import { dbEndpointFields } from './db/endpoint';
import { identifierSchema } from './db/identifiers';
import { destinationConfigSchema, type DestinationConfig } from './destinations/registry';
import { DEFAULT_LOCAL_DESTINATION } from './destinations/localDescriptor';

/** 64 MiB: far above any real chat transcript, far below what parsing it in memory can afford. */
export const DEFAULT_MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * The configuration shared by the extension's `devguideExport.*` settings and
 * the CLI's `--config FILE`: the same keys in both. No secrets here — those
 * come from SecretStorage or `DEVGUIDE_SECRET_<ID>_<FIELD>`.
 */

export type { DestinationConfig } from './destinations/registry';
export type { LocalDestinationConfig } from './destinations/localDescriptor';
export { DEFAULT_LOCAL_DESTINATION } from './destinations/localDescriptor';

export { RISK_LEVELS, type RiskLevel } from './protocolLimits';

/**
 * A database whose `chat_messages` table is a transcript source (VS Code's
 * Export Transcript… offers it). Its password is a credential of the
 * source (SecretStorage; the CLI: DEVGUIDE_SOURCE_PASSWORD), never here.
 */
export const sourceConfigSchema = z
  .object({
    id: z.string().regex(ID_PATTERN, ID_RULE),
    name: z.string().optional(),
    type: z.literal('tidb'),
    host: dbEndpointFields.host,
    port: dbEndpointFields.port,
    user: dbEndpointFields.user,
    database: dbEndpointFields.database,
    table: identifierSchema.default('chat_messages'),
    /** As every database entry: `true` (verified), `{ca}` (a CA file, for a private CA), `false` only for a local server. */
    tls: dbEndpointFields.tls,
  })
  .strict();
export type SourceConfig = z.infer<typeof sourceConfigSchema>;

/**
 * Where jobs, audit and security events live (DESIGN.md §8): `embedded`, a
 * local store in the data folder (the default), or `tidb`, the team store —
 * the seed's tables in a TiDB/MySQL database that many editors and CI runs
 * share. Its password is the credential `password` of the id `store`
 * (SecretStorage; the CLI: DEVGUIDE_SECRET_STORE_PASSWORD).
 */
export const storeConfigSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('embedded') }).strict(),
  z.object({ type: z.literal('tidb'), ...dbEndpointFields }).strict(),
]);
export type StoreConfig = z.infer<typeof storeConfigSchema>;
export type TidbStoreConfig = Extract<StoreConfig, { type: 'tidb' }>;
/** The credential id of the team store's password (`DEVGUIDE_SECRET_STORE_PASSWORD` in the CLI). */
export const STORE_SECRET_ID = 'store';

export const configSchema = z
  .object({
    destinations: z.array(destinationConfigSchema).default([]),
    /** Databases whose chat_messages tables are transcript sources. */
    sources: z.array(sourceConfigSchema).default([]),
    templatesDir: z.string().default('.devguide/templates'),
    defaultTemplate: z.string().default('yaml-markdown'),
    defaultDestination: z.string().default('local'),
    /** Where jobs and audit events live: `embedded` (at `storePath` or the data folder) or the `tidb` team store. */
    store: storeConfigSchema.default({ type: 'embedded' }),
    /** Who this person is in jobs, audit events and a shared destination's access list (else DEVGUIDE_USER, else the OS user). */
    user: z.string().min(1).max(128).optional(),
    storePath: z.string().optional(),
    review: z.object({ requireAt: z.enum(RISK_LEVELS).default('medium') }).prefault({}),
    /** The OAuth client VS Code's "Sign in to Google Drive" uses; the server and the CLI do not read it. */
    googleDrive: z.object({ clientId: z.string().default(''), clientSecret: z.string().default('') }).prefault({}),
    limits: z
      .object({
        maxContentLength: z.number().int().positive().max(MAX_CONTENT_LENGTH).default(MAX_CONTENT_LENGTH),
        defaultTimeoutMs: z.number().int().positive().default(30_000),
        maxRetries: z.number().int().min(0).max(10).default(3),
        templateCacheTtlMs: z.number().int().min(0).default(300_000),
        /** Transcript files larger than this are refused before they are read (CONTENT_TOO_LARGE). */
        maxInputBytes: z.number().int().positive().max(1024 * 1024 * 1024).default(DEFAULT_MAX_INPUT_BYTES),
      })
      .prefault({}),
    /** How tool calls and results read in an export (issue 10 item 9). */
    toolOutput: z
      .object({
        mode: z.enum(TOOL_OUTPUT_MODES).default('summary'),
        maxLines: z.number().int().min(1).max(10_000).default(8),
        maxInputChars: z.number().int().min(20).max(100_000).default(200),
      })
      .prefault({}),
    rateLimits: z
      .record(z.string(), z.object({ requestsPerMinute: z.number().positive(), burst: z.number().int().positive().optional() }))
      .default({}),
  })
  .strict();

export type ExportConfig = z.infer<typeof configSchema>;

export function parseConfig(input: unknown, origin = 'configuration'): ExportConfig {
  const result = configSchema.safeParse(input ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${describePath(input, i.path)}: ${i.message}`);
    // A bad destination entry is DESTINATION_CONFIG_INVALID, naming the entry and the key.
    const onlyDestinations = result.error.issues.every((i) => i.path[0] === 'destinations' && typeof i.path[1] === 'number');
    throw new ExportError(onlyDestinations ? 'DESTINATION_CONFIG_INVALID' : 'SCHEMA_INVALID', `Invalid ${origin}: ${problems.join('; ')}`, {
      details: { problems },
      recoverable: false,
    });
  }
  const sourceIds = new Set<string>();
  for (const s of result.data.sources) {
    if (sourceIds.has(s.id)) throw new ExportError('SCHEMA_INVALID', `Invalid ${origin}: source id "${s.id}" is defined twice`, { recoverable: false });
    sourceIds.add(s.id);
  }
  const ids = new Set<string>();
  for (const d of result.data.destinations) {
    if (ids.has(d.id)) {
      throw new ExportError('SCHEMA_INVALID', `Invalid ${origin}: destination id "${d.id}" is defined twice`, {
        recoverable: false,
      });
    }
    ids.add(d.id);
  }
  return result.data;
}

/** `destinations.1.repo` reads `destinations[1] ("gh").repo`: the entry by its id too. */
function describePath(input: unknown, path: PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  if (path[0] === 'destinations' && typeof path[1] === 'number') {
    const entries = (input as { destinations?: unknown } | null)?.destinations;
    const entry = Array.isArray(entries) ? (entries[path[1]] as { id?: unknown } | undefined) : undefined;
    const id = typeof entry?.id === 'string' ? ` ("${entry.id}")` : '';
    const rest = path.slice(2).map(String).join('.');
    return `destinations[${path[1]}]${id}${rest ? `.${rest}` : ''}`;
  }
  return path.map(String).join('.');
}

export function destinationsOf(config: ExportConfig): DestinationConfig[] {
  return config.destinations.some((d) => d.id === 'local')
    ? config.destinations
    : [DEFAULT_LOCAL_DESTINATION, ...config.destinations];
}
