import { hostname } from 'node:os';
import type { JobOwner } from './types';

/**
 * Who owns a queued or running job, and whether that process is still
 * there. A pid alone is not an identity (containers reuse low pids on every
 * run), so the owner also carries the process start time.
 */

const PROCESS_STARTED_AT = new Date(Date.now() - process.uptime() * 1000).toISOString();

export function currentOwner(): JobOwner {
  return { pid: process.pid, host: hostname(), started_at: PROCESS_STARTED_AT };
}

/** `kill(pid, 0)` sends nothing; it only asks whether the pid exists. EPERM means it does (another user's). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * True when the owning process certainly exited. A job with no owner was not
 * written by a live store (both stores stamp one), so it counts as orphaned.
 * An owner on another host cannot be checked and is left alone.
 */
export function ownerIsGone(
  owner: JobOwner | undefined,
  self: JobOwner = currentOwner(),
  isAlive: (pid: number) => boolean = isProcessAlive,
): boolean {
  if (owner === undefined) return true;
  if (owner.host !== self.host) return false;
  if (owner.pid === self.pid) return owner.started_at !== self.started_at;
  return !isAlive(owner.pid);
}
