import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ExportError } from '../errors';
import type { ParsedTranscript } from '../model';
import { isCodePath } from './codeFiles';
import { type BlockDraft, withBlockProvenance } from './provenance';
import { parseRecord } from './schemaError';
import { isoFromMillis } from './timestamps';

/**
 * An editor selection as a transcript: one session, one user message on the
 * 'editor' surface, each selection range a block (code when the file's
 * extension is a programming language, text otherwise).
 * Line numbers are 1-based, as shown in the editor.
 */

const rangeSchema = z
  .object({
    startLine: z.number().int().min(1),
    endLine: z.number().int().min(1),
    text: z.string(),
  })
  .refine((r) => r.endLine >= r.startLine, { message: 'endLine is before startLine', path: ['endLine'] });

const selectionSchema = z.object({
  path: z.string().min(1),
  ranges: z.array(rangeSchema),
  now: z.date(),
});

export type EditorRange = z.infer<typeof rangeSchema>;
export interface EditorSelectionInput {
  path: string;
  ranges: EditorRange[];
  now: Date;
}

export function editorSelectionToMessages(input: EditorSelectionInput): ParsedTranscript {
  const { path, ranges, now } = parseRecord(selectionSchema, input, { path: 'editor selection' });
  const first = ranges[0];
  if (first === undefined || ranges.every((r) => r.text.trim() === '')) {
    throw new ExportError('EMPTY_SELECTION', `Nothing is selected in ${path}`, { details: { path }, recoverable: false });
  }
  const sessionId = `editor-${createHash('sha256').update(path).digest('hex').slice(0, 12)}`;
  const messageId = `${sessionId}:selection`;
  const kind = isCodePath(path) ? 'code' : 'text';
  const blocks: BlockDraft[] = ranges.map((range, i) => ({ id: `${messageId}#${i}`, kind, content: range.text }));
  const message = withBlockProvenance({
    id: messageId,
    sessionId,
    surface: 'editor',
    role: 'user',
    content: ranges.map((r) => r.text).join('\n\n'),
    blocks,
    createdAt: isoFromMillis(now.getTime()) ?? new Date(0).toISOString(),
    location: `${path}:${first.startLine}`,
  });
  const name = path.split(/[\\/]/).pop() ?? path;
  const title = `Selection from ${name}, ${linesLabel(ranges)}`;
  return { format: 'editor', sessions: [{ id: sessionId, title, messages: [message] }] };
}

/** "line 12", "lines 3–9", "lines 3–9 and 20", "lines 1–2, 5 and 9–10". */
export function linesLabel(ranges: readonly { startLine: number; endLine: number }[]): string {
  const parts = ranges.map((r) => (r.startLine === r.endLine ? `${r.startLine}` : `${r.startLine}–${r.endLine}`));
  const single = ranges.length === 1 && ranges[0]?.startLine === ranges[0]?.endLine;
  const list = parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `${single ? 'line' : 'lines'} ${list}`;
}
