import type { DestinationConfig } from '../config';
import { descriptorOf } from '../destinations/registry';
import { ExportError, toExportError } from '../errors';
import type { Bin } from '../governance/bin';
import type { AppState } from './state';

/**
 * `devguide-export db migrate`: the configured database destinations'
 * storage brought up to date (their versioned, idempotent migrations).
 * Each run is audited, applied or not.
 */

export interface MigrationResult {
  destination_id: string;
  resource: string;
  applied: { version: number; description: string }[];
}

export class Migrations {
  constructor(
    private readonly state: AppState,
    private readonly bin: Bin,
  ) {}

  /** Every destination that has migrations, or the one named. */
  async run(destinationId?: string, signal?: AbortSignal): Promise<MigrationResult[]> {
    const chosen = this.targets(destinationId);
    const results: MigrationResult[] = [];
    for (const config of chosen) {
      const descriptor = descriptorOf(config.type);
      if (!descriptor?.migrate) continue;
      const unavailable = this.state.destinationUnavailable(config);
      if (unavailable) throw new ExportError('UNTRUSTED_WORKSPACE', `Destination "${config.id}" cannot be used now: ${unavailable}`, { recoverable: false });
      try {
        const report = await descriptor.migrate(config, this.state.destinationContext(signal));
        await this.bin.auditAction('MigrateDestination', report.resource, 'success', { destination: config.id, applied: report.applied.map((m) => m.version) });
        results.push({ destination_id: config.id, resource: report.resource, applied: report.applied });
      } catch (thrown) {
        const error = toExportError(thrown);
        await this.bin.auditAction('MigrateDestination', config.id, 'failure', { destination: config.id, error_code: error.code }).catch(() => undefined);
        throw error;
      }
    }
    return results;
  }

  private targets(destinationId: string | undefined): DestinationConfig[] {
    if (destinationId !== undefined) {
      const config = this.state.destinationConfig(destinationId);
      if (!descriptorOf(config.type)?.migrate) {
        throw new ExportError('INVALID_INPUT', `Destination "${config.id}" is a ${config.type} destination: it has no database to migrate.`, { recoverable: false });
      }
      return [config];
    }
    const all = this.state.destinations().filter((d) => descriptorOf(d.type)?.migrate !== undefined);
    if (all.length === 0) {
      throw new ExportError('INVALID_INPUT', 'The configuration has no database (tidb) destination to migrate.', { recoverable: false });
    }
    return all;
  }
}
