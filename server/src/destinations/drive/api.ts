import { Readable } from 'node:stream';
import type { drive_v3 } from '@googleapis/drive';
import { z } from 'zod';
import { ExportError } from '../../errors';
import { fileInFolderQuery } from './query';
import type { DriveRequests, RunOptions } from './requests';

/**
 * The Drive v3 calls the destination makes, through @googleapis/drive (no
 * client-side auth or retries there: requests.ts does both). Answers are
 * outside input: checked with zod before use.
 */

export const FOLDER_MIME = 'application/vnd.google-apps.folder';
/** Fields of a file the destination reads; Drive returns only the fields asked for. */
export const FILE_FIELDS = 'id,name,mimeType,parents,trashed,headRevisionId,md5Checksum,webViewLink,modifiedTime,size,appProperties';
const FOLDER_FIELDS = 'id,name,mimeType,trashed,driveId,capabilities(canAddChildren)';

export const fileSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  mimeType: z.string(),
  parents: z.array(z.string()).optional(),
  trashed: z.boolean().optional(),
  headRevisionId: z.string().optional(),
  md5Checksum: z.string().optional(),
  webViewLink: z.string().optional(),
  modifiedTime: z.string().optional(),
  size: z.union([z.string(), z.number()]).optional(),
  appProperties: z.record(z.string(), z.string()).optional(),
});
export type DriveFile = z.infer<typeof fileSchema>;

const folderSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  mimeType: z.string(),
  trashed: z.boolean().optional(),
  driveId: z.string().optional(),
  capabilities: z.object({ canAddChildren: z.boolean().optional() }).optional(),
});
export type DriveFolder = z.infer<typeof folderSchema>;

const fileListSchema = z.object({ files: z.array(fileSchema).default([]), nextPageToken: z.string().optional() });
const revisionSchema = z.object({ id: z.string().min(1), mimeType: z.string().optional() });

export interface DriveApiOptions {
  rootUrl: string;
  sharedDrive: boolean;
  timeoutMs: number;
}

export interface FileWrite {
  name?: string;
  parents?: string[];
  mimeType: string;
  /** Drive merges these into the file's; `null` removes a key. */
  appProperties?: Record<string, string | null>;
}

/** Drive removes an appProperties key set to null; the generated type does not say so. */
function requestBodyOf(file: FileWrite): drive_v3.Schema$File {
  return file as drive_v3.Schema$File;
}

/** A fresh body per attempt: the SDK streams a Buffer, and a stream can be read only once. */
function mediaBody(content: string | Buffer): string | Readable {
  return typeof content === 'string' ? content : Readable.from([content]);
}

type Signal = AbortSignal | undefined;

function parsed<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw new ExportError('CONNECTION_FAILED', `Google Drive answered the request to ${what} with something that is not a Drive v3 answer.`, {
    details: { attempts: 1 },
    recoverable: true,
  });
}

export class DriveApi {
  constructor(
    private readonly sdk: drive_v3.Drive,
    /** Also used for the resumable upload's raw requests. */
    readonly requests: DriveRequests,
    private readonly options: DriveApiOptions,
  ) {}

  get rootUrl(): string {
    return this.options.rootUrl;
  }

  /** Per-call options: the root URL (also for uploads), the token, no library retries. */
  private call(authorization: string, signal: Signal, extra: Record<string, unknown> = {}) {
    return {
      rootUrl: this.options.rootUrl,
      headers: { authorization },
      retry: false,
      timeout: this.options.timeoutMs,
      fetchImplementation: fetch,
      ...(signal ? { signal } : {}),
      ...extra,
    };
  }

  private get allDrives() {
    return this.options.sharedDrive ? { supportsAllDrives: true } : {};
  }

  async getFolder(folderId: string, signal: Signal, notFound: RunOptions<DriveFolder>['notFound']): Promise<DriveFolder> {
    const what = `open the folder ${folderId}`;
    return this.requests.run(
      what,
      async (authorization) => {
        const response = await this.sdk.files.get({ fileId: folderId, fields: FOLDER_FIELDS, ...this.allDrives }, this.call(authorization, signal));
        return parsed(folderSchema, response.data, what);
      },
      { signal, ...(notFound ? { notFound } : {}) },
    );
  }

  /** The files named `name` directly in the folder, not trashed (Drive allows several). */
  async findByName(folderId: string, name: string, driveId: string | undefined, signal: Signal): Promise<DriveFile[]> {
    const what = `look for "${name}" in the folder ${folderId}`;
    const found: DriveFile[] = [];
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const page = await this.requests.run(
        what,
        async (authorization) => {
          const scope = this.options.sharedDrive
            ? { supportsAllDrives: true, includeItemsFromAllDrives: true, ...(driveId ? { corpora: 'drive', driveId } : { corpora: 'allDrives' }) }
            : {};
          const response = await this.sdk.files.list(
            { q: fileInFolderQuery(name, folderId), fields: `nextPageToken,files(${FILE_FIELDS})`, pageSize: 100, spaces: 'drive', ...scope, ...(token ? { pageToken: token } : {}) },
            this.call(authorization, signal),
          );
          return parsed(fileListSchema, response.data, what);
        },
        { signal },
      );
      found.push(...page.files);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return found;
  }

