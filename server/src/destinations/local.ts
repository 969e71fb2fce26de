import { createHash, webcrypto } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { systemClock, type Clock } from '../clock';
import { localDestinationSchema, type LocalDestinationConfig } from './localDescriptor';
import { ExportError } from '../errors';
import type { PublishResult, RollbackInfo } from '../model';
import { atomicWriteFile, nodeAtomicWriteFs, sweepCrashLeftovers, type AtomicWriteFs } from './atomicWrite';
import { isProcessAlive } from '../store/processOwner';
import { LocalBackups } from './localBackups';
import {
  assertNoSymlinkEscape,
  isInsideOrEqual,
  isStrictlyInside,
  resolveInside,
  sanitizeFilename,
  sanitizeSegment,
  withNumericSuffix,
} from './safePath';
import { withFileLock, LockTimeoutError } from '../store/fileLock';
import type { ConnectionCheck, Destination, ExistingContent, Expectation, ImpactDescription, SaveRequest } from './types';

/**
 * The local-disk destination. Files go strictly inside `baseDir` (see
 * safePath.ts), are replaced atomically, and every UPDATE keeps the previous
 * bytes in the data folder (localBackups.ts), never beside the exports, so
 * it can be rolled back.
 *
 * Rollback refuses (ROLLBACK_FAILED) when the file was changed after the
 * export: deleting or restoring it would throw away someone's later edits.
 */

export interface LocalDestinationOptions {
  workspaceRoot: string;
  clock?: Clock;
  /** Where previous versions are kept for rollback: a folder of the data folder, outside `baseDir`. */
  backupDir: string;
  /** Injected for fault tests; defaults to node:fs. */
  fs?: AtomicWriteFs;
}

/** Larger existing files are not read back (preview/diff would be pointless and costly). */
const MAX_EXISTING_BYTES = 64 * 1024 * 1024;
const MAX_NUMBERED_NAMES = 10_000;

const saveRequestSchema = z.object({
  filename: z.string(),
  content: z.string(),
  jobId: z.string().min(1),
  expected: z.discriminatedUnion('exists', [
    z.object({ exists: z.literal(false) }),
    z.object({ exists: z.literal(true), version: z.string().min(1) }),
  ]),
});

/** How long a save waits for another export writing the same file before it reports CONFLICT. */
const TARGET_LOCK_TIMEOUT_MS = 15_000;

// Rollback info comes back from the job store: treat it as outside input.
const rollbackInfoSchema = z.object({
  destinationId: z.string(),
  location: z.string().min(1),
  action: z.enum(['CREATE', 'UPDATE']),
  previous: z.string().min(1).optional(),
  extra: z.record(z.string(), z.string()).optional(),
});

function errnoCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

/** Maps a file-system error to an ExportError naming the path (never a stack). */
export function fileSystemFailure(error: unknown, verb: string, file: string): ExportError {
  if (error instanceof ExportError) return error;
  const code = errnoCode(error);
  const details = { path: file, errno: code ?? 'unknown' };
  const fail = (message: string, recoverable: boolean, errorCode: 'WRITE_FAILED' | 'PERMISSION_DENIED' = 'WRITE_FAILED') =>
    new ExportError(errorCode, `Cannot ${verb} ${file}: ${message}`, { details, recoverable, cause: error });
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return fail('permission denied', false, 'PERMISSION_DENIED');
    case 'ENOSPC':
    case 'EDQUOT':
      return fail('no space left on the device', true);
    case 'EISDIR':
      return fail('a folder is in the way', false);
    case 'ENOTDIR':
    case 'EEXIST':
      return fail('a file is in the way of a folder', false);
    case 'ENAMETOOLONG':
      return fail('the path is too long', false);
    default:
      return fail(code === undefined ? 'unexpected error' : `file system error ${code}`, true);
  }
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The same digest computed on the thread pool (WebCrypto), so it overlaps the write and fsync. */
async function sha256OffThread(data: Uint8Array): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', data)).toString('hex');
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.lstat(file);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return false;
    throw error;
  }
}

