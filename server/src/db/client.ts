import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import type { ExecuteValues, Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { ExportError } from '../errors';

/**
 * A pooled connection to a MySQL-protocol server (TiDB, MySQL, MariaDB)
 * through mysql2's promise API. mysql2 is imported here, and this module is
 * imported only when a database is used. Statements with values go through
 * server-side prepared statements (`execute`): a value is always a
 * parameter, never SQL text. Every connection runs in UTC.
 */

export interface DbEndpoint {
  host: string;
  port: number;
  user: string;
  database: string;
  /** false: plain; true: TLS ≥ 1.2 verified against the system's CAs; {ca}: verified against that file's CA. */
  tls: boolean | { ca: string };
}

export interface DbClientOptions {
  password: string | undefined;
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  /** Folder a relative `tls.ca` path is read from. */
  baseDir: string;
  /** Test seam: runs before each statement (`START TRANSACTION`, `COMMIT` included); may throw an injected error or stop the server. */
  beforeStatement?: (sql: string) => void | Promise<void>;
  maxConnections?: number;
}

/** What an INSERT/UPDATE/DELETE did; `insertId` as text (a BIGINT may not fit a number). */
export interface RunResult {
  affectedRows: number;
  insertId: string;
}

/** Statements against one connection. */
export interface Sql {
  rows<T extends object>(sql: string, values?: readonly unknown[]): Promise<T[]>;
  run(sql: string, values?: readonly unknown[]): Promise<RunResult>;
}

export interface DbClient extends Sql {
  /** One transaction on one connection: committed when `work` returns, rolled back when it throws. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * mysql2's TLS options: TLS 1.2 at least, the certificate chain verified,
 * and the certificate's name checked against the host — for a host name.
 * For an IP address mysql2 would check the name "localhost" instead (it
 * sends no server name for an IP), so there only the chain is verified;
 * the review says so (nameCheckedFor).
 */
export async function tlsOptions(tls: DbEndpoint['tls'], baseDir: string, host: string): Promise<Record<string, unknown> | undefined> {
  if (tls === false) return undefined;
  const base = { minVersion: 'TLSv1.2', rejectUnauthorized: true, verifyIdentity: nameCheckedFor(host) };
  if (tls === true) return base;
  const path = isAbsolute(tls.ca) ? tls.ca : resolve(baseDir, tls.ca);
  try {
    return { ...base, ca: await readFile(path, 'utf8') };
  } catch {
    throw new ExportError('DESTINATION_CONFIG_INVALID', `Cannot read the CA certificate file ${path} (tls.ca).`, { details: { path }, recoverable: false });
  }
}

/** Whether TLS checks the certificate's name for this host (not for an IP address). */
export function nameCheckedFor(host: string): boolean {
  return isIP(host) === 0;
}

export async function openDbClient(endpoint: DbEndpoint, options: DbClientOptions): Promise<DbClient> {
  const ssl = await tlsOptions(endpoint.tls, options.baseDir, endpoint.host);
  const mysql = await import('mysql2/promise');
  const pool = mysql.createPool({
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    ...(options.password === undefined ? {} : { password: options.password }),
    database: endpoint.database,
    ...(ssl ? { ssl } : {}),
    connectTimeout: options.connectTimeoutMs,
    connectionLimit: options.maxConnections ?? 4,
    maxIdle: 2,
    idleTimeout: 30_000,
    enableKeepAlive: true,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    multipleStatements: false,
  });
  // A pooled connection that breaks while idle (server restart) is dropped by the pool; without a listener its 'error' would end the process.
  pool.pool.on('connection', (connection) => {
    connection.on('error', () => undefined);
    connection.query("SET time_zone = '+00:00'", () => undefined);
  });
  return new PooledClient(pool, options);
}

class PooledClient implements DbClient {
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly options: DbClientOptions,
  ) {}

  async rows<T extends object>(sql: string, values: readonly unknown[] = []): Promise<T[]> {
    const connection = await this.pool.getConnection();
    try {
      return await statements(connection, this.options).rows<T>(sql, values);
    } finally {
      connection.release();
    }
  }

  async run(sql: string, values: readonly unknown[] = []): Promise<RunResult> {
    const connection = await this.pool.getConnection();
    try {
      return await statements(connection, this.options).run(sql, values);
    } finally {
      connection.release();
    }
  }

  async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const connection = await this.pool.getConnection();
    const sql = statements(connection, this.options);
    let broken = false;
    try {
      await sql.run('START TRANSACTION');
      const result = await work(sql);
      await sql.run('COMMIT');
      return result;
    } catch (error) {
      // A broken connection has rolled back on the server already; a live one is told to.
      broken = (error as { fatal?: boolean } | null)?.fatal === true;
      if (!broken) await connection.query('ROLLBACK').catch(() => (broken = true));
      throw error;
    } finally {
      if (broken) connection.destroy();
      else connection.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end().catch(() => undefined);
  }
}

function statements(connection: PoolConnection, options: DbClientOptions): Sql {
  const before = async (sql: string) => {
    await options.beforeStatement?.(sql);
  };
  const timed = <T>(work: Promise<T>) => withTimeout(connection, options.queryTimeoutMs, work);
  return {
    async rows<T extends object>(sql: string, values: readonly unknown[] = []): Promise<T[]> {
      await before(sql);
      const [rows] = await timed(values.length === 0 ? connection.query<RowDataPacket[]>(sql) : connection.execute<RowDataPacket[]>(sql, values as ExecuteValues[]));
      return rows as unknown as T[];
    },
    async run(sql: string, values: readonly unknown[] = []) {
      await before(sql);
      const [result] = await timed(values.length === 0 ? connection.query<ResultSetHeader>(sql) : connection.execute<ResultSetHeader>(sql, values as ExecuteValues[]));
      return { affectedRows: result.affectedRows ?? 0, insertId: String(result.insertId ?? 0) };
    },
  };
}

/**
 * A statement's time limit. Not mysql2's own `timeout` option: its timer
 * outlives a connection the server dropped and keeps the process (the CLI)
 * alive until it fires. This one is unref'd and cleared; when it fires the
 * connection is destroyed (the server rolls its transaction back).
 */
async function withTimeout<T>(connection: PoolConnection, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      connection.destroy();
      reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'PROTOCOL_SEQUENCE_TIMEOUT', fatal: true }));
    }, ms);
    timer.unref();
  });
  // Settles after a timeout too: its rejection is not the caller's any more.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