  async getFile(fileId: string, signal: Signal, notFound?: RunOptions<DriveFile>['notFound']): Promise<DriveFile> {
    const what = `read the file ${fileId}`;
    return this.requests.run(
      what,
      async (authorization) => {
        const response = await this.sdk.files.get({ fileId, fields: FILE_FIELDS, ...this.allDrives }, this.call(authorization, signal));
        return parsed(fileSchema, response.data, what);
      },
      { signal, ...(notFound ? { notFound } : {}) },
    );
  }

  /** The file, or undefined when Drive says there is none (deleted for good, or never visible). */
  async findFile(fileId: string, signal: Signal): Promise<DriveFile | undefined> {
    // Carries `attempts`, so it comes back from requests.run as it is.
    const absent = new ExportError('WRITE_FAILED', `No file ${fileId}`, { details: { attempts: 1 } });
    try {
      return await this.getFile(fileId, signal, () => absent);
    } catch (error) {
      if (error === absent) return undefined;
      throw error;
    }
  }

  /** The file's current content (`alt=media`). */
  async download(fileId: string, name: string, signal: Signal): Promise<Buffer> {
    return this.requests.run(
      `download "${name}"`,
      async (authorization) => {
        const response = await this.sdk.files.get({ fileId, alt: 'media', ...this.allDrives }, this.call(authorization, signal, { responseType: 'arraybuffer' }));
        return toBuffer(response.data);
      },
      { signal },
    );
  }

  async revision(fileId: string, revisionId: string, signal: Signal, notFound: RunOptions<{ mimeType?: string }>['notFound']): Promise<{ mimeType?: string }> {
    const what = `read revision ${revisionId} of the file ${fileId}`;
    return this.requests.run(
      what,
      async (authorization) => {
        const response = await this.sdk.revisions.get({ fileId, revisionId, fields: 'id,mimeType' }, this.call(authorization, signal));
        const revision = parsed(revisionSchema, response.data, what);
        return revision.mimeType === undefined ? {} : { mimeType: revision.mimeType };
      },
      { signal, ...(notFound ? { notFound } : {}) },
    );
  }

  async downloadRevision(fileId: string, revisionId: string, signal: Signal, notFound: RunOptions<Buffer>['notFound']): Promise<Buffer> {
    return this.requests.run(
      `download revision ${revisionId} of the file ${fileId}`,
      async (authorization) => {
        const response = await this.sdk.revisions.get({ fileId, revisionId, alt: 'media' }, this.call(authorization, signal, { responseType: 'arraybuffer' }));
        return toBuffer(response.data);
      },
      { signal, ...(notFound ? { notFound } : {}) },
    );
  }

  /** files.create, multipart (metadata + content in one request). */
  async create(file: FileWrite, content: string | Buffer, signal: Signal, options: Pick<RunOptions<DriveFile>, 'reconcile' | 'notFound'>): Promise<DriveFile> {
    const what = `upload "${file.name ?? ''}"`;
    return this.requests.run(
      what,
      async (authorization) => {
        const response = await this.sdk.files.create(
          { requestBody: requestBodyOf(file), media: { mimeType: file.mimeType, body: mediaBody(content) }, fields: FILE_FIELDS, ...this.allDrives },
          this.call(authorization, signal),
        );
        return parsed(fileSchema, response.data, what);
      },
      { signal, idempotent: false, ...options },
    );
  }

  /** files.update with new content, multipart; Drive keeps the replaced content as a revision. */
  async update(fileId: string, name: string, file: FileWrite, content: string | Buffer, signal: Signal, options: Pick<RunOptions<DriveFile>, 'reconcile' | 'notFound'>): Promise<DriveFile> {
    const what = `replace "${name}"`;
    return this.requests.run(
      what,
      async (authorization) => {
        const response = await this.sdk.files.update(
          { fileId, requestBody: requestBodyOf(file), media: { mimeType: file.mimeType, body: mediaBody(content) }, fields: FILE_FIELDS, ...this.allDrives },
          this.call(authorization, signal),
        );
        return parsed(fileSchema, response.data, what);
      },
      { signal, idempotent: false, ...options },
    );
  }

  /** Moves the file to the trash (restorable for 30 days); never deletes. */
  async trash(fileId: string, name: string, signal: Signal): Promise<void> {
    await this.requests.run(
      `move "${name}" to the trash`,
      async (authorization) => {
        await this.sdk.files.update({ fileId, requestBody: { trashed: true }, fields: 'id,trashed', ...this.allDrives }, this.call(authorization, signal));
      },
      { signal },
    );
  }
}

function toBuffer(data: unknown): Buffer {
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  throw new ExportError('CONNECTION_FAILED', 'Google Drive answered a download with no content.', { details: { attempts: 1 }, recoverable: true });
}
