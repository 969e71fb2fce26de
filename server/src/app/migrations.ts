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
    const results: MigrationResult[] = [];
    // The team store's tables come first (store.type tidb), when no one destination is named.
    if (destinationId === undefined && this.state.team.enabled) results.push(await this.storeRecords(), await this.teamShared());
    // A shared destination is migrated when named (--dest), by someone who may export there.
    else if (destinationId !== undefined) await this.state.team.refresh();
    const chosen = this.targets(destinationId, results.length > 0);
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

  /** The team store's records (export_jobs, audit_logs, security_audit_logs) and its rollback data. */
  private storeRecords(): Promise<MigrationResult> {
    const store = this.state.store;
    const migrate = store.migrate;
    if (!migrate) throw new ExportError('INTERNAL_ERROR', 'The configured team store has no migrations.', { recoverable: false });
    return this.teamPart('team_store', 'jobs, audit, security events', () => migrate.call(store));
  }

  /** The team's shared tables (export_templates, export_destinations, destination_access). */
  private teamShared(): Promise<MigrationResult> {
    return this.teamPart('team_shared', 'templates, destinations, access', async () => (await this.state.team.requireCatalog('Migrating the team store')).migrate());
  }

  /** One scope of the team store's tables migrated, the outcome audited either way. */
  private async teamPart(scope: string, holds: string, migrate: () => Promise<MigrationResult['applied']>): Promise<MigrationResult> {
    const store = this.state.config.store;
    const resource = store.type === 'tidb' ? `tidb://${store.host}:${store.port}/${store.database} (team: ${holds})` : 'team store';
    try {
      const applied = await migrate();
      await this.bin.auditAction('MigrateTeamStore', resource, 'success', { scope, applied: applied.map((m) => m.version) });
      return { destination_id: 'store', resource, applied };
    } catch (thrown) {
      const error = toExportError(thrown);
      await this.bin.auditAction('MigrateTeamStore', resource, 'failure', { scope, error_code: error.code }).catch(() => undefined);
      throw error;
    }
  }

  private targets(destinationId: string | undefined, storeMigrated = false): DestinationConfig[] {
    if (destinationId !== undefined) {
      const config = this.state.destinationConfig(destinationId);
      if (!descriptorOf(config.type)?.migrate) {
        throw new ExportError('INVALID_INPUT', `Destination "${config.id}" is a ${config.type} destination: it has no database to migrate.`, { recoverable: false });
      }
      return [config];
    }
    const all = this.state.destinations().filter((d) => descriptorOf(d.type)?.migrate !== undefined && !this.state.sharedDestination(d.id));
    if (all.length === 0 && !storeMigrated) {
      throw new ExportError('INVALID_INPUT', 'The configuration has no team store (store.type tidb) and no database (tidb) destination to migrate.', { recoverable: false });
    }
    return all;
  }
}
