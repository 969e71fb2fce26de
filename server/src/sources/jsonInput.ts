import { ExportError } from '../errors';
import { lineColumnAt, scanJson } from './jsonSyntax';

/**
 * Reads transcript text as either one JSON document or JSON Lines, with
 * syntax errors reported by line and column.
 */

export interface JsonLine {
  /** 1-based line number in the file. */
  line: number;
  value: unknown;
}

export interface TornLine {
  line: number;
  column: number;
  reason: string;
}

export type JsonInput =
  | { kind: 'document'; value: unknown }
  | {
      kind: 'lines';
      lines: JsonLine[];
      /** The last non-blank line did not parse; only a format that tolerates a half-written tail may ignore it. */
      tornLastLine?: TornLine;
    };

export function readJsonInput(text: string, path: string): JsonInput {
  const start = firstNonBlank(text);
  if (start === -1) {
    throw new ExportError('INVALID_INPUT', `The file is empty: ${path}`, { details: { path }, recoverable: false });
  }
  const first = text[start];
  if (first !== '{' && first !== '[') {
    throw new ExportError('UNKNOWN_FORMAT', `${path} is not JSON, so it is no transcript format this extension reads. ${SUPPORTED_SENTENCE}`, {
      details: { path, supported: SUPPORTED_FORMATS },
      recoverable: false,
    });
  }
  try {
    return { kind: 'document', value: JSON.parse(text) };
  } catch {
    // Not one document: JSON Lines, or broken JSON.
  }
  return readJsonLines(text, path);
}

/** JSON Lines in one pass over the text (no intermediate arrays of lines). */
function readJsonLines(text: string, path: string): JsonInput {
  const parsed: JsonLine[] = [];
  let failed: TornLine | undefined;
  let lineNumber = 0;
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    lineNumber++;
    const raw = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
    if (raw.trim() === '') continue;
    // A failed line followed by another one is not a torn tail.
    if (failed !== undefined) throw jsonLineError(path, failed);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      if (parsed.length === 0) throw syntaxError(text, path);
      const problem = scanJson(raw).problem;
      failed = { line: lineNumber, column: (problem?.offset ?? 0) + 1, reason: problem?.reason ?? 'invalid JSON' };
      continue;
    }
    if (parsed.length === 0 && !isJsonObject(value)) throw syntaxError(text, path);
    parsed.push({ line: lineNumber, value });
  }
  // A single line is no JSON Lines file: report it as broken JSON.
  if (parsed.length + (failed === undefined ? 0 : 1) < 2) throw syntaxError(text, path);
  return failed === undefined ? { kind: 'lines', lines: parsed } : { kind: 'lines', lines: parsed, tornLastLine: failed };
}

export function jsonLineError(path: string, failure: TornLine): ExportError {
  return new ExportError('INVALID_INPUT', `Invalid JSON in ${path} at line ${failure.line}, column ${failure.column}: ${failure.reason}`, {
    details: { path, line: failure.line, column: failure.column },
    recoverable: false,
  });
}

export const SUPPORTED_FORMATS = [
  'chat_messages rows (JSON array or JSON Lines)',
  'VS Code "Export Chat" JSON',
  'Claude Code session JSONL',
  'ChatGPT conversations.json',
] as const;

export const SUPPORTED_SENTENCE = `Supported formats: ${SUPPORTED_FORMATS.join('; ')}.`;

function syntaxError(text: string, path: string): ExportError {
  const problem = scanJson(text).problem ?? { offset: text.length, reason: 'invalid JSON' };
  const { line, column } = lineColumnAt(text, problem.offset);
  return jsonLineError(path, { line, column, reason: problem.reason });
}

function firstNonBlank(text: string): number {
  const match = /\S/.exec(text);
  return match === null ? -1 : match.index;
}

function isJsonObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
