import { systemClock, type Clock } from '../../clock';
import type { DbClient, Sql } from '../../db/client';
import { dbFailure, errnoOf } from '../../db/errors';
import { applyMigrations, migratedOnce, type AppliedMigration } from '../../db/migrations';
import { RetriesExhausted, withTransactionRetries } from '../../db/retry';
import { namingStoreCredential } from '../../db/storeDb';
import { ExportError } from '../../errors';
import { applyJobPatch, checkedRecord, interruptedPatch, isUnfinished, jobNotFound, splitPatch, UNKNOWN_DESTINATION_TYPE } from '../jobRecords';
import { currentOwner, ownerIsGone } from '../processOwner';
import { auditEventSchema, jobPatchSchema, jobRecordSchema, securityEventSchema, type ClearableJobField, type JobPatch } from '../recordSchemas';
import type { AuditEvent, JobFilter, JobQuery, JobRecord, JobStat, JobStatus, SecurityEvent, Store, StoreRecords } from '../types';
import type { RollbackData } from '../rollbackData';
import { fromSqlTime, jobWhere, STORE_MIGRATION_SCOPE, STORE_MIGRATIONS, storeSql, toSqlTime } from './storeSql';
import { TidbRollbackData } from './tidbRollbackData';

/**
 * The team store (DESIGN.md §8, issue 14): jobs, audit and security events
 * in a TiDB/MySQL database that many editors and CI runs share, behind the
 * same Store interface as the file store.
 *
 * Crash recovery across machines: a process refreshes `heartbeat_at` on its
 * unfinished jobs while it runs (every HEARTBEAT_MS). The INTERRUPTED sweep
 * fails a job only when its owner is provably gone — on this host, its pid
 * is dead (as the file store does) — or, on another host, when its heartbeat
 * is older than LEASE_MS: a live machine's jobs are never marked.
 */

export const HEARTBEAT_MS = 60_000;
/** Ten heartbeats: another machine's job is abandoned only after this long without a sign of life. */
export const LEASE_MS = 10 * HEARTBEAT_MS;

export interface TidbStoreEndpoint {
  host: string;
  port: number;
  user: string;
  database: string;
}

export interface TidbStoreOptions {
  clock?: Clock;
  maxRetries?: number;
  /** How a person sets the password (for AUTH_EXPIRED). */
  passwordHint?: string;
  heartbeatMs?: number;
}

const DEFAULT_PASSWORD_HINT = 'In VS Code run "Set Destination Credential" for the team store; in the CLI set DEVGUIDE_SECRET_STORE_PASSWORD.';

type JobRow = { record: unknown };

export class TidbStore implements Store {
  private readonly clock: Clock;
  /** This process's unfinished jobs, whose heartbeat it keeps. */
  private readonly mine = new Set<string>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** The tables are there (migrated at first use). */
  private readonly tablesReady: () => Promise<void>;
  /** Job endings the database did not take (it was unreachable), by job id. */
  private readonly unsaved = new Map<string, { set: JobPatch; unset: ClearableJobField[] }>();
  private flushing = false;
  private closed = false;
  /** What updates replaced, in the team's database: any member may roll them back. */
  readonly rollbackData: RollbackData;

  constructor(
    private readonly db: DbClient,
    private readonly endpoint: TidbStoreEndpoint,
    private readonly options: TidbStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.tablesReady = migratedOnce(db, STORE_MIGRATION_SCOPE, STORE_MIGRATIONS);
    this.rollbackData = new TidbRollbackData(db, (what, work) => this.guard(what, work), this.clock);
  }

  /** The store's tables brought up to date (versioned, idempotent); what was applied. */
  async migrate(): Promise<AppliedMigration[]> {
    return this.guard('create the team store tables in', () => applyMigrations(this.db, STORE_MIGRATION_SCOPE, STORE_MIGRATIONS), { tables: false });
  }

  async createJob(job: JobRecord): Promise<void> {
    const record = checkedRecord(jobRecordSchema, { ...job, owner: job.owner ?? currentOwner() }, 'job record');
    await this.guard('record a job in', async () => {
      try {
        await this.db.run(storeSql.insertJob, [record.job_id, ...this.jobColumns(record)]);
      } catch (error) {
        if (errnoOf(error) === 1062) throw new ExportError('INVALID_INPUT', `A job with id "${record.job_id}" already exists.`, { recoverable: false });
        throw error;
      }
    });
    this.track(record);
  }

