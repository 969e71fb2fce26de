import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isoUtc, systemClock, type Clock } from '../clock';
import { ExportError } from '../errors';
import { LockTimeoutError } from './fileLock';
import { APPEND_NO_FOLLOW, JsonLinesLog, type LogConsumer, type LogDiagnostics } from './jsonLog';
import { applyJobPatch, checkedRecord, cloneJsonData, filterAudit, interruptedPatch, isUnfinished, jobMatches, jobNotFound, jobStatsOf, queryJobs, sortByTimestamp, splitPatch } from './jobRecords';
import { currentOwner, ownerIsGone } from './processOwner';
import {
  auditEventSchema,
  jobLogLineSchema,
  jobPatchSchema,
  jobRecordSchema,
  securityEventSchema,
  type JobLogLine,
  type JobPatch,
} from './recordSchemas';
import type { AuditEvent, JobFilter, JobQuery, JobRecord, JobStat, SecurityEvent, Store } from './types';

/**
 * The embedded default store (DESIGN.md §8): three append-only JSON Lines
 * files in one private folder, shared by every process of the user (the
 * CLI, the language server). A job is the fold of its lines in jobs.jsonl:
 * one `create` line with the full record, then `update` lines with patches.
 * The files are the only source of truth: every read first takes in what any
 * process appended since (see jsonLog.ts), and every write re-reads under
 * the lock before it appends. No compaction: the files only grow.
 */

export interface FileStoreOptions {
  clock?: Clock;
  /** A lock older than this is taken over even if its process is alive. */
  lockStaleMs?: number;
  /** How long an append waits for another process's lock. */
  lockTimeoutMs?: number;
  /** fsync after each append (default off: a process crash is survived either way). */
  durable?: boolean;
  /** Called for each skipped line (torn, not JSON, or failing the schema). */
  onWarning?: (message: string) => void;
}

export interface StoreDiagnostics {
  dir: string;
  /** Lines skipped across the three files. */
  skippedLines: number;
  /** Update lines for a job with no create line (skipped too). */
  orphanUpdates: number;
  jobs: LogDiagnostics;
  audit: LogDiagnostics;
  security: LogDiagnostics;
}

export interface FileStore extends Store {
  readonly dir: string;
  diagnostics(): StoreDiagnostics;
}

export const STORE_FILES = { jobs: 'jobs.jsonl', audit: 'audit.jsonl', security: 'security.jsonl' } as const;

export async function openFileStore(dir: string, options: FileStoreOptions = {}): Promise<FileStore> {
  const store = new JsonlFileStore(path.resolve(dir), options);
  await store.open();
  return store;
}

class JobsState implements LogConsumer<JobLogLine> {
  /** In creation order. */
  readonly jobs = new Map<string, JobRecord>();
  orphanUpdates = 0;

  reset(): void {
    this.jobs.clear();
    this.orphanUpdates = 0;
  }

  add(line: JobLogLine): void {
    if (line.op === 'create') {
      this.jobs.set(line.job_id, line.job);
      return;
    }
    const job = this.jobs.get(line.job_id);
    if (job === undefined) this.orphanUpdates += 1;
    else this.jobs.set(line.job_id, applyJobPatch(job, line.patch, line.unset));
  }
}

class EventsState<T> implements LogConsumer<T> {
  events: T[] = [];

  reset(): void {
    this.events = [];
  }

  add(event: T): void {
    this.events.push(event);
  }
}

class JsonlFileStore implements FileStore {
  private readonly clock: Clock;
  private readonly jobLog: JsonLinesLog<JobLogLine>;
  private readonly auditLog: JsonLinesLog<AuditEvent>;
  private readonly securityLog: JsonLinesLog<SecurityEvent>;
  private readonly jobs = new JobsState();
  private readonly audit = new EventsState<AuditEvent>();
  private readonly security = new EventsState<SecurityEvent>();
  private closed = false;

