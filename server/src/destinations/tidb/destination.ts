import { createHash } from 'node:crypto';
import { z } from 'zod';
import { nameCheckedFor, openDbClient, type DbClient, type Sql } from '../../db/client';
import { dbFailure, isConnectionLoss, isTimeout, type DbFailureContext } from '../../db/errors';
import { RetriesExhausted, withTransactionRetries } from '../../db/retry';
import { ExportError } from '../../errors';
import type { PublishResult, RollbackInfo } from '../../model';
import type { Sleep } from '../../pipeline/retry';
import { isStoreRollbackReference, type RollbackData } from '../../store/rollbackData';
import { nodeAtomicWriteFs } from '../atomicWrite';
import { LocalBackups } from '../localBackups';
import { sanitizeFilename } from '../safePath';
import { checkedTidbConfig, passwordHint, type TidbDestinationConfig } from '../tidbDescriptor';
import type { ConnectionCheck, Destination, ExistingContent, Expectation, ImpactDescription, SaveRequest } from '../types';
import type { ArtifactRow, WrittenValues } from './artifactSql';
import { tidbBackupDir } from './backups';
import { inspectArtifactTable, migrateArtifactTable, type ArtifactTable } from './table';

/**
 * The TiDB / MySQL destination (issue 13): one row per exported file in an
 * artifact table, inserted or updated by filename inside one transaction
 * (SELECT … FOR UPDATE, then INSERT or UPDATE) that holds to what the
 * review saw. The whole transaction is retried on write conflicts,
 * deadlocks, lock waits and a lost connection (the server rolled it back);
 * an updated row's previous content is kept in the data folder, so a
 * rollback restores it.
 */

/** TiDB's default txn-entry-size-limit: one row (key + value) of at most 6 MiB. */
export const TIDB_ENTRY_LIMIT_BYTES = 6 * 1024 * 1024;
/** Room left in the entry for the row's other columns and the key. */
const ROW_OVERHEAD_BYTES = 4 * 1024;
/** The filename column is VARCHAR(512). */
const MAX_FILENAME_CHARS = 512;
const MAX_CONNECT_TIMEOUT_MS = 10_000;

export interface TidbDestinationOptions {
  password: string | undefined;
  workspaceRoot: string;
  dataDir: string;
  /** The team store's rollback data: an updated row's previous content kept there, so any member may roll it back. Else the data folder. */
  rollbackData?: RollbackData;
  maxRetries?: number;
  timeoutMs?: number;
  /** Tests shorten the backoff between attempts. */
  retryBaseMs?: number;
  sleep?: Sleep;
  /** Test seam: runs before each statement (inject an error, stop the server). */
  beforeStatement?: (sql: string) => void | Promise<void>;
}

const saveRequestSchema = z.object({
  filename: z.string().min(1),
  content: z.string(),
  jobId: z.string().min(1),
  metadata: z.record(z.string(), z.unknown()),
  expected: z.discriminatedUnion('exists', [z.object({ exists: z.literal(false) }), z.object({ exists: z.literal(true), version: z.string().min(1) })]),
});

// Rollback info comes back from the job store: outside input.
const rollbackExtraSchema = z.object({ filename: z.string().min(1), sha: z.string().min(1), previousSha: z.string().optional(), jobId: z.string().optional() });
/** What is kept of an updated row for its rollback. */
const backupSchema = z.object({ content: z.string(), metadata: z.string().nullable(), jobId: z.string().nullable() });

/** A row's version: the SHA-256 of its content (what `content_hash` holds). */
export function versionOf(content: string): string {
  return `sha256:${createHash('sha256').update(content, 'utf8').digest('hex')}`;
}

function metadataText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

class TidbDestination implements Destination {
  readonly type = 'tidb' as const;
  readonly retriesInternally = true;
  readonly id: string;
  private client: Promise<DbClient> | undefined;
  /** Where this save keeps what it replaces. */
  private readonly backups: RollbackData;
  /** This machine's data folder: where rollbacks made without a team store were kept (and still are read from). */
  private readonly localBackups: LocalBackups;

  constructor(
    private readonly config: TidbDestinationConfig,
    private readonly options: TidbDestinationOptions,
  ) {
    this.id = config.id;
    this.localBackups = new LocalBackups(tidbBackupDir(options.dataDir), nodeAtomicWriteFs);
    this.backups = options.rollbackData ?? this.localBackups;
  }

  private get server(): string {
    return `${this.config.host}:${this.config.port}`;
  }

  private get tableName(): string {
    return `${this.config.database}.${this.config.table}`;
  }

