import { z } from 'zod';
import { ExportError } from '../errors';
import type { DestinationContext, DestinationDescriptor } from './descriptor';
import { driveDestination } from './driveDescriptor';
import { githubDestination } from './githubDescriptor';
import { localDestination } from './localDescriptor';
import { tidbDestination } from './tidbDescriptor';
import type { Destination } from './types';

/**
 * The destination types this version publishes to. Adding one is a new
 * descriptor in this folder and one entry here.
 */
export const DESTINATION_TYPES = [localDestination, githubDestination, tidbDestination, driveDestination] as const;

type AnyDescriptor = (typeof DESTINATION_TYPES)[number];
/** A destination entry of the settings: the union of every type's config. */
export type DestinationConfig = AnyDescriptor extends DestinationDescriptor<infer C> ? C : never;

export function descriptorOf(type: string): DestinationDescriptor<DestinationConfig> | undefined {
  return DESTINATION_TYPES.find((d: AnyDescriptor) => d.type === type);
}

/**
 * Checks one settings entry with its type's schema (defaults applied);
 * problems are added to the caller's zod context at the entry's path.
 */
export const destinationConfigSchema: z.ZodType<DestinationConfig, unknown> = z.unknown().transform((raw, ctx) => {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  const descriptor = typeof type === 'string' ? descriptorOf(type) : undefined;
  if (!descriptor) {
    ctx.addIssue({
      code: 'custom',
      path: ['type'],
      message: `${typeof type === 'string' ? `"${type}" is not a destination type of this version` : 'missing'}; types: ${knownDestinationTypes().join(', ')}`,
    });
    return z.NEVER;
  }
  const parsed = descriptor.configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

export function knownDestinationTypes(): string[] {
  return DESTINATION_TYPES.map((d) => d.type);
}

/** Builds the destination for a config entry through its type's descriptor. */
export async function createDestination(config: DestinationConfig, context: DestinationContext): Promise<Destination> {
  const descriptor = descriptorOf(config.type);
  if (!descriptor) {
    throw new ExportError('DESTINATION_CONFIG_INVALID', `Destination "${config.id}" has type "${config.type}", which this version cannot publish to.`, {
      details: { type: config.type, available: knownDestinationTypes() },
      recoverable: false,
    });
  }
  return descriptor.create(config, context);
}

export type { DestinationContext };
