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
  const lines = splitLines(text);
  const nonBlank = lines.filter((l) => l.text.trim() !== '');
  const firstLine = nonBlank[0];
  if (nonBlank.length < 2 || firstLine === undefined || !isJsonObjectText(firstLine.text)) {
    throw syntaxError(text, path);
  }
  const parsed: JsonLine[] = [];
  let torn: TornLine | undefined;
  nonBlank.forEach((entry, index) => {
    try {
      parsed.push({ line: entry.line, value: JSON.parse(entry.text) });
    } catch {
      const problem = scanJson(entry.text).problem;
      const failure: TornLine = {
        line: entry.line,
        column: (problem?.offset ?? 0) + 1,
        reason: problem?.reason ?? 'invalid JSON',
      };
      if (index !== nonBlank.length - 1) throw jsonLineError(path, failure);
      torn = failure;
    }
  });
  return torn === undefined ? { kind: 'lines', lines: parsed } : { kind: 'lines', lines: parsed, tornLastLine: torn };
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

function isJsonObjectText(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

function splitLines(text: string): { line: number; text: string }[] {
  return text.split('\n').map((raw, index) => ({ line: index + 1, text: raw.endsWith('\r') ? raw.slice(0, -1) : raw }));
}