  async updateJob(jobId: string, patch: JobPatch): Promise<JobRecord> {
    const { set, unset } = splitPatch(patch);
    // Whoever (re)queues or runs a job now owns it: recovery checks that process.
    if ((set.status === 'queued' || set.status === 'running') && !('owner' in patch)) set.owner = currentOwner();
    const checked = checkedRecord(jobPatchSchema, set, 'job update');
    try {
      const updated = await this.writeJobPatch(jobId, checked, unset);
      this.unsaved.delete(jobId);
      this.track(updated);
      return updated;
    } catch (error) {
      // The database went away as the job ended: the ending is kept and written once it is back, so the job is never left running.
      if (isTerminal(checked.status) && error instanceof ExportError && UNREACHABLE.has(error.code)) {
        const earlier = this.unsaved.get(jobId);
        this.unsaved.set(jobId, { set: { ...earlier?.set, ...checked }, unset: [...(earlier?.unset ?? []), ...unset] });
      }
      throw error;
    }
  }

  private writeJobPatch(jobId: string, set: JobPatch, unset: ClearableJobField[]): Promise<JobRecord> {
    return this.inTransaction('update a job in', async (sql) => {
      const [row] = await sql.rows<JobRow>(storeSql.jobForUpdate, [jobId]);
      if (!row) throw jobNotFound(jobId);
      const next = applyJobPatch(this.recordOf(row), set, unset);
      await sql.run(storeSql.updateJob, [...this.jobColumns(next), jobId]);
      return next;
    });
  }

  /** Endings that could not be written (the database was down), written now; those that still fail stay for the next call. */
  private async writeUnsaved(): Promise<void> {
    if (this.unsaved.size === 0 || this.flushing) return;
    this.flushing = true;
    try {
      for (const [jobId, patch] of [...this.unsaved]) {
        const written = await this.writeJobPatch(jobId, patch.set, patch.unset).catch((error: unknown) => {
          if (error instanceof ExportError && error.code === 'JOB_NOT_FOUND') return undefined;
          throw error;
        });
        this.unsaved.delete(jobId);
        if (written) this.track(written);
      }
    } finally {
      this.flushing = false;
    }
  }

  async getJob(jobId: string): Promise<JobRecord | undefined> {
    const [row] = await this.guard('read a job from', () => this.db.rows<JobRow>(storeSql.getJob, [jobId]));
    return row ? this.recordOf(row) : undefined;
  }

  async listJobs(query: JobQuery = {}): Promise<JobRecord[]> {
    const where = this.where(query);
    const limit = query.limit === undefined ? Number.MAX_SAFE_INTEGER : Math.max(0, Math.floor(query.limit));
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    // LIMIT/OFFSET as text-protocol numbers: prepared statements take them as strings on some servers.
    const rows = await this.guard('list jobs in', () => this.db.rows<JobRow>(storeSql.listJobs(where), [...where.values, String(limit), String(offset)]));
    return rows.map((row) => this.recordOf(row));
  }

  async countJobs(filter: JobFilter = {}): Promise<number> {
    const where = this.where(filter);
    const [row] = await this.guard('count jobs in', () => this.db.rows<{ n: unknown }>(storeSql.countJobs(where), where.values));
    return Number(row?.n ?? 0);
  }

  async jobStats(filter: JobFilter = {}): Promise<JobStat[]> {
    const where = this.where(filter);
    const rows = await this.guard('count jobs in', () => this.db.rows<{ destination_type: unknown; status: unknown; n: unknown }>(storeSql.jobStats(where), where.values));
    return rows.map((r) => ({ destination_type: String(r.destination_type), status: String(r.status) as JobStatus, count: Number(r.n) }));
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    const e = checkedRecord(auditEventSchema, event, 'audit event');
    await this.guard('record an audit event in', () => this.db.run(storeSql.insertAudit, auditValues(e)));
  }

  async listAudit(filter: { jobId?: string; transactionId?: string } = {}): Promise<AuditEvent[]> {
    const parts: string[] = [];
    const values: unknown[] = [];
    if (filter.jobId !== undefined) {
      parts.push('`job_id` = ?');
      values.push(filter.jobId);
    }
    if (filter.transactionId !== undefined) {
      parts.push('`transaction_id` = ?');
      values.push(filter.transactionId);
    }
    const where = parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : '';
    const rows = await this.guard('read the audit trail of', () => this.db.rows<Record<string, unknown>>(storeSql.listAudit(where), values));
    return rows.map((r) =>
      checkedRecord(
        auditEventSchema,
        withoutNulls({ ...r, timestamp: fromSqlTime(r['timestamp']), metadata: jsonOf(r['metadata']) }),
        'audit event in the team store',
      ),
    );
  }

