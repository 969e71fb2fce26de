import { STORE_SECRET_ID, type TidbStoreConfig } from '../config';
import { openDbClient, type DbClient, type RunResult, type Sql } from './client';
import { ExportError } from '../errors';
import { errnoOf } from './errors';

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
  const open = async (): Promise<DbClient> =>
    openDbClient(
      { host: config.host, port: config.port, user: config.user, database: config.database, tls: config.tls },
      {
        password: await options.getSecret(STORE_SECRET_ID, 'password'),
        connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
        queryTimeoutMs: options.queryTimeoutMs ?? 30_000,
        baseDir: options.baseDir,
        ...(options.beforeStatement ? { beforeStatement: options.beforeStatement } : {}),
      },
    );
  return new PasswordRereadingClient(await open(), open);
}

/**
 * A pool that, once the server refused its password, is replaced at the
 * next call by one with the password read again — so a password set (or
 * fixed) in SecretStorage while the extension runs takes effect without a
 * restart.
 */
class PasswordRereadingClient implements DbClient {
  /** Undefined after a refused password: the next call opens a pool with the password read then. */
  private current: Promise<DbClient> | undefined;

  constructor(
    first: DbClient,
    private readonly open: () => Promise<DbClient>,
  ) {
    this.current = Promise.resolve(first);
  }

  rows<T extends object>(sql: string, values?: readonly unknown[]): Promise<T[]> {
    return this.use((db) => db.rows<T>(sql, values));
  }

  run(sql: string, values?: readonly unknown[]): Promise<RunResult> {
    return this.use((db) => db.run(sql, values));
  }

  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.use((db) => db.transaction(work));
  }

  async close(): Promise<void> {
    await (await this.current?.catch(() => undefined))?.close();
  }

  private async use<T>(call: (db: DbClient) => Promise<T>): Promise<T> {
    const pool = (this.current ??= this.open());
    let db: DbClient;
    try {
      db = await pool;
    } catch (error) {
      if (this.current === pool) this.current = undefined;
      throw error;
    }
    try {
      return await call(db);
    } catch (error) {
      if (errnoOf(error) === ACCESS_DENIED && this.current === pool) {
        this.current = undefined;
        void db.close();
      }
      throw error;
    }
  }
}

/** ER_ACCESS_DENIED_ERROR: wrong or missing password. */
const ACCESS_DENIED = 1045;

/** A refused store password names the store's credential, so VS Code's error offers "Set Credential" for it. */
export function namingStoreCredential(error: ExportError): ExportError {
  if (error.code !== 'AUTH_EXPIRED') return error;
  return new ExportError(error.code, error.message, { details: { ...error.details, destination: STORE_SECRET_ID, field: 'password' }, recoverable: error.recoverable });
}
