import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ExportError } from '../../errors';
import type { PublishResult, RollbackInfo } from '../../model';
import type { DriveDestinationConfig } from '../driveDescriptor';
import { mimeTypeOf } from '../mimeTypes';
import type { ConnectionCheck, Destination, ExistingContent, Expectation, ImpactDescription, SaveRequest } from '../types';
import { DriveApi, FILE_FIELDS, FOLDER_MIME, fileSchema, type DriveFile, type DriveFolder, type FileWrite } from './api';
import { createDriveAuth, type DriveAuth } from './auth';
import { parseDriveCredentials } from './credentials';
import { DEFAULT_RETRY_POLICY, DriveRequests, type RetryPolicy } from './requests';
import { resumableUpload } from './resumable';

/**
 * The Google Drive destination: one folder; an export creates the file of
 * its name there or replaces the content of the one that is there (Drive
 * keeps the replaced content as a revision). Rollback trashes a created
 * file and restores the replaced revision of an updated one — refused when
 * the file changed after the export, so nobody's later edit is lost.
 *
 * Every write is tagged with its job id (appProperties.devguideJobId): a
 * write whose answer was lost is recognised instead of made twice, so the
 * job store and the folder agree whatever fails.
 */

export interface DriveDestinationOptions {
  /** The `oauth_credentials` secret, read once, on first use. */
  credentials(): Promise<string | undefined>;
  /** Where the CLI reads the credentials, for the "no credentials" message. */
  credentialsEnvName: string;
  retry?: Partial<RetryPolicy>;
  /** Time limit of one HTTP request. */
  timeoutMs?: number;
  /** Largest upload sent as one multipart request; larger ones are resumable. */
  multipartLimitBytes?: number;
  /** Bytes per request of a resumable upload (a multiple of 256 KiB). */
  chunkBytes?: number;
}

export const MULTIPART_LIMIT_BYTES = 5 * 1024 * 1024;
const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
/** Larger existing files are not read back for the diff. */
const MAX_EXISTING_BYTES = 64 * 1024 * 1024;
const JOB_PROPERTY = 'devguideJobId';
const RESTORED_PROPERTY = 'devguideRestoredFrom';

const saveRequestSchema = z.object({ filename: z.string(), content: z.string(), jobId: z.string().min(1) });

// Rollback info comes back from the job store: outside input.
const rollbackInfoSchema = z.object({
  destinationId: z.string(),
  location: z.string().min(1),
  action: z.enum(['CREATE', 'UPDATE']),
  previous: z.string().min(1).optional(),
  extra: z.object({ fileId: z.string().min(1), revisionId: z.string().min(1).optional(), md5: z.string().optional(), folderId: z.string().optional() }),
});

function rollbackFailure(message: string, recoverable = false): ExportError {
  return new ExportError('ROLLBACK_FAILED', message, { recoverable });
}

/** A CONFLICT decided here: the publish stage must not retry it (details.attempts, see pipeline/retry.ts). */
function conflict(message: string): ExportError {
  return new ExportError('CONFLICT', `${message} Nothing was written; preview the export again.`, { details: { attempts: 1 }, recoverable: true });
}

/** Folders and Google Docs/Sheets/… have no bytes to replace. */
function replaceable(file: DriveFile): boolean {
  return !file.mimeType.startsWith('application/vnd.google-apps.');
}

function linkOf(file: DriveFile): string {
  return file.webViewLink ?? `https://drive.google.com/file/d/${encodeURIComponent(file.id)}/view`;
}

/** The file an export of this name replaces: the most recently modified one (Drive allows several of a name). */
function pick(files: DriveFile[]): DriveFile | undefined {
  return [...files].sort((a, b) => (b.modifiedTime ?? '').localeCompare(a.modifiedTime ?? '') || a.id.localeCompare(b.id))[0];
}

function checkName(filename: string): void {
  if (filename.trim() === '' || filename.length > 1_000 || /[\u0000-\u001f\u007f]/.test(filename)) {
    throw new ExportError('INVALID_INPUT', 'A Drive file name must be 1–1000 characters without control characters.', { recoverable: false });
  }
}

/**
 * A Drive file's version as the review saw it: its head revision (binary
 * files, ours, have one), else its content's md5.
 */
function versionOfFile(file: DriveFile): string {
  return file.headRevisionId ?? (file.md5Checksum ? `md5:${file.md5Checksum}` : `modified:${file.modifiedTime ?? ''}`);
}

class DriveDestination implements Destination {
  readonly type = 'drive' as const;
  /** Every request backs off and retries in requests.ts: the publish stage calls save() once. */
  readonly retriesInternally = true;
  readonly id: string;
  private api: Promise<DriveApi> | undefined;
  private folder: Promise<DriveFolder> | undefined;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly multipartLimit: number;
  private readonly chunkBytes: number;

