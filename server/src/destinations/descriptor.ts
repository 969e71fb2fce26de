import { z } from 'zod';
import { ID_PATTERN, ID_RULE, type RiskLevel } from '../protocolLimits';
import type { SecretField } from '../protocol';
import type { RollbackData } from '../store/rollbackData';
import type { Destination } from './types';

/**
 * One destination type, described once (issue 9): its settings entry, its
 * risk, whether it leaves the machine, the credentials it asks for and how
 * to build it. Config validation, the Bin's risk, the registry, the client's
 * credential prompts and the Restricted Mode rule all read this.
 */

export interface DestinationContext {
  workspaceRoot: string;
  /** This machine's data folder: what a destination keeps for rollback goes here, never beside the exports. */
  dataDir: string;
  /** Reads a credential (SecretStorage in VS Code, the environment in the CLI); the access is audited. */
  getSecret(destinationId: string, field: string): Promise<string | undefined>;
  /** The store's rollback data, when it keeps it for every member (the team store); remote destinations keep theirs there. */
  rollbackData?: RollbackData;
  /** Cancels connection attempts of a destination being built. */
  signal?: AbortSignal;
  /** The configured limits (`limits.maxRetries`, `limits.defaultTimeoutMs`) for destinations that retry and wait themselves. */
  limits?: { maxRetries: number; timeoutMs: number };
}

/** Fields every destination entry has. `allowedUsers` limits who may export there (the Bin checks it). */
export const destinationBaseFields = {
  id: z.string().regex(ID_PATTERN, ID_RULE),
  name: z.string().optional(),
  allowedUsers: z.array(z.string().min(1)).optional(),
};

/** What a destination's migration did. */
export interface MigrationReport {
  /** e.g. `tidb://docs/exported_artifacts`. */
  resource: string;
  applied: { version: number; description: string }[];
}

export interface DestinationDescriptor<Config extends { id: string; type: string }> {
  type: Config['type'];
  configSchema: z.ZodType<Config, unknown>;
  risk: RiskLevel;
  /** True when an export leaves this machine: secrets block it, and it is an external export in the audit. */
  remote: boolean;
  secretFields: SecretField[];
  /** Environment variables the CLI falls back to when `DEVGUIDE_SECRET_<ID>_<FIELD>` is unset (GitHub: `token` → GITHUB_TOKEN). */
  secretEnvFallbacks?: Readonly<Record<string, string>>;
  /** Builds the destination; remote SDKs are imported here, only when a destination of the type is used. */
  create(config: Config, context: DestinationContext): Promise<Destination>;
  /** Brings the destination's storage up to date (a database table's versioned migrations); `devguide-export db migrate` runs it. */
  migrate?(config: Config, context: DestinationContext): Promise<MigrationReport>;
  /** Drops rollback data kept in the data folder that no job in `keep` (their `rollback.previous`) needs any more. */
  pruneRollbackData?(dataDir: string, keep: ReadonlySet<string>): Promise<void>;
}

export function defineDestination<Config extends { id: string; type: string }>(
  descriptor: DestinationDescriptor<Config>,
): DestinationDescriptor<Config> {
  return descriptor;
}
