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
}

export interface ExistingContent {
  location: string;
  content: string;
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
