import { STORE_SECRET_ID, type TidbStoreConfig } from '../config';
import { openDbClient, type DbClient } from './client';

/**
 * The team store's database connection (issue 14): one pool for the store's
 * records and the team's shared templates, destinations and access lists.
 * The password is the credential `password` of the id `store` — VS Code's
 * SecretStorage through devguide/getSecret, the CLI's
 * DEVGUIDE_SECRET_STORE_PASSWORD — and is never kept anywhere else.
 */

export interface StoreDbOptions {
  getSecret(id: string, field: string): Promise<string | undefined>;
  /** Folder a relative `tls.ca` path is read from. */
  baseDir: string;
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
  /** Test seam, as in db/client.ts. */
  beforeStatement?: (sql: string) => void | Promise<void>;
}

export async function openStoreDb(config: TidbStoreConfig, options: StoreDbOptions): Promise<DbClient> {
  const password = await options.getSecret(STORE_SECRET_ID, 'password');
  return openDbClient(
    { host: config.host, port: config.port, user: config.user, database: config.database, tls: config.tls },
    {
      password,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      queryTimeoutMs: options.queryTimeoutMs ?? 30_000,
      baseDir: options.baseDir,
      ...(options.beforeStatement ? { beforeStatement: options.beforeStatement } : {}),
    },
  );
}
