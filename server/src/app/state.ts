import { resolve } from 'node:path';
import { destinationsOf, type DestinationConfig, type ExportConfig } from '../config';
import type { Clock } from '../clock';
import { createDestination, descriptorOf, type DestinationContext } from '../destinations/registry';
import type { Destination } from '../destinations/types';
import { ExportError } from '../errors';
import { createRateLimiter, type RateLimiter } from '../pipeline/rateLimiter';
import type { JobStatus, Store } from '../store/types';
import { createTemplateRegistry, type TemplateRegistry } from '../templates/registry';
import { TeamState } from '../team/teamState';
import { withTeamTemplates } from '../team/teamTemplates';

/**
 * What every application call reads: the settings, the workspace's trust,
 * the store and what is built from them. Settings and trust change while
 * the process runs; each call reads the state as it is then, and what was
 * built from the old settings is rebuilt — the open reviews are not.
 */

export interface AppEnvironment {
  workspaceRoot: string;
  actor: string;
  clock: Clock;
  builtinTemplatesDir: string;
  /** Reads a destination credential (SecretStorage in VS Code, the environment in the CLI). */
  getSecret(destinationId: string, field: string): Promise<string | undefined>;
  /** Told when a job is created or changes status (the language server's live history). */
  onJobChanged?: (job: { jobId: string; status: JobStatus }) => void;
  /** Waits for retries and rate limits (tests pass a fake). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface Trust {
  trusted: boolean;
  /** Destination ids defined by the workspace (not the user's settings). */
  workspaceDestinationIds: ReadonlySet<string>;
}

export class AppState {
  /** Built on first use; the templates depend on settings and trust, the rate limiter on settings only (its buckets survive a trust change). */
  private builtTemplates: TemplateRegistry | undefined;
  private builtRateLimiter: RateLimiter | undefined;
  /** The team store's shared templates and destinations (store.type tidb); empty otherwise. */
  readonly team: TeamState;

  constructor(
    readonly env: AppEnvironment,
    private currentConfig: ExportConfig,
    private currentTrust: Trust,
    private currentStore: { store: Store; dataDir: string },
    /** Records a credential access (never the value) in the security log. */
    private readonly auditSecret: (destinationId: string, field: string, found: boolean) => Promise<void>,
    /** Records a refused use of a shared destination (access_denied) in the security log. */
    recordDenied: (resource: string, metadata: Record<string, unknown>) => Promise<void> = async () => undefined,
  ) {
    this.team = new TeamState({
      storeConfig: () => this.currentConfig.store,
      workspaceRoot: env.workspaceRoot,
      get actor() {
        return env.actor;
      },
      getSecret: (id, field) => this.secret(id, field),
      denied: recordDenied,
    });
  }

  get config(): ExportConfig {
    return this.currentConfig;
  }
  get trust(): Trust {
    return this.currentTrust;
  }
  get store(): Store {
    return this.currentStore.store;
  }
  /** This machine's data folder (rollback data of local exports lives here). */
  get dataDir(): string {
    return this.currentStore.dataDir;
  }
  get templates(): TemplateRegistry {
    return (this.builtTemplates ??= withTeamTemplates(
      createTemplateRegistry({
        builtinDir: this.env.builtinTemplatesDir,
        workspaceDir: resolve(this.env.workspaceRoot, this.currentConfig.templatesDir),
        trusted: this.currentTrust.trusted,
        cacheTtlMs: this.currentConfig.limits.templateCacheTtlMs,
      }),
      async () => (await this.team.catalog())?.templates() ?? [],
    ));
  }
  get rateLimiter(): RateLimiter {
    return (this.builtRateLimiter ??= createRateLimiter(this.currentConfig.rateLimits, this.env.sleep ? { sleep: this.env.sleep } : {}));
  }

  update(change: { config?: ExportConfig; trust?: Trust; store?: { store: Store; dataDir: string } }): void {
    if (change.config) this.currentConfig = change.config;
    if (change.trust) this.currentTrust = change.trust;
    if (change.store) this.currentStore = change.store;
    if (change.config || change.trust) this.builtTemplates = undefined;
    if (change.config) this.builtRateLimiter = undefined;
  }

  /** The settings' destinations, then the team's shared ones as last read (team.refresh()) whose ids the settings do not use. */
  destinations(): DestinationConfig[] {
    const local = destinationsOf(this.currentConfig);
    return [...local, ...this.team.sharedDestinations(new Set(local.map((d) => d.id))).map((s) => s.config)];
  }

  /** The shared destination behind an id, unless a settings entry of that id wins. */
  sharedDestination(id: string) {
    return this.team.sharedRecord(id, new Set(destinationsOf(this.currentConfig).map((d) => d.id)));
  }

  /** A configured destination by id; DESTINATION_NOT_FOUND names the ones there are. */
  destinationConfig(id: string): DestinationConfig {
    const all = this.destinations();
    const found = all.find((d) => d.id === id);
    if (found) return found;
    throw new ExportError('DESTINATION_NOT_FOUND', `Unknown destination "${id}". Configured: ${all.map((d) => d.id).join(', ')}.`, {
      details: { available: all.map((d) => d.id) },
      recoverable: false,
    });
  }

  /** Why a destination may not be used now (Restricted Mode), or undefined. */
  destinationUnavailable(config: DestinationConfig): string | undefined {
    if (!descriptorOf(config.type)) return `Type "${config.type}" is not available in this version.`;
    const workspaceDefined = this.currentTrust.workspaceDestinationIds.has(config.id);
    if (workspaceDefined && !this.currentTrust.trusted) return 'Defined by this workspace, which is not trusted (Restricted Mode).';
    return undefined;
  }

  async openDestination(config: DestinationConfig, signal?: AbortSignal): Promise<Destination> {
    return createDestination(config, this.destinationContext(signal));
  }

  /** What a destination type is built (or migrated) with: folders, credentials, limits. */
  destinationContext(signal?: AbortSignal): DestinationContext {
    return {
      workspaceRoot: this.env.workspaceRoot,
      dataDir: this.dataDir,
      getSecret: (id, field) => this.secret(id, field),
      // The team store keeps what updates replace for every member; the file store leaves it to the data folder.
      ...(this.store.rollbackData ? { rollbackData: this.store.rollbackData } : {}),
      limits: { maxRetries: this.currentConfig.limits.maxRetries, timeoutMs: this.currentConfig.limits.defaultTimeoutMs },
      ...(signal ? { signal } : {}),
    };
  }

  /** A credential: a shared destination's own (opened with the member's team key, for those who may export there), else the member's. */
  async secret(destinationId: string, field: string): Promise<string | undefined> {
    const shared = this.sharedDestination(destinationId);
    const value = (shared ? await this.team.credential(shared, field) : undefined) ?? (await this.env.getSecret(destinationId, field));
    await this.auditSecret(destinationId, field, value !== undefined);
    return value;
  }
}
