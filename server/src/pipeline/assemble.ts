import { ExportError } from '../errors';
import {
  estimateTokens,
  type AssembledContent,
  type Block,
  type ChatMessage,
  type ParsedTranscript,
  type Role,
  type SessionInfo,
  type Surface,
} from '../model';
import { fenceLanguageForPath } from '../sources/codeFiles';
import { blockOf } from '../sources/provenance';
import { sortByTime } from '../sources/sessions';
import { count, DEFAULT_TOOL_OUTPUT, emptyReport, showBlock, type ToolOutputOptions, type ToolOutputReport } from './toolOutput';

/**
 * Stage 1: picks the selected session, messages and blocks of a parsed
 * transcript, in time order with their provenance, and renders them as
 * readable Markdown with statistics.
 *
 * Empty `messageIds` / `blockIds` mean "no filter". Blocks that are empty or
 * whitespace are dropped, and so are messages left without blocks.
 */

export interface AssembleSelection {
  sessionId?: string;
  messageIds?: string[];
  blockIds?: string[];
  /** How tool calls and results read in the text (default: summarised). */
  toolOutput?: ToolOutputOptions;
}

/** Sessions named in the "choose one" error message; details carry them all. */
const MAX_LISTED_SESSIONS = 20;

const ROLE_LABEL: Readonly<Record<Role, string>> = { user: 'User', assistant: 'Assistant', system: 'System', tool: 'Tool' };

export function assemble(parsed: ParsedTranscript, sourcePath: string, selection: AssembleSelection): AssembledContent {
  const session = pickSession(parsed, selection.sessionId);
  const ordered = sortByTime(session.messages).map(withBlocks);
  const chosen = pickMessages(ordered, session.id, selection.messageIds);
  const messages = pickBlocks(chosen, session.id, selection.blockIds);
  if (messages.length === 0) {
    throw new ExportError('EMPTY_SELECTION', `The selection in session "${session.id}" has no content to export`, {
      details: { sessionId: session.id },
      recoverable: false,
    });
  }
  const codeLanguage = parsed.format === 'editor' ? fenceLanguageForPath(sourcePath) : undefined;
  const toolOutput = selection.toolOutput ?? DEFAULT_TOOL_OUTPUT;
  const report = emptyReport(toolOutput.mode);
  const text = renderMarkdown(messages, { codeLanguage, sessionTitle: session.title, toolOutput, report });
  const result: AssembledContent = {
    source: { path: sourcePath, format: parsed.format },
    sessionId: session.id,
    messages,
    text,
    toolOutput: { options: toolOutput, report },
    surfaces: distinctSurfaces(messages),
    stats: {
      messageCount: messages.length,
      blockCount: messages.reduce((sum, m) => sum + m.blocks.length, 0),
      charCount: text.length,
      tokenCount: estimateTokens(text),
    },
  };
  if (session.title !== undefined) result.sessionTitle = session.title;
  return result;
}

function pickSession(parsed: ParsedTranscript, sessionId: string | undefined): SessionInfo {
  const { sessions } = parsed;
  if (sessionId !== undefined) {
    const found = sessions.find((s) => s.id === sessionId);
    if (found !== undefined) return found;
    throw new ExportError('SESSION_NOT_FOUND', `No session "${sessionId}" in this transcript${sessionList(sessions, ': ')}`, {
      details: { sessionId, sessions: sessionRefs(sessions) },
      recoverable: false,
    });
  }
  const [only, ...others] = sessions;
  if (only === undefined) {
    throw new ExportError('EMPTY_SELECTION', 'The transcript holds no conversation messages', { recoverable: false });
  }
  if (others.length > 0) {
    throw new ExportError('INVALID_INPUT', `The transcript holds ${sessions.length} sessions; choose one${sessionList(sessions, ': ')}`, {
      details: { sessions: sessionRefs(sessions) },
      recoverable: false,
    });
  }
  return only;
}

function sessionRefs(sessions: readonly SessionInfo[]): { id: string; title: string | null }[] {
  return sessions.map((s) => ({ id: s.id, title: s.title ?? null }));
}

function sessionList(sessions: readonly SessionInfo[], lead: string): string {
  if (sessions.length === 0) return '';
  const listed = sessions
    .slice(0, MAX_LISTED_SESSIONS)
    .map((s) => (s.title === undefined ? s.id : `${s.id} ("${s.title}")`));
  const more = sessions.length > MAX_LISTED_SESSIONS ? `, and ${sessions.length - MAX_LISTED_SESSIONS} more` : '';
  return `${lead}${listed.join(', ')}${more}`;
}

/** A message without blocks (e.g. from another source) gets its content as one text block. */
function withBlocks(message: ChatMessage): ChatMessage {
  if (message.blocks.length > 0) return message;
  return { ...message, blocks: [blockOf(message, { id: `${message.id}#0`, kind: 'text', content: message.content })] };
}

