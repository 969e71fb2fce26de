import { createHash } from 'node:crypto';

/**
 * Git's id of a blob: SHA-1 of `blob <size>\0` and the bytes. GitHub's
 * contents API reports a file's `sha` as exactly this, so the version a
 * review saw can be computed from the bytes it read, and the version a
 * write produced from the bytes it sent.
 */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
