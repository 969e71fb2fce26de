import { isDeepStrictEqual } from 'node:util';
import type { StoreConfig, TidbStoreConfig } from '../config';
import { openStoreDb } from '../db/storeDb';
import { destinationConfigSchema, type DestinationConfig } from '../destinations/registry';
import { ExportError } from '../errors';
import { exportersOf, mayExport } from './access';
import { openSecret, parseMasterKey, STORE_KEY_ENV, STORE_KEY_SECRET, type MasterKey } from './crypto';
import { TeamCatalog, type SharedDestinationRecord } from './teamCatalog';

/**
 * The application's view of the team store's shared part: the catalog's
 * connection (opened on first use when `store.type` is `tidb`, closed when
 * the settings name another store), the shared destinations as last read,
 * and the two rules that apply whenever one is used — only its owner and
 * people granted write or admin may export there, and its credentials are
 * opened with the member's master key, never read from anywhere else.
 */

export interface TeamEnvironment {
  /** The settings' store entry, as it is now. */
  storeConfig(): StoreConfig;
  workspaceRoot: string;
  /** Read at each use (the `user` setting may change). */
  readonly actor: string;
  /** The member's own credentials: the store's password and master key (SecretStorage / the environment). */
  getSecret(id: string, field: string): Promise<string | undefined>;
  /** Records a refused use (access_denied) in the security log. */
  denied(destinationId: string, metadata: Record<string, unknown>): Promise<void>;
  /** Test seam: how the catalog is opened. */
  openCatalog?: (config: TidbStoreConfig) => Promise<TeamCatalog>;
}

/** A shared destination as the app uses it: its checked config (allowedUsers = who may export) and its record. */
export interface SharedDestination {
  config: DestinationConfig;
  record: SharedDestinationRecord;
}

export class TeamState {
  private opened: { config: TidbStoreConfig; catalog: Promise<TeamCatalog> } | undefined;
  private snapshot: SharedDestinationRecord[] = [];

  constructor(private readonly env: TeamEnvironment) {}

  /** True when the settings name a team store (shared templates and destinations exist). */
  get enabled(): boolean {
    return this.env.storeConfig().type === 'tidb';
  }

  get actor(): string {
    return this.env.actor;
  }

  /** The catalog of the configured team store, or undefined with the embedded store. */
  async catalog(): Promise<TeamCatalog | undefined> {
    const config = this.env.storeConfig();
    if (this.opened && (config.type !== 'tidb' || !isDeepStrictEqual(this.opened.config, config))) await this.close();
    if (config.type !== 'tidb') return undefined;
    if (!this.opened) {
      const catalog = (this.env.openCatalog ?? ((c) => this.open(c)))(config);
      this.opened = { config, catalog };
      // A failed open is not kept: the next call tries again (the password may be set by then).
      catalog.catch(() => {
        if (this.opened?.catalog === catalog) this.opened = undefined;
      });
    }
    return this.opened.catalog;
  }

  /** The catalog, or INVALID_INPUT saying a team store is needed. */
  async requireCatalog(what: string): Promise<TeamCatalog> {
    const catalog = await this.catalog();
    if (catalog) return catalog;
    throw new ExportError('INVALID_INPUT', `${what} needs the team store: set "store": {"type": "tidb", …} in the settings (or the --config file).`, { recoverable: false });
  }

  /** Reads the shared destinations again (listing, before an export is prepared, after a change). */
  async refresh(): Promise<SharedDestinationRecord[]> {
    const catalog = await this.catalog();
    this.snapshot = catalog ? await catalog.destinations() : [];
    return this.snapshot;
  }

  /** The shared destinations last read whose ids the settings do not use (a settings entry wins), with their checked configs. */
  sharedDestinations(localIds: ReadonlySet<string>): SharedDestination[] {
    if (!this.enabled) return [];
    return this.snapshot.flatMap((record) => {
      if (localIds.has(record.id)) return [];
      const parsed = destinationConfigSchema.safeParse({ ...record.config, id: record.id, type: record.type });
      if (!parsed.success) return [];
      return [{ config: { ...parsed.data, allowedUsers: exportersOf(record) }, record }];
    });
  }

  /** The record of a shared destination in use (not shadowed by a settings entry), if any. */
  sharedRecord(destinationId: string, localIds: ReadonlySet<string>): SharedDestinationRecord | undefined {
    return this.sharedDestinations(localIds).find((s) => s.record.id === destinationId)?.record;
  }

  /** PERMISSION_DENIED (recorded as access_denied) unless the actor may export to this shared destination. */
  async checkExport(record: SharedDestinationRecord, use: string): Promise<void> {
    if (mayExport(record, this.env.actor)) return;
    await this.env.denied(`destination:${record.id}`, { destination: record.id, use, owner: record.owner });
    throw new ExportError(
      'PERMISSION_DENIED',
      `User "${this.env.actor}" may not export to the shared destination "${record.id}": only its owner (${record.owner}) and people granted write or admin may. Ask them: devguide-export destinations grant ${record.id} ${this.env.actor} write.`,
      { details: { destination: record.id, actor: this.env.actor, owner: record.owner }, recoverable: false },
    );
  }

  /**
   * A shared destination's credential, opened with the member's master key;
   * undefined when the destination keeps none for this field (the member's
   * own credential is used then).
   */
  async credential(record: SharedDestinationRecord, field: string): Promise<string | undefined> {
    const sealed = record.credentials[field];
    if (sealed === undefined) return undefined;
    await this.checkExport(record, `credential ${field}`);
    return openSecret(await this.masterKey(), record.id, field, sealed);
  }

  /** The member's master key; AUTH_EXPIRED when it is not set or not a key. */
  async masterKey(): Promise<MasterKey> {
    const text = await this.env.getSecret(STORE_KEY_SECRET.id, STORE_KEY_SECRET.field);
    if (text === undefined || text.trim() === '') {
      throw new ExportError(
        'AUTH_EXPIRED',
        `The team store key is not set. Every member keeps the same key: ${STORE_KEY_ENV} for the CLI, "Set Team Store Key" in VS Code. Ask a team member for it.`,
        { details: { destination: STORE_KEY_SECRET.id, field: STORE_KEY_SECRET.field }, recoverable: true },
      );
    }
    return parseMasterKey(text);
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    this.snapshot = [];
    if (opened) await (await opened.catalog.catch(() => undefined))?.close();
  }

  private async open(config: TidbStoreConfig): Promise<TeamCatalog> {
    const db = await openStoreDb(config, { getSecret: (id, field) => this.env.getSecret(id, field), baseDir: this.env.workspaceRoot });
    return new TeamCatalog(db, config);
  }
}
