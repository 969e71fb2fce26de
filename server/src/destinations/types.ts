import type { PublishResult, RollbackInfo } from '../model';

/** What a destination is asked to write. */
export interface SaveRequest {
  filename: string;
  content: string;
  /** Human summary for commit messages, PR titles, row titles. */
  title: string;
  metadata: Record<string, unknown>;
  jobId: string;
  signal?: AbortSignal;
  /**
   * What the review saw at the target (issue 11): a CREATE writes only if the
   * file is still absent, an UPDATE only over the version the review saw;
   * otherwise CONFLICT. Absent: no check (e.g. a destination without versions).
   */
  expected?: ExpectedTarget;
}

/** `version`: the destination's version id of what the review saw (a Drive file's headRevisionId). */
export type ExpectedTarget = { exists: false } | { exists: true; version: string };

export interface ExistingContent {
  location: string;
  content: string;
  /** The version this content is (a Drive file's headRevisionId), when the destination has versions. */
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
  rollback(info: RollbackInfo, signal?: AbortSignal): Promise<void>;
  dispose(): Promise<void>;
}
