import { z } from 'zod';
import { ExportError } from '../errors';
import type { Block, ChatMessage, ParsedTranscript } from '../model';
import { idField, isPlainObject, timestampField } from './fields';
import type { JsonLine } from './jsonInput';
import { parseRecord } from './schemaError';
import { groupSessions } from './sessions';

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

/** True when a JSON value looks like a chat_messages row (used by detection). */
export function looksLikeChatMessageRow(value: unknown): boolean {
  return isPlainObject(value) && ('session_id' in value || ('role' in value && 'content' in value && !('type' in value)));
}

export function parseChatMessageRows(records: readonly JsonLine[], path: string): ParsedTranscript {
  const firstLineOfId = new Map<string, number>();
  const messages = records.map(({ value, line }) => {
    const row = parseRecord(chatMessageRowSchema, value, { path, line });
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
  const blockRows = row.metadata?.blocks ?? [];
  const blocks: Block[] =
    blockRows.length > 0
      ? blockRows.map((b, i) => ({ id: b.id ?? `${row.id}#${i}`, kind: b.kind ?? 'text', content: b.content }))
      : [{ id: `${row.id}#0`, kind: 'text', content: row.content ?? '' }];
  const message: ChatMessage = {
    id: row.id,
    sessionId: row.session_id,
    surface: row.surface,
    role: row.role,
    content: row.content ?? blocks.map((b) => b.content).join('\n\n'),
    blocks,
    createdAt: row.created_at,
    location,
  };
  if (row.agent_id !== undefined && row.agent_id !== null && row.agent_id !== '') message.agentId = row.agent_id;
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
