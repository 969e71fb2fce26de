import { homedir } from 'node:os';
import type { ExportConfig } from '../config';
import { ExportError } from '../errors';
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
}

/** This machine's data folder: the embedded store's folder, and where rollback data is kept whatever the store. */
export function dataDirOf(config: ExportConfig, where: StoreLocation): string {
  const chosen = where.flag ?? config.storePath;
  return resolveStoreDir({ ...(chosen ? { flag: chosen } : {}), env: where.env, cwd: where.cwd, platform: process.platform, homedir: homedir() });
}

/** Which store a config means; equal keys mean the same store (nothing to reopen). */
export function storeKey(config: ExportConfig, where: StoreLocation): string {
  return `${config.store.type}:${dataDirOf(config, where)}`;
}

export interface OpenedStore {
  key: string;
  store: Store;
  dataDir: string;
}

type StoreOpener = (config: ExportConfig, dataDir: string) => Promise<Store>;

const OPENERS: Record<ExportConfig['store']['type'], StoreOpener> = {
  embedded: async (_config, dataDir) => openFileStore(dataDir),
  // Replaced by the team store (issue 14) before this lands.
  tidb: async () => {
    throw new ExportError('STORE_FAILED', 'The team store (store.type "tidb") is not available yet.', { recoverable: false });
  },
};

export async function openStore(config: ExportConfig, where: StoreLocation): Promise<OpenedStore> {
  const dataDir = dataDirOf(config, where);
  // Every record goes through the secret scanner on its way in (governance/secretFreeRecords.ts).
  const store = secretFreeRecords(await OPENERS[config.store.type](config, dataDir));
  await store.recoverInterrupted();
  return { key: storeKey(config, where), store, dataDir };
}
