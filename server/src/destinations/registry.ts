import { destinationsOf, type DestinationConfig, type ExportConfig } from '../config';
import { ExportError } from '../errors';
import type { Destination } from './types';

export interface DestinationContext {
  workspaceRoot: string;
  /** Reads a credential for a destination (SecretStorage in VS Code, env in the CLI). */
  getSecret(destinationId: string, field: string): Promise<string | undefined>;
}

export function findDestinationConfig(config: ExportConfig, id: string): DestinationConfig {
  const all = destinationsOf(config);
  const found = all.find((d) => d.id === id);
  if (!found) {
    throw new ExportError('DESTINATION_NOT_FOUND', `Unknown destination "${id}". Configured: ${all.map((d) => d.id).join(', ')}.`, {
      details: { available: all.map((d) => d.id) },
      recoverable: false,
    });
  }
  return found;
}

/**
 * Builds the destination for a config entry. Remote SDKs are loaded only
 * when a destination of that type is used (DESIGN.md §2).
 */
export async function createDestination(config: DestinationConfig, context: DestinationContext): Promise<Destination> {
  switch (config.type) {
    case 'local': {
      const { createLocalDestination } = await import('./local');
      const destination = createLocalDestination(config, { workspaceRoot: context.workspaceRoot });
      destination.validateConfig();
      return destination;
    }
    default:
      throw new ExportError(
        'DESTINATION_CONFIG_INVALID',
        `Destination "${config.id}" is of type "${config.type}", which this version cannot publish to yet; use a local destination.`,
        { details: { type: config.type }, recoverable: false },
      );
  }
}
