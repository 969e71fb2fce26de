import { z } from 'zod';
import { ExportError } from '../errors';
import type { BlockKind, ChatMessage, ParsedTranscript, Role, Surface } from '../model';
import { idField, isPlainObject, timestampField } from './fields';
import type { JsonLine } from './jsonInput';
import { makeBlock } from './provenance';
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

type BlockRow = z.infer<typeof blockRowSchema>;

const ROLES: ReadonlySet<unknown> = new Set<Role>(['user', 'assistant', 'system', 'tool']);
const SURFACES: ReadonlySet<unknown> = new Set<Surface>(['inputs', 'reasoning', 'outputs', 'editor']);
const BLOCK_KINDS: ReadonlySet<unknown> = new Set<BlockKind>(['text', 'code', 'thinking', 'tool_use', 'tool_result']);

/**
 * The shape nearly every row has (string ids, object metadata, a string
 * time), recognised by hand: a zod parse per row cost more than the row's
 * JSON.parse, and in a one-shot CLI run several times that (zod compiles and
 * warms up its parsers on first use). It accepts a subset of what
 * chatMessageRowSchema accepts and builds the same message from it
 * (property-tested in test/unit/sources/fastPaths.test.ts); every other
 * row, and every error message, goes through the schema.
 */
export function plainRowMessage(value: unknown, location: string): ChatMessage | undefined {
  if (!isPlainObject(value)) return undefined;
  const { id, session_id: sessionId, surface, agent_id: agentId, role, content, metadata, created_at: time } = value;
  if (typeof id !== 'string' || id === '' || typeof sessionId !== 'string' || sessionId === '') return undefined;
  if (!ROLES.has(role) || (surface != null && !SURFACES.has(surface))) return undefined;
  if ((agentId != null && typeof agentId !== 'string') || (content != null && typeof content !== 'string')) return undefined;
  if (typeof time !== 'string') return undefined;
  let blocks: unknown;
  if (metadata != null) {
    if (!isPlainObject(metadata)) return undefined;
    blocks = metadata['blocks'];
    if (blocks != null && !(Array.isArray(blocks) && blocks.every(isPlainBlockRow))) return undefined;
  }
  const createdAt = isoFromString(time);
  if (createdAt === undefined) return undefined;
  return buildMessage(
    id,
    sessionId,
    (surface ?? 'reasoning') as Surface,
    role as Role,
    agentId as string | null | undefined,
    content as string | null | undefined,
    blocks as BlockRow[] | null | undefined,
    createdAt,
    location,
  );
}

function isPlainBlockRow(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const { id, kind, content } = value;
  return (id === undefined || (typeof id === 'string' && id !== '')) && (kind == null || BLOCK_KINDS.has(kind)) && typeof content === 'string';
}

/** True when a JSON value looks like a chat_messages row (used by detection). */
export function looksLikeChatMessageRow(value: unknown): boolean {
  return isPlainObject(value) && ('session_id' in value || ('role' in value && 'content' in value && !('type' in value)));
}

export function parseChatMessageRows(records: readonly JsonLine[], path: string): ParsedTranscript {
  const firstLineOfId = new Map<string, number>();
  const messages: ChatMessage[] = [];
  for (const { value, line } of records) {
    const location = `${path}:${line}`;
    const message = plainRowMessage(value, location) ?? messageFromRow(parseRecord(chatMessageRowSchema, value, { path, line }), location);
    const seenAt = firstLineOfId.get(message.id);
    if (seenAt !== undefined) {
      throw new ExportError('INVALID_INPUT', `${path} line ${line}: duplicate message id "${message.id}" (first at line ${seenAt})`, {
        details: { path, line, field: 'id' },
        recoverable: false,
      });
    }
    firstLineOfId.set(message.id, line);
    messages.push(message);
  }
  return { format: 'chat_messages', sessions: groupSessions(messages) };
}

/** A validated row as a message (the general path; the fast path builds the same). */
export function messageFromRow(row: ChatMessageRow, location: string): ChatMessage {
  return buildMessage(row.id, row.session_id, row.surface, row.role, row.agent_id, row.content, row.metadata?.blocks, row.created_at, location);
}

/** The one place a row's fields become a message, for both paths. Positional: it runs for every row. */
function buildMessage(
  id: string,
  sessionId: string,
  surface: Surface,
  role: Role,
  agentId: string | null | undefined,
  content: string | null | undefined,
  blockRows: readonly BlockRow[] | null | undefined,
  createdAt: string,
  location: string,
): ChatMessage {
  const message: ChatMessage = { id, sessionId, surface, role, content: '', blocks: [], createdAt, location };
  if (agentId !== undefined && agentId !== null && agentId !== '') message.agentId = agentId;
  if (blockRows === undefined || blockRows === null || blockRows.length === 0) {
    message.blocks = [makeBlock(message, `${id}#0`, 'text', content ?? '')];
    message.content = content ?? '';
    return message;
  }
  message.blocks = blockRows.map((b, i) => makeBlock(message, b.id ?? `${id}#${i}`, b.kind ?? 'text', b.content));
  message.content = content ?? message.blocks.map((b) => b.content).join('\n\n');
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