  validateConfig(): void {
    checkedTidbConfig(this.config);
  }

  normalizeFilename(filename: string): string {
    return sanitizeFilename(filename);
  }

  async dispose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await (await client.catch(() => undefined))?.close();
  }

  // --- reading ---------------------------------------------------------------

  async fetchExisting(filename: string, signal?: AbortSignal): Promise<ExistingContent | undefined> {
    signal?.throwIfAborted();
    const name = this.checkedFilename(filename);
    return this.guard(`read ${this.tableName}`, async () => {
      const client = await this.db();
      const table = await inspectArtifactTable(client, this.config);
      if (!table.exists) return undefined;
      const row = onlyRow(await client.rows<ArtifactRow>(table.statements.readByFilename.sql, table.statements.readByFilename.values(name)), name, this.tableName);
      return row === undefined ? undefined : { location: this.location(row, name), content: String(row.content), version: versionOf(String(row.content)) };
    });
  }

  async describeImpact(filename: string, signal?: AbortSignal): Promise<ImpactDescription> {
    signal?.throwIfAborted();
    const name = this.checkedFilename(filename);
    return this.guard(`read ${this.tableName}`, async () => {
      const client = await this.db();
      const table = await inspectArtifactTable(client, this.config);
      const warnings: string[] = [];
      const sanitized = sanitizeFilename(filename);
      if (sanitized !== filename) warnings.push(`The filename "${filename}" will be saved as "${sanitized}"`);
      if (!table.exists) warnings.push(`Table ${this.tableName} does not exist yet: this export creates it (user "${this.config.user}" needs the CREATE privilege).`);
      else if (!table.filenameUnique) warnings.push(`Column ${table.columns.filename} of ${this.tableName} has no unique index: two exports of the same name at once could both add a row.`);
      if (this.config.tls === false && !isLoopback(this.config.host)) warnings.push(`The connection to ${this.server} is not encrypted (tls: false).`);
      if (this.config.tls !== false && !nameCheckedFor(this.config.host)) warnings.push(`TLS to the IP address ${this.config.host} verifies the certificate's chain but not its name: use the server's host name for that.`);
      const row = table.exists ? onlyRow(await client.rows<ArtifactRow>(table.statements.readByFilename.sql, table.statements.readByFilename.values(name)), name, this.tableName) : undefined;
      return {
        resource: row ? this.location(row, name) : `tidb://${this.config.database}/${this.config.table} (new row "${name}")`,
        action: row ? 'UPDATE' : 'CREATE',
        warnings,
      };
    });
  }

  /** Connect (with its latency), the table (or that it will be created) and the user's privileges on it — without writing a row. */
  async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
    const started = performance.now();
    let latencyMs = 0;
    try {
      signal?.throwIfAborted();
      const client = await this.db();
      const { inspectSql } = await import('./artifactSql');
      const pingStarted = performance.now();
      await client.rows(inspectSql.ping);
      latencyMs = Math.max(0, Math.round(performance.now() - started));
      const roundTrip = Math.max(0, Math.round(performance.now() - pingStarted));
      const table = await inspectArtifactTable(client, this.config);
      const parts = [`Connected to ${this.server} as "${this.config.user}" (${this.config.tls === false ? 'no TLS' : 'TLS'}; round trip ${roundTrip} ms)`];
      if (!table.exists) {
        parts.push(`table ${this.tableName} does not exist yet: the first export (or "devguide-export db migrate") creates it`);
        return { ok: true, message: parts.join('; '), latencyMs };
      }
      const probes = table.statements.probes;
      await client.rows(probes.select);
      for (const [what, statement] of [['insert into', probes.insert], ['update', probes.update], ['delete from', probes.delete]] as const) {
        try {
          await client.run(statement);
        } catch (error) {
          throw this.failure(error, `${what} ${this.tableName}`);
        }
      }
      parts.push(`table ${this.tableName} is readable and writable`);
      if (!table.filenameUnique) parts.push(`warning: ${table.columns.filename} has no unique index`);
      return { ok: true, message: parts.join('; '), latencyMs };
    } catch (error) {
      const failure = this.failure(error, `connect to ${this.tableName}`);
      return { ok: false, message: failure.message, latencyMs: latencyMs || Math.max(0, Math.round(performance.now() - started)) };
    }
  }

  // --- writing ---------------------------------------------------------------

  async save(request: SaveRequest): Promise<PublishResult> {
    request.signal?.throwIfAborted();
    const parsed = saveRequestSchema.safeParse(request);
    if (!parsed.success) throw new ExportError('INVALID_INPUT', 'Save request needs a filename, content, metadata, job id and what the review saw', { recoverable: false });
    const { content, jobId, expected } = parsed.data;
    const filename = this.checkedFilename(parsed.data.filename);
    const metadataJson = JSON.stringify(parsed.data.metadata);
    const rowBytes = Buffer.byteLength(content, 'utf8') + Buffer.byteLength(metadataJson, 'utf8') + Buffer.byteLength(filename, 'utf8') + ROW_OVERHEAD_BYTES;
    if (rowBytes > TIDB_ENTRY_LIMIT_BYTES) {
      throw new ExportError('CONTENT_TOO_LARGE', `"${filename}" is ${formatMiB(rowBytes)} as a row; TiDB takes rows of at most 6 MiB (txn-entry-size-limit). Nothing was sent.`, {
        details: { bytes: rowBytes, limit: TIDB_ENTRY_LIMIT_BYTES },
        recoverable: false,
      });
    }
    const values: WrittenValues = { content, metadataJson, contentHash: versionOf(content), jobId };
    let keptBackup: { undo(): Promise<void> } | undefined;
    try {
      const client = await this.db();
      const table = await this.readyTable(client);
      return await this.retrying(`write to ${this.tableName}`, request.signal, () =>
        client.transaction(async (sql) => {
          const outcome = await this.writeRow(sql, table, filename, values, expected);
          if (outcome.backup) keptBackup = outcome.backup;
          return outcome.result;
        }),
      );
    } catch (error) {
      // A connection lost at COMMIT may have committed: then the row needs its backup for rollback.
      if (keptBackup && !isConnectionLoss(error) && !isTimeout(error)) await keptBackup.undo().catch(() => undefined);
      throw this.failure(error, `write to ${this.tableName}`);
    }
  }

  /** One attempt of the save's transaction: lock the row, hold to the review, insert or update. */
  private async writeRow(
    sql: Sql,
    table: ArtifactTable,
    filename: string,
    values: WrittenValues,
    expected: Expectation,
  ): Promise<{ result: PublishResult; backup?: { undo(): Promise<void> } }> {
    const statements = table.statements;
    const jobId = values.jobId ?? 'job';
    const current = onlyRow(await sql.rows<ArtifactRow>(statements.lockByFilename.sql, statements.lockByFilename.values(filename)), filename, this.tableName);
    const currentVersion = current === undefined ? undefined : versionOf(String(current.content));
    // An earlier attempt of this job committed, but its answer was lost with the connection: that write stands.
    if (current && currentVersion === values.contentHash && current.job_id !== null && String(current.job_id) === values.jobId) {
      if (!expected.exists) return { result: this.result(current, filename, 'CREATE', values, expected) };
      // The first attempt kept the previous content under this job's marker: keep() answers with it.
      const kept = await this.backups.keep(jobId, this.backupKey(filename), Buffer.from(JSON.stringify({ content: values.content, metadata: values.metadataJson, jobId: values.jobId })));
      return { result: this.result(current, filename, 'UPDATE', values, expected, kept.path) };
    }
    assertAsReviewed(`${this.tableName} row "${filename}"`, expected, currentVersion);
    if (current === undefined) {
      let inserted;
      try {
        inserted = await sql.run(statements.insert.sql, statements.insert.values(filename, values));
      } catch (error) {
        // 1062: a unique filename taken meanwhile (a second exporter's row won).
        if ((error as { errno?: number }).errno === 1062) throw conflict(`${this.tableName} row "${filename}"`, 'was created by another export after the review');
        throw error;
      }
      const id = table.columns.id ? inserted.insertId : null;
      return { result: this.result({ row_id: id }, filename, 'CREATE', values, expected) };
    }
    const previous = JSON.stringify({ content: String(current.content), metadata: metadataText(current.metadata), jobId: current.job_id === null ? null : String(current.job_id) });
    const backup = await this.backups.keep(jobId, this.backupKey(filename), Buffer.from(previous, 'utf8'));
    await sql.run(statements.update.sql, statements.update.values(filename, values));
    return { result: this.result(current, filename, 'UPDATE', values, expected, backup.path, currentVersion), backup };
  }

  private result(row: Pick<ArtifactRow, 'row_id'>, filename: string, action: 'CREATE' | 'UPDATE', values: WrittenValues, expected: Expectation, previous?: string, previousSha?: string): PublishResult {
    const location = this.location(row, filename);
    const extra: Record<string, string> = { filename, sha: values.contentHash, ...(values.jobId ? { jobId: values.jobId } : {}) };
    const before = previousSha ?? (expected.exists ? expected.version : undefined);
    if (action === 'UPDATE' && before !== undefined) extra.previousSha = before;
    const rollback: RollbackInfo = { destinationId: this.id, location, action, extra };
    if (previous !== undefined) rollback.previous = previous;
    return { location, action, bytesWritten: Buffer.byteLength(values.content, 'utf8'), rollback };
  }

  // --- rolling back ----------------------------------------------------------

  async rollback(info: RollbackInfo, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const extra = rollbackExtraSchema.safeParse(info.extra ?? {});
    if (info.destinationId !== this.id || !extra.success) throw rollbackFailure(`Rollback information for ${info.location} is malformed or belongs to another destination`);
    const { filename, sha, previousSha } = extra.data;
    let restore: z.infer<typeof backupSchema> | undefined;
    if (info.action === 'UPDATE') {
      if (!info.previous) throw rollbackFailure(`No previous version of ${info.location} was recorded`);
      const inStore = isStoreRollbackReference(info.previous);
      const kept = this.keptIn(info.previous);
      if (!kept) throw rollbackFailure(`The previous content of ${info.location} is kept in the team store, which these settings do not use`);
      const bytes = await kept.read(info.previous).catch((error: unknown) => {
        // The team store unreachable is not "gone": say why.
        if (error instanceof ExportError) throw rollbackFailure(`The previous content of ${info.location} could not be read: ${error.message}`, error.recoverable);
        return undefined;
      });
      const parsed = bytes === undefined ? undefined : backupSchema.safeParse(JSON.parse(bytes.toString('utf8')));
      if (!parsed?.success) throw rollbackFailure(`The previous content of ${info.location} is no longer kept ${inStore ? 'in the team store' : 'on this machine'}`);
      restore = parsed.data;
    }
    try {
      const client = await this.db();
      const table = await inspectArtifactTable(client, this.config);
      if (!table.exists) throw rollbackFailure(`Table ${this.tableName} no longer exists`);
      await this.retrying(`roll back ${info.location}`, signal, () =>
        client.transaction(async (sql) => {
          const s = table.statements;
          const current = onlyRow(await sql.rows<ArtifactRow>(s.lockByFilename.sql, s.lockByFilename.values(filename)), filename, this.tableName);
          const now = current === undefined ? undefined : versionOf(String(current.content));
          if (info.action === 'CREATE') {
            if (now === undefined) return; // already gone
            if (now !== sha) throw rollbackFailure(`${info.location} was changed after the export; it was left in place`);
            await sql.run(s.delete.sql, s.delete.values(filename));
            return;
          }
          const saved = restore as z.infer<typeof backupSchema>;
          if (now !== undefined && now === previousSha) return; // rolled back before
          if (now !== sha) throw rollbackFailure(`${info.location} was ${now === undefined ? 'deleted' : 'changed'} after the export; it was not restored`);
          await sql.run(s.update.sql, s.update.values(filename, { content: saved.content, metadataJson: saved.metadata, contentHash: versionOf(saved.content), jobId: saved.jobId }));
        }),
      );
      if (info.action === 'UPDATE' && extra.data.jobId && info.previous) await this.keptIn(info.previous)?.release(extra.data.jobId);
    } catch (error) {
      if (error instanceof ExportError && error.code === 'ROLLBACK_FAILED') throw error;
      const failure = this.failure(error, `roll back ${info.location}`);
      throw rollbackFailure(`Rollback failed: ${failure.message}`, failure.recoverable);
    }
  }

  // --- plumbing --------------------------------------------------------------

  /** Where a rollback reference's content is kept: the team store's (undefined when these settings use none) or this machine's data folder. */
  private keptIn(reference: string): RollbackData | undefined {
    return isStoreRollbackReference(reference) ? this.options.rollbackData : this.localBackups;
  }

  private db(): Promise<DbClient> {
    this.client ??= openDbClient(
      { host: this.config.host, port: this.config.port, user: this.config.user, database: this.config.database, tls: this.config.tls },
      {
        password: this.options.password,
        connectTimeoutMs: Math.min(this.options.timeoutMs ?? MAX_CONNECT_TIMEOUT_MS, MAX_CONNECT_TIMEOUT_MS),
        queryTimeoutMs: this.options.timeoutMs ?? 30_000,
        baseDir: this.options.workspaceRoot,
        ...(this.options.beforeStatement ? { beforeStatement: this.options.beforeStatement } : {}),
      },
    );
    // A failed open (an unreadable CA file) is not kept: the next call tries again.
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }

  /** The table, created by the migrations when it is missing. */
  private async readyTable(client: DbClient): Promise<ArtifactTable> {
    const table = await inspectArtifactTable(client, this.config);
    if (table.exists) return table;
    await migrateArtifactTable(client, this.config);
    return inspectArtifactTable(client, this.config);
  }

  private retrying<T>(what: string, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
    return withTransactionRetries(attempt, {
      maxRetries: this.options.maxRetries ?? 3,
      ...(this.options.retryBaseMs !== undefined ? { baseDelayMs: this.options.retryBaseMs } : {}),
      ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      ...(signal ? { signal } : {}),
    }).catch((error: unknown) => {
      if (error instanceof RetriesExhausted) throw this.failure(error.last, what, error.attempts);
      throw error;
    });
  }

  private async guard<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.failure(error, what);
    }
  }

  private failure(error: unknown, what: string, attempts?: number): ExportError {
    const context: DbFailureContext = {
      what,
      host: this.config.host,
      port: this.config.port,
      user: this.config.user,
      database: this.config.database,
      passwordHint: passwordHint(this.id),
      ...(attempts ? { attempts } : {}),
    };
    return dbFailure(error, context);
  }

  private checkedFilename(filename: string): string {
    const name = sanitizeFilename(filename);
    if (name.length > MAX_FILENAME_CHARS) {
      throw new ExportError('INVALID_INPUT', `The filename is ${name.length} characters long; a ${this.tableName} row takes at most ${MAX_FILENAME_CHARS}.`, { recoverable: false });
    }
    return name;
  }

  private location(row: Pick<ArtifactRow, 'row_id'>, filename: string): string {
    const id = row.row_id === null || row.row_id === undefined ? encodeURIComponent(filename) : String(row.row_id);
    return `tidb://${this.config.database}/${this.config.table}/${id}`;
  }

  /** The key a row's backups are filed under: the same row of the same server, whatever the job. */
  private backupKey(filename: string): string {
    return `/tidb/${this.config.host}/${this.config.port}/${this.config.database}/${this.config.table}/${createHash('sha256').update(filename).digest('hex')}`;
  }
}

