import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { ExportError } from '../errors';

/**
 * Turning an untrusted filename into a path strictly inside a base folder.
 *
 * Rules (the same on every platform, so an export names the same file on
 * Linux, macOS and Windows):
 * - `/` and `\` both separate folders; subfolders are allowed (`docs/a.md`).
 *   Empty, `.` and `..` segments are dropped, so absolute paths, drive
 *   letters and UNC prefixes all end up relative to the base.
 * - Each segment: NFC; lone surrogates, control characters (C0, DEL, C1) and
 *   bidirectional overrides removed; `<>:"|?*` replaced by `_`; leading dots
 *   removed (no hidden files: `.git/…` or `.vscode/…` can never be
 *   targeted); leading whitespace and
 *   trailing dots/whitespace removed; Windows device names (`CON`, `nul.md`,
 *   `COM1.txt` …) prefixed with `_`; cut to 255 UTF-8 bytes on a code-point
 *   boundary, keeping a short extension.
 * - A name left empty becomes `untitled`.
 */

export const MAX_SEGMENT_BYTES = 255;
const MAX_KEPT_EXTENSION_BYTES = 32;
const FALLBACK_NAME = 'untitled';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// C0 controls, DEL, C1 controls, and bidi embeddings/overrides/isolates (filename spoofing).
const INVISIBLE_OR_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// Separators too, for callers that sanitise a single segment (e.g. a job id used as a folder name).
const FORBIDDEN_IN_SEGMENT = /[<>:"|?*/\\]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$)$/i;

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The longest prefix of `text` (whole code points) that fits in `maxBytes` UTF-8 bytes. */
function cutToBytes(text: string, maxBytes: number): string {
  let used = 0;
  let result = '';
  for (const codePoint of text) {
    const size = utf8Bytes(codePoint);
    if (used + size > maxBytes) break;
    used += size;
    result += codePoint;
  }
  return result;
}

function trimEnds(segment: string): string {
  return segment.replace(/^\s+/u, '').replace(/[\s.]+$/u, '');
}

function isWindowsDevice(segment: string): boolean {
  // Windows ignores everything from the first dot, and trailing spaces before it.
  const dot = segment.indexOf('.');
  const base = (dot === -1 ? segment : segment.slice(0, dot)).replace(/\s+$/u, '');
  return WINDOWS_DEVICE.test(base);
}

/** Splits `name.ext` so that a cut keeps the extension (only a short one). */
function splitExtension(segment: string): { stem: string; extension: string } {
  const dot = segment.lastIndexOf('.');
  if (dot <= 0) return { stem: segment, extension: '' };
  const extension = segment.slice(dot);
  if (utf8Bytes(extension) > MAX_KEPT_EXTENSION_BYTES) return { stem: segment, extension: '' };
  return { stem: segment.slice(0, dot), extension };
}

/** Cuts a segment to MAX_SEGMENT_BYTES, keeping its extension. */
function fitSegment(segment: string): string {
  if (utf8Bytes(segment) <= MAX_SEGMENT_BYTES) return segment;
  const { stem, extension } = splitExtension(segment);
  const cut = cutToBytes(stem, MAX_SEGMENT_BYTES - utf8Bytes(extension)) + extension;
  return trimEnds(cut);
}

/** Sanitises one path segment (separators become `_`); returns '' when nothing usable is left. */
export function sanitizeSegment(raw: string): string {
  let segment = raw
    .replace(LONE_SURROGATE, '')
    .normalize('NFC')
    .replace(INVISIBLE_OR_CONTROL, '')
    .replace(FORBIDDEN_IN_SEGMENT, '_');
  segment = fitSegment(trimEnds(segment.replace(/^[\s.]+/u, '')));
  if (segment === '') return '';
  // Checked after the cut, which may expose a device name ("CON   …x" → "CON").
  return isWindowsDevice(segment) ? fitSegment(`_${segment}`) : segment;
}

/**
 * A safe relative path (segments joined with `/`) for any input. Never empty,
 * never absolute, never containing `.` or `..` segments.
 */
export function sanitizeFilename(name: string): string {
  const segments = name
    .split(/[/\\]/)
    .filter((s) => s !== '.' && s !== '..')
    .map(sanitizeSegment)
    .filter((s) => s !== '');
  return segments.length === 0 ? FALLBACK_NAME : segments.join('/');
}

/** `report.md` + 2 → `report_2.md`, still within MAX_SEGMENT_BYTES. */
export function withNumericSuffix(segment: string, counter: number): string {
  const suffix = `_${counter}`;
  const { stem, extension } = splitExtension(segment);
  const room = MAX_SEGMENT_BYTES - utf8Bytes(extension) - utf8Bytes(suffix);
  return cutToBytes(stem, room) + suffix + extension;
}

/** True when `candidate` is `base` itself or below it (both absolute). */
export function isInsideOrEqual(base: string, candidate: string): boolean {
  const relative = path.relative(base, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** True when `candidate` is strictly below `base` (both absolute). */
export function isStrictlyInside(base: string, candidate: string): boolean {
  const relative = path.relative(base, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The absolute path for `filename` strictly inside `baseDir` (resolved to absolute). */
export function resolveInside(baseDir: string, filename: string): string {
  const base = path.resolve(baseDir);
  const resolved = path.resolve(base, ...sanitizeFilename(filename).split('/'));
  // Defence in depth: sanitising already guarantees this.
  if (!isStrictlyInside(base, resolved)) {
    throw new ExportError('PERMISSION_DENIED', `Refusing to write "${filename}": it would land outside ${base}`, {
      details: { baseDir: base },
      recoverable: false,
    });
  }
  return resolved;
}

function hasErrnoCode(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && 'code' in error && codes.includes(String((error as NodeJS.ErrnoException).code));
}

/** realpath of the deepest part of `target` that exists (the target itself included). */
async function realpathOfDeepestExisting(target: string): Promise<string> {
  let current = target;
  for (;;) {
    try {
      return await fsp.realpath(current);
    } catch (error) {
      if (!hasErrnoCode(error, 'ENOENT', 'ENOTDIR')) throw error;
      const parent = path.dirname(current);
      if (parent === current) throw error;
      current = parent;
    }
  }
}

/**
 * Refuses (PERMISSION_DENIED) when a symlink on the way from `baseDir` to
 * `target` — or the target itself — resolves outside the base folder. Call
 * it right before touching the file system: before creating folders (mkdir
 * follows links) and again before writing. `baseDir` must exist.
 */
export async function assertNoSymlinkEscape(baseDir: string, target: string): Promise<void> {
  // Both resolved at once (each is a thread-pool round trip); the base's failure is reported first.
  const [base, resolved] = await Promise.allSettled([fsp.realpath(path.resolve(baseDir)), realpathOfDeepestExisting(path.resolve(target))]);
  if (base.status === 'rejected') throw base.reason;
  if (resolved.status === 'rejected') throw resolved.reason;
  const realBase = base.value;
  const realTarget = resolved.value;
  if (!isInsideOrEqual(realBase, realTarget)) {
    throw new ExportError(
      'PERMISSION_DENIED',
      `Refusing to use "${target}": a symbolic link leads outside the destination folder ${baseDir}`,
      { details: { path: target, baseDir }, recoverable: false },
    );
  }
}