/** The file's bytes, or undefined when there is no file. A folder in the way is an error. */
async function readIfFile(file: string): Promise<Buffer | undefined> {
  let size: number;
  try {
    const stats = await fsp.stat(file);
    if (stats.isDirectory()) {
      throw new ExportError('WRITE_FAILED', `${file} is a folder, not a file`, { details: { path: file }, recoverable: false });
    }
    size = stats.size;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return undefined;
    throw error;
  }
  if (size > MAX_EXISTING_BYTES) {
    throw new ExportError('CONTENT_TOO_LARGE', `${file} is too large to read back (${size} bytes)`, {
      details: { path: file, size },
      recoverable: false,
    });
  }
  return fsp.readFile(file);
}

function conflict(file: string, what: string): ExportError {
  return new ExportError('CONFLICT', `${file} ${what}: nothing was written. Preview the export again to review it as it is now.`, {
    details: { path: file },
    recoverable: true,
  });
}

/** The write holds to the review: CREATE only while absent, UPDATE only over the version reviewed. */
function assertAsReviewed(file: string, expected: Expectation, actualVersion: string | undefined): void {
  if (!expected.exists && actualVersion !== undefined) throw conflict(file, 'was created after the review (which saw no file)');
  if (expected.exists && actualVersion === undefined) throw conflict(file, 'was removed after the review');
  if (expected.exists && actualVersion !== expected.version) throw conflict(file, 'was changed after the review');
}

function rollbackFailure(message: string, cause?: unknown, recoverable = false): ExportError {
  return new ExportError('ROLLBACK_FAILED', message, { recoverable, cause });
}

class LocalDestination implements Destination {
  readonly type = 'local' as const;
  readonly id: string;
  private readonly parsed: ReturnType<typeof localDestinationSchema.safeParse>;
  private readonly workspaceRoot: string;
  private readonly baseDir: string;
  private readonly backups: LocalBackups;
  private readonly onExisting: 'update' | 'rename';
  private readonly clock: Clock;
  private readonly fs: AtomicWriteFs;

  constructor(config: LocalDestinationConfig, options: LocalDestinationOptions) {
    this.parsed = localDestinationSchema.safeParse(config);
    const valid = this.parsed.success ? this.parsed.data : undefined;
    this.id = typeof config.id === 'string' ? config.id : 'local';
    this.workspaceRoot = path.resolve(options.workspaceRoot);
    this.baseDir = path.resolve(this.workspaceRoot, valid?.baseDir ?? './exports');
    this.fs = options.fs ?? nodeAtomicWriteFs;
    this.backups = new LocalBackups(path.resolve(this.workspaceRoot, options.backupDir), this.fs);
    this.onExisting = valid?.onExisting ?? 'update';
    this.clock = options.clock ?? systemClock;
  }

  validateConfig(): void {
    if (!this.parsed.success) {
      const problems = this.parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new ExportError('DESTINATION_CONFIG_INVALID', `Local destination "${this.id}" is misconfigured: ${problems.join('; ')}`, {
        details: { problems },
        recoverable: false,
      });
    }
    if (this.parsed.data.baseDir.includes('\0')) {
      throw new ExportError('DESTINATION_CONFIG_INVALID', `Local destination "${this.id}": baseDir contains a NUL character`, {
        recoverable: false,
      });
    }
  }

  normalizeFilename(filename: string): string {
    return sanitizeFilename(filename);
  }

