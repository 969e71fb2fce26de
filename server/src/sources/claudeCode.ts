import { z } from 'zod';
import { ExportError } from '../errors';
import type { ParsedTranscript, Role } from '../model';
import { isPlainObject, timestampField } from './fields';
import type { JsonLine } from './jsonInput';
import { type BlockDraft, type MessageDraft, withBlockProvenance } from './provenance';
import { parseRecord } from './schemaError';
import { groupSessions } from './sessions';

/**
 * Claude Code session JSONL (~/.claude/projects/<project>/<session>.jsonl).
 *
 * - Only `user` / `assistant` lines with a `message` are conversation; summary,
 *   file-history-snapshot, system and other line types are skipped (a summary
 *   titles the session holding its `leafUuid`).
 * - Sidechain lines (sub-agents) and `isMeta` lines (local-command caveats)
 *   are not part of the conversation and are skipped.
 * - A uuid seen twice counts once (the first line wins).
 * - Claude Code writes one line per content block of an API response; lines
 *   in a row sharing `message.id` become one assistant message.
 * - A user line made only of tool_result blocks is role 'tool': it is the
 *   tool's output fed back, not something the user typed.
 * - Unknown content block types (image, redacted_thinking, ...) are skipped.
 * - A torn last line (file still being written) is ignored by the caller.
 */

const messageSchema = z.looseObject({
  id: z.string().optional(),
  model: z.string().optional(),
  content: z.union([z.string(), z.array(z.unknown())]),
});

const conversationLineSchema = z.looseObject({
  type: z.enum(['user', 'assistant']),
  uuid: z.string().min(1),
  sessionId: z.string().min(1).optional(),
  timestamp: timestampField,
  isMeta: z.boolean().nullish(),
  message: messageSchema,
});

const summaryLineSchema = z.looseObject({ summary: z.string(), leafUuid: z.string().optional() });

const textBlockSchema = z.looseObject({ text: z.string() });
const thinkingBlockSchema = z.looseObject({ thinking: z.string() });
const toolUseBlockSchema = z.looseObject({ name: z.string(), input: z.unknown() });
const toolResultBlockSchema = z.looseObject({
  content: z.union([z.string(), z.array(z.unknown())]).nullish(),
  is_error: z.boolean().nullish(),
});

type ConversationLine = z.infer<typeof conversationLineSchema>;

const CLAUDE_MARKERS = ['uuid', 'sessionId', 'leafUuid', 'snapshot', 'messageId', 'parentUuid'] as const;

export function looksLikeClaudeCodeLine(value: unknown): boolean {
  return isPlainObject(value) && typeof value['type'] === 'string' && CLAUDE_MARKERS.some((key) => key in value);
}

interface Draft {
  message: MessageDraft;
  apiMessageId: string | undefined;
}

