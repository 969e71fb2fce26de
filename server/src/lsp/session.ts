import { isAbsolute, resolve, sep } from 'node:path';
import { composeApp, type App } from '../app/compose';
import type { AppEnvironment } from '../app/state';
import { parseConfig, type ExportConfig } from '../config';
import { openStore, storeKey, type OpenedStore } from '../store/factory';

/**
 * The language server's one App, and what it learns from its client: the
 * `devguideExport` settings (the client owns them; the server asks with
 * `workspace/configuration`) and Workspace Trust. A change reconfigures the
 * App; it is never rebuilt, so open reviews survive (issue 9).
 */

export interface SessionInputs extends AppEnvironment {
  trusted: boolean;
  workspaceDestinationIds: string[];
}

export class ServerSession {
  private app: App | undefined;
  /** The `user` setting (devguideExport.user), else the initialization actor: who this person is in jobs, audit events and access lists. */
  private configuredUser: string | undefined;
  private readonly environment: AppEnvironment;
  private store: OpenedStore | undefined;
  private trust: { trusted: boolean; workspaceDestinationIds: ReadonlySet<string> };
  private settingsApplied!: () => void;
  /** Requests can arrive before the client's settings do; they wait for the first settings, so nothing runs against the wrong store. */
  private readonly firstSettings = new Promise<void>((resolve) => {
    this.settingsApplied = resolve;
  });

  constructor(private readonly inputs: SessionInputs) {
    this.trust = { trusted: inputs.trusted, workspaceDestinationIds: new Set(inputs.workspaceDestinationIds) };
    this.environment = Object.defineProperty({ ...inputs }, 'actor', { get: () => this.configuredUser ?? inputs.actor, enumerable: true });
  }

  /** Called once the first settings were applied (or could not be). */
  markSettingsLoaded(): void {
    this.settingsApplied();
  }

  get trusted(): boolean {
    return this.trust.trusted;
  }

  /** Applies new settings; invalid settings throw SCHEMA_INVALID and the previous ones stay. */
  async configure(rawSettings: unknown): Promise<ExportConfig> {
    const config = parseConfig(stripNulls(rawSettings), 'devguideExport settings');
    const where = { env: process.env, cwd: this.inputs.workspaceRoot, getSecret: (id: string, field: string) => this.inputs.getSecret(id, field) };
    const key = storeKey(config, where);
    const previous = this.store;
    if (previous?.key !== key) this.store = await openStore(config, where);
    const store = this.store as OpenedStore;
    this.configuredUser = config.user;
    if (this.app) this.app.configure(config, store);
    else this.app = composeApp(this.environment, { config, trust: this.trust, store });
    if (previous && previous.key !== key) await previous.store.close();
    return config;
  }

  setTrust(trusted: boolean, workspaceDestinationIds: string[]): void {
    this.trust = { trusted, workspaceDestinationIds: new Set(workspaceDestinationIds) };
    this.app?.setTrust(this.trust);
  }

  /** The App, once the first settings are in (on the defaults when they were invalid). */
  async ready(): Promise<App> {
    await this.firstSettings;
    if (!this.app) await this.configure({});
    return this.app as App;
  }

  /** Template files get language features: the configured folder and templates/. */
  isTemplateDocument(fsPath: string): boolean {
    if (!fsPath.endsWith('.hbs')) return false;
    const templatesDir = this.app?.state.config.templatesDir ?? '.devguide/templates';
    const root = this.inputs.workspaceRoot;
    const roots = [isAbsolute(templatesDir) ? templatesDir : resolve(root, templatesDir), resolve(root, 'templates')];
    return roots.some((dir) => fsPath.startsWith(dir + sep));
  }

  async dispose(): Promise<void> {
    await this.app?.dispose();
    await this.store?.store.close();
  }
}

/** VS Code returns `null` for unset object settings; treat them as absent. */
function stripNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (inner !== null) out[key] = stripNulls(inner);
  }
  return out;
}
