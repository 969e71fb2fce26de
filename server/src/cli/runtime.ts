import { readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { systemClock, type Clock } from '../clock';
import { parseConfig, type ExportConfig } from '../config';
import { ExportError } from '../errors';
import { ExportService } from '../service';
import { openFileStore } from '../store/fileStore';
import { resolveStoreDir } from '../store/paths';
import type { Store } from '../store/types';
import { defaultBuiltinTemplatesDir } from '../templates/registry';

/** Builds the CLI's service from flags and the environment (no VS Code here). */

export interface CliEnvironment {
  cwd: string;
  env: NodeJS.ProcessEnv;
  clock?: Clock;
}

export async function loadConfigFile(path: string | undefined): Promise<ExportConfig> {
  if (path === undefined) return parseConfig({}, 'configuration');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ExportError('INVALID_INPUT', `Cannot read config file ${path}.`, { recoverable: false });
  }
  let raw: unknown;
  try {
    raw = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'syntax error';
    throw new ExportError('SCHEMA_INVALID', `Config file ${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML/JSON'}: ${reason}`, {
      recoverable: false,
    });
  }
  return parseConfig(raw, `config file ${path}`);
}

/** `DEVGUIDE_SECRET_<DESTINATION_ID>_<FIELD>`, upper case, non-alphanumerics as `_`. */
export function secretEnvName(destinationId: string, field: string): string {
  const part = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return `DEVGUIDE_SECRET_${part(destinationId)}_${part(field)}`;
}

export function currentActor(env: NodeJS.ProcessEnv): string {
  try {
    return env['DEVGUIDE_ACTOR'] || userInfo().username || 'unknown';
  } catch {
    return env['USER'] || 'unknown';
  }
}

export async function openStore(flag: string | undefined, config: ExportConfig, environment: CliEnvironment): Promise<Store> {
  const chosen = flag ?? config.storePath;
  const dir = resolveStoreDir({
    ...(chosen ? { flag: chosen } : {}),
    env: environment.env,
    cwd: environment.cwd,
    platform: process.platform,
    homedir: homedir(),
  });
  const store = await openFileStore(dir);
  await store.recoverInterrupted();
  return store;
}

export async function createCliService(
  options: { config?: string; store?: string },
  environment: CliEnvironment,
): Promise<{ service: ExportService; store: Store }> {
  const config = await loadConfigFile(options.config === undefined ? undefined : resolve(environment.cwd, options.config));
  const store = await openStore(options.store, config, environment);
  const service = new ExportService({
    config,
    store,
    clock: environment.clock ?? systemClock,
    workspaceRoot: environment.cwd,
    // The CLI runs in a folder the user chose to run it in: its templates are trusted.
    trusted: true,
    builtinTemplatesDir: defaultBuiltinTemplatesDir(),
    actor: currentActor(environment.env),
    getSecret: async (destinationId, field) => environment.env[secretEnvName(destinationId, field)],
  });
  return { service, store };
}
