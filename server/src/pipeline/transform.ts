import type { Clock } from '../clock';
import { isoUtc } from '../clock';
import {
  type AssembledContent,
  type Block,
  type ChatMessage,
  type FormattedContent,
  type Metadata,
  type MetadataValue,
  type Surface,
  estimateTokens,
} from '../model';
import type { RenderBlock, RenderContext, RenderMessage } from '../templates/context';
import { DEFAULT_TOOL_OUTPUT, showBlock, type ToolOutputOptions } from './toolOutput';
import { type TemplateEngine, sharedTemplateEngine } from '../templates/engine';
import type { TemplateDefinition } from '../templates/types';

/**
 * Stage 2: assembled content + template + user metadata → formatted output.
 *
 * Metadata is merged in this order: session_id, block_count, message_count,
 * token_count, exported_at, source_surface, source_format, then the user's
 * keys (title, author, tags, custom keys). A user key replaces a computed one
 * of the same name, except the facts of the export itself — exported_at
 * (the clock's time) and the three counts — which always describe what is
 * exported; session_id, source_surface and source_format may be relabelled
 * (e.g. to hide an internal session id).
 */

const PROTECTED_KEYS: ReadonlySet<string> = new Set(['exported_at', 'block_count', 'message_count', 'token_count']);

export function transform(
  assembled: AssembledContent,
  template: TemplateDefinition,
  userMetadata: Metadata,
  clock: Clock,
  engine: TemplateEngine = sharedTemplateEngine(),
): FormattedContent {
  const metadata = mergeMetadata(assembled, userMetadata, clock);
  const content = endWithOneNewline(engine.render(template, buildRenderContext(assembled, template, metadata)));
  return { templateId: template.id, output: template.output, extension: template.extension, content, metadata };
}

export function mergeMetadata(assembled: AssembledContent, userMetadata: Metadata, clock: Clock): Metadata {
  const metadata: Metadata = {};
  setOwn(metadata, 'session_id', assembled.sessionId);
  setOwn(metadata, 'block_count', assembled.stats.blockCount);
  setOwn(metadata, 'message_count', assembled.stats.messageCount);
  setOwn(metadata, 'token_count', estimateTokens(assembled.text));
  setOwn(metadata, 'exported_at', isoUtc(clock.now()));
  setOwn(metadata, 'source_surface', surfacesOf(assembled).join(','));
  setOwn(metadata, 'source_format', assembled.source.format);
  for (const [key, value] of Object.entries(userMetadata)) {
    if (value === undefined || PROTECTED_KEYS.has(key)) continue;
    setOwn(metadata, key, value);
  }
  return metadata;
}

export function buildRenderContext(assembled: AssembledContent, template: TemplateDefinition, metadata: Metadata): RenderContext {
  // `messages` and `blocks` copy every message, yet most templates use only
  // `content`: they are built on first access (Handlebars reads own getters).
  let messages: RenderMessage[] | undefined;
  let blocks: RenderContext['blocks'] | undefined;
  const toolOutput = assembled.toolOutput?.options ?? DEFAULT_TOOL_OUTPUT;
  const renderMessages = (): RenderMessage[] => (messages ??= assembled.messages.map((m) => toRenderMessage(m, toolOutput)));
  return {
    content: assembled.text,
    get messages() {
      return renderMessages();
    },
    get blocks() {
      return (blocks ??= renderMessages().flatMap((message) => message.blocks));
    },
    metadata,
    stats: {
      message_count: assembled.stats.messageCount,
      block_count: assembled.stats.blockCount,
      char_count: assembled.stats.charCount,
      token_count: estimateTokens(assembled.text),
    },
    template: { id: template.id, name: template.name, output: template.output, extension: template.extension },
  };
}

function toRenderMessage(message: ChatMessage, toolOutput: ToolOutputOptions): RenderMessage {
  const blocks = message.blocks.map((b) => toRenderBlock(b, toolOutput));
  const shortened = blocks.some((b, i) => b.text !== message.blocks[i]?.content);
  return {
    id: message.id,
    role: message.role,
    agent_id: message.agentId ?? null,
    created_at: message.createdAt,
    surface: message.surface,
    content: message.content,
    text: shortened ? blocks.map((b) => b.text).filter((t) => t !== '').join('\n\n') : message.content,
    blocks,
  };
}

function toRenderBlock(block: Block, toolOutput: ToolOutputOptions): RenderBlock {
  return {
    id: block.id,
    kind: block.kind,
    content: block.content,
    text: showBlock(block, toolOutput).text ?? '',
    message_id: block.messageId,
    role: block.role,
    agent_id: block.agentId ?? null,
    created_at: block.timestamp,
    surface: block.surface,
  };
}

/**
 * Files end with exactly one line break, however the template's last line
 * and the content's own ending combine (`{{{content}}}\n` after content that
 * already ends with one).
 */
export function endWithOneNewline(text: string): string {
  if (text === '') return text;
  // A loop from the end: an end-anchored regex would be tried at every offset of a megabyte.
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
  return end === text.length - 1 && text.charCodeAt(end) === 10 ? text : `${text.slice(0, end)}\n`;
}

function surfacesOf(assembled: AssembledContent): Surface[] {
  const listed = assembled.surfaces.length > 0 ? assembled.surfaces : assembled.messages.map((m) => m.surface);
  return [...new Set(listed)];
}

/** Plain assignment would treat a user key "__proto__" as the prototype. */
function setOwn(target: Metadata, key: string, value: MetadataValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
