import type { ErrorInfo } from '../errors';
import type { RollbackData } from './rollbackData';

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'rolled_back';

/** An export job in the seed API's snake_case shape (§10.1). */
export interface JobRecord {
  job_id: string;
  status: JobStatus;
  source: string;
  source_type?: 'file' | 'editor';
  session_id: string;
  message_ids: string[];
  block_ids?: string[];
  template_id: string;
  destination_id: string;
  destination_type?: string;
  /** Who exported (the configured user identity). */
  actor?: string;
  /** The destination's settings as exported to (never secrets), for rollback. */
  destination_config?: Record<string, unknown>;
  filename: string;
  title: string;
  content_hash?: string;
  token_count?: number;
  char_count?: number;
  output_location?: string;
  output_url?: string;
  action?: 'CREATE' | 'UPDATE';
  /** Data the destination needs to undo this export (locations, never content). */
  rollback?: { location: string; action: 'CREATE' | 'UPDATE'; previous?: string; extra?: Record<string, string> };
  transaction_id?: string;
  batch_id?: string;
  risk_level?: string;
  error_code?: string;
  error_message?: string;
  retry_count: number;
  created_at: string;
  started_at?: string;
  completed_at?: string;
  duration_ms?: number;
  stages_ms?: Record<string, number>;
  /** The process that queued or ran the job, so a crashed one can be told apart from a live one. */
  owner?: JobOwner;
}

export interface JobOwner {
  pid: number;
  host: string;
  /** When that process started (ISO 8601 UTC); tells a reused pid from the original. */
  started_at: string;
}

export type AuditStatus = 'success' | 'failure' | 'pending' | 'blocked';

/** Seed §7.3: who did what to which resource, and how it ended. No content, no secrets. */
export interface AuditEvent {
  event_id: string;
  timestamp: string;
  action: string;
  resource: string;
  status: AuditStatus;
  job_id?: string;
  transaction_id?: string;
  actor: string;
  metadata: Record<string, unknown>;
}

/** Seed §9.5 security events. */
export type SecurityEventType =
  | 'destination_created'
  | 'destination_updated'
  | 'credential_accessed'
  | 'export_to_external'
  | 'template_executed'
  | 'access_denied'
  | 'secret_detected';

export interface SecurityEvent {
  event_id: string;
  timestamp: string;
  type: SecurityEventType;
  severity: 'info' | 'warning' | 'critical';
  actor: string;
  resource: string;
  metadata: Record<string, unknown>;
}

/** Which jobs (seed §7.2's filters); every given field must match. */
export interface JobFilter {
  status?: JobStatus;
  destinationId?: string;
  destinationType?: string;
  /** Jobs created at or after this time (ISO 8601 UTC). */
  since?: string;
}

export interface JobQuery extends JobFilter {
  limit?: number;
  offset?: number;
}

/** How many jobs of a destination type ended (or stand) in a status: `jobs list --stats`. */
export interface JobStat {
  destination_type: string;
  status: JobStatus;
  count: number;
}

/** Everything a store holds, as `store import` copies it. */
export interface StoreRecords {
  jobs: JobRecord[];
  audit: AuditEvent[];
  security: SecurityEvent[];
}

/** The job + audit store (DESIGN.md §8). Embedded file store by default, TiDB in team mode. */
export interface Store {
  createJob(job: JobRecord): Promise<void>;
  /** Applies a partial update; returns the new record. Throws JOB_NOT_FOUND. */
  updateJob(jobId: string, patch: Partial<Omit<JobRecord, 'job_id'>>): Promise<JobRecord>;
  getJob(jobId: string): Promise<JobRecord | undefined>;
  /** Newest first (by created_at, then the later-created first); `limit`/`offset` page in the store. */
  listJobs(query?: JobQuery): Promise<JobRecord[]>;
  /** How many jobs match (the total a page of listJobs is out of). */
  countJobs(filter?: JobFilter): Promise<number>;
  /** Counts by destination type and status; a job without a destination type counts as "unknown". */
  jobStats(filter?: JobFilter): Promise<JobStat[]>;
  appendAudit(event: AuditEvent): Promise<void>;
  listAudit(filter?: { jobId?: string; transactionId?: string }): Promise<AuditEvent[]>;
  appendSecurity(event: SecurityEvent): Promise<void>;
  listSecurity(): Promise<SecurityEvent[]>;
  /**
   * `devguide-export store import`: records copied in from another store,
   * each kept only when its id is new (so a second run copies nothing).
   * Returns how many of each were new. Only the team store has it.
   */
  importRecords?(records: StoreRecords): Promise<{ jobs: number; audit: number; security: number }>;
  /** A database store's versioned, idempotent migrations (`devguide-export db migrate`); the file store has none. */
  migrate?(): Promise<{ version: number; description: string }[]>;
  /**
   * Where destinations keep what an update replaced, when the store keeps it
   * for everyone (the team store); without it, each machine's data folder.
   */
  readonly rollbackData?: RollbackData;
  /** Marks jobs left `running`/`queued` by a crashed process as failed (INTERRUPTED). Returns how many. */
  recoverInterrupted(): Promise<number>;
  close(): Promise<void>;
}

export type { ErrorInfo };
