/**
 * The data model shared by every stage (DESIGN.md §3). Types only, plus the
 * few constants every stage agrees on; parsing of outside input lives with
 * the code that reads it (zod at the boundary).
 */

export type Surface = 'inputs' | 'reasoning' | 'outputs' | 'editor';
export type Role = 'user' | 'assistant' | 'system' | 'tool';
export type BlockKind = 'text' | 'code' | 'thinking' | 'tool_use' | 'tool_result';

export interface Block {
  id: string;
  kind: BlockKind;
  content: string;
}

export interface ChatMessage {
  id: string;
  sessionId: string;
  surface: Surface;
  agentId?: string;
  role: Role;
  content: string;
  blocks: Block[];
  /** ISO 8601 UTC. */
  createdAt: string;
  /** Where the message came from (file path and line/index), for provenance. */
  location?: string;
}

export type TranscriptFormat = 'chat_messages' | 'vscode_chat' | 'claude_code' | 'chatgpt' | 'editor' | 'sql';

export interface SessionInfo {
  id: string;
  title?: string;
  messages: ChatMessage[];
}

export interface ParsedTranscript {
  format: TranscriptFormat;
  sessions: SessionInfo[];
}

export interface SelectionSet {
  source: string;
  sessionId: string;
  /** Empty means every message of the session. */
  messageIds: string[];
  /** When given, only these blocks (of the selected messages) are kept. */
  blockIds?: string[];
  includeMetadata: boolean;
}

export interface ContentStats {
  messageCount: number;
  blockCount: number;
  charCount: number;
  tokenCount: number;
}

/** Stage 1 output. */
export interface AssembledContent {
  source: { path: string; format: TranscriptFormat };
  sessionId: string;
  sessionTitle?: string;
  messages: ChatMessage[];
  /** The selection as readable Markdown-ish text, in time order. */
  text: string;
  surfaces: Surface[];
  stats: ContentStats;
}

export type OutputKind = 'markdown' | 'yaml-frontmatter' | 'xml' | 'text';

export type MetadataValue = string | number | boolean | null | MetadataValue[] | { [key: string]: MetadataValue };
export type Metadata = Record<string, MetadataValue>;

/** Stage 2 output. */
export interface FormattedContent {
  templateId: string;
  output: OutputKind;
  extension: string;
  content: string;
  metadata: Metadata;
}

export interface ValidationIssue {
  code: string;
  message: string;
  field?: string;
}

/** Stage 3 output. */
export interface ValidationResult {
  valid: boolean;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  /** The content after cleaning (NUL removed, NFC). */
  content: string;
}

export interface DiffSummary {
  unified: string;
  additions: number;
  deletions: number;
  /** True when the diff was too costly and only a summary is given. */
  truncated: boolean;
}

/** Stage 4 output. */
export interface PreviewRendered {
  content: string;
  previewLines: string[];
  moreLines: number;
  statistics: { file_size_bytes: number; token_count: number; line_count: number };
  metadataSummary: Metadata;
  isUpdate: boolean;
  diff?: DiffSummary;
}

/** Stage 5 output. */
export interface PublishResult {
  location: string;
  url?: string;
  action: 'CREATE' | 'UPDATE';
  bytesWritten: number;
  /** Destination-specific data that rollback needs (never content secrets). */
  rollback: RollbackInfo;
}

export interface RollbackInfo {
  destinationId: string;
  location: string;
  action: 'CREATE' | 'UPDATE';
  /** For UPDATE: where the previous content was saved (destination-specific). */
  previous?: string;
  extra?: Record<string, string>;
}

export const MAX_CONTENT_LENGTH = 1_000_000;

/** ≈ one token per four characters, the seed's estimate. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
