/**
 * Where a destination keeps what its rollback restores: the content an
 * update replaced, kept per job and target, content-addressed. The file
 * store keeps it in the data folder (LocalBackups); the team store keeps it
 * in its database, so any member may roll back an update another machine
 * made (issue 14: rollback data behind the same store interface).
 */
export interface RollbackData {
  /**
   * Keeps `previous` for this job's rollback of `target`; an earlier attempt
   * of the same job already kept the original (that one is returned).
   * `path` is the reference the job's rollback info records; `undo` removes
   * what this call added (the write it guarded failed).
   */
  keep(jobId: string, target: string, previous: Buffer): Promise<{ path: string; undo(): Promise<void> }>;
  /** The kept bytes, or undefined when they are gone; refuses a reference that is not its own. */
  read(reference: string): Promise<Buffer | undefined>;
  /** The job's rollback is done: its markers go; the content stays until pruned (another job may share it). */
  release(jobId: string): Promise<void>;
  /** Removes content that neither a job's marker nor `referenced` (completed jobs' rollback references) points at. */
  prune(referenced: ReadonlySet<string>): Promise<number>;
}

/** The references of content kept in the team store: `store:rollback/<sha-256>`. */
export const STORE_ROLLBACK_PREFIX = 'store:rollback/';

export function isStoreRollbackReference(reference: string): boolean {
  return reference.startsWith(STORE_ROLLBACK_PREFIX);
}
