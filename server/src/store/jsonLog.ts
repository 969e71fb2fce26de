import { promises as fs } from 'node:fs';
import type { z } from 'zod';
import { withFileLock, type FileLockOptions } from './fileLock';

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

const READ_CHUNK_BYTES = 1 << 20;
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

  /** Runs `body` holding the cross-process lock; `body` may sync and then `appendHeld`. */
  exclusive<R>(body: () => Promise<R>): Promise<R> {
    return this.writes.run(() => withFileLock(this.lockPath, this.options.lock ?? {}, body));
  }

  append(records: readonly T[]): Promise<void> {
    return this.exclusive(() => this.appendHeld(records));
  }

  /** Appends whole lines in one write. Only call inside `exclusive`. */
  async appendHeld(records: readonly T[]): Promise<void> {
    if (records.length === 0) return;
    const handle = await fs.open(this.filePath, 'a+', 0o600);
    try {
      const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
      const prefix = (await endsWithNewline(handle)) ? '' : '\n';
      const bytes = Buffer.from(prefix + text, 'utf8');
      let written = 0;
      while (written < bytes.length) {
        // One call in practice; the loop only guards against a short write.
        const result = await handle.write(bytes, written, bytes.length - written);
        written += result.bytesWritten;
      }
      if (this.options.durable === true) await handle.datasync();
    } finally {
      await handle.close();
    }
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
      handle = await fs.open(this.filePath, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (this.identity !== undefined) this.startOver(consumer, undefined);
      return;
    }
    try {
      const stat = await handle.stat();
      const identity = `${stat.dev}:${stat.ino}`;
      if (identity !== this.identity || stat.size < this.offset) this.startOver(consumer, identity);
      let carry = Buffer.alloc(0);
      let position = this.offset;
      while (position < stat.size) {
        const chunk = Buffer.alloc(Math.min(READ_CHUNK_BYTES, stat.size - position));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        const data = carry.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
        const lastNewline = data.lastIndexOf(NEWLINE);
        if (lastNewline < 0) {
          carry = data;
          continue;
        }
        // Splitting at a newline byte never cuts a UTF-8 character in two.
        this.consumeLines(data.subarray(0, lastNewline).toString('utf8'), consumer);
        carry = data.subarray(lastNewline + 1);
        this.offset = position - carry.length;
      }
      this.pendingBytes = carry.length;
    } finally {
      await handle.close();
    }
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

async function endsWithNewline(handle: fs.FileHandle): Promise<boolean> {
  const { size } = await handle.stat();
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === NEWLINE;
}
