import { z } from 'zod';
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
    const destination = createLocalDestination(config, { workspaceRoot: context.workspaceRoot });
    destination.validateConfig();
    return destination;
  },
});

/** The destination every config has unless it defines its own `local`. */
export const DEFAULT_LOCAL_DESTINATION: LocalDestinationConfig = {
  id: 'local',
  type: 'local',
  baseDir: './exports',
  onExisting: 'update',
};
