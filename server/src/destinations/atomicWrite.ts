import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/**
 * Crash-safe file replacement: the target either keeps its old content or
 * has the new content in full, never a partial write.
 */

/** The part of a file handle atomic writes use (fs.promises' FileHandle fits). */
export interface WritableHandle {
  write(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The file-system calls atomic writes use; injectable to test failures. */
export interface AtomicWriteFs {
  open(file: string, flags: string, mode?: number): Promise<WritableHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  /** A hard link: fails with EEXIST when `to` exists (exclusive creates). */
  link(from: string, to: string): Promise<void>;
}

export const nodeAtomicWriteFs: AtomicWriteFs = {
  open: (file, flags, mode) => fsp.open(file, flags, mode),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (file) => fsp.unlink(file),
  link: (from, to) => fsp.link(from, to),
};

export interface AtomicWriteOptions {
  fs?: AtomicWriteFs;
  /** Permission bits for a newly created file (before umask). */
  mode?: number;
  /**
   * Create only: the complete file appears under `target` only if nothing
   * is there (a hard link, not a rename), else the write fails with EEXIST
   * and whatever is at `target` stays as it is.
   */
  exclusive?: boolean;
}

/**
 * Temp files start with a dot (sanitised export names never do, so they
 * cannot collide) and carry the writer's pid, so a crash's leftovers can be
 * told from a live writer's file (sweepCrashLeftovers).
 */
export const TEMP_FILE_PATTERN = /^\.devguide-tmp-(\d+)-[0-9a-f]+\.tmp$/;

function tempPathFor(target: string): string {
  const unique = `${process.pid}-${randomBytes(6).toString('hex')}`;
  // Not derived from the target's name, which may already use the 255-byte limit.
  return path.join(path.dirname(target), `.devguide-tmp-${unique}.tmp`);
}

async function writeAll(handle: WritableHandle, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset, null);
    if (bytesWritten <= 0) throw new Error('write made no progress');
    offset += bytesWritten;
  }
}

/** Best effort: makes the rename itself durable. Not supported everywhere (e.g. Windows). */
async function syncDirectory(fs: AtomicWriteFs, directory: string): Promise<void> {
  let handle: WritableHandle | undefined;
  try {
    handle = await fs.open(directory, 'r');
    await handle.sync();
  } catch {
    // Durability of the directory entry is a bonus, not a requirement.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Writes `data` to `target` atomically: temp file in the same folder
 * (exclusive create), write everything, fsync, close, rename over the
 * target (or, `exclusive`, link it in only where nothing is), fsync the folder. On failure the temp file is removed and the
 * target is untouched. The parent folder must exist. Returns bytes written.
 */
export async function atomicWriteFile(
  target: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<number> {
  const fs = options.fs ?? nodeAtomicWriteFs;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const temp = tempPathFor(target);
  let handle: WritableHandle | undefined;
  let tempCreated = false;
  try {
    handle = await fs.open(temp, 'wx', options.mode ?? 0o666);
    tempCreated = true;
    await writeAll(handle, bytes);
    await handle.sync();
    const closing = handle;
    handle = undefined;
    await closing.close();
    if (options.exclusive) {
      await fs.link(temp, target);
      await fs.unlink(temp).catch(() => undefined);
    } else {
      await fs.rename(temp, target);
    }
    tempCreated = false;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    if (tempCreated) await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(fs, path.dirname(target));
  return bytes.length;
}

/**
 * Removes what a writer killed mid-write (kill -9, a crash) left in `folder`:
 * files named like our temp files whose writer process is gone (on this
 * host) and that are older than `olderThanMs` — never anything else.
 * Best effort: a folder that cannot be read is left alone. Returns how many.
 */
export async function sweepCrashLeftovers(folder: string, olderThanMs: number, isAlive: (pid: number) => boolean): Promise<number> {
  let names: string[];
  try {
    names = await fsp.readdir(folder);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const match = TEMP_FILE_PATTERN.exec(name);
    const pid = Number(match?.[1]);
    if (!match || pid === process.pid || isAlive(pid)) continue;
    const file = path.join(folder, name);
    const stats = await fsp.lstat(file).catch(() => undefined);
    if (!stats?.isFile() || stats.mtimeMs >= olderThanMs) continue;
    await fsp.unlink(file).then(() => (removed += 1), () => undefined);
  }
  return removed;
}