export function parseClaudeCode(lines: readonly JsonLine[], path: string): ParsedTranscript {
  const fallbackSessionId = path.split(/[\\/]/).pop()?.replace(/\.jsonl?$/i, '') || 'claude-code';
  const seenUuids = new Set<string>();
  const sessionOfUuid = new Map<string, string>();
  const summaries: { summary: string; leafUuid: string }[] = [];
  const drafts: MessageDraft[] = [];
  const lastAssistant = new Map<string, Draft>();

  for (const { value, line } of lines) {
    if (!isPlainObject(value)) {
      throw new ExportError('INVALID_INPUT', `${path} line ${line}: expected a JSON object`, {
        details: { path, line, field: '' },
        recoverable: false,
      });
    }
    const type = value['type'];
    if (type === 'summary') {
      const summary = parseRecord(summaryLineSchema, value, { path, line });
      if (summary.leafUuid !== undefined) summaries.push({ summary: summary.summary, leafUuid: summary.leafUuid });
      continue;
    }
    if ((type !== 'user' && type !== 'assistant') || !('message' in value) || value['isSidechain'] === true) continue;
    const entry = parseRecord(conversationLineSchema, value, { path, line });
    if (seenUuids.has(entry.uuid)) continue;
    seenUuids.add(entry.uuid);
    if (entry.isMeta === true) continue;

    const sessionId = entry.sessionId ?? fallbackSessionId;
    sessionOfUuid.set(entry.uuid, sessionId);
    const blocks = contentBlocks(entry, path, line);
    const previous = lastAssistant.get(sessionId);
    if (entry.type === 'assistant' && previous !== undefined && entry.message.id !== undefined && previous.apiMessageId === entry.message.id) {
      previous.message.blocks.push(...blocks);
      continue;
    }
    const message: MessageDraft = {
      id: entry.uuid,
      sessionId,
      surface: 'reasoning',
      role: roleOf(entry, blocks),
      content: '',
      blocks,
      createdAt: entry.timestamp,
      location: `${path}:${line}`,
    };
    if (entry.type === 'assistant' && entry.message.model !== undefined && entry.message.model !== '') message.agentId = entry.message.model;
    drafts.push(message);
    if (entry.type === 'assistant') lastAssistant.set(sessionId, { message, apiMessageId: entry.message.id });
    else lastAssistant.delete(sessionId);
  }

  // Complete only now: later lines of the same API message add blocks.
  const messages = drafts
    .filter((m) => m.blocks.length > 0)
    .map((m) => withBlockProvenance({ ...m, content: m.blocks.map((b) => b.content).join('\n\n') }));
  const titles = new Map<string, string>();
  for (const { summary, leafUuid } of summaries) {
    const sessionId = sessionOfUuid.get(leafUuid);
    if (sessionId !== undefined) titles.set(sessionId, summary); // the last summary wins
  }
  return { format: 'claude_code', sessions: groupSessions(messages, titles) };
}

function roleOf(entry: ConversationLine, blocks: readonly BlockDraft[]): Role {
  if (entry.type === 'assistant') return 'assistant';
  const onlyToolResults = blocks.length > 0 && blocks.every((b) => b.kind === 'tool_result');
  return onlyToolResults ? 'tool' : 'user';
}

function contentBlocks(entry: ConversationLine, path: string, line: number): BlockDraft[] {
  const content = entry.message.content;
  if (typeof content === 'string') {
    return content.trim() === '' ? [] : [{ id: `${entry.uuid}#0`, kind: 'text', content }];
  }
  const blocks: BlockDraft[] = [];
  content.forEach((raw, index) => {
    if (!isPlainObject(raw)) return;
    const where = { path, line, fieldPrefix: ['message', 'content', index] as const };
    const id = `${entry.uuid}#${index}`;
    switch (raw['type']) {
      case 'text': {
        const text = parseRecord(textBlockSchema, raw, where).text;
        if (text.trim() !== '') blocks.push({ id, kind: 'text', content: text });
        break;
      }
      case 'thinking': {
        const thinking = parseRecord(thinkingBlockSchema, raw, where).thinking;
        if (thinking.trim() !== '') blocks.push({ id, kind: 'thinking', content: thinking });
        break;
      }
      case 'tool_use': {
        const use = parseRecord(toolUseBlockSchema, raw, where);
        blocks.push({ id, kind: 'tool_use', content: toolUseText(use.name, use.input) });
        break;
      }
      case 'tool_result': {
        const result = parseRecord(toolResultBlockSchema, raw, where);
        const text = toolResultText(result.content);
        blocks.push({ id, kind: 'tool_result', content: result.is_error === true ? `Error: ${text}` : text });
        break;
      }
      default:
        break; // image, redacted_thinking, document, ...: nothing readable to export
    }
  });
  return blocks;
}

function toolUseText(name: string, input: unknown): string {
  const empty = input === undefined || input === null || (isPlainObject(input) && Object.keys(input).length === 0);
  return empty ? name : `${name}\n${JSON.stringify(input, null, 2)}`;
}

/** tool_result content: a string, or a list of parts of which the text ones are kept. */
function toolResultText(content: string | unknown[] | null | undefined): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part) => {
      if (!isPlainObject(part)) return '';
      if (part['type'] === 'text' && typeof part['text'] === 'string') return part['text'];
      if (part['type'] === 'image') return '[image]';
      return '';
    })
    .filter((text) => text !== '')
    .join('\n');
}
