import { randomUUID } from 'node:crypto';
import { closeSync, openSync, promises as fs, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import { isProcessAlive } from './processOwner';

/**
 * A cross-process lock held only for the length of one append: a file
 * created with O_EXCL (`wx`) holding `{pid, host, at, token}`.
 *
 * A lock is stale when its holder is a dead pid on this host, or when it is
 * older than `staleMs` (a holder that hung, or one on another host). Taking
 * over renames the stale file aside and checks that what was moved is the
 * lock judged stale; if another process had just taken the slot, its lock is
 * put back. Releasing removes the file only if it still holds our token.
 *
 * Creating, reading and removing the lock file are synchronous calls: each
 * is a few microseconds of local metadata work, where an asynchronous call
 * costs a thread-pool round trip of 0.1 ms or more, and every store write
 * takes the lock. Waiting for a busy lock stays asynchronous.
 */

export interface FileLockOptions {
  /** Age after which a lock counts as abandoned even if its pid is alive. */
  staleMs?: number;
  /** How long to wait for a busy lock before giving up. */
  timeoutMs?: number;
}

export const DEFAULT_LOCK_STALE_MS = 10_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 15_000;

const lockContentSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  at: z.number(),
  token: z.string(),
});

export type LockContent = z.infer<typeof lockContentSchema>;

export class LockTimeoutError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockContent | undefined,
  ) {
    super(
      holder === undefined
        ? `timed out waiting for the lock ${lockPath}`
        : `timed out waiting for the lock ${lockPath} held by process ${holder.pid} on ${holder.host}`,
    );
    this.name = 'LockTimeoutError';
  }
}

export async function withFileLock<T>(lockPath: string, options: FileLockOptions, body: () => Promise<T>): Promise<T> {
  const token = await acquire(lockPath, options);
  try {
    return await body();
  } finally {
    release(lockPath, token);
  }
}

async function acquire(lockPath: string, options: FileLockOptions): Promise<string> {
  const staleMs = options.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
  const token = randomUUID();
  let delayMs = 1;
  for (;;) {
    if (tryCreate(lockPath, token)) return token;
    // Undefined: released between our two calls, so try again at once.
    const observed = readLock(lockPath);
    if (observed === undefined) continue;
    if (Date.now() >= deadline) throw new LockTimeoutError(lockPath, observed.content);
    if (isStale(observed, staleMs)) {
      await removeIfUnchanged(lockPath, observed.raw);
    } else {
      await delay(delayMs + Math.random() * delayMs);
      delayMs = Math.min(delayMs * 2, 10);
    }
  }
}

function tryCreate(lockPath: string, token: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    const content: LockContent = { pid: process.pid, host: hostname(), at: Date.now(), token };
    writeSync(fd, JSON.stringify(content));
  } catch (error) {
    // A full disk: no empty lock may stay behind to stall the next writer.
    closeSync(fd);
    try {
      unlinkSync(lockPath);
    } catch {
      // removed already
    }
    throw error;
  }
  closeSync(fd);
  return true;
}

interface ObservedLock {
  raw: string;
  /** Undefined while the holder has created the file but not yet written it, or if it crashed in between. */
  content: LockContent | undefined;
  modifiedAt: number;
}

function readLock(lockPath: string): ObservedLock | undefined {
  try {
    const raw = readFileSync(lockPath, 'utf8');
    return { raw, content: parseLock(raw), modifiedAt: statSync(lockPath).mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseLock(raw: string): LockContent | undefined {
  try {
    const parsed = lockContentSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A holder writes its lock right after creating it: a file still empty or
 * unreadable after this long was left by a writer that died or failed in
 * between (e.g. a full disk), and is stale at once rather than after staleMs.
 */
const UNWRITTEN_LOCK_MS = 1_000;

function isStale(observed: ObservedLock, staleMs: number, now = Date.now()): boolean {
  const { content } = observed;
  if (content === undefined && now - observed.modifiedAt > UNWRITTEN_LOCK_MS) return true;
  if (content !== undefined && content.host === hostname() && content.pid !== process.pid && !isProcessAlive(content.pid)) {
    return true;
  }
  const since = content?.at ?? observed.modifiedAt;
  return now - since > staleMs;
}

async function removeIfUnchanged(lockPath: string, judgedRaw: string): Promise<void> {
  const aside = `${lockPath}.${process.pid}.${randomUUID()}.stale`;
  try {
    await fs.rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else removed it first
    throw error;
  }
  const moved = await fs.readFile(aside, 'utf8').catch(() => judgedRaw);
  if (moved !== judgedRaw) {
    // We moved a lock another process had just taken: give it back unless the slot is taken again.
    await fs.link(aside, lockPath).catch(() => undefined);
  }
  await fs.rm(aside, { force: true });
}

function release(lockPath: string, token: string): void {
  let raw = '';
  try {
    raw = readFileSync(lockPath, 'utf8');
  } catch {
    return; // gone: nothing of ours to remove
  }
  if (parseLock(raw)?.token !== token) return;
  try {
    unlinkSync(lockPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