  async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
    signal?.throwIfAborted();
    const started = this.clock.monotonic();
    const latency = () => Math.max(0, Math.round(this.clock.monotonic() - started));
    try {
      this.validateConfig();
      await this.createFolder(this.baseDir, 'create folder');
      const probe = path.join(this.baseDir, `.devguide-probe-${process.pid}-${Date.now().toString(36)}`);
      try {
        const handle = await this.fs.open(probe, 'wx');
        await handle.close();
        await this.fs.unlink(probe);
      } catch (error) {
        throw fileSystemFailure(error, 'write to', this.baseDir);
      }
      return { ok: true, message: `${this.baseDir} is writable`, latencyMs: latency() };
    } catch (error) {
      const message = error instanceof ExportError ? error.message : `Cannot use ${this.baseDir}`;
      return { ok: false, message, latencyMs: latency() };
    }
  }

  async fetchExisting(filename: string, signal?: AbortSignal): Promise<ExistingContent | undefined> {
    signal?.throwIfAborted();
    this.validateConfig();
    const target = resolveInside(this.baseDir, filename);
    try {
      if (!(await exists(this.baseDir))) return undefined;
      await assertNoSymlinkEscape(this.baseDir, target);
      const bytes = await readIfFile(target);
      return bytes === undefined ? undefined : { location: target, content: bytes.toString('utf8'), version: sha256(bytes) };
    } catch (error) {
      throw fileSystemFailure(error, 'read', target);
    }
  }

  async describeImpact(filename: string, signal?: AbortSignal): Promise<ImpactDescription> {
    signal?.throwIfAborted();
    this.validateConfig();
    const target = resolveInside(this.baseDir, filename);
    const warnings: string[] = [];
    const sanitized = sanitizeFilename(filename);
    if (sanitized !== filename) warnings.push(`The filename "${filename}" will be saved as "${sanitized}"`);
    if (!isInsideOrEqual(this.workspaceRoot, this.baseDir)) {
      warnings.push(`The destination folder ${this.baseDir} is outside the workspace`);
    }
    let present = false;
    try {
      if (await exists(this.baseDir)) {
        await assertNoSymlinkEscape(this.baseDir, target);
        // stat, not lstat: a dangling link counts as absent, as it does when saving.
        const stats = await fsp.stat(target).catch((error: unknown) => {
          if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return undefined;
          throw error;
        });
        present = stats !== undefined;
        if (stats?.isDirectory()) warnings.push(`${target} is a folder: the export will fail`);
      }
    } catch (error) {
      throw fileSystemFailure(error, 'inspect', target);
    }
    if (present && this.onExisting === 'rename') {
      const numbered = withNumericSuffix(path.basename(target), 1);
      warnings.push(`"${path.basename(target)}" exists: a new file with a numbered name (e.g. "${numbered}") will be created`);
    }
    return {
      resource: this.displayPath(target),
      action: present && this.onExisting === 'update' ? 'UPDATE' : 'CREATE',
      warnings,
    };
  }

  async save(request: SaveRequest): Promise<PublishResult> {
    request.signal?.throwIfAborted();
    this.validateConfig();
    const input = saveRequestSchema.safeParse(request);
    if (!input.success) {
      throw new ExportError('INVALID_INPUT', 'Save request needs a filename, content, job id and what the review saw', { recoverable: false });
    }
    const { filename, content, jobId, expected } = input.data;
    const target = resolveInside(this.baseDir, filename);
    try {
      await this.createFolder(path.dirname(target), 'create folder');
      // A writer killed mid-write left its temp file here: gone with the next export into the folder.
      await sweepCrashLeftovers(path.dirname(target), this.clock.now().getTime(), isProcessAlive);
      if (this.onExisting === 'rename') return await this.saveUnderFreeName(target, content);
      // One writer per file at a time, across processes: the check against the review and the write are one step.
      return await this.whileHolding(target, () => this.saveReplacing(target, content, jobId, expected));
    } catch (error) {
      throw fileSystemFailure(error, 'write', target);
    }
  }

  async rollback(info: RollbackInfo, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.validateConfig();
    const parsed = rollbackInfoSchema.safeParse(info);
    if (!parsed.success) throw rollbackFailure('Rollback information for a local export is malformed');
    const { destinationId, action, previous, extra } = parsed.data;
    if (destinationId !== this.id) {
      throw rollbackFailure(`Rollback information belongs to destination "${destinationId}", not "${this.id}"`);
    }
    const location = path.resolve(parsed.data.location);
    if (!isStrictlyInside(this.baseDir, location)) {
      throw rollbackFailure(`Refusing to roll back ${location}: it is outside the destination folder ${this.baseDir}`);
    }
    try {
      if (action === 'CREATE') await this.undoCreate(location, extra?.sha256);
      else await this.undoUpdate(location, previous, extra?.sha256, extra?.previousSha256, extra?.jobId);
    } catch (error) {
      if (error instanceof ExportError && error.code === 'ROLLBACK_FAILED') throw error;
      const cause = fileSystemFailure(error, 'roll back', location);
      throw rollbackFailure(`Rollback failed: ${cause.message}`, error, cause.recoverable);
    }
  }

  // --- saving ------------------------------------------------------------

  /** Nothing is held open between calls. */
  async dispose(): Promise<void> {}

  private async saveReplacing(target: string, content: string, jobId: string, expected: Expectation): Promise<PublishResult> {
    // Encoding (~2 ms a megabyte) runs while the target is being looked up.
    const lookup = this.readTarget(target);
    const bytes = Buffer.from(content, 'utf8');
    const existing = await lookup;
    assertAsReviewed(this.displayPath(target), expected, existing === undefined ? undefined : sha256(existing));
    if (existing === undefined) {
      // Exclusive: a file that appears meanwhile (a writer outside DevGuide) is never replaced.
      const [, digest] = await Promise.all([
        atomicWriteFile(target, bytes, { fs: this.fs, exclusive: true }).catch((error: unknown) => {
          throw errnoCode(error) === 'EEXIST' ? conflict(this.displayPath(target), 'was created by someone else after the review') : error;
        }),
        sha256OffThread(bytes),
      ]);
      return this.result(target, 'CREATE', bytes, digest);
    }
    const backup = await this.backups.keep(jobId, target, existing);
    let digest: string;
    try {
      [, digest] = await Promise.all([atomicWriteFile(target, bytes, { fs: this.fs }), sha256OffThread(bytes)]);
    } catch (error) {
      await backup.undo().catch(() => undefined);
      throw error;
    }
    return this.result(target, 'UPDATE', bytes, digest, backup.path, sha256(existing), jobId);
  }

  /** Never overwrites: claims `name.md`, `name_1.md`, … with an exclusive create, then fills it atomically. */
  private async saveUnderFreeName(target: string, content: string): Promise<PublishResult> {
    const bytes = Buffer.from(content, 'utf8');
    const claimed = await this.claimFreeName(target);
    let digest: string;
    try {
      await assertNoSymlinkEscape(this.baseDir, claimed);
      [, digest] = await Promise.all([atomicWriteFile(claimed, bytes, { fs: this.fs }), sha256OffThread(bytes)]);
    } catch (error) {
      await fsp.unlink(claimed).catch(() => undefined);
      throw error;
    }
    return this.result(claimed, 'CREATE', bytes, digest);
  }

  private async claimFreeName(target: string): Promise<string> {
    const folder = path.dirname(target);
    const name = path.basename(target);
    for (let counter = 0; counter < MAX_NUMBERED_NAMES; counter++) {
      const candidate = counter === 0 ? target : path.join(folder, withNumericSuffix(name, counter));
      try {
        // An empty placeholder: a crash later leaves an empty file, never a partial one.
        const handle = await this.fs.open(candidate, 'wx');
        await handle.close();
        return candidate;
      } catch (error) {
        if (errnoCode(error) !== 'EEXIST') throw error;
      }
    }
    throw new ExportError('CONFLICT', `No free numbered name left for ${target}`, { recoverable: false });
  }

  private async whileHolding<T>(target: string, write: () => Promise<T>): Promise<T> {
    const locks = path.join(this.backups.root, 'locks');
    await fsp.mkdir(locks, { recursive: true, mode: 0o700 });
    const lock = path.join(locks, `${createHash('sha256').update(target).digest('hex')}.lock`);
    try {
      return await withFileLock(lock, { timeoutMs: TARGET_LOCK_TIMEOUT_MS }, write);
    } catch (error) {
      if (error instanceof LockTimeoutError) throw conflict(this.displayPath(target), 'is being written by another export');
      throw error;
    }
  }

  private async readTarget(target: string): Promise<Buffer | undefined> {
    await assertNoSymlinkEscape(this.baseDir, target);
    return readIfFile(target);
  }

  private result(
    location: string,
    action: 'CREATE' | 'UPDATE',
    bytes: Buffer,
    bytesSha256: string,
    previous?: string,
    previousSha256?: string,
    jobId?: string,
  ): PublishResult {
    const extra: Record<string, string> = { sha256: bytesSha256 };
    if (previousSha256 !== undefined) extra.previousSha256 = previousSha256;
    if (jobId !== undefined) extra.jobId = jobId;
    const rollback: RollbackInfo = { destinationId: this.id, location, action, extra };
    if (previous !== undefined) rollback.previous = previous;
    return { location, url: pathToFileURL(location).href, action, bytesWritten: bytes.length, rollback };
  }

  // --- rolling back ------------------------------------------------------

  private async undoCreate(location: string, writtenSha256: string | undefined): Promise<void> {
    if (!(await exists(this.baseDir))) return;
    const current = await this.readTarget(location);
    if (current === undefined) return; // already gone
    if (writtenSha256 !== undefined && sha256(current) !== writtenSha256) {
      throw rollbackFailure(`${location} was changed after the export; it was left in place`);
    }
    await fsp.unlink(location);
  }

  private async undoUpdate(
    location: string,
    previous: string | undefined,
    writtenSha256: string | undefined,
    previousSha256: string | undefined,
    jobId: string | undefined,
  ): Promise<void> {
    if (previous === undefined) throw rollbackFailure(`No previous version of ${location} was recorded`);
    const backupPath = path.resolve(previous);
    if (!isStrictlyInside(this.backups.objects, backupPath)) {
      throw rollbackFailure(`Refusing to restore from ${backupPath}: it is not in the backup folder ${this.backups.objects}`);
    }
    const current = (await exists(this.baseDir)) ? await this.readTarget(location) : undefined;
    const currentSha = current === undefined ? undefined : sha256(current);
    const saved = await this.backups.read(backupPath);
    if (saved === undefined) {
      if (currentSha !== undefined && currentSha === previousSha256) return; // rolled back before
      throw rollbackFailure(`The backup of ${location} is missing (${backupPath})`);
    }
    const changedSinceExport = currentSha !== undefined && writtenSha256 !== undefined && currentSha !== writtenSha256;
    if (changedSinceExport && currentSha !== sha256(saved)) {
      throw rollbackFailure(`${location} was changed after the export; it was not restored (backup kept at ${backupPath})`);
    }
    await this.createFolder(path.dirname(location), 'create folder');
    await assertNoSymlinkEscape(this.baseDir, location);
    await atomicWriteFile(location, saved, { fs: this.fs });
    if (jobId) await this.backups.release(jobId);
  }

  // --- folders -----------------------------------------------------------

  /** mkdir -p that refuses to follow a symlink out of its anchor (checked before and after). */
  private async createFolder(folder: string, verb: string): Promise<void> {
    const anchor = this.baseDir;
    try {
      await fsp.mkdir(anchor, { recursive: true });
      // The anchor itself (the usual case: no subfolder) has no way out of itself to check.
      if (folder === anchor) return;
      await assertNoSymlinkEscape(anchor, folder);
      await fsp.mkdir(folder, { recursive: true });
      await assertNoSymlinkEscape(anchor, folder);
    } catch (error) {
      throw fileSystemFailure(error, verb, folder);
    }
  }

  private displayPath(target: string): string {
    if (!isStrictlyInside(this.workspaceRoot, target)) return target;
    return path.relative(this.workspaceRoot, target).split(path.sep).join('/');
  }
}

export function createLocalDestination(config: LocalDestinationConfig, options: LocalDestinationOptions): Destination {
  return new LocalDestination(config, options);
}