  constructor(
    readonly dir: string,
    options: FileStoreOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    const logOptions = {
      lock: {
        ...(options.lockStaleMs !== undefined && { staleMs: options.lockStaleMs }),
        ...(options.lockTimeoutMs !== undefined && { timeoutMs: options.lockTimeoutMs }),
      },
      ...(options.durable !== undefined && { durable: options.durable }),
      ...(options.onWarning !== undefined && { onWarning: options.onWarning }),
    };
    this.jobLog = new JsonLinesLog(path.join(dir, STORE_FILES.jobs), jobLogLineSchema, logOptions);
    this.auditLog = new JsonLinesLog(path.join(dir, STORE_FILES.audit), auditEventSchema, logOptions);
    this.securityLog = new JsonLinesLog(path.join(dir, STORE_FILES.security), securityEventSchema, logOptions);
  }

  async open(): Promise<void> {
    await this.guard('open', async () => {
      const created = await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      // Only a folder we created is narrowed: `--store .` must not chmod the user's own folder.
      if (created !== undefined) await fs.chmod(this.dir, 0o700);
      for (const file of Object.values(STORE_FILES)) {
        // Never through a link (APPEND_NO_FOLLOW), and the mode set on the file opened, not on a name.
        const handle = await fs.open(path.join(this.dir, file), APPEND_NO_FOLLOW, 0o600);
        try {
          await handle.chmod(0o600);
        } finally {
          await handle.close();
        }
      }
      await this.syncAll();
    });
  }

  async createJob(job: JobRecord): Promise<void> {
    const record = checkedRecord(jobRecordSchema, { ...job, owner: job.owner ?? currentOwner() }, 'job record');
    await this.guard('write to', () =>
      this.jobLog.exclusive(() =>
        this.jobLog.appendWith(this.jobs, () => {
          if (this.jobs.jobs.has(record.job_id)) {
            throw new ExportError('INVALID_INPUT', `A job with id "${record.job_id}" already exists.`, {
              recoverable: false,
            });
          }
          return [{ op: 'create', job_id: record.job_id, at: this.now(), job: record }];
        }),
      ),
    );
  }

  async updateJob(jobId: string, patch: JobPatch): Promise<JobRecord> {
    const { set, unset } = splitPatch(patch);
    // Whoever (re)queues or runs a job now owns it: recovery checks that process.
    if ((set.status === 'queued' || set.status === 'running') && !('owner' in patch)) set.owner = currentOwner();
    const checked = checkedRecord(jobPatchSchema, set, 'job update');
    return this.guard('write to', () =>
      this.jobLog.exclusive(async () => {
        await this.jobLog.appendWith(this.jobs, () => {
          if (!this.jobs.jobs.has(jobId)) throw jobNotFound(jobId);
          const line: JobLogLine = { op: 'update', job_id: jobId, at: this.now(), patch: checked };
          if (unset.length > 0) line.unset = unset;
          return [line];
        });
        const updated = this.jobs.jobs.get(jobId);
        if (updated === undefined) throw jobNotFound(jobId);
        return cloneJsonData(updated);
      }),
    );
  }

  async getJob(jobId: string): Promise<JobRecord | undefined> {
    await this.guard('read', () => this.jobLog.sync(this.jobs));
    const job = this.jobs.jobs.get(jobId);
    return job === undefined ? undefined : cloneJsonData(job);
  }

  async listJobs(query: JobQuery = {}): Promise<JobRecord[]> {
    await this.guard('read', () => this.jobLog.sync(this.jobs));
    return queryJobs([...this.jobs.jobs.values()], query).map((job) => cloneJsonData(job));
  }

  async countJobs(filter: JobFilter = {}): Promise<number> {
    await this.guard('read', () => this.jobLog.sync(this.jobs));
    let count = 0;
    for (const job of this.jobs.jobs.values()) if (jobMatches(job, filter)) count += 1;
    return count;
  }

