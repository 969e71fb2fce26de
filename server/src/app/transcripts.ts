import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { ExportError, toExportError } from '../errors';
import type { ParsedTranscript } from '../model';
import type { ExportSource, LineRange, MessagesAtLinesResult, SessionsResult } from '../protocol';
import { editorSelectionToMessages, parseTranscriptBytes } from '../sources';
import { messagesAtLines } from '../sources/messagesAtLines';
import { isDatabaseAddress, parseDatabaseAddress, type DatabaseAddress } from '../sources/sql/address';
import type { DatabaseTranscripts } from '../sources/sql/databaseTranscripts';
import { databaseSessionsResult, sessionsResult } from './results';

/**
 * Transcripts by source: a file is read and parsed once while it is
 * unchanged (the session picker, the line lookup and the export share one
 * parse); an editor selection becomes a one-message transcript; a
 * `mysql://` address is a chat_messages table, of which only the chosen
 * session's rows are read.
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
    /** Database sources; absent: a `mysql://` address is refused. */
    private readonly database?: DatabaseTranscripts,
  ) {}

  /** A path as the client or CLI sent it: absolute as it is, relative to the workspace otherwise; a database address as it is. */
  resolvePath(path: string): string {
    if (isDatabaseAddress(path)) return path;
    return isAbsolute(path) ? path : resolve(this.workspaceRoot, path);
  }

  /**
   * The transcript of a source, the label its job records, and the messages
   * its lines select. `sessionId`: the session wanted (a database reads only
   * that one; without it, a table of one session is read whole).
   */
  async load(source: ExportSource, sessionId?: string): Promise<{ transcript: ParsedTranscript; label: string; selection?: { sessionId: string; messageIds: string[] } }> {
    if (source.kind === 'file' && isDatabaseAddress(source.path)) {
      if (source.lines) throw new ExportError('INVALID_INPUT', 'Line ranges (--lines) select messages of a file; a database source is chosen by --session and --messages.', { recoverable: false });
      const address = parseDatabaseAddress(source.path);
      return { transcript: await this.databaseSession(address, sessionId), label: address.canonical };
    }
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

  /**
   * The sessions of a transcript with their messages. A database lists its
   * sessions with their message counts only, unless `sessionId` asks for
   * one session's messages.
   */
  async listSessions(path: string, sessionId?: string): Promise<SessionsResult> {
    if (isDatabaseAddress(path)) {
      const address = parseDatabaseAddress(path);
      if (sessionId !== undefined) return sessionsResult(await this.databaseSession(address, sessionId));
      return databaseSessionsResult(await this.databaseSource().listSessions(address));
    }
    const all = sessionsResult(await this.read(this.resolvePath(path)));
    return sessionId === undefined ? all : { ...all, sessions: all.sessions.filter((s) => s.id === sessionId) };
  }

  async findMessagesAtLines(path: string, ranges: LineRange[]): Promise<MessagesAtLinesResult> {
    if (isDatabaseAddress(path)) throw new ExportError('INVALID_INPUT', 'A database source has no lines to select.', { recoverable: false });
    const transcript = await this.read(this.resolvePath(path));
    const found = messagesAtLines(transcript, ranges);
    const title = found ? (transcript.sessions.find((s) => s.id === found.sessionId)?.title ?? null) : null;
    return {
      sessionCount: transcript.sessions.filter((s) => s.messages.length > 0).length,
      match: found ? { ...found, title } : null,
    };
  }

  /** Closes the database sources' connections. */
  async dispose(): Promise<void> {
    await this.database?.dispose();
  }

  private databaseSource(): DatabaseTranscripts {
    if (!this.database) throw new ExportError('INVALID_INPUT', 'Database sources are not available here.', { recoverable: false });
    return this.database;
  }

  /** One session of a table; without an id, the table's only session (or INVALID_INPUT listing them). */
  private async databaseSession(address: DatabaseAddress, sessionId: string | undefined): Promise<ParsedTranscript> {
    const source = this.databaseSource();
    if (sessionId !== undefined) return source.loadSession(address, sessionId);
    const sessions = await source.listSessions(address);
    const [only, ...others] = sessions;
    if (only === undefined) throw new ExportError('EMPTY_SELECTION', `${address.database}.${address.table} holds no messages.`, { recoverable: false });
    if (others.length > 0) {
      const listed = sessions.slice(0, 20).map((s) => s.id).join(', ');
      throw new ExportError('INVALID_INPUT', `${address.database}.${address.table} holds ${sessions.length}${sessions.length >= 500 ? '+' : ''} sessions; choose one with --session: ${listed}${sessions.length > 20 ? ', …' : ''}`, {
        details: { sessions: sessions.slice(0, 100).map((s) => ({ id: s.id, title: null })) },
        recoverable: false,
      });
    }
    return source.loadSession(address, only.id);
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
