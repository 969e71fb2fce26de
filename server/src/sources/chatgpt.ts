import { z } from 'zod';
import { ExportError } from '../errors';
import type { BlockKind, ChatMessage, ParsedTranscript, Role, SessionInfo } from '../model';
import { isPlainObject } from './fields';
import { type BlockDraft, type MessageDraft, withBlockProvenance } from './provenance';
import { parseRecord } from './schemaError';
import { makeSession, sortByTime } from './sessions';
import { isoFromSeconds } from './timestamps';

/**
 * ChatGPT's data export (conversations.json): an array of conversations, each
 * a tree of nodes. Only the branch the user last saw is kept: from
 * `current_node` up the parent links to the root, reversed (regenerated
 * answers live on sibling branches and are dropped).
 *
 * Skipped: nodes without a message, messages hidden from the conversation
 * (`metadata.is_visually_hidden_from_conversation`, e.g. the system prompt),
 * unknown author roles, and messages with no readable content. Non-text parts
 * of multimodal messages become "[image]" for images and are dropped
 * otherwise. Content types: text / multimodal_text → text (tool role →
 * tool_result), code → code (tool_use when addressed to a tool),
 * execution_output → tool_result, thoughts → thinking; reasoning_recap
 * ("Thought for 5s") is skipped.
 */

const messageSchema = z.looseObject({
  id: z.string().optional(),
  author: z.looseObject({ role: z.string() }),
  content: z.looseObject({ content_type: z.string().optional() }).nullish(),
  create_time: z.number().nullish(),
  recipient: z.string().nullish(),
  metadata: z.looseObject({}).nullish(),
});

const nodeSchema = z.looseObject({
  parent: z.string().nullish(),
  children: z.array(z.string()).nullish(),
  message: z.unknown().optional(),
});

const conversationSchema = z.looseObject({
  id: z.string().min(1).optional(),
  conversation_id: z.string().min(1).optional(),
  title: z.string().nullish(),
  create_time: z.number().nullish(),
  current_node: z.string().nullish(),
  default_model_slug: z.string().nullish(),
  mapping: z.record(z.string(), nodeSchema),
});

type Conversation = z.infer<typeof conversationSchema>;
type ChatGptMessage = z.infer<typeof messageSchema>;

const ROLES: Readonly<Record<string, Role>> = { user: 'user', assistant: 'assistant', system: 'system', tool: 'tool' };

export function looksLikeChatGptConversation(value: unknown): boolean {
  return isPlainObject(value) && isPlainObject(value['mapping']);
}

export function parseChatGpt(conversations: readonly unknown[], path: string): ParsedTranscript {
  const sessions: SessionInfo[] = conversations.map((raw, index) => {
    const conversation = parseRecord(conversationSchema, raw, { path, fieldPrefix: [index] });
    return conversationToSession(conversation, index, path);
  });
  return { format: 'chatgpt', sessions };
}

function conversationToSession(conversation: Conversation, index: number, path: string): SessionInfo {
  const sessionId = conversation.conversation_id ?? conversation.id ?? `chatgpt-${index}`;
  const branch = currentBranch(conversation, index, path);
  const messages: ChatMessage[] = [];
  let lastIso = conversation.create_time == null ? new Date(0).toISOString() : (isoFromSeconds(conversation.create_time) ?? new Date(0).toISOString());
  for (const nodeId of branch) {
    const node = conversation.mapping[nodeId];
    if (node?.message === undefined || node.message === null) continue;
    const fieldPrefix = [index, 'mapping', nodeId, 'message'];
    const message = parseRecord(messageSchema, node.message, { path, fieldPrefix });
    const role = ROLES[message.author.role];
    if (role === undefined || message.metadata?.['is_visually_hidden_from_conversation'] === true) continue;
    const id = message.id ?? nodeId;
    const blocks = contentBlocks(message, role, id);
    if (blocks.length === 0) continue;
    if (message.create_time != null) lastIso = isoFromSeconds(message.create_time) ?? lastIso;
    const chat: MessageDraft = {
      id,
      sessionId,
      surface: 'reasoning',
      role,
      content: blocks.map((b) => b.content).join('\n\n'),
      blocks,
      createdAt: lastIso,
      location: `${path}#/${index}/mapping/${nodeId}`,
    };
    const model = message.metadata?.['model_slug'];
    const agentId = typeof model === 'string' && model !== '' ? model : (conversation.default_model_slug ?? undefined);
    if (role === 'assistant' && agentId !== undefined && agentId !== '') chat.agentId = agentId;
    messages.push(withBlockProvenance(chat));
  }
  return makeSession(sessionId, sortByTime(messages), conversation.title ?? undefined);
}

