import { z } from 'zod';
import { join } from 'node:path';
import { defineDestination, destinationBaseFields } from './descriptor';

export const localDestinationSchema = z.object({
  ...destinationBaseFields,
  type: z.literal('local'),
  baseDir: z.string().min(1).default('./exports'),
  onExisting: z.enum(['update', 'rename']).default('update'),
});
export type LocalDestinationConfig = z.infer<typeof localDestinationSchema>;

/** Files in a folder on this machine: low risk, no credentials. */
export const localDestination = defineDestination<LocalDestinationConfig>({
  type: 'local',
  configSchema: localDestinationSchema,
  risk: 'low',
  remote: false,
  secretFields: [],
  async create(config, context) {
    const { createLocalDestination } = await import('./local');
    const destination = createLocalDestination(config, { workspaceRoot: context.workspaceRoot, backupDir: localBackupDir(context.dataDir) });
    destination.validateConfig();
    return destination;
  },
  async pruneRollbackData(dataDir, keep) {
    const [{ LocalBackups }, { nodeAtomicWriteFs }] = await Promise.all([import('./localBackups'), import('./atomicWrite')]);
    await new LocalBackups(localBackupDir(dataDir), nodeAtomicWriteFs).prune(keep);
  },
});

/** The destination every config has unless it defines its own `local`. */
export const DEFAULT_LOCAL_DESTINATION: LocalDestinationConfig = {
  id: 'local',
  type: 'local',
  baseDir: './exports',
  onExisting: 'update',
};

/** Where the local destination keeps previous versions for rollback. */
export function localBackupDir(dataDir: string): string {
  return join(dataDir, 'backups', 'local');
}
