import { ExportError } from '../errors';
import type { ParsedTranscript } from '../model';
import { parseChatMessageRows } from './canonical';
import { parseChatGpt } from './chatgpt';
import { parseClaudeCode } from './claudeCode';
import { detectDocumentFormat, detectLinesFormat } from './detect';
import { type JsonLine, SUPPORTED_FORMATS, SUPPORTED_SENTENCE, jsonLineError, readJsonInput } from './jsonInput';
import { lineSpansOf } from './jsonPointerSpans';
import { linesAt, scanJson } from './jsonSyntax';
import { cleanTranscriptText, decodeTranscriptBytes } from './text';
import { parseVsCodeChat } from './vscodeChat';

export { decodeTranscriptBytes, cleanTranscriptText } from './text';
export { editorSelectionToMessages, type EditorSelectionInput, type EditorRange } from './editorSelection';
export { toSessionsJson, listSessions, type SessionsJson, type SessionSummary } from './summary';
export { fenceLanguageForPath, isCodePath } from './codeFiles';
export { SUPPORTED_FORMATS } from './jsonInput';

/**
 * Parses a transcript file's text, detecting its format by content:
 * chat_messages rows (JSON array or JSONL), VS Code "Export Chat" JSON,
 * Claude Code session JSONL or ChatGPT conversations.json.
 * Throws ExportError INVALID_INPUT / UNKNOWN_FORMAT with a line or field.
 */
export function parseTranscript(text: string, path: string): ParsedTranscript {
  return parseCleanText(cleanTranscriptText(text, path), path);
}

/** A transcript file's bytes, decoded and cleaned once (decodeTranscriptBytes), then parsed. */
export function parseTranscriptBytes(bytes: Uint8Array, path: string): ParsedTranscript {
  const text = decodeTranscriptBytes(bytes, path);
  // What parseTranscript's second cleaning pass would still change: one more leading BOM.
  return parseCleanText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, path);
}

function parseCleanText(clean: string, path: string): ParsedTranscript {
  const input = readJsonInput(clean, path);
  if (input.kind === 'document') return parseDocument(input.value, clean, path);

  const format = detectLinesFormat(input.lines);
  if (format === undefined) throw unknownFormat(path);
  // Claude Code appends to its file while the session runs: a half-written last line is expected.
  if (input.tornLastLine !== undefined && format !== 'claude_code') throw jsonLineError(path, input.tornLastLine);
  return format === 'claude_code' ? parseClaudeCode(input.lines, path) : parseChatMessageRows(input.lines, path);
}

function parseDocument(value: unknown, text: string, path: string): ParsedTranscript {
  if (Array.isArray(value) && value.length === 0) {
    throw new ExportError('INVALID_INPUT', `${path} holds an empty list: there are no messages to export`, {
      details: { path },
      recoverable: false,
    });
  }
  const format = detectDocumentFormat(value);
  switch (format) {
    case 'vscode_chat':
      return withLineSpans(parseVsCodeChat(value, path), text);
    case 'chatgpt':
      return withLineSpans(parseChatGpt(Array.isArray(value) ? value : [value], path), text);
    case 'chat_messages':
      return parseChatMessageRows(Array.isArray(value) ? arrayRows(value, text) : [{ line: 1, value }], path);
    case 'claude_code':
      return parseClaudeCode([{ line: 1, value }], path);
    case undefined:
      throw unknownFormat(path);
  }
}

/** Each message addressed by a JSON pointer (`path#/…`) learns the lines its JSON spans. */
function withLineSpans(parsed: ParsedTranscript, text: string): ParsedTranscript {
  const pointerOf = (location: string | undefined) => {
    const at = location?.lastIndexOf('#') ?? -1;
    return at >= 0 ? (location as string).slice(at + 1) : undefined;
  };
  const messages = parsed.sessions.flatMap((s) => s.messages);
  const wanted = new Set(messages.flatMap((m) => pointerOf(m.location) ?? []));
  const spans = lineSpansOf(text, wanted);
  for (const message of messages) {
    const pointer = pointerOf(message.location);
    const span = pointer === undefined ? undefined : spans.get(pointer);
    if (span) message.lines = span;
  }
  return parsed;
}

/** Rows of a JSON array, each with the line where it starts. */
function arrayRows(rows: readonly unknown[], text: string): JsonLine[] {
  const offsets = scanJson(text).topLevelElementOffsets;
  const lines = offsets.length === rows.length ? linesAt(text, offsets) : [];
  return rows.map((value, index) => ({ line: lines[index] ?? index + 1, value }));
}

function unknownFormat(path: string): ExportError {
  return new ExportError('UNKNOWN_FORMAT', `${path} is JSON but not a transcript format this extension reads. ${SUPPORTED_SENTENCE}`, {
    details: { path, supported: [...SUPPORTED_FORMATS] },
    recoverable: false,
  });
}