  async jobStats(filter: JobFilter = {}): Promise<JobStat[]> {
    await this.guard('read', () => this.jobLog.sync(this.jobs));
    return jobStatsOf([...this.jobs.jobs.values()], filter);
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    const checked = checkedRecord(auditEventSchema, event, 'audit event');
    await this.guard('write to', () => this.auditLog.append([checked]));
  }

  async listAudit(filter: { jobId?: string; transactionId?: string } = {}): Promise<AuditEvent[]> {
    await this.guard('read', () => this.auditLog.sync(this.audit));
    return filterAudit(this.audit.events, filter).map((event) => cloneJsonData(event));
  }

  async appendSecurity(event: SecurityEvent): Promise<void> {
    const checked = checkedRecord(securityEventSchema, event, 'security event');
    await this.guard('write to', () => this.securityLog.append([checked]));
  }

  async listSecurity(): Promise<SecurityEvent[]> {
    await this.guard('read', () => this.securityLog.sync(this.security));
    return sortByTimestamp(this.security.events).map((event) => cloneJsonData(event));
  }

  async recoverInterrupted(): Promise<number> {
    const abandoned = (): JobRecord[] => [...this.jobs.jobs.values()].filter((j) => isUnfinished(j) && ownerIsGone(j.owner));
    await this.guard('read', () => this.jobLog.sync(this.jobs));
    if (abandoned().length === 0) return 0;
    return this.guard('write to', () =>
      this.jobLog.exclusive(async () => {
        let count = 0;
        // Checked again under the lock: another process may have recovered them meanwhile.
        await this.jobLog.appendWith(this.jobs, () => {
          const at = this.now();
          const lines: JobLogLine[] = abandoned().map((job) => ({
            op: 'update',
            job_id: job.job_id,
            at,
            patch: interruptedPatch(job, this.clock.now()),
          }));
          count = lines.length;
          return lines;
        });
        return count;
      }),
    );
  }

  diagnostics(): StoreDiagnostics {
    const jobs = this.jobLog.diagnostics();
    const audit = this.auditLog.diagnostics();
    const security = this.securityLog.diagnostics();
    return {
      dir: this.dir,
      skippedLines: jobs.skipped + audit.skipped + security.skipped,
      orphanUpdates: this.jobs.orphanUpdates,
      jobs,
      audit,
      security,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.jobLog.drain(), this.auditLog.drain(), this.securityLog.drain()]);
  }

  private syncAll(): Promise<void> {
    return Promise.all([
      this.jobLog.sync(this.jobs),
      this.auditLog.sync(this.audit),
      this.securityLog.sync(this.security),
    ]).then(() => undefined);
  }

  private now(): string {
    return isoUtc(this.clock.now());
  }

  /** Turns I/O failures into STORE_FAILED naming the folder; ExportErrors pass through. */
  private async guard<R>(verb: string, body: () => Promise<R>): Promise<R> {
    if (this.closed) {
      throw new ExportError('STORE_FAILED', `The export store at ${this.dir} is closed.`, { recoverable: false });
    }
    try {
      return await body();
    } catch (error) {
      if (error instanceof ExportError) throw error;
      const reason =
        (error as NodeJS.ErrnoException).code === 'ELOOP'
          ? `${(error as NodeJS.ErrnoException).path ?? 'a store file'} is a symbolic link; the store does not follow links (remove it)`
          : error instanceof LockTimeoutError
          ? `it stayed locked by another process (${error.holder ? `pid ${error.holder.pid}` : 'unknown'}) for too long`
          : error instanceof Error
            ? error.message
            : String(error);
      throw new ExportError('STORE_FAILED', `Could not ${verb} the export store at ${this.dir}: ${reason}`, {
        recoverable: (error as NodeJS.ErrnoException).code !== 'ELOOP',
        details: { dir: this.dir },
        cause: error,
      });
    }
  }
}
