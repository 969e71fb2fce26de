import { closeSync, constants, fdatasync as fdatasyncCallback, fstatSync, openSync, promises as fs, readSync, statSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import type { z } from 'zod';
import { withFileLock, type FileLockOptions } from './fileLock';


/**
 * Store files are opened without following a symbolic link (O_NOFOLLOW):
 * a `jobs.jsonl` that links elsewhere fails with ELOOP (reported as
 * STORE_FAILED naming it) instead of getting the records appended there.
 * Windows has no O_NOFOLLOW (0 there).
 */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
export const APPEND_NO_FOLLOW = constants.O_APPEND | constants.O_CREAT | constants.O_RDWR | NO_FOLLOW;
const READ_NO_FOLLOW = constants.O_RDONLY | NO_FOLLOW;
/**
 * One append-only JSON Lines file shared by several processes.
 *
 * Writing: every append holds `<name>.lock` (see fileLock.ts) and issues a
 * single write of whole lines to a file opened with O_APPEND, so lines from
 * different processes never interleave. If the file does not end with a
 * newline (a writer crashed mid-line), the new text starts with one, so the
 * torn fragment becomes a line of its own that readers skip.
 *
 * Reading: `sync` reads only the bytes added since the last call (from the
 * last byte offset) and hands each valid record to the consumer. An
 * unterminated last line is left unread until a newline follows it. Lines
 * that are not JSON or fail the schema are skipped and counted, never fatal.
 * If the file was replaced or truncated, the consumer is told to start over.
 *
 * Appends use synchronous calls: a few syscalls on a small local file take
 * tens of microseconds, where each asynchronous call is a thread-pool round
 * trip of 0.1 ms or more, and an export writes several records. Catching up
 * with more than SYNC_READ_LIMIT bytes written by others, and all reading
 * for queries, stays asynchronous.
 */

export interface LogConsumer<T> {
  reset(): void;
  add(record: T): void;
}

export interface LogDiagnostics {
  file: string;
  /** Lines read so far (of the current file). */
  lines: number;
  /** Lines skipped because they were torn, not JSON, or failed the schema. */
  skipped: number;
  /** A few of the skipped lines, by number and reason (the first ones). */
  warnings: string[];
  /** Bytes after the last newline: a line being written, or torn by a crash. */
  pendingBytes: number;
}

export interface JsonLogOptions {
  lock?: FileLockOptions;
  /** fsync after each append (survives power loss, not only process crashes). */
  durable?: boolean;
  onWarning?: (message: string) => void;
}

const fdatasync = promisify(fdatasyncCallback);

const READ_CHUNK_BYTES = 1 << 20;
const SYNC_READ_LIMIT = 256 * 1024;
const MAX_WARNING_SAMPLES = 20;
const NEWLINE = 0x0a;

/** Runs tasks one after another (within this process). */
class TaskQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<R>(task: () => Promise<R>): Promise<R> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export class JsonLinesLog<T> {
  private offset = 0;
  private identity: string | undefined;
  private lineCount = 0;
  private skippedCount = 0;
  private warningSamples: string[] = [];
  private pendingBytes = 0;
  private readonly reads = new TaskQueue();
  private readonly writes = new TaskQueue();

  constructor(
    readonly filePath: string,
    private readonly schema: z.ZodType<T>,
    private readonly options: JsonLogOptions = {},
  ) {}

  get lockPath(): string {
    return this.filePath.replace(/\.jsonl$/, '') + '.lock';
  }

  /** Feeds the consumer every record appended since the last call, by any process. */
  sync(consumer: LogConsumer<T>): Promise<void> {
    return this.reads.run(() => this.readNew(consumer));
  }

  /** Runs `body` holding the cross-process lock; `body` may `appendWith`. */
  exclusive<R>(body: () => Promise<R>): Promise<R> {
    return this.writes.run(() => withFileLock(this.lockPath, this.options.lock ?? {}, body));
  }

  append(records: readonly T[]): Promise<void> {
    return this.exclusive(() => this.appendHeld(records));
  }

  /** Appends whole lines in one write. Only call inside `exclusive`. */
  private async appendHeld(records: readonly T[]): Promise<void> {
    if (records.length === 0) return;
    const fd = openSync(this.filePath, APPEND_NO_FOLLOW, 0o600);
    try {
      const prefix = endsWithNewline(fd) ? '' : '\n';
      await this.write(fd, prefix + linesOf(records));
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Inside `exclusive`: brings the consumer up to date, asks `build` for the
   * records to append (it may throw; then nothing is written), appends them
   * in one write and hands them to the consumer. One open file does it all,
   * and the new lines are folded in from memory rather than read back,
   * unless the file grew by more than what was written.
   */
  appendWith(consumer: LogConsumer<T>, build: () => readonly T[]): Promise<void> {
    return this.reads.run(async () => {
      // Much to catch up with (another process wrote a lot): read it without blocking.
      if (this.unreadBytes() > SYNC_READ_LIMIT) await this.readNew(consumer);
      const fd = openSync(this.filePath, APPEND_NO_FOLLOW, 0o600);
      try {
        const sizeBefore = this.readFromSync(fd, consumer);
        const records = build();
        if (records.length === 0) return;
        const text = linesOf(records);
        // Bytes after the last newline are a torn line: start on a fresh one.
        const prefix = this.pendingBytes > 0 ? '\n' : '';
        const written = await this.write(fd, prefix + text);
        if (prefix === '' && fstatSync(fd).size === sizeBefore + written) {
          // Exactly the lines read so far plus ours: the same as reading them back.
          this.consumeLines(text.slice(0, -1), consumer);
          this.offset = sizeBefore + written;
        } else {
          this.readFromSync(fd, consumer);
        }
      } finally {
        closeSync(fd);
      }
    });
  }

  /** Resolves once the reads and appends already started by this instance are done. */
  async drain(): Promise<void> {
    await Promise.all([this.reads.run(async () => undefined), this.writes.run(async () => undefined)]);
  }

  diagnostics(): LogDiagnostics {
    return {
      file: this.filePath,
      lines: this.lineCount,
      skipped: this.skippedCount,
      warnings: [...this.warningSamples],
      pendingBytes: this.pendingBytes,
    };
  }

  private async readNew(consumer: LogConsumer<T>): Promise<void> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.filePath, READ_NO_FOLLOW);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (this.identity !== undefined) this.startOver(consumer, undefined);
      return;
    }
    try {
      const stat = await handle.stat();
      this.checkIdentity(stat, consumer);
      let carry: Buffer = Buffer.alloc(0);
      let position = this.offset;
      while (position < stat.size) {
        const chunk = Buffer.alloc(Math.min(READ_CHUNK_BYTES, stat.size - position));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        const data = carry.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
        carry = this.ingest(data, position, consumer);
      }
      this.pendingBytes = carry.length;
    } finally {
      await handle.close();
    }
  }

  /** readNew on an open file, in one synchronous read; returns the size read up to. */
  private readFromSync(fd: number, consumer: LogConsumer<T>): number {
    const stat = fstatSync(fd);
    this.checkIdentity(stat, consumer);
    const data = Buffer.alloc(stat.size - this.offset);
    const bytesRead = data.length === 0 ? 0 : readSync(fd, data, 0, data.length, this.offset);
    const position = this.offset + bytesRead;
    this.pendingBytes = this.ingest(data.subarray(0, bytesRead), position, consumer).length;
    return position;
  }

  private checkIdentity(stat: { dev: number; ino: number; size: number }, consumer: LogConsumer<T>): void {
    const identity = `${stat.dev}:${stat.ino}`;
    if (identity !== this.identity || stat.size < this.offset) this.startOver(consumer, identity);
  }

  /**
   * Hands the whole lines of `data` (the bytes from the unread part that end
   * at file position `end`) to the consumer; returns the unterminated rest.
   */
  private ingest(data: Buffer, end: number, consumer: LogConsumer<T>): Buffer {
    const lastNewline = data.lastIndexOf(NEWLINE);
    if (lastNewline < 0) return data;
    // Splitting at a newline byte never cuts a UTF-8 character in two.
    this.consumeLines(data.subarray(0, lastNewline).toString('utf8'), consumer);
    const rest = data.subarray(lastNewline + 1);
    this.offset = end - rest.length;
    return rest;
  }

  /** What a read would have to take in: everything when the file was replaced or truncated. */
  private unreadBytes(): number {
    let stat;
    try {
      stat = statSync(this.filePath);
    } catch {
      return 0; // missing: appending creates it
    }
    const replaced = `${stat.dev}:${stat.ino}` !== this.identity || stat.size < this.offset;
    return replaced ? stat.size : stat.size - this.offset;
  }

  /** One write of whole lines (a loop only in case of a short write); returns the bytes written. */
  private async write(fd: number, text: string): Promise<number> {
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    // fsync can take milliseconds: never on the event loop.
    if (this.options.durable === true) await fdatasync(fd);
    return bytes.length;
  }

  private consumeLines(text: string, consumer: LogConsumer<T>): void {
    for (const rawLine of text.split('\n')) {
      this.lineCount += 1;
      const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
      if (line.trim() === '') continue;
      const record = this.parseLine(line);
      if (record !== undefined) consumer.add(record);
    }
  }

  private parseLine(line: string): T | undefined {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.skip('not valid JSON (torn or corrupted)');
      return undefined;
    }
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const first = parsed.error.issues[0];
    this.skip(`does not match the record schema${first ? ` (${first.path.join('.') || 'record'}: ${first.message})` : ''}`);
    return undefined;
  }

  private skip(reason: string): void {
    this.skippedCount += 1;
    const message = `${this.filePath} line ${this.lineCount}: skipped, ${reason}`;
    if (this.warningSamples.length < MAX_WARNING_SAMPLES) this.warningSamples.push(message);
    this.options.onWarning?.(message);
  }

  private startOver(consumer: LogConsumer<T>, identity: string | undefined): void {
    this.identity = identity;
    this.offset = 0;
    this.lineCount = 0;
    this.skippedCount = 0;
    this.warningSamples = [];
    this.pendingBytes = 0;
    consumer.reset();
  }
}

function linesOf<T>(records: readonly T[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

function endsWithNewline(fd: number): boolean {
  const { size } = fstatSync(fd);
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === NEWLINE;
}
