import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';

/**
 * A real MySQL-protocol server for the tests: Debian's MariaDB, started
 * from a temp data folder on a free 127.0.0.1 port (TESTING-REAL.md). One
 * shared instance per mocha process (sharedMariaDb), started on first use
 * and stopped after the run; fault tests that stop a server start their
 * own (startMariaDb). When mariadbd is missing the tests FAIL: `.ci/run`
 * installs it.
 */

export const MARIADBD = process.env['DEVGUIDE_MARIADBD'] ?? '/usr/sbin/mariadbd';
const INSTALL_DB = process.env['DEVGUIDE_MARIADB_INSTALL_DB'] ?? 'mariadb-install-db';

export interface MariaDb {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** root over TCP without a password (the install's "normal" root authentication). */
  root(database?: string): Promise<Connection>;
  /** A fresh database and a user with every privilege on it (password authentication). */
  newDatabase(prefix: string): Promise<TestDatabase>;
  /** Runs SQL as root. */
  sql(statement: string, values?: unknown[]): Promise<unknown>;
  /** SIGKILL: the server stops as in a crash, mid-transaction (its data folder stays for restart()). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data folder (after kill()). */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  stop(): Promise<void>;
}

export interface TestDatabase {
  database: string;
  user: string;
  password: string;
  /** A connection as the test user. */
  connect(): Promise<Connection>;
}

let counter = 0;
const running = new Set<Instance>();

class Instance implements MariaDb {
  readonly host = '127.0.0.1' as const;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    readonly port: number,
    private readonly lockWaitTimeoutS: number,
    private readonly extraArgs: readonly string[],
  ) {}

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  async launch(): Promise<void> {
    const child = spawn(
      MARIADBD,
      [
        '--no-defaults',
        '--user=root',
        `--datadir=${this.dataDir}`,
        '--skip-networking=0',
        '--bind-address=127.0.0.1',
        `--port=${this.port}`,
        `--socket=${join(this.dir, 'mysqld.sock')}`,
        `--pid-file=${join(this.dir, 'mysqld.pid')}`,
        `--log-error=${join(this.dir, 'error.log')}`,
        '--innodb-buffer-pool-size=32M',
        '--skip-log-bin',
        '--skip-name-resolve',
        // Lock-wait tests wait seconds, not fifty.
        `--innodb-lock-wait-timeout=${this.lockWaitTimeoutS}`,
        ...this.extraArgs,
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    running.add(this);
    await this.waitUntilReady(child);
  }

  private async waitUntilReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`mariadbd exited while starting:\n${this.errorLog()}`);
      try {
        const connection = await createConnection({ host: this.host, port: this.port, user: 'root', connectTimeout: 1000 });
        await connection.end();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`mariadbd did not accept connections within 30 s:\n${this.errorLog()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  private errorLog(): string {
    const file = join(this.dir, 'error.log');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-20).join('\n') : '(no error log)';
  }

  root(database?: string): Promise<Connection> {
    return createConnection({ host: this.host, port: this.port, user: 'root', ...(database ? { database } : {}), multipleStatements: false });
  }

  async sql(statement: string, values: unknown[] = []): Promise<unknown> {
    const connection = await this.root();
    try {
      const [result] = await connection.query(statement, values);
      return result;
    } finally {
      await connection.end();
    }
  }

  async newDatabase(prefix: string): Promise<TestDatabase> {
    counter += 1;
    const database = `${prefix}_${process.pid}_${counter}`.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 60);
    const user = `u${process.pid % 100000}_${counter}`;
    const password = `pw-${counter}-${Math.random().toString(36).slice(2)}`;
    await this.sql(`CREATE DATABASE \`${database}\``);
    await this.sql(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [user, password]);
    await this.sql(`GRANT ALL PRIVILEGES ON \`${database}\`.* TO ?@'127.0.0.1'`, [user]);
    return {
      database,
      user,
      password,
      connect: () => createConnection({ host: this.host, port: this.port, user, password, database }),
    };
  }

  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    running.delete(this);
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child?.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** At process exit (no waiting possible): kill and remove. */
  killNow(): void {
    this.child?.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A new server of its own (stop() it when done). Throws — the test fails — when MariaDB is not installed. */
export async function startMariaDb(options: { lockWaitTimeoutS?: number; extraArgs?: string[] } = {}): Promise<MariaDb> {
  if (!existsSync(MARIADBD)) {
    throw new Error(`${MARIADBD} is missing: install Debian's mariadb-server (apt-get install -y --no-install-recommends mariadb-server), as .ci/run does.`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'devguide-mariadb-'));
  const installed = spawnSync(
    INSTALL_DB,
    ['--no-defaults', '--user=root', `--datadir=${join(dir, 'data')}`, '--auth-root-authentication-method=normal', '--skip-test-db'],
    { encoding: 'utf8' },
  );
  if (installed.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed (${installed.status ?? installed.error?.message}): ${installed.stderr}`);
  }
  const instance = new Instance(dir, await freePort(), options.lockWaitTimeoutS ?? 2, options.extraArgs ?? []);
  try {
    await instance.launch();
  } catch (error) {
    instance.killNow();
    throw error;
  }
  return instance;
}

let shared: Promise<MariaDb> | undefined;

/** The one server the DB tests of this mocha process share; stopped after the run. */
export function sharedMariaDb(): Promise<MariaDb> {
  shared ??= startMariaDb();
  return shared;
}

process.once('exit', () => {
  for (const instance of running) instance.killNow();
});
// Stopped by a signal ('exit' does not run then): clean up, then end as the signal would.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const instance of running) instance.killNow();
    process.kill(process.pid, signal);
  });
}

// A root-level hook (this module is loaded once per process): the shared server stops after the last test.
if (typeof after === 'function') {
  after(async function () {
    this.timeout(30_000);
    const server = shared;
    shared = undefined;
    if (server) await (await server.catch(() => undefined))?.stop();
  });
}
