import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { systemClock, type Clock } from '../clock';
import { destinationsOf, parseConfig, type ExportConfig } from '../config';
import { descriptorOf } from '../destinations/registry';
import { ExportError } from '../errors';
import { composeApp, type App } from '../app/compose';
import { SOURCE_SECRET_PREFIX } from '../app/databaseSources';
import { openStore } from '../store/factory';
import { defaultBuiltinTemplatesDir } from '../templates/registry';
import { secretEnvName } from '../secretNames';
import { STORE_KEY_ENV, STORE_KEY_SECRET } from '../team/crypto';

/** Builds the CLI's App from flags and the environment (no VS Code here), through the one composition root. */

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

export { secretEnvName };

/**
 * `DEVGUIDE_SECRET_<ID>_<FIELD>`, else the variable the destination's type
 * names for the field (GitHub's token: GITHUB_TOKEN, as in CI); a database
 * source's password: DEVGUIDE_SOURCE_PASSWORD.
 */
export function secretFromEnvironment(config: ExportConfig, env: NodeJS.ProcessEnv, destinationId: string, field: string): string | undefined {
  // A database transcript source (`source:<id>`): one variable for the CLI's source.
  if (destinationId.startsWith(SOURCE_SECRET_PREFIX)) return field === 'password' && env['DEVGUIDE_SOURCE_PASSWORD'] ? env['DEVGUIDE_SOURCE_PASSWORD'] : undefined;
  // The team store's master key (team/crypto.ts): one variable, named for what it is.
  if (destinationId === STORE_KEY_SECRET.id && field === STORE_KEY_SECRET.field) return env[STORE_KEY_ENV] || undefined;
  const own = env[secretEnvName(destinationId, field)];
  if (own !== undefined && own !== '') return own;
  const type = destinationsOf(config).find((d) => d.id === destinationId)?.type;
  const fallback = type === undefined ? undefined : descriptorOf(type)?.secretEnvFallbacks?.[field];
  const value = fallback === undefined ? undefined : env[fallback];
  return value === '' ? undefined : value;
}

/** Who runs the CLI: the config's `user`, else DEVGUIDE_USER (DEVGUIDE_ACTOR, its older name), else the OS user. */
export function currentActor(env: NodeJS.ProcessEnv, configured?: string): string {
  if (configured) return configured;
  try {
    return env['DEVGUIDE_USER'] || env['DEVGUIDE_ACTOR'] || userInfo().username || 'unknown';
  } catch {
    return env['USER'] || 'unknown';
  }
}

/** The CLI's App: settings from `--config`, the store from `--store` / the config, secrets from the environment. */
export async function createCliApp(options: { config?: string; store?: string }, environment: CliEnvironment): Promise<{ app: App; close(): Promise<void> }> {
  const config = await loadConfigFile(options.config === undefined ? undefined : resolve(environment.cwd, options.config));
  const opened = await openStore(config, {
    ...(options.store ? { flag: options.store } : {}),
    env: environment.env,
    cwd: environment.cwd,
    getSecret: async (id, field) => secretFromEnvironment(config, environment.env, id, field),
  });
  const app = composeApp(
    {
      workspaceRoot: environment.cwd,
      actor: currentActor(environment.env, config.user),
      clock: environment.clock ?? systemClock,
      builtinTemplatesDir: defaultBuiltinTemplatesDir(),
      getSecret: async (destinationId, field) => secretFromEnvironment(config, environment.env, destinationId, field),
    },
    // The CLI runs in a folder the user chose to run it in: its templates and destinations are trusted.
    { config, trust: { trusted: true, workspaceDestinationIds: new Set() }, store: opened },
  );
  return {
    app,
    close: async () => {
      await app.dispose();
      await opened.store.close();
    },
  };
}
