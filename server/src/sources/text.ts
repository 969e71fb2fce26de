import { ExportError } from '../errors';

/**
 * Turning raw transcript input into clean text: byte decoding, BOMs, binary
 * detection and stray NUL bytes. Everything here runs before format detection.
 */

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

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
  let text: string;
  if (buf[0] === 0xff && buf[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(buf.subarray(2));
  } else if (buf[0] === 0xfe && buf[1] === 0xff) {
    text = new TextDecoder('utf-16le').decode(swapBytePairs(buf.subarray(2)));
  } else {
    const hasBom = buf[0] === UTF8_BOM[0] && buf[1] === UTF8_BOM[1] && buf[2] === UTF8_BOM[2];
    text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(hasBom ? buf.subarray(3) : buf);
  }
  return cleanTranscriptText(text, path);
}

/** Strips a leading BOM, refuses binary-looking text, removes NUL characters. */
export function cleanTranscriptText(text: string, path = 'input'): string {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (looksBinary(withoutBom)) {
    throw new ExportError('INVALID_INPUT', `${path} looks like a binary file, not a text transcript`, {
      details: { path },
      recoverable: false,
    });
  }
  return withoutBom.includes('\0') ? withoutBom.replace(/\0/g, '') : withoutBom;
}

export function looksBinary(text: string): boolean {
  let suspicious = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0 || code === 0xfffd) suspicious++;
  }
  return suspicious / Math.max(text.length, BINARY_MIN_SAMPLE) > BINARY_SHARE;
}

function swapBytePairs(bytes: Uint8Array): Uint8Array {
  const swapped = new Uint8Array(bytes.length - (bytes.length % 2));
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1] ?? 0;
    swapped[i + 1] = bytes[i] ?? 0;
  }
  return swapped;
}