function pickMessages(ordered: ChatMessage[], sessionId: string, messageIds: readonly string[] | undefined): ChatMessage[] {
  if (messageIds === undefined || messageIds.length === 0) return ordered;
  const wanted = new Set(messageIds);
  const chosen = ordered.filter((m) => wanted.has(m.id));
  const found = new Set(chosen.map((m) => m.id));
  const unknown = [...wanted].filter((id) => !found.has(id));
  if (unknown.length > 0) {
    throw new ExportError('MESSAGE_NOT_FOUND', `Message(s) not found in session "${sessionId}": ${unknown.join(', ')}`, {
      details: { sessionId, messageIds: unknown },
      recoverable: false,
    });
  }
  return chosen;
}

/** Keeps the wanted (or all) non-blank blocks; drops messages left empty. */
export function pickBlocks(messages: readonly ChatMessage[], sessionId: string, blockIds: readonly string[] | undefined): ChatMessage[] {
  const wanted = blockIds === undefined || blockIds.length === 0 ? undefined : new Set(blockIds);
  const found = new Set<string>();
  const kept: ChatMessage[] = [];
  const keep = (block: Block): boolean => {
    if (wanted !== undefined) {
      if (!wanted.has(block.id)) return false;
      found.add(block.id);
    }
    return !isBlank(block.content);
  };
  for (const message of messages) {
    // Messages kept whole (the usual case) are shared, not copied: nothing downstream mutates them.
    if (message.blocks.every(keep)) {
      if (message.blocks.length > 0) kept.push(message);
      continue;
    }
    const blocks = message.blocks.filter(keep);
    if (blocks.length > 0) kept.push({ ...message, blocks, content: blocks.map((b) => b.content).join('\n\n') });
  }
  if (wanted !== undefined && found.size < wanted.size) {
    const unknown = [...wanted].filter((id) => !found.has(id));
    throw new ExportError('MESSAGE_NOT_FOUND', `Block(s) not found in the selected messages of session "${sessionId}": ${unknown.join(', ')}`, {
      details: { sessionId, blockIds: unknown },
      recoverable: false,
    });
  }
  return kept;
}

/** `text.trim() === ''` without copying the text: `\s` is the set trim removes. */
function isBlank(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first > 32 && first < 127) return false; // printable ASCII: the usual first character
  return !/\S/.test(text);
}

function distinctSurfaces(messages: readonly ChatMessage[]): Surface[] {
  const surfaces = new Set<Surface>();
  for (const message of messages) surfaces.add(message.surface);
  return [...surfaces];
}

export interface RenderOptions {
  codeLanguage?: string | undefined;
  sessionTitle?: string | undefined;
  toolOutput?: ToolOutputOptions;
  /** Filled with what the tool-output mode left out. */
  report?: ToolOutputReport;
}

export function renderMarkdown(messages: readonly ChatMessage[], options: RenderOptions = {}): string {
  const toolOutput = options.toolOutput ?? DEFAULT_TOOL_OUTPUT;
  const parts: string[] = [];
  for (const message of messages) {
    parts.push(heading(message, options.sessionTitle));
    for (const block of message.blocks) {
      const shown = showBlock(block, toolOutput);
      if (options.report) count(options.report, block, shown);
      if (shown.text !== undefined) parts.push(renderBlock(block.kind, shown.text, options.codeLanguage, shown.text !== block.content));
    }
  }
  return parts.join('\n\n');
}

function heading(message: ChatMessage, sessionTitle: string | undefined): string {
  // Text selected in an editor is no chat message: no role, no time of its own.
  if (message.surface === 'editor') return `### ${sessionTitle ?? 'Selection'}`;
  const iso = message.createdAt;
  const when = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  const agent = message.agentId === undefined ? '' : ` · ${message.agentId}`;
  return `### ${ROLE_LABEL[message.role]} — ${when}${agent}`;
}

function renderBlock(kind: Block['kind'], text: string, codeLanguage: string | undefined, summarized: boolean): string {
  const content = text.trimEnd();
  switch (kind) {
    case 'text':
      return content;
    case 'code':
      return fenced(content, codeLanguage ?? '');
    case 'thinking':
      return blockquote(`Thinking: ${content.replace(/^\s*\n/, '')}`);
    case 'tool_use':
      return `**Tool call**${summarized ? ' (summary)' : ''}\n\n${fenced(content, '')}`;
    case 'tool_result':
      return `**Tool result**${summarized ? ' (first lines)' : ''}\n\n${fenced(content, '')}`;
  }
}

/** A backtick fence one longer than any backtick run inside, so the content cannot close it. */
export function fenced(content: string, info: string): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(content) + 1));
  return `${fence}${info}\n${content}\n${fence}`;
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (let i = text.indexOf('`'); i !== -1 && i < text.length; i++) {
    if (text.charCodeAt(i) === 96) {
      run++;
      if (run > longest) longest = run;
    } else {
      run = 0;
      const next = text.indexOf('`', i);
      if (next === -1) break;
      i = next - 1;
    }
  }
  return longest;
}

function blockquote(text: string): string {
  if (!text.includes('\n')) return `> ${text}`;
  return text
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}
