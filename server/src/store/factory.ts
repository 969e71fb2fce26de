import { homedir } from 'node:os';
import type { ExportConfig } from '../config';
import { openFileStore } from './fileStore';
import { resolveStoreDir } from './paths';
import type { Store } from './types';

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

/** Which store a config means; equal keys mean the same store (nothing to reopen). */
export function storeKey(config: ExportConfig, where: StoreLocation): string {
  const chosen = where.flag ?? config.storePath;
  const dir = resolveStoreDir({ ...(chosen ? { flag: chosen } : {}), env: where.env, cwd: where.cwd, platform: process.platform, homedir: homedir() });
  return `${config.store.type}:${dir}`;
}

const OPENERS: Record<ExportConfig['store']['type'], (key: string) => Promise<Store>> = {
  embedded: async (key) => openFileStore(key.slice('embedded:'.length)),
};

export async function openStore(config: ExportConfig, where: StoreLocation): Promise<Store> {
  const store = await OPENERS[config.store.type](storeKey(config, where));
  await store.recoverInterrupted();
  return store;
}
