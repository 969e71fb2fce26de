import type { PublishResult, RollbackInfo } from '../model';

/**
 * What the review saw at the target: nothing, or one version of it. A save
 * writes only while that still holds — a CREATE only if the resource is
 * still absent, an UPDATE only over the version reviewed — and otherwise
 * fails with CONFLICT (recoverable: review again) without touching it.
 */
export type Expectation = { exists: false } | { exists: true; version: string };

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
  /** What the review saw (see Expectation); every destination holds its write to it. */
  expected: Expectation;
  provenance?: ExportProvenance;
  /** Human summary for commit messages, PR titles, row titles. */
  title: string;
  metadata: Record<string, unknown>;
  jobId: string;
  signal?: AbortSignal;
}

export interface ExistingContent {
  location: string;
  content: string;
  /**
   * This version of the resource, as the destination tells versions apart:
   * the SHA-256 of a local file's bytes, a GitHub blob sha, a row's content
   * hash, a Drive revision id. A save's Expectation names it.
   */
  version: string;
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
 *
 * The write contract: save() holds to `request.expected` (what
 * fetchExisting gave the review) — exclusive create for a CREATE, replace
 * only the reviewed version for an UPDATE, else CONFLICT and nothing
 * written. Never a blind overwrite.
 */
export interface Destination {
  readonly id: string;
  readonly type: string;
  validateConfig(): void;
  /** The name a file gets there (e.g. `a?.md` → `a_.md` on disk): what the review shows and the job records. */
  normalizeFilename(filename: string): string;
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

/** The Expectation a review of `existing` amounts to. */
export function expectationOf(existing: ExistingContent | undefined): Expectation {
  return existing === undefined ? { exists: false } : { exists: true, version: existing.version };
}