  async appendSecurity(event: SecurityEvent): Promise<void> {
    const e = checkedRecord(securityEventSchema, event, 'security event');
    await this.guard('record a security event in', () => this.db.run(storeSql.insertSecurity, securityValues(e)));
  }

  async listSecurity(): Promise<SecurityEvent[]> {
    const rows = await this.guard('read the security events of', () => this.db.rows<Record<string, unknown>>(storeSql.listSecurity));
    return rows.map((r) => checkedRecord(securityEventSchema, { ...r, timestamp: fromSqlTime(r['timestamp']), metadata: jsonOf(r['metadata']) }, 'security event in the team store'));
  }

  async importRecords(records: StoreRecords): Promise<{ jobs: number; audit: number; security: number }> {
    const jobs = records.jobs.map((job) => checkedRecord(jobRecordSchema, job, 'imported job record'));
    const audit = records.audit.map((event) => checkedRecord(auditEventSchema, event, 'imported audit event'));
    const security = records.security.map((event) => checkedRecord(securityEventSchema, event, 'imported security event'));
    const count = { jobs: 0, audit: 0, security: 0 };
    // Oldest first, so jobs created at the same time keep their order; a chunk per transaction.
    const byTime = <T>(items: T[], time: (item: T) => string) => [...items].sort((a, b) => Date.parse(time(a)) - Date.parse(time(b)));
    for (const chunk of chunks(byTime(jobs, (j) => j.created_at), IMPORT_CHUNK)) {
      count.jobs += await this.inTransaction('import jobs into', async (sql) => {
        let added = 0;
        for (const job of chunk) added += (await sql.run(storeSql.insertJobIfMissing, [job.job_id, ...this.jobColumns(job)])).affectedRows;
        return added;
      });
    }
    for (const chunk of chunks(byTime(audit, (e) => e.timestamp), IMPORT_CHUNK)) {
      count.audit += await this.inTransaction('import audit events into', async (sql) => {
        let added = 0;
        for (const event of chunk) added += (await sql.run(storeSql.insertAuditIfMissing, auditValues(event))).affectedRows;
        return added;
      });
    }
    for (const chunk of chunks(byTime(security, (e) => e.timestamp), IMPORT_CHUNK)) {
      count.security += await this.inTransaction('import security events into', async (sql) => {
        let added = 0;
        for (const event of chunk) added += (await sql.run(storeSql.insertSecurityIfMissing, securityValues(event))).affectedRows;
        return added;
      });
    }
    return count;
  }

  async recoverInterrupted(): Promise<number> {
    const rows = await this.guard('read unfinished jobs of', () => this.db.rows<{ record: unknown; heartbeat_at: unknown }>(storeSql.unfinishedJobs));
    const now = this.clock.now();
    const abandoned = rows.filter((row) => this.isAbandoned(this.recordOf(row), row.heartbeat_at, now)).map((row) => this.recordOf(row).job_id);
    let count = 0;
    for (const jobId of abandoned) {
      // Checked again inside the transaction: the owner may have finished it, or another sweep failed it, meanwhile.
      const changed = await this.inTransaction('recover an interrupted job in', async (sql) => {
        const [row] = await sql.rows<{ record: unknown; heartbeat_at: unknown }>(storeSql.jobForUpdateWithHeartbeat, [jobId]);
        if (!row) return false;
        const job = this.recordOf(row);
        if (!isUnfinished(job) || !this.isAbandoned(job, row.heartbeat_at, this.clock.now())) return false;
        const next = applyJobPatch(job, interruptedPatch(job, this.clock.now()));
        await sql.run(storeSql.updateJob, [...this.jobColumns(next), jobId]);
        return true;
      });
      if (changed) count += 1;
    }
    return count;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    await this.db.close();
  }

  // --- plumbing ----------------------------------------------------------------

  private isAbandoned(job: JobRecord, heartbeatAt: unknown, now: Date): boolean {
    const self = currentOwner();
    if (job.owner === undefined || job.owner.host === self.host) return ownerIsGone(job.owner, self);
    const beat = heartbeatAt === null || heartbeatAt === undefined ? Date.parse(job.created_at) : Date.parse(fromSqlTime(heartbeatAt));
    return Number.isFinite(beat) && now.getTime() - beat > LEASE_MS;
  }