/** Node ids from the root to the current node. */
function currentBranch(conversation: Conversation, index: number, path: string): string[] {
  const leaf = conversation.current_node ?? latestLeaf(conversation);
  if (leaf === undefined) return [];
  if (conversation.mapping[leaf] === undefined) {
    throw new ExportError('INVALID_INPUT', `${path}: conversation ${index} names current_node "${leaf}", which is not in its mapping`, {
      details: { path, field: `[${index}].current_node` },
      recoverable: false,
    });
  }
  const branch: string[] = [];
  const visited = new Set<string>();
  for (let id: string | null | undefined = leaf; id != null && !visited.has(id); id = conversation.mapping[id]?.parent) {
    visited.add(id);
    if (conversation.mapping[id] === undefined) break;
    branch.push(id);
  }
  return branch.reverse();
}

/** Without current_node: the childless node with the latest message. */
function latestLeaf(conversation: Conversation): string | undefined {
  let best: { id: string; time: number } | undefined;
  for (const [id, node] of Object.entries(conversation.mapping)) {
    if ((node.children ?? []).length > 0) continue;
    const message = node.message;
    const time = isPlainObject(message) && typeof message['create_time'] === 'number' ? message['create_time'] : -Infinity;
    if (best === undefined || time > best.time) best = { id, time };
  }
  return best?.id;
}

function contentBlocks(message: ChatGptMessage, role: Role, messageId: string): BlockDraft[] {
  const content = message.content;
  if (content === null || content === undefined) return [];
  const type = content.content_type ?? 'text';
  const toBlocks = (kind: BlockKind, texts: readonly string[]): BlockDraft[] =>
    texts
      .filter((t) => t.trim() !== '')
      .map((text, i) => ({ id: `${messageId}#${i}`, kind, content: text }));

  switch (type) {
    case 'reasoning_recap':
      return [];
    case 'thoughts': {
      const thoughts = Array.isArray(content['thoughts']) ? content['thoughts'] : [];
      return toBlocks('thinking', thoughts.map((t) => (isPlainObject(t) && typeof t['content'] === 'string' ? t['content'] : '')));
    }
    case 'code': {
      const toTool = message.recipient != null && message.recipient !== 'all';
      return toBlocks(toTool ? 'tool_use' : 'code', [stringField(content, 'text')]);
    }
    case 'execution_output':
      return toBlocks('tool_result', [stringField(content, 'text')]);
    default: {
      const parts = Array.isArray(content['parts']) ? content['parts'].map(partText) : [stringField(content, 'text')];
      const text = parts.filter((p) => p !== '').join('\n');
      return toBlocks(role === 'tool' ? 'tool_result' : 'text', [text]);
    }
  }
}

function partText(part: unknown): string {
  if (typeof part === 'string') return part;
  if (!isPlainObject(part)) return '';
  if (part['content_type'] === 'image_asset_pointer') return '[image]';
  if (typeof part['text'] === 'string') return part['text']; // e.g. audio_transcription
  return '';
}

function stringField(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  return typeof value === 'string' ? value : '';
}
