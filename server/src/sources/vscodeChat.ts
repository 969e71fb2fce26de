import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { BlockKind, ChatMessage, ParsedTranscript } from '../model';
import { isPlainObject } from './fields';
import { type BlockDraft, type MessageDraft, withBlockProvenance } from './provenance';
import { parseRecord } from './schemaError';
import { makeSession, sortByTime } from './sessions';
import { isoFromMillis } from './timestamps';

/**
 * VS Code's "Chat: Export Chat..." JSON. Each request becomes a user message
 * and, when the response has content, an assistant message one millisecond
 * later (the export carries no response time).
 *
 * Response parts, by `kind`:
 * - none / `markdownContent`: Markdown, concatenated into one text block
 *   (they are stream chunks);
 * - `thinking`: a thinking block;
 * - `toolInvocation[Serialized]`: a tool_use block (its message, else the tool id);
 * - `inlineReference`: the referenced file name as inline code inside the
 *   text, since VS Code shows it inline as a file pill;
 * - `textEditGroup`: a short "Edited `file`" line in the text;
 * - anything else (codeblockUri, undoStop, progress, confirmation, ...) is UI
 *   state and is skipped, as are parts whose shape is not understood.
 */

const requestSchema = z.looseObject({
  requestId: z.string().optional(),
  responseId: z.string().optional(),
  message: z.union([
    z.string(),
    z.looseObject({
      text: z.string().optional(),
      parts: z.array(z.looseObject({ text: z.string().optional() })).optional(),
    }),
  ]),
  timestamp: z.number().nullish(),
  response: z.array(z.unknown()).nullish(),
  modelId: z.string().nullish(),
  agent: z.looseObject({ id: z.string().optional() }).nullish(),
});

const exportSchema = z.looseObject({
  sessionId: z.string().min(1).optional(),
  customTitle: z.string().nullish(),
  requests: z.array(z.unknown()),
});

type ChatRequest = z.infer<typeof requestSchema>;

export function looksLikeVsCodeChat(value: unknown): boolean {
  return isPlainObject(value) && Array.isArray(value['requests']);
}

export function parseVsCodeChat(value: unknown, path: string): ParsedTranscript {
  const chat = parseRecord(exportSchema, value, { path });
  const requests = chat.requests.map((request, index) =>
    parseRecord(requestSchema, request, { path, fieldPrefix: ['requests', index] }),
  );
  const sessionId = chat.sessionId ?? derivedSessionId(requests[0]?.requestId ?? path);
  const messages: ChatMessage[] = [];
  let lastMs = 0;
  requests.forEach((request, index) => {
    const userMs = request.timestamp ?? lastMs;
    const userId = request.requestId ?? `${sessionId}:request-${index}`;
    const base = { sessionId, surface: 'reasoning' as const };
    const text = requestText(request);
    messages.push(
      withBlockProvenance({
        ...base,
        id: userId,
        role: 'user',
        content: text,
        blocks: [{ id: `${userId}#0`, kind: 'text', content: text }],
        createdAt: isoFromMillis(userMs) ?? new Date(0).toISOString(),
        location: `${path}#/requests/${index}/message`,
      }),
    );
    lastMs = userMs;

    const assistantId = request.responseId ?? `${userId}:response`;
    const blocks = responseBlocks(request.response ?? [], assistantId);
    if (blocks.length === 0) return;
    lastMs = userMs + 1;
    const assistant: MessageDraft = {
      ...base,
      id: assistantId,
      role: 'assistant',
      content: blocks.map((b) => b.content).join('\n\n'),
      blocks,
      createdAt: isoFromMillis(lastMs) ?? new Date(0).toISOString(),
      location: `${path}#/requests/${index}/response`,
    };
    const agentId = request.modelId ?? request.agent?.id;
    if (agentId !== undefined && agentId !== null && agentId !== '') assistant.agentId = agentId;
    messages.push(withBlockProvenance(assistant));
  });
  return { format: 'vscode_chat', sessions: [makeSession(sessionId, sortByTime(messages), chat.customTitle ?? undefined)] };
}

function derivedSessionId(seed: string): string {
  return `vscode-chat-${createHash('sha256').update(seed).digest('hex').slice(0, 12)}`;
}

function requestText(request: ChatRequest): string {
  const message = request.message;
  if (typeof message === 'string') return message;
  const fromParts = (message.parts ?? []).map((p) => p.text ?? '').join('');
  return message.text !== undefined && (message.text !== '' || fromParts === '') ? message.text : fromParts;
}

/** Turns response parts into blocks; consecutive Markdown-like parts share one text block. */
function responseBlocks(parts: readonly unknown[], messageId: string): BlockDraft[] {
  const blocks: BlockDraft[] = [];
  let text = '';
  const push = (kind: BlockKind, content: string): void => {
    if (content.trim() === '') return;
    blocks.push({ id: `${messageId}#${blocks.length}`, kind, content });
  };
  const flushText = (): void => {
    push('text', text.trimEnd());
    text = '';
  };
  for (const part of parts) {
    if (!isPlainObject(part)) continue;
    const kind = part['kind'];
    if (kind === undefined || kind === null || kind === 'markdownContent') {
      const value = markdownOf(kind === 'markdownContent' ? part['content'] : part);
      if (value !== undefined) text += value;
    } else if (kind === 'inlineReference') {
      const name = referenceName(part);
      if (name !== undefined) text = `${endAfterFence(text)}\`${name}\``;
    } else if (kind === 'textEditGroup') {
      const name = referenceName({ inlineReference: part['uri'] });
      if (name !== undefined) text = `${asParagraphStart(text)}Edited \`${name}\`\n\n`;
    } else if (kind === 'thinking') {
      flushText();
      push('thinking', thinkingText(part['value']));
    } else if (kind === 'toolInvocationSerialized' || kind === 'toolInvocation') {
      flushText();
      const label = markdownOf(part['invocationMessage']) ?? markdownOf(part['pastTenseMessage']) ?? stringOf(part['toolId']);
      if (label !== undefined) push('tool_use', label);
    }
  }
  flushText();
  return blocks;
}

/** A Markdown value: a string or `{value: string}` (VS Code's IMarkdownString). */
function markdownOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isPlainObject(value) && typeof value['value'] === 'string') return value['value'];
  return undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function thinkingText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').join('');
  return '';
}

/** The file name an inline reference or edit points at: a name, a URI, or a Location `{uri, range}`. */
function referenceName(part: Record<string, unknown>): string | undefined {
  const explicit = stringOf(part['name']);
  if (explicit !== undefined) return explicit;
  const ref = part['inlineReference'];
  if (!isPlainObject(ref)) return undefined;
  const named = stringOf(ref['name']);
  if (named !== undefined) return named;
  const uri = isPlainObject(ref['uri']) ? ref['uri'] : ref;
  const path = stringOf(uri['fsPath']) ?? stringOf(uri['path']);
  if (path === undefined) return undefined;
  const base = path.split(/[\\/]/).filter((s) => s !== '').pop();
  return base;
}

/** Text to which a new paragraph can be appended. */
function asParagraphStart(text: string): string {
  if (text === '' || text.endsWith('\n\n')) return text;
  return text.endsWith('\n') ? `${text}\n` : `${text}\n\n`;
}

/** An inline reference right after a closing code fence must start a new line, or it would break the fence. */
function endAfterFence(text: string): string {
  const lastLine = text.slice(text.lastIndexOf('\n') + 1);
  return /^\s*(`{3,}|~{3,})\s*$/.test(lastLine) ? `${text}\n` : text;
}
