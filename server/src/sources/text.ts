import { isUtf8 } from 'node:buffer';
import { ExportError } from '../errors';

/**
 * Turning raw transcript input into clean text: byte decoding, BOMs, binary
 * detection and stray NUL bytes. Everything here runs before format detection.
 */

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
/** U+FFFD in UTF-8. */
const REPLACEMENT_CHAR_UTF8 = Buffer.from([0xef, 0xbf, 0xbd]);

/** More than this share of NUL / U+FFFD characters means "not a text file". */
const BINARY_SHARE = 0.05;
/** Small files are judged as if they had at least this many characters, so two stray NULs in a 40-byte file pass. */
const BINARY_MIN_SAMPLE = 100;

/**
 * Decodes a transcript file's bytes: UTF-8 (BOM stripped) or UTF-16 with a
 * BOM (what Windows tools often write). Binary content is refused with
 * INVALID_INPUT; stray NUL bytes are removed.
 */
export function decodeTranscriptBytes(buf: Uint8Array, path = 'input'): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) {
    return cleanTranscriptText(new TextDecoder('utf-16le').decode(buf.subarray(2)), path);
  }
  if (buf[0] === 0xfe && buf[1] === 0xff) {
    return cleanTranscriptText(new TextDecoder('utf-16le').decode(swapBytePairs(buf.subarray(2))), path);
  }
  const hasBom = buf[0] === UTF8_BOM[0] && buf[1] === UTF8_BOM[1] && buf[2] === UTF8_BOM[2];
  const body = hasBom ? buf.subarray(3) : buf;
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(body);
  if (!isUtf8(body)) return cleanTranscriptText(text, path);
  // Valid UTF-8 decodes without replacements, so NUL and U+FFFD characters
  // can be counted in the bytes, where the search is a native memchr (a
  // string search for "\0" is slow: every ASCII character's high byte is 0).
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return finishCleaning(text, countBytes(bytes, 0) + countBytes(bytes, REPLACEMENT_CHAR_UTF8), path);
}

/** Strips a leading BOM, refuses binary-looking text, removes NUL characters. */
export function cleanTranscriptText(text: string, path = 'input'): string {
  return finishCleaning(text, suspiciousChars(text), path);
}

export function looksBinary(text: string): boolean {
  return isMostlySuspicious(suspiciousChars(text), text.length);
}

/** `suspicious`: how many NUL / U+FFFD characters `text` holds. */
function finishCleaning(text: string, suspicious: number, path: string): string {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (isMostlySuspicious(suspicious, withoutBom.length)) {
    throw new ExportError('INVALID_INPUT', `${path} looks like a binary file, not a text transcript`, {
      details: { path },
      recoverable: false,
    });
  }
  return suspicious > 0 && withoutBom.includes('\0') ? withoutBom.replace(/\0/g, '') : withoutBom;
}

function isMostlySuspicious(suspicious: number, length: number): boolean {
  return suspicious / Math.max(length, BINARY_MIN_SAMPLE) > BINARY_SHARE;
}

function suspiciousChars(text: string): number {
  // A regex test first: it is fast where indexOf("\0") is not, and almost always finds nothing.
  if (!/[\0\ufffd]/.test(text)) return 0;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0 || code === 0xfffd) count++;
  }
  return count;
}

function countBytes(bytes: Buffer, needle: number | Buffer): number {
  const step = typeof needle === 'number' ? 1 : needle.length;
  let count = 0;
  for (let i = bytes.indexOf(needle); i !== -1; i = bytes.indexOf(needle, i + step)) count++;
  return count;
}

function swapBytePairs(bytes: Uint8Array): Uint8Array {
  const swapped = new Uint8Array(bytes.length - (bytes.length % 2));
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1] ?? 0;
    swapped[i + 1] = bytes[i] ?? 0;
  }
  return swapped;
}
