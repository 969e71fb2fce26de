import { estimateTokens, type Metadata, type MetadataValue, type PreviewRendered } from '../model';
import { diffSummary, type DiffBudget } from './diff';

/**
 * Stage 4: what the review panel shows before anything is written —
 * statistics, the first lines, a readable metadata summary and, for an
 * update, a bounded-cost diff against the existing file.
 */

export { diffSummary, DEFAULT_DIFF_BUDGET, type DiffBudget } from './diff';

export interface PreviewOptions {
  /** Lines shown in the preview (default 50). */
  previewLineLimit?: number;
  diffBudget?: Partial<DiffBudget>;
  /** Longest string kept in the metadata summary (default 200 characters). */
  metadataValueLimit?: number;
  /** File names used in the unified diff header. */
  diffNames?: { oldName?: string; newName?: string };
}

export const DEFAULT_PREVIEW_LINE_LIMIT = 50;
const DEFAULT_METADATA_VALUE_LIMIT = 200;
const METADATA_ARRAY_LIMIT = 20;
const METADATA_DEPTH_LIMIT = 4;

/** Lines as a reader counts them: a final newline does not start another line. */
export function countLines(text: string): number {
  if (text === '') return 0;
  let newlines = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) newlines++;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

/** The first `limit` lines, without their terminators. */
function firstLines(text: string, limit: number): string[] {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < limit && start < text.length) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    lines.push(text.slice(start, stop).replace(/\r$/, ''));
    start = stop + 1;
  }
  return lines;
}

function shortenString(value: string, limit: number): string {
  const codePoints = Array.from(value);
  return codePoints.length <= limit ? value : `${codePoints.slice(0, limit).join('')}…`;
}

function summarizeValue(value: MetadataValue, limit: number, depth: number): MetadataValue {
  if (typeof value === 'string') return shortenString(value, limit);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= METADATA_DEPTH_LIMIT) return '…';
  if (Array.isArray(value)) {
    const kept = value.slice(0, METADATA_ARRAY_LIMIT).map((item) => summarizeValue(item, limit, depth + 1));
    const hidden = value.length - kept.length;
    return hidden > 0 ? [...kept, `… ${hidden} more`] : kept;
  }
  return summarizeMetadata(value, limit, depth + 1);
}

function summarizeMetadata(metadata: Metadata, limit: number, depth = 0): Metadata {
  // fromEntries defines own properties, so a "__proto__" key stays a plain key.
  return Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, summarizeValue(value, limit, depth)]));
}

export function buildPreview(
  content: string,
  metadata: Metadata,
  existing: string | undefined,
  options: PreviewOptions = {},
): PreviewRendered {
  const lineLimit = Math.max(0, Math.floor(options.previewLineLimit ?? DEFAULT_PREVIEW_LINE_LIMIT));
  const lineCount = countLines(content);
  const previewLines = firstLines(content, lineLimit);
  const preview: PreviewRendered = {
    content,
    previewLines,
    moreLines: lineCount - previewLines.length,
    statistics: {
      file_size_bytes: Buffer.byteLength(content, 'utf8'),
      token_count: estimateTokens(content),
      line_count: lineCount,
    },
    metadataSummary: summarizeMetadata(metadata, options.metadataValueLimit ?? DEFAULT_METADATA_VALUE_LIMIT),
    isUpdate: existing !== undefined,
  };
  if (existing !== undefined) preview.diff = diffSummary(existing, content, options.diffBudget, options.diffNames);
  return preview;
}
