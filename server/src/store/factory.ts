import { homedir } from 'node:os';
import type { ExportConfig, TidbStoreConfig } from '../config';
import { openFileStore } from './fileStore';
import { resolveStoreDir } from './paths';
import type { Store } from './types';
import { secretFreeRecords } from '../governance/secretFreeRecords';

/**
 * Opens the store the config's `store` entry names (DESIGN.md §8): the
 * embedded file store today, the TiDB team store next. A store opened here
 * has recovered the jobs a crashed process left running.
 */

export interface StoreLocation {
  /** The CLI's `--store` flag (wins over the config's storePath). */
  flag?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** A credential (the team store's password: `store`/`password`) — SecretStorage in VS Code, the environment in the CLI. */
  getSecret?: (id: string, field: string) => Promise<string | undefined>;
}

/** This machine's data folder: the embedded store's folder, and where rollback data is kept whatever the store. */
export function dataDirOf(config: ExportConfig, where: StoreLocation): string {
  const chosen = where.flag ?? config.storePath;
  return resolveStoreDir({ ...(chosen ? { flag: chosen } : {}), env: where.env, cwd: where.cwd, platform: process.platform, homedir: homedir() });
}

/** Which store a config means; equal keys mean the same store (nothing to reopen). */
export function storeKey(config: ExportConfig, where: StoreLocation): string {
  const store = config.store;
  const remote = store.type === 'tidb' ? `:${store.user}@${store.host}:${store.port}/${store.database}:${JSON.stringify(store.tls)}` : '';
  return `${store.type}${remote}:${dataDirOf(config, where)}`;
}

export interface OpenedStore {
  key: string;
  store: Store;
  dataDir: string;
}

type StoreOpener = (config: ExportConfig, dataDir: string, where: StoreLocation) => Promise<Store>;

const OPENERS: Record<ExportConfig['store']['type'], StoreOpener> = {
  embedded: async (_config, dataDir) => openFileStore(dataDir),
  tidb: async (config, _dataDir, where) => {
    // mysql2 is loaded only when a database is used.
    const { openTidbStore } = await import('./tidb/openTidbStore');
    return openTidbStore(config.store as TidbStoreConfig, { getSecret: where.getSecret ?? (async () => undefined), baseDir: where.cwd, maxRetries: config.limits.maxRetries });
  },
};

export async function openStore(config: ExportConfig, where: StoreLocation): Promise<OpenedStore> {
  const dataDir = dataDirOf(config, where);
  // Every record goes through the secret scanner on its way in (governance/secretFreeRecords.ts).
  const store = secretFreeRecords(await OPENERS[config.store.type](config, dataDir, where));
  try {
    await store.recoverInterrupted();
  } catch (error) {
    // The team store may be unreachable or locked now (no password yet): its first use reports that, with the fix.
    if (config.store.type === 'embedded') throw error;
  }
  return { key: storeKey(config, where), store, dataDir };
}
