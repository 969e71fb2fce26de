import { z } from 'zod';
import { ExportError } from './errors';
import { MAX_CONTENT_LENGTH } from './model';

/**
 * The configuration shared by the extension's `devguideExport.*` settings and
 * the CLI's `--config FILE`: the same keys in both. No secrets here — those
 * come from SecretStorage or `DEVGUIDE_SECRET_<ID>_<FIELD>`.
 */

const destinationId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'ids are 1–64 letters, digits, "_", "." or "-", starting with a letter or digit');

/** Fields every destination has. `allowedUsers` limits who may export there (the Bin checks it). */
const destinationBase = {
  id: destinationId,
  name: z.string().optional(),
  allowedUsers: z.array(z.string().min(1)).optional(),
};

export const localDestinationSchema = z.object({
  ...destinationBase,
  type: z.literal('local'),
  baseDir: z.string().min(1).default('./exports'),
  onExisting: z.enum(['update', 'rename']).default('update'),
});

export const githubDestinationSchema = z.object({
  ...destinationBase,
  type: z.literal('github'),
  owner: z.string().min(1),
  repo: z.string().min(1),
  branch: z.string().min(1).default('main'),
  path: z.string().default('exports'),
  mode: z.enum(['commit', 'pull-request']).default('commit'),
  baseUrl: z.string().url().optional(),
  visibility: z.enum(['public', 'private']).optional(),
});

export const tidbDestinationSchema = z.object({
  ...destinationBase,
  type: z.literal('tidb'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(4000),
  user: z.string().min(1),
  database: z.string().min(1),
  table: z.string().default('exports'),
  tls: z.boolean().default(true),
});

export const driveDestinationSchema = z.object({
  ...destinationBase,
  type: z.literal('drive'),
  folderId: z.string().min(1),
  baseUrl: z.string().url().optional(),
});

export const destinationConfigSchema = z.discriminatedUnion('type', [
  localDestinationSchema,
  githubDestinationSchema,
  tidbDestinationSchema,
  driveDestinationSchema,
]);

export type DestinationConfig = z.infer<typeof destinationConfigSchema>;
export type LocalDestinationConfig = z.infer<typeof localDestinationSchema>;

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const configSchema = z
  .object({
    destinations: z.array(destinationConfigSchema).default([]),
    templatesDir: z.string().default('.devguide/templates'),
    defaultTemplate: z.string().default('yaml-markdown'),
    defaultDestination: z.string().default('local'),
    storePath: z.string().optional(),
    review: z.object({ requireAt: z.enum(RISK_LEVELS).default('medium') }).prefault({}),
    limits: z
      .object({
        maxContentLength: z.number().int().positive().max(MAX_CONTENT_LENGTH).default(MAX_CONTENT_LENGTH),
        defaultTimeoutMs: z.number().int().positive().default(30_000),
        maxRetries: z.number().int().min(0).max(10).default(3),
        templateCacheTtlMs: z.number().int().min(0).default(300_000),
      })
      .prefault({}),
    rateLimits: z
      .record(z.string(), z.object({ requestsPerMinute: z.number().positive(), burst: z.number().int().positive().optional() }))
      .default({}),
  })
  .strict();

export type ExportConfig = z.infer<typeof configSchema>;

/** The destination every config has unless it defines its own `local`. */
export const DEFAULT_LOCAL_DESTINATION: LocalDestinationConfig = {
  id: 'local',
  type: 'local',
  baseDir: './exports',
  onExisting: 'update',
};

export function parseConfig(input: unknown, origin = 'configuration'): ExportConfig {
  const result = configSchema.safeParse(input ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ExportError('SCHEMA_INVALID', `Invalid ${origin}: ${problems.join('; ')}`, {
      details: { problems },
      recoverable: false,
    });
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

export function destinationsOf(config: ExportConfig): DestinationConfig[] {
  return config.destinations.some((d) => d.id === 'local')
    ? config.destinations
    : [DEFAULT_LOCAL_DESTINATION, ...config.destinations];
}
