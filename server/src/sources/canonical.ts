import { z } from 'zod';
import { ExportError } from '../errors';
import type { ChatMessage, ParsedTranscript } from '../model';
import { idField, isPlainObject, timestampField } from './fields';
import type { JsonLine } from './jsonInput';
import { blockOf } from './provenance';
import { parseRecord } from './schemaError';
import { groupSessions } from './sessions';
import { isoFromString } from './timestamps';

/**
 * Rows of the `chat_messages` table (the seed schema), as JSON Lines or a
 * JSON array. Rows of several sessions may be mixed and out of time order.
 */

const blockRowSchema = z.object({
  id: idField.optional(),
  kind: z.enum(['text', 'code', 'thinking', 'tool_use', 'tool_result']).nullish(),
  content: z.string(),
});

/** SQL dumps often carry the JSON column as text; accept both. */
const metadataSchema = z.preprocess(
  parseJsonText,
  z.looseObject({ blocks: z.array(blockRowSchema).nullish() }).nullish(),
);

export const chatMessageRowSchema = z.object({
  id: idField,
  session_id: idField,
  surface: z
    .enum(['inputs', 'reasoning', 'outputs', 'editor'])
    .nullish()
    .transform((surface) => surface ?? 'reasoning'),
  agent_id: z.string().nullish(),
  role: z.enum(['user', 'assistant', 'system', 'tool']),
  content: z.string().nullish(),
  metadata: metadataSchema,
  created_at: timestampField,
});

export type ChatMessageRow = z.infer<typeof chatMessageRowSchema>;

/**
 * The shape nearly every row has (string ids, object metadata, string time),
 * checked without zod transforms, unions or preprocessing, which cost ten
 * times more per row. It accepts a subset of what chatMessageRowSchema
 * accepts and means the same; other rows, and every error message, go
 * through the full schema.
 */
const plainBlockRowSchema = z.object({
  id: z.string().min(1).optional(),
  kind: z.enum(['text', 'code', 'thinking', 'tool_use', 'tool_result']).nullish(),
  content: z.string(),
});

const plainRowSchema = z.object({
  id: z.string().min(1),
  session_id: z.string().min(1),
  surface: z.enum(['inputs', 'reasoning', 'outputs', 'editor']).nullish(),
  agent_id: z.string().nullish(),
  role: z.enum(['user', 'assistant', 'system', 'tool']),
  content: z.string().nullish(),
  metadata: z.looseObject({ blocks: z.array(plainBlockRowSchema).nullish() }).nullish(),
  created_at: z.string(),
});

function parseRow(value: unknown, where: { path: string; line: number }): ChatMessageRow {
  const plain = plainRowSchema.safeParse(value);
  const createdAt = plain.success ? isoFromString(plain.data.created_at) : undefined;
  if (!plain.success || createdAt === undefined) return parseRecord(chatMessageRowSchema, value, where);
  // zod's output is a fresh object: completed in place rather than copied.
  const row = plain.data;
  row.surface ??= 'reasoning';
  row.created_at = createdAt;
  return row as ChatMessageRow;
}

/** True when a JSON value looks like a chat_messages row (used by detection). */
export function looksLikeChatMessageRow(value: unknown): boolean {
  return isPlainObject(value) && ('session_id' in value || ('role' in value && 'content' in value && !('type' in value)));
}

export function parseChatMessageRows(records: readonly JsonLine[], path: string): ParsedTranscript {
  const firstLineOfId = new Map<string, number>();
  const messages = records.map(({ value, line }) => {
    const row = parseRow(value, { path, line });
    const seenAt = firstLineOfId.get(row.id);
    if (seenAt !== undefined) {
      throw new ExportError('INVALID_INPUT', `${path} line ${line}: duplicate message id "${row.id}" (first at line ${seenAt})`, {
        details: { path, line, field: 'id' },
        recoverable: false,
      });
    }
    firstLineOfId.set(row.id, line);
    return rowToMessage(row, `${path}:${line}`);
  });
  return { format: 'chat_messages', sessions: groupSessions(messages) };
}

function rowToMessage(row: ChatMessageRow, location: string): ChatMessage {
  const message: ChatMessage = {
    id: row.id,
    sessionId: row.session_id,
    surface: row.surface,
    role: row.role,
    content: '',
    blocks: [],
    createdAt: row.created_at,
    location,
  };
  if (row.agent_id !== undefined && row.agent_id !== null && row.agent_id !== '') message.agentId = row.agent_id;
  const blockRows = row.metadata?.blocks ?? [];
  message.blocks =
    blockRows.length > 0
      ? blockRows.map((b, i) => blockOf(message, { id: b.id ?? `${row.id}#${i}`, kind: b.kind ?? 'text', content: b.content }))
      : [blockOf(message, { id: `${row.id}#0`, kind: 'text', content: row.content ?? '' })];
  message.content = row.content ?? message.blocks.map((b) => b.content).join('\n\n');
  return message;
}

function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value; // zod then reports "expected object"
  }
}
