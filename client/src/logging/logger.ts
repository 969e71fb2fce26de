/**
 * The extension's one way to write a log line. Every line — ours, and all
 * that vscode-languageclient writes: the server's window/logMessage, its
 * stray stdout/stderr lines, message traces (see loggerChannel.ts) — passes
 * `scrub` before any sink sees it, so a credential that was set or handed
 * to the server this session never reaches the "DevGuide Export" output
 * channel.
 * No `vscode` import: unit tests drive it with their own sinks.
 */

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface LogSink {
  write(level: LogLevel, message: string): void;
}

/** Shown instead of a known secret. */
export const REDACTED = '«redacted»';

/** Values shorter than this are not scrubbed: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 6;

export class Logger {
  private readonly sinks = new Set<LogSink>();
  private readonly secrets = new Set<string>();
  private scrubbed = 0;

  constructor(sinks: Iterable<LogSink> = []) {
    for (const sink of sinks) this.sinks.add(sink);
  }

  /** Adds a sink; the returned function removes it. */
  addSink(sink: LogSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /**
   * Registers a credential value so it is blanked out of every later line.
   * Kept in memory for this session only (never persisted).
   */
  protectSecret(value: string | undefined | null): void {
    if (value && value.length >= MIN_SECRET_LENGTH) this.secrets.add(value);
  }

  trace(message: string): void {
    this.write('trace', message);
  }

  debug(message: string): void {
    this.write('debug', message);
  }

  info(message: string): void {
    this.write('info', message);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  /** Logs the message of an error, never its stack. */
  error(message: string, cause?: unknown): void {
    this.write('error', cause === undefined ? message : `${message}: ${describeCause(cause)}`);
  }

  write(level: LogLevel, message: string): void {
    const line = this.scrub(message);
    for (const sink of this.sinks) sink.write(level, line);
  }

  scrub(message: string): string {
    let out = message;
    for (const secret of this.secrets) {
      // A JSON trace escapes quotes and backslashes: scrub that spelling too.
      for (const spelling of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
        if (!out.includes(spelling)) continue;
        out = out.split(spelling).join(REDACTED);
        this.scrubbed += 1;
      }
    }
    return out;
  }

  /** How many times a secret had to be blanked out: our own code should keep this at 0. */
  get scrubbedCount(): number {
    return this.scrubbed;
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === 'string') return cause;
  try {
    return JSON.stringify(cause);
  } catch {
    return String(cause);
  }
}

/** Keeps the last lines in memory (test hooks read it; never persisted). */
export class MemorySink implements LogSink {
  private readonly lines: string[] = [];

  constructor(private readonly capacity = 2_000) {}

  write(level: LogLevel, message: string): void {
    this.lines.push(`[${level}] ${message}`);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }

  snapshot(): string[] {
    return [...this.lines];
  }
}
