import { looksLikeChatMessageRow } from './canonical';
import { looksLikeChatGptConversation } from './chatgpt';
import { looksLikeClaudeCodeLine } from './claudeCode';
import { isPlainObject } from './fields';
import type { JsonLine } from './jsonInput';
import { looksLikeVsCodeChat } from './vscodeChat';

/** Format detection by content (never by file extension). */

export type FileFormat = 'chat_messages' | 'vscode_chat' | 'claude_code' | 'chatgpt';

/** The shape of a whole JSON document: an array (of rows or conversations) or one object. */
export function detectDocumentFormat(value: unknown): FileFormat | undefined {
  if (Array.isArray(value)) {
    const first: unknown = value.find(isPlainObject);
    if (looksLikeChatGptConversation(first)) return 'chatgpt';
    if (looksLikeChatMessageRow(first)) return 'chat_messages';
    return undefined;
  }
  if (looksLikeVsCodeChat(value)) return 'vscode_chat';
  if (looksLikeChatGptConversation(value)) return 'chatgpt';
  // A one-line JSONL file parses as a single document.
  if (looksLikeChatMessageRow(value)) return 'chat_messages';
  if (looksLikeClaudeCodeLine(value)) return 'claude_code';
  return undefined;
}

/** JSON Lines: the first line that tells. */
export function detectLinesFormat(lines: readonly JsonLine[]): 'chat_messages' | 'claude_code' | undefined {
  for (const { value } of lines) {
    if (looksLikeChatMessageRow(value)) return 'chat_messages';
    if (looksLikeClaudeCodeLine(value)) return 'claude_code';
  }
  return undefined;
}
