import type { TidbStoreConfig } from '../../config';
import { openStoreDb, type StoreDbOptions } from '../../db/storeDb';
import { TidbStore, type TidbStoreOptions } from './tidbStore';

/** The team store on its own pool; its tables are checked (and migrated when missing) at first use. */
export async function openTidbStore(config: TidbStoreConfig, options: StoreDbOptions & TidbStoreOptions): Promise<TidbStore> {
  const db = await openStoreDb(config, options);
  return new TidbStore(db, { host: config.host, port: config.port, user: config.user, database: config.database }, options);
}