  constructor(
    private readonly config: DriveDestinationConfig,
    private readonly options: DriveDestinationOptions,
  ) {
    this.id = config.id;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.multipartLimit = options.multipartLimitBytes ?? MULTIPART_LIMIT_BYTES;
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  }

  validateConfig(): void {
    // The descriptor's schema checked the entry; nothing can be wrong here that it let through.
  }

  /** Drive takes any name (checkName refuses control characters): the file is named as typed. */
  normalizeFilename(filename: string): string {
    return filename;
  }

  async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
    const started = performance.now();
    const latency = () => Math.max(0, Math.round(performance.now() - started));
    try {
      const folder = await this.folderInfo(signal);
      return { ok: true, message: `Google Drive folder "${folder.name}" (${this.config.folderId}) exists and you can add files to it`, latencyMs: latency() };
    } catch (thrown) {
      this.folder = undefined;
      const message = thrown instanceof ExportError ? thrown.message : `Cannot use the Google Drive folder ${this.config.folderId}`;
      return { ok: false, message, latencyMs: latency() };
    }
  }

  async fetchExisting(filename: string, signal?: AbortSignal): Promise<ExistingContent | undefined> {
    checkName(filename);
    const target = await this.lookup(filename, signal);
    if (!target) return undefined;
    this.assertReplaceable(target, filename);
    const size = Number(target.size ?? 0);
    if (size > MAX_EXISTING_BYTES) {
      throw new ExportError('CONTENT_TOO_LARGE', `"${filename}" on Google Drive is too large to read back (${size} bytes).`, { details: { size }, recoverable: false });
    }
    const api = await this.connect();
    const bytes = await api.download(target.id, filename, signal);
    return { location: linkOf(target), content: bytes.toString('utf8'), version: versionOfFile(target) };
  }

  async describeImpact(filename: string, signal?: AbortSignal): Promise<ImpactDescription> {
    checkName(filename);
    const folder = await this.folderInfo(signal);
    const api = await this.connect();
    const files = await api.findByName(this.config.folderId, filename, folder.driveId, signal);
    const target = pick(files);
    const warnings = [`The file will be visible to everyone who can open the Google Drive folder "${folder.name}".`];
    if (files.length > 1) warnings.push(`${files.length} files in the folder are named "${filename}": the most recently modified one is replaced.`);
    if (target && !replaceable(target)) warnings.push(`"${filename}" in the folder is a ${target.mimeType === FOLDER_MIME ? 'folder' : 'Google Docs file'}: the export will fail.`);
    if (filename.includes('/')) warnings.push(`Drive has no paths: the file will be named "${filename}", "/" included, in the folder itself.`);
    return { resource: `Google Drive: ${folder.name}/${filename}`, action: target ? 'UPDATE' : 'CREATE', warnings };
  }

  async save(request: SaveRequest): Promise<PublishResult> {
    const { signal } = request;
    signal?.throwIfAborted();
    const input = saveRequestSchema.safeParse(request);
    if (!input.success) throw new ExportError('INVALID_INPUT', 'Save request needs a filename, content and job id', { recoverable: false });
    const { filename, content, jobId } = input.data;
    checkName(filename);
    const bytes = Buffer.from(content, 'utf8');
    const mimeType = mimeTypeOf(filename);
    const folder = await this.folderInfo(signal);
    const api = await this.connect();
    const files = await api.findByName(this.config.folderId, filename, folder.driveId, signal);

    // This job wrote it already (a retry after an answer was lost).
    const ours = files.find((f) => f.appProperties?.[JOB_PROPERTY] === jobId);
    if (ours) {
      const created = request.expected?.exists !== true;
      return this.result(ours, created ? 'CREATE' : 'UPDATE', bytes, created ? undefined : versionOf(request.expected));
    }

    const target = pick(files);
    this.checkExpected(request.expected, target, filename);
    const tag = { [JOB_PROPERTY]: jobId };
    if (target) {
      this.assertReplaceable(target, filename);
      if (!target.headRevisionId) throw new ExportError('WRITE_FAILED', `"${filename}" on Google Drive has no revision to return to; it was left as it is.`, { recoverable: false });
      const updated = await this.writeContent(api, { fileId: target.id, name: filename, file: { mimeType, appProperties: tag } }, bytes, content, signal, async () => {
        const now = await api.getFile(target.id, signal);
        return now.appProperties?.[JOB_PROPERTY] === jobId ? now : undefined;
      });
      return this.result(updated, 'UPDATE', bytes, target.headRevisionId);
    }
    const created = await this.writeContent(api, { name: filename, file: { name: filename, parents: [this.config.folderId], mimeType, appProperties: tag } }, bytes, content, signal, async () => {
      const now = await api.findByName(this.config.folderId, filename, folder.driveId, signal);
      return now.find((f) => f.appProperties?.[JOB_PROPERTY] === jobId);
    });
    return this.result(created, 'CREATE', bytes);
  }

  async rollback(info: RollbackInfo, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const parsed = rollbackInfoSchema.safeParse(info);
    if (!parsed.success) throw rollbackFailure('Rollback information for a Google Drive export is malformed');
    const { destinationId, action, previous, extra } = parsed.data;
    if (destinationId !== this.id) throw rollbackFailure(`Rollback information belongs to destination "${destinationId}", not "${this.id}"`);
    const api = await this.connect();
    const current = await api.findFile(extra.fileId, signal);
    const name = current ? `"${current.name}"` : parsed.data.location;
    // Unchanged since the export: still its revision, or (after another rollback restored it) the same bytes.
    const unchanged = (file: DriveFile) => file.headRevisionId === extra.revisionId || (extra.md5 !== undefined && file.md5Checksum === extra.md5);
    if (action === 'CREATE') {
      if (!current || current.trashed) return; // already gone
      if (extra.revisionId && !unchanged(current)) {
        throw rollbackFailure(`${name} on Google Drive was changed after the export; it was left in place.`);
      }
      await api.trash(current.id, current.name, signal);
      return;
    }
    if (!current) throw rollbackFailure(`${name} no longer exists on Google Drive; there is nothing to restore.`);
    if (current.trashed) throw rollbackFailure(`${name} is in the Google Drive trash; restore it from the trash first.`);
    if (!previous || !extra.revisionId) throw rollbackFailure(`No earlier revision of ${name} was recorded.`);
    if (current.appProperties?.[RESTORED_PROPERTY] === extra.revisionId) return; // rolled back before
    if (!unchanged(current)) {
      throw rollbackFailure(`${name} on Google Drive was changed after the export; it was not restored. Its earlier content is revision ${previous} in the file's version history.`);
    }
    const missing = () => new ExportError('ROLLBACK_FAILED', `Google Drive no longer keeps revision ${previous} of ${name} (Drive drops old revisions after 30 days); the file was left as it is.`, { recoverable: false });
    const revision = await api.revision(current.id, previous, signal, missing);
    const bytes = await api.downloadRevision(current.id, previous, signal, missing);
    const file: FileWrite = { mimeType: revision.mimeType ?? current.mimeType, appProperties: { [JOB_PROPERTY]: null, [RESTORED_PROPERTY]: extra.revisionId } };
    const restoredFrom = extra.revisionId;
    await this.writeContent(api, { fileId: current.id, name: current.name, file }, bytes, bytes, signal, async () => {
      const now = await api.getFile(current.id, signal);
      return now.appProperties?.[RESTORED_PROPERTY] === restoredFrom ? now : undefined;
    });
  }

  async dispose(): Promise<void> {
    // Nothing held open: fetch's connection pool is shared and closes idle sockets itself.
  }

  // --- helpers -----------------------------------------------------------

  /** The API client, built on first use: the credentials are read once, then the SDK is loaded. */
  private connect(): Promise<DriveApi> {
    this.api ??= this.build().catch((error: unknown) => {
      this.api = undefined;
      throw error;
    });
    return this.api;
  }

  private async build(): Promise<DriveApi> {
    const credentials = parseDriveCredentials(await this.options.credentials(), this.id, this.options.credentialsEnvName);
    let auth: Promise<DriveAuth> | undefined;
    const requests = new DriveRequests(() => (auth ??= createDriveAuth(credentials, this.config.tokenUrl, this.timeoutMs)), this.policy);
    const { drive } = await import('@googleapis/drive');
    return new DriveApi(drive({ version: 'v3' }), requests, { rootUrl: this.config.rootUrl, sharedDrive: this.config.sharedDrive, timeoutMs: this.timeoutMs });
  }

  /** The configured folder: it must exist, be a folder, not be trashed, and take new files. Asked once. */
  private folderInfo(signal: AbortSignal | undefined): Promise<DriveFolder> {
    this.folder ??= this.checkFolder(signal).catch((error: unknown) => {
      this.folder = undefined;
      throw error;
    });
    return this.folder;
  }

  private async checkFolder(signal: AbortSignal | undefined): Promise<DriveFolder> {
    const { folderId } = this.config;
    const api = await this.connect();
    const notFound = () =>
      new ExportError('DESTINATION_NOT_FOUND', `Google Drive folder ${folderId} (destination "${this.id}") was not found, or this account cannot see it.`, {
        details: { folderId },
        recoverable: false,
      });
    const folder = await api.getFolder(folderId, signal, notFound);
    if (folder.trashed) throw new ExportError('DESTINATION_NOT_FOUND', `Google Drive folder ${folderId} ("${folder.name}") is in the trash.`, { details: { folderId }, recoverable: false });
    if (folder.mimeType !== FOLDER_MIME) {
      throw new ExportError('DESTINATION_CONFIG_INVALID', `${folderId} ("${folder.name}") is not a Google Drive folder; set folderId to the id of a folder.`, { details: { folderId }, recoverable: false });
    }
    if (folder.capabilities?.canAddChildren !== true) {
      throw new ExportError('PERMISSION_DENIED', `You cannot add files to the Google Drive folder "${folder.name}" (${folderId}).`, { details: { folderId }, recoverable: false });
    }
    return folder;
  }

  private async lookup(filename: string, signal: AbortSignal | undefined): Promise<DriveFile | undefined> {
    const folder = await this.folderInfo(signal);
    const api = await this.connect();
    return pick(await api.findByName(this.config.folderId, filename, folder.driveId, signal));
  }

  private assertReplaceable(file: DriveFile, filename: string): void {
    if (replaceable(file)) return;
    const what = file.mimeType === FOLDER_MIME ? 'a folder' : 'a Google Docs file';
    throw new ExportError('WRITE_FAILED', `"${filename}" in the Google Drive folder is ${what}, which an export cannot replace; choose another file name.`, { recoverable: false });
  }

  /** Issue 11: a CREATE only if the file is still absent, an UPDATE only of the revision the review saw. */
  private checkExpected(expected: Expectation, target: DriveFile | undefined, filename: string): void {
    if (!expected.exists && target) throw conflict(`"${filename}" was created in the Google Drive folder after the review.`);
    if (expected.exists && !target) throw conflict(`"${filename}" was removed from the Google Drive folder after the review.`);
    if (expected.exists && target && versionOfFile(target) !== expected.version) {
      throw conflict(`"${filename}" on Google Drive was changed after the review (it is now at revision ${versionOfFile(target)}; the review saw ${expected.version}).`);
    }
  }

  /** Multipart up to the limit, resumable above. `reconcile` tells whether a write whose answer was lost landed. */
  private async writeContent(
    api: DriveApi,
    target: { fileId?: string; name: string; file: FileWrite },
    bytes: Buffer,
    content: string | Buffer,
    signal: AbortSignal | undefined,
    reconcile: () => Promise<DriveFile | undefined>,
  ): Promise<DriveFile> {
    const notFound = () =>
      target.fileId === undefined
        ? new ExportError('DESTINATION_NOT_FOUND', `Google Drive folder ${this.config.folderId} (destination "${this.id}") was not found, or this account cannot see it.`, {
            details: { folderId: this.config.folderId },
            recoverable: false,
          })
        : conflict(`"${target.name}" was removed from the Google Drive folder while it was being written.`);
    if (bytes.length <= this.multipartLimit) {
      return target.fileId === undefined
        ? api.create(target.file, content, signal, { reconcile, notFound })
        : api.update(target.fileId, target.name, target.file, content, signal, { reconcile, notFound });
    }
    try {
      return await resumableUpload(
        api.requests,
        { ...(target.fileId === undefined ? {} : { fileId: target.fileId }), name: target.name, file: target.file, fields: FILE_FIELDS, sharedDrive: this.config.sharedDrive },
        { rootUrl: this.config.rootUrl, chunkBytes: this.chunkBytes, timeoutMs: this.timeoutMs, signal },
        bytes,
        fileSchema,
        notFound,
      );
    } catch (error) {
      // A session that ended may still have finished the file: look before reporting a failure.
      const landed = await reconcile().catch(() => undefined);
      if (landed) return landed;
      throw error;
    }
  }

  private result(file: DriveFile, action: 'CREATE' | 'UPDATE', bytes: Buffer, previous?: string): PublishResult {
    const location = linkOf(file);
    // md5: what Drive reports as md5Checksum for these bytes; rollback compares it.
    const extra: Record<string, string> = { fileId: file.id, folderId: this.config.folderId, md5: createHash('md5').update(bytes).digest('hex') };
    if (file.headRevisionId) extra.revisionId = file.headRevisionId;
    const rollback: RollbackInfo = { destinationId: this.id, location, action, extra, ...(previous ? { previous } : {}) };
    return { location, url: location, action, bytesWritten: bytes.length, rollback };
  }
}

function versionOf(expected: Expectation | undefined): string | undefined {
  return expected?.exists ? expected.version : undefined;
}

export function createDriveDestination(config: DriveDestinationConfig, options: DriveDestinationOptions): Destination {
  return new DriveDestination(config, options);
}
