import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { atomicWriteFile, type AtomicWriteFs } from './atomicWrite';
import type { RollbackData } from '../store/rollbackData';
import { assertNoSymlinkEscape, isStrictlyInside, sanitizeSegment } from './safePath';

/**
 * The previous content of files the local destination updated, kept for
 * rollback in the data folder (never beside the user's exports, where it
 * would end up in their repository): content-addressed objects, plus one
 * marker per job and file naming the object that job's rollback restores,
 * so a retried save of the same job keeps the true original. Objects no job
 * needs any more are pruned.
 */

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

async function readIfPresent(file: string): Promise<Buffer | undefined> {
  try {
    return await fsp.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

export class LocalBackups implements RollbackData {
  readonly objects: string;
  private readonly jobs: string;

  constructor(
    readonly root: string,
    private readonly fs: AtomicWriteFs,
  ) {
    this.objects = path.join(root, 'objects');
    this.jobs = path.join(root, 'jobs');
  }

  /** Keeps `previous` for this job's rollback of `target`; an earlier attempt of the same job already kept the original. */
  async keep(jobId: string, target: string, previous: Buffer): Promise<{ path: string; undo(): Promise<void> }> {
    const marker = this.markerOf(jobId, target);
    const recorded = (await readIfPresent(marker))?.toString('utf8').trim();
    if (recorded && /^[0-9a-f]{64}$/.test(recorded)) return { path: path.join(this.objects, recorded), undo: async () => undefined };
    const hash = sha256(previous);
    const object = path.join(this.objects, hash);
    await this.ensureFolder(this.objects);
    const createdObject = (await readIfPresent(object)) === undefined;
    if (createdObject) await atomicWriteFile(object, previous, { fs: this.fs, mode: 0o600 });
    await this.ensureFolder(path.dirname(marker));
    await atomicWriteFile(marker, hash, { fs: this.fs, mode: 0o600 });
    return {
      path: object,
      // The write it guarded failed: nothing of this job is left behind.
      undo: async () => {
        await fsp.rm(path.dirname(marker), { recursive: true, force: true });
        if (createdObject) await fsp.rm(object, { force: true });
      },
    };
  }

  /** The kept bytes at `objectPath`, or undefined when gone; refuses a path outside the objects folder. */
  async read(objectPath: string): Promise<Buffer | undefined> {
    if (!isStrictlyInside(this.objects, objectPath)) throw new Error(`not in the backup folder ${this.objects}`);
    await assertNoSymlinkEscape(this.root, objectPath);
    return readIfPresent(objectPath);
  }

  /** The job's rollback is done: its marker goes; the object stays until pruned (another job may share it). */
  async release(jobId: string): Promise<void> {
    await fsp.rm(path.join(this.jobs, sanitizeSegment(jobId) || 'job'), { recursive: true, force: true });
  }

  /** Removes objects that neither a marker nor `referenced` (completed jobs' rollback paths) points at. */
  async prune(referenced: ReadonlySet<string>): Promise<number> {
    const keep = new Set([...referenced].map((p) => path.resolve(p)));
    for (const marker of await listFiles(this.jobs)) {
      const hash = (await readIfPresent(marker))?.toString('utf8').trim();
      if (hash) keep.add(path.join(this.objects, hash));
    }
    let removed = 0;
    for (const object of await listFiles(this.objects)) {
      if (keep.has(object)) continue;
      await fsp.rm(object, { force: true });
      removed += 1;
    }
    return removed;
  }

  private markerOf(jobId: string, target: string): string {
    return path.join(this.jobs, sanitizeSegment(jobId) || 'job', sha256(path.resolve(target)));
  }

  private async ensureFolder(folder: string): Promise<void> {
    await fsp.mkdir(folder, { recursive: true, mode: 0o700 });
    await assertNoSymlinkEscape(this.root, folder);
  }
}

async function listFiles(folder: string): Promise<string[]> {
  try {
    const entries = await fsp.readdir(folder, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch {
    return [];
  }
}
