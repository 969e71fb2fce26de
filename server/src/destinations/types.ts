import type { PublishResult, RollbackInfo } from '../model';

/**
 * What the review saw at the target (issue 11/12): a write must hold to it —
 * a CREATE creates only if the resource is still absent, an UPDATE replaces
 * only this version; otherwise the destination answers CONFLICT.
 */
export type ExpectedVersion = { exists: false } | { exists: true; version: string };

/** Where an export came from, for destinations that record it (a pull request's body). */
export interface ExportProvenance {
  source: string;
  sessionId: string;
  messageIds: string[];
  templateId: string;
  contentHash: string;
}

/** What a destination is asked to write. */
export interface SaveRequest {
  filename: string;
  content: string;
  /** Human summary for commit messages, PR titles, row titles. */
  title: string;
  metadata: Record<string, unknown>;
  jobId: string;
  /** What the review saw; absent: the destination reads the target itself right before writing. */
  expected?: ExpectedVersion;
  provenance?: ExportProvenance;
  signal?: AbortSignal;
}

export interface ExistingContent {
  location: string;
  content: string;
  /** The destination's version of it (GitHub: the blob sha), which a later save holds to. */
  version?: string;
}

export interface ImpactDescription {
  /** e.g. `exports/demo.md`, `owner/repo@main:docs/demo.md`. */
  resource: string;
  action: 'CREATE' | 'UPDATE';
  /** e.g. "file will be publicly visible". */
  warnings: string[];
}

export interface ConnectionCheck {
  ok: boolean;
  message: string;
  latencyMs: number;
}

/**
 * DESIGN.md §6: one interface for every destination type. Every call takes
 * an AbortSignal (Cancel reaches the network); dispose() closes what the
 * destination holds open (pools, sockets) once its export is done.
 */
export interface Destination {
  readonly id: string;
  readonly type: string;
  validateConfig(): void;
  testConnection(signal?: AbortSignal): Promise<ConnectionCheck>;
  fetchExisting(filename: string, signal?: AbortSignal): Promise<ExistingContent | undefined>;
  describeImpact(filename: string, signal?: AbortSignal): Promise<ImpactDescription>;
  save(request: SaveRequest): Promise<PublishResult>;
  /**
   * Writes several files as one change, all or nothing (GitHub: one commit,
   * or one pull request); results in the order of `requests`. Optional: a
   * batch falls back to one save() each.
   */
  saveBatch?(requests: SaveRequest[], signal?: AbortSignal): Promise<PublishResult[]>;
  /**
   * True when the destination retries transient failures and waits out rate
   * limits itself (GitHub: Octokit's retry and throttling plugins): the
   * publish stage then calls it once instead of retrying around it.
   */
  readonly retriesInternally?: boolean;
  rollback(info: RollbackInfo, signal?: AbortSignal): Promise<void>;
  dispose(): Promise<void>;
}
