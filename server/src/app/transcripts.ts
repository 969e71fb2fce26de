import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { ExportError, toExportError } from '../errors';
import type { ParsedTranscript } from '../model';
import type { ExportSource, LineRange, MessagesAtLinesResult, SessionsResult } from '../protocol';
import { editorSelectionToMessages, parseTranscriptBytes } from '../sources';
import { messagesAtLines } from '../sources/messagesAtLines';
import { sessionsResult } from './results';

/**
 * Transcripts by source: a file is read and parsed once while it is
 * unchanged (the session picker, the line lookup and the export share one
 * parse); an editor selection becomes a one-message transcript.
 */

interface CachedTranscript {
  mtimeMs: number;
  size: number;
  parsed: ParsedTranscript;
}

/** The cache keeps parses of files up to this many bytes in all (a parse costs a few times its file): oldest use out first. */
export const TRANSCRIPT_CACHE_BYTES = 32 * 1024 * 1024;

export class Transcripts {
  /** In order of use, the most recent last. */
  private readonly cache = new Map<string, CachedTranscript>();

  constructor(
    private readonly workspaceRoot: string,
    /** The input limit (limits.maxInputBytes), read at each load: settings can change. */
    private readonly maxInputBytes: () => number,
    private readonly cacheBytes = TRANSCRIPT_CACHE_BYTES,
  ) {}

  /** A path as the client or CLI sent it: absolute as it is, relative to the workspace otherwise. */
  resolvePath(path: string): string {
    return isAbsolute(path) ? path : resolve(this.workspaceRoot, path);
  }

  /** The transcript of a source, the label its job records, and the messages its lines select. */
  async load(source: ExportSource): Promise<{ transcript: ParsedTranscript; label: string; selection?: { sessionId: string; messageIds: string[] } }> {
    const path = this.resolvePath(source.path);
    if (source.kind === 'editor') {
      return { transcript: editorSelectionToMessages({ path, ranges: source.ranges, now: new Date() }), label: path };
    }
    const transcript = await this.read(path);
    if (!source.lines) return { transcript, label: path };
    const found = messagesAtLines(transcript, source.lines);
    if (!found) {
      const where = source.lines.map((r) => (r.startLine === r.endLine ? `${r.startLine}` : `${r.startLine}–${r.endLine}`)).join(', ');
      throw new ExportError('EMPTY_SELECTION', `No message of ${source.path} lies under line(s) ${where}.`, {
        details: { lines: source.lines },
        recoverable: false,
      });
    }
    return { transcript, label: path, selection: { sessionId: found.sessionId, messageIds: found.messageIds } };
  }

  async listSessions(path: string): Promise<SessionsResult> {
    return sessionsResult(await this.read(this.resolvePath(path)));
  }

  async findMessagesAtLines(path: string, ranges: LineRange[]): Promise<MessagesAtLinesResult> {
    const transcript = await this.read(this.resolvePath(path));
    const found = messagesAtLines(transcript, ranges);
    const title = found ? (transcript.sessions.find((s) => s.id === found.sessionId)?.title ?? null) : null;
    return {
      sessionCount: transcript.sessions.filter((s) => s.messages.length > 0).length,
      match: found ? { ...found, title } : null,
    };
  }

  /** Reads and parses a transcript file, reusing the last parse while the file is unchanged. */
  private async read(absolute: string): Promise<ParsedTranscript> {
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      throw new ExportError('INVALID_INPUT', `Cannot read transcript ${absolute}: ${describeFsError(error)}`, { recoverable: false });
    }
    // Devices (/dev/zero), FIFOs and folders are refused before anything is read.
    if (!info.isFile()) throw new ExportError('INVALID_INPUT', `${absolute} is not a regular file.`, { recoverable: false });
    const limit = this.maxInputBytes();
    if (info.size > limit) {
      throw new ExportError('CONTENT_TOO_LARGE', `${absolute} has ${info.size.toLocaleString('en-US')} bytes; transcripts up to ${limit.toLocaleString('en-US')} bytes are read (setting limits.maxInputBytes).`, {
        details: { path: absolute, size: info.size, limit },
        recoverable: false,
      });
    }
    const cached = this.cache.get(absolute);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) {
      this.remember(absolute, cached);
      return cached.parsed;
    }
    const parsed = parseTranscriptBytes(await readFile(absolute), absolute);
    this.remember(absolute, { mtimeMs: info.mtimeMs, size: info.size, parsed });
    return parsed;
  }

  /** Keeps a parse as the most recent, dropping the least recently used ones beyond TRANSCRIPT_CACHE_BYTES. */
  private remember(absolute: string, entry: CachedTranscript): void {
    this.cache.delete(absolute);
    if (entry.size > this.cacheBytes) return;
    this.cache.set(absolute, entry);
    let total = [...this.cache.values()].reduce((sum, e) => sum + e.size, 0);
    for (const [key, old] of this.cache) {
      if (total <= this.cacheBytes) break;
      this.cache.delete(key);
      total -= old.size;
    }
  }

  /** How many bytes of files the cached parses stand for (tests). */
  cachedBytes(): number {
    return [...this.cache.values()].reduce((sum, e) => sum + e.size, 0);
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return toExportError(error).message;
}
