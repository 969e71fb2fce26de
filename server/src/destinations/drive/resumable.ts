import { z } from 'zod';
import { ExportError } from '../../errors';
import type { DriveFile, FileWrite } from './api';
import type { DriveRequests, RunOptions } from './requests';

/**
 * Drive's resumable upload (for files above the multipart limit): a session
 * is opened with the metadata, then the bytes are sent in chunks. When a
 * chunk is cut off (a reset, a 5xx), the session is asked how much it has
 * (`Content-Range: bytes * /total` → 308 with `Range: bytes=0-N`) and the
 * upload goes on from there instead of starting over. The file appears
 * only when the last byte has arrived, so a failed upload leaves nothing.
 */

/** Chunks must be multiples of 256 KiB (Drive's rule), except the last. */
export const CHUNK_GRANULE = 256 * 1024;

export interface ResumableTarget {
  /** Create in the folder, or replace the content of `fileId`. */
  fileId?: string;
  name: string;
  file: FileWrite;
  fields: string;
  sharedDrive: boolean;
}

/** A non-2xx answer, shaped like a gaxios error so failures.ts reads it the same way. */
async function httpError(response: Response): Promise<Error> {
  const text = await response.text().catch(() => '');
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return Object.assign(new Error(`HTTP ${response.status}`), { response: { status: response.status, data, headers: response.headers } });
}

/** The last byte a 308 says the session holds, as the next offset (0 when it holds none). */
export function nextOffset(range: string | null): number {
  const match = /^bytes=0-(\d+)$/.exec(range?.trim() ?? '');
  return match ? Number(match[1]) + 1 : 0;
}

export async function resumableUpload(
  requests: DriveRequests,
  target: ResumableTarget,
  options: { rootUrl: string; chunkBytes: number; timeoutMs: number; signal?: AbortSignal | undefined },
  bytes: Buffer,
  fileSchema: z.ZodType<DriveFile>,
  notFound?: RunOptions<DriveFile>['notFound'],
): Promise<DriveFile> {
  const { signal } = options;
  const total = bytes.length;
  const chunk = Math.max(CHUNK_GRANULE, Math.floor(options.chunkBytes / CHUNK_GRANULE) * CHUNK_GRANULE);
  const query = new URLSearchParams({ uploadType: 'resumable', fields: target.fields, ...(target.sharedDrive ? { supportsAllDrives: 'true' } : {}) });
  const path = target.fileId === undefined ? 'upload/drive/v3/files' : `upload/drive/v3/files/${encodeURIComponent(target.fileId)}`;
  const start = new URL(`${path}?${query}`, options.rootUrl.endsWith('/') ? options.rootUrl : `${options.rootUrl}/`);
  const timed = () => (signal ? AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]) : AbortSignal.timeout(options.timeoutMs));

  // Opening a session writes nothing: safe to send again.
  const session = await requests.run(
    `start the upload of "${target.name}"`,
    async (authorization) => {
      const response = await fetch(start, {
        method: target.fileId === undefined ? 'POST' : 'PATCH',
        headers: {
          authorization,
          'content-type': 'application/json; charset=UTF-8',
          'x-upload-content-type': target.file.mimeType,
          'x-upload-content-length': String(total),
        },
        body: JSON.stringify(target.file),
        signal: timed(),
      });
      if (!response.ok) throw await httpError(response);
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (!location) throw new ExportError('CONNECTION_FAILED', 'Google Drive opened an upload session without saying where it is.', { details: { attempts: 1 }, recoverable: true });
      return new URL(location, start);
    },
    { signal, ...(notFound ? { notFound } : {}) },
  );

  let offset = 0;
  let interrupted = false;
  const finished = (text: string) => {
    const parsed = fileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new ExportError('CONNECTION_FAILED', `Google Drive finished the upload of "${target.name}" with something that is not a Drive v3 file.`, { details: { attempts: 1 }, recoverable: true });
    return parsed.data;
  };
  return requests.run(
    `upload "${target.name}"`,
    async (authorization) => {
      if (interrupted) {
        // Where did the cut-off chunk end? The session knows; go on from there.
        const status = await fetch(session, { method: 'PUT', headers: { authorization, 'content-range': `bytes */${total}` }, body: '', signal: timed() });
        if (status.status === 200 || status.status === 201) return finished(await status.text());
        if (status.status !== 308) throw sessionError(await httpError(status), target.name);
        await status.body?.cancel();
        offset = nextOffset(status.headers.get('range'));
      }
      // Any later call of this function follows a cut-off chunk.
      interrupted = true;
      for (;;) {
        const end = Math.min(total, offset + chunk);
        const response = await fetch(session, {
          method: 'PUT',
          headers: { authorization, 'content-range': `bytes ${offset}-${end - 1}/${total}` },
          body: bytes.subarray(offset, end),
          signal: timed(),
        });
        if (response.status === 200 || response.status === 201) return finished(await response.text());
        if (response.status !== 308) throw sessionError(await httpError(response), target.name);
        await response.body?.cancel();
        offset = nextOffset(response.headers.get('range'));
      }
    },
    { signal },
  );
}

/** 404/410 from the session: it expired or was cancelled; the upload must start over. */
function sessionError(error: Error, name: string): Error {
  const status = (error as { response?: { status?: number } }).response?.status;
  if (status === 404 || status === 410) {
    return new ExportError('CONNECTION_FAILED', `The upload session of "${name}" on Google Drive ended before the upload finished; nothing was written. Export it again.`, {
      details: { attempts: 1, status },
      recoverable: true,
    });
  }
  return error;
}