/** At most one row per filename; more is a table this destination cannot write safely. */
function onlyRow(rows: ArtifactRow[], filename: string, table: string): ArtifactRow | undefined {
  if (rows.length > 1) {
    throw new ExportError('WRITE_FAILED', `${table} holds ${rows.length} rows named "${filename}"; the filename column must be unique.`, { recoverable: false });
  }
  return rows[0];
}

function conflict(what: string, how: string): ExportError {
  return new ExportError('CONFLICT', `${what} ${how}: nothing was written. Preview the export again to review it as it is now.`, { recoverable: true });
}

/** The write holds to the review: CREATE only while absent, UPDATE only over the version reviewed. */
function assertAsReviewed(what: string, expected: Expectation, actual: string | undefined): void {
  if (!expected.exists && actual !== undefined) throw conflict(what, 'was created after the review (which saw no row)');
  if (expected.exists && actual === undefined) throw conflict(what, 'was deleted after the review');
  if (expected.exists && actual !== expected.version) throw conflict(what, 'was changed after the review');
}

function rollbackFailure(message: string, recoverable = false): ExportError {
  return new ExportError('ROLLBACK_FAILED', message, { recoverable });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export function createTidbDestination(config: TidbDestinationConfig, options: TidbDestinationOptions): Destination {
  return new TidbDestination(checkedTidbConfig(config), options);
}

/** `devguide-export db migrate`: the artifact table's pending migrations, applied. */
export async function migrateTidbDestination(config: TidbDestinationConfig, options: TidbDestinationOptions): Promise<{ resource: string; applied: { version: number; description: string }[] }> {
  const checked = checkedTidbConfig(config);
  const client = await openDbClient(
    { host: checked.host, port: checked.port, user: checked.user, database: checked.database, tls: checked.tls },
    { password: options.password, connectTimeoutMs: MAX_CONNECT_TIMEOUT_MS, queryTimeoutMs: options.timeoutMs ?? 30_000, baseDir: options.workspaceRoot },
  );
  try {
    const applied = await migrateArtifactTable(client, checked);
    await inspectArtifactTable(client, checked);
    return { resource: `tidb://${checked.database}/${checked.table}`, applied };
  } catch (error) {
    throw dbFailure(error, {
      what: `migrate ${checked.database}.${checked.table}`,
      host: checked.host,
      port: checked.port,
      user: checked.user,
      database: checked.database,
      passwordHint: passwordHint(checked.id),
    });
  } finally {
    await client.close();
  }
}
