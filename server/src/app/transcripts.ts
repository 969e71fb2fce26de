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

export class Transcripts {
  private readonly cache = new Map<string, CachedTranscript>();

  constructor(private readonly workspaceRoot: string) {}

  /** A path as the client or CLI sent it: absolute as it is, relative to the workspace otherwise. */
  resolvePath(path: string): string {
    return isAbsolute(path) ? path : resolve(this.workspaceRoot, path);
  }

  /** The transcript of a source, and the label its job records. */
  async load(source: ExportSource): Promise<{ transcript: ParsedTranscript; label: string }> {
    const path = this.resolvePath(source.path);
    if (source.kind === 'editor') {
      return { transcript: editorSelectionToMessages({ path, ranges: source.ranges, now: new Date() }), label: path };
    }
    return { transcript: await this.read(path), label: path };
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
    if (!info.isFile()) throw new ExportError('INVALID_INPUT', `${absolute} is not a file.`, { recoverable: false });
    const cached = this.cache.get(absolute);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.parsed;
    const parsed = parseTranscriptBytes(await readFile(absolute), absolute);
    this.cache.set(absolute, { mtimeMs: info.mtimeMs, size: info.size, parsed });
    return parsed;
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return toExportError(error).message;
}
