import { z } from 'zod';
import { dbEndpointFields, DEFAULT_TIDB_PORT } from '../db/endpoint';
import { identifierSchema } from '../db/identifiers';
import { ExportError } from '../errors';
import { defineDestination, destinationBaseFields } from './descriptor';

/**
 * A TiDB (or MySQL) table: one row per exported file, inserted or updated
 * by filename. Medium risk, remote, one credential (`password`). mysql2 is
 * imported only when a destination of this type is built.
 */

export { DEFAULT_TIDB_PORT };
export const DEFAULT_ARTIFACT_TABLE = 'exported_artifacts';

export const tidbDestinationSchema = z
  .object({
    ...destinationBaseFields,
    type: z.literal('tidb'),
    host: dbEndpointFields.host,
    port: dbEndpointFields.port,
    user: dbEndpointFields.user,
    database: dbEndpointFields.database,
    table: identifierSchema.default(DEFAULT_ARTIFACT_TABLE),
    /** An existing table of another shape: which of its columns hold the filename, content and metadata. */
    columnMappings: z
      .object({ filename: identifierSchema.optional(), content: identifierSchema.optional(), metadata: identifierSchema.optional() })
      .strict()
      .optional(),
    tls: dbEndpointFields.tls,
  })
  .strict();
export type TidbDestinationConfig = z.infer<typeof tidbDestinationSchema>;

/** A destination entry checked again where it is used (a job's recorded config at rollback, `db migrate`). */
export function checkedTidbConfig(config: unknown): TidbDestinationConfig {
  const parsed = tidbDestinationSchema.safeParse(config);
  if (parsed.success) return parsed.data;
  const id = typeof (config as { id?: unknown } | null)?.id === 'string' ? (config as { id: string }).id : '?';
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`);
  throw new ExportError('DESTINATION_CONFIG_INVALID', `TiDB destination "${id}" is misconfigured: ${problems.join('; ')}`, {
    details: { problems },
    recoverable: false,
  });
}

/** How to set the password, for error messages (VS Code and the CLI). */
export function passwordHint(destinationId: string): string {
  return `In VS Code run "Set Destination Credential" for "${destinationId}"; in the CLI set ${passwordEnvName(destinationId)}.`;
}

/** The CLI's variable for this destination's password (the same rule as cli/runtime.ts's secretEnvName). */
export function passwordEnvName(destinationId: string): string {
  return `DEVGUIDE_SECRET_${destinationId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PASSWORD`;
}

export const tidbDestination = defineDestination<TidbDestinationConfig>({
  type: 'tidb',
  configSchema: tidbDestinationSchema,
  risk: 'medium',
  remote: true,
  secretFields: [
    {
      field: 'password',
      label: 'Database password',
      prompt: 'The password of the database user (TiDB Cloud: the cluster password of the user in "user").',
      placeHolder: 'password',
    },
  ],
  async create(config, context) {
    const checked = checkedTidbConfig(config);
    const password = await context.getSecret(checked.id, 'password');
    const { createTidbDestination } = await import('./tidb/destination');
    return createTidbDestination(checked, {
      password: password === '' ? undefined : password,
      workspaceRoot: context.workspaceRoot,
      dataDir: context.dataDir,
      ...(context.rollbackData ? { rollbackData: context.rollbackData } : {}),
      ...(context.limits ? { maxRetries: context.limits.maxRetries, timeoutMs: context.limits.timeoutMs } : {}),
    });
  },
  async migrate(config, context) {
    const checked = checkedTidbConfig(config);
    const password = await context.getSecret(checked.id, 'password');
    const { migrateTidbDestination } = await import('./tidb/destination');
    return migrateTidbDestination(checked, {
      password: password === '' ? undefined : password,
      workspaceRoot: context.workspaceRoot,
      dataDir: context.dataDir,
      ...(context.limits ? { maxRetries: context.limits.maxRetries, timeoutMs: context.limits.timeoutMs } : {}),
    });
  },
  async pruneRollbackData(dataDir, keep) {
    const [{ LocalBackups }, { nodeAtomicWriteFs }, { tidbBackupDir }] = await Promise.all([import('./localBackups'), import('./atomicWrite'), import('./tidb/backups')]);
    await new LocalBackups(tidbBackupDir(dataDir), nodeAtomicWriteFs).prune(keep);
  },
});
