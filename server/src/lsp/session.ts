import { homedir } from 'node:os';
import { isAbsolute, resolve, sep } from 'node:path';
import { systemClock } from '../clock';
import { destinationsOf, parseConfig, type ExportConfig } from '../config';
import { ExportService } from '../service';
import { openFileStore } from '../store/fileStore';
import { resolveStoreDir } from '../store/paths';
import type { Store } from '../store/types';
import { defaultBuiltinTemplatesDir } from '../templates/registry';

/**
 * What the language server knows about its client: the workspace, its trust,
 * and the `devguideExport` settings (the client owns settings; the server asks
 * with `workspace/configuration` and rebuilds the service when they change).
 */

export interface SessionInputs {
  workspaceRoot: string;
  trusted: boolean;
  workspaceDestinationIds: string[];
  actor: string;
  getSecret(destinationId: string, field: string): Promise<string | undefined>;
}

export class ServerSession {
  private current: { service: ExportService; config: ExportConfig } | undefined;
  private store: Store | undefined;
  private storeDir: string | undefined;
  private settingsApplied!: () => void;
  /**
   * Requests can arrive before the client's settings do; they wait for the
   * first settings, so nothing runs against the wrong store.
   */
  private readonly firstSettings = new Promise<void>((resolve) => {
    this.settingsApplied = resolve;
  });

  constructor(private inputs: SessionInputs) {}

  /** Called once the first settings were applied (or could not be). */
  markSettingsLoaded(): void {
    this.settingsApplied();
  }

  get workspaceRoot(): string {
    return this.inputs.workspaceRoot;
  }

  /** A path the client sent: absolute as it is, relative to the workspace root otherwise. */
  resolvePath(path: string): string {
    return isAbsolute(path) ? path : resolve(this.inputs.workspaceRoot, path);
  }

  get trusted(): boolean {
    return this.inputs.trusted;
  }

  get workspaceDestinationIds(): ReadonlySet<string> {
    return new Set(this.inputs.workspaceDestinationIds);
  }

  /** Applies new settings; invalid settings throw SCHEMA_INVALID and keep the previous service. */
  async configure(rawSettings: unknown): Promise<ExportConfig> {
    const config = parseConfig(stripNulls(rawSettings), 'devguideExport settings');
    const dir = resolveStoreDir({
      ...(config.storePath ? { flag: config.storePath } : {}),
      env: process.env,
      platform: process.platform,
      homedir: homedir(),
      cwd: this.inputs.workspaceRoot,
    });
    if (dir !== this.storeDir) {
      await this.store?.close();
      this.store = await openFileStore(dir);
      this.storeDir = dir;
      await this.store.recoverInterrupted();
    }
    this.current = { config, service: this.build(config) };
    return config;
  }

  setTrust(trusted: boolean, workspaceDestinationIds?: string[]): void {
    this.inputs = { ...this.inputs, trusted, ...(workspaceDestinationIds ? { workspaceDestinationIds } : {}) };
    if (this.current) this.current = { ...this.current, service: this.build(this.current.config) };
  }

  async service(): Promise<ExportService> {
    await this.firstSettings;
    // Settings were invalid: run on the defaults rather than not at all.
    if (!this.current) await this.configure({});
    return (this.current as { service: ExportService }).service;
  }

  config(): ExportConfig | undefined {
    return this.current?.config;
  }

  destinations() {
    return this.current ? destinationsOf(this.current.config) : [];
  }

  /** Template files get language features: the configured folder and templates/. */
  isTemplateDocument(fsPath: string): boolean {
    if (!fsPath.endsWith('.hbs')) return false;
    const templatesDir = this.current?.config.templatesDir ?? '.devguide/templates';
    const roots = [resolve(this.inputs.workspaceRoot, templatesDir), resolve(this.inputs.workspaceRoot, 'templates')];
    return roots.some((root) => fsPath.startsWith(root + sep));
  }

  async dispose(): Promise<void> {
    await this.store?.close();
  }

  private build(config: ExportConfig): ExportService {
    return new ExportService({
      config,
      store: this.store as Store,
      clock: systemClock,
      workspaceRoot: this.inputs.workspaceRoot,
      trusted: this.inputs.trusted,
      workspaceDestinationIds: new Set(this.inputs.workspaceDestinationIds),
      builtinTemplatesDir: defaultBuiltinTemplatesDir(),
      actor: this.inputs.actor,
      getSecret: this.inputs.getSecret,
    });
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