  /** Keeps the heartbeat of this process's unfinished jobs; forgets finished ones. */
  private track(job: JobRecord): void {
    const own = job.owner?.pid === process.pid && job.owner.started_at === currentOwner().started_at && job.owner.host === currentOwner().host;
    if (own && isUnfinished(job)) this.mine.add(job.job_id);
    else this.mine.delete(job.job_id);
    if (this.mine.size > 0 && !this.heartbeatTimer && !this.closed) {
      this.heartbeatTimer = setInterval(() => void this.beat(), this.options.heartbeatMs ?? HEARTBEAT_MS);
      // A heartbeat never keeps the CLI alive.
      this.heartbeatTimer.unref();
    } else if (this.mine.size === 0 && this.heartbeatTimer) {
      clearInterval(this.heartbeatTimer);
      this.heartbeatTimer = undefined;
    }
  }

  /** One heartbeat; a failure is left for the next one (the job itself will report a broken connection). */
  async beat(): Promise<void> {
    if (this.closed) return;
    await this.guard('write pending job endings to', async () => undefined).catch(() => undefined);
    if (this.mine.size === 0) return;
    const ids = [...this.mine];
    await this.db.run(storeSql.heartbeat(ids.length), [toSqlTime(this.clock.now().toISOString()), ...ids]).catch(() => undefined);
  }

  private jobColumns(job: JobRecord): unknown[] {
    return [
      job.status,
      job.destination_id,
      job.destination_type ?? UNKNOWN_DESTINATION_TYPE,
      job.template_id,
      job.filename,
      job.actor ?? null,
      job.error_code ?? null,
      toSqlTime(job.created_at),
      job.started_at ? toSqlTime(job.started_at) : null,
      job.completed_at ? toSqlTime(job.completed_at) : null,
      job.owner?.host ?? null,
      job.owner?.pid ?? null,
      job.owner?.started_at ?? null,
      toSqlTime(this.clock.now().toISOString()),
      JSON.stringify(job),
    ];
  }

  private recordOf(row: { record: unknown }): JobRecord {
    return checkedRecord(jobRecordSchema, jsonOf(row.record), 'job record in the team store');
  }

  private where(filter: JobFilter) {
    try {
      return jobWhere(filter);
    } catch {
      throw new ExportError('INVALID_INPUT', `Not a time: ${JSON.stringify(filter.since)} (expected ISO 8601, e.g. 2026-12-01T00:00:00Z).`, { recoverable: false });
    }
  }

  private inTransaction<T>(what: string, work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.guard(what, async () => {
      try {
        return await withTransactionRetries(() => this.db.transaction(work), { maxRetries: this.options.maxRetries ?? 3 });
      } catch (error) {
        if (error instanceof RetriesExhausted) throw error.last;
        throw error;
      }
    });
  }

  private async guard<T>(what: string, work: () => Promise<T>, options: { tables?: boolean } = {}): Promise<T> {
    if (this.closed) throw new ExportError('STORE_FAILED', 'The team store was closed.', { recoverable: false });
    try {
      if (options.tables !== false) await this.tablesReady();
      await this.writeUnsaved();
      return await work();
    } catch (thrown) {
      if (thrown instanceof ExportError) throw thrown;
      const error = dbFailure(thrown, {
        what: `${what} the team store`,
        ...this.endpoint,
        passwordHint: this.options.passwordHint ?? DEFAULT_PASSWORD_HINT,
        missingTable: (message) =>
          new ExportError('STORE_FAILED', `The team store's tables are missing (${message}). Run "devguide-export db migrate" as a user who may create tables.`, { recoverable: false }),
      });
      throw namingStoreCredential(error);
    }
  }
}

const IMPORT_CHUNK = 500;

/** Codes meaning the database could not be reached (the write did not happen). */
const UNREACHABLE: ReadonlySet<string> = new Set(['CONNECTION_FAILED', 'TIMEOUT', 'MAX_RETRIES_EXCEEDED']);

function isTerminal(status: JobStatus | undefined): boolean {
  return status === 'completed' || status === 'failed' || status === 'rolled_back';
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function auditValues(e: AuditEvent): unknown[] {
  return [e.event_id, toSqlTime(e.timestamp), e.action, e.resource, e.status, e.job_id ?? null, e.transaction_id ?? null, e.actor, JSON.stringify(e.metadata)];
}

function securityValues(e: SecurityEvent): unknown[] {
  return [e.event_id, toSqlTime(e.timestamp), e.type, e.severity, e.actor, e.resource, JSON.stringify(e.metadata)];
}

/** A JSON column: parsed by the driver (MySQL, TiDB) or text (MariaDB keeps JSON as LONGTEXT). */
function jsonOf(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function withoutNulls(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null));
}

export { toSqlTime };
