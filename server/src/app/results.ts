import { reviewToJson, type BinReview } from '../governance/review';
import type { ParsedTranscript } from '../model';
import type { AuditEvent, JobRecord } from '../store/types';
import type { JobDetails, JobJson, PreviewResult, SessionsResult, TemplateSummary } from '../protocol';
import { lineOfLocation } from '../sources/messagesAtLines';
import type { TemplateSummary as RegistrySummary } from '../templates/types';
import type { PreparedExport } from './prepare';
import { roundStages } from './publishing';

/**
 * The seed §10 result shapes, made here and only here: the language server
 * returns them and the CLI prints them (`--json`) or reads its text from
 * them, so the two faces cannot drift. Their schemas are in protocol.ts.
 */

export function previewJson(prepared: PreparedExport, review: BinReview, durationMs?: number): PreviewResult {
  const p = prepared.preview;
  const { destinationConfig: destination } = prepared;
  return {
    transaction_id: review.transaction_id,
    filename: prepared.filename,
    template_id: prepared.template.id,
    destination_id: destination.id,
    destination: { id: destination.id, name: destination.name ?? destination.id, type: destination.type },
    session_id: prepared.assembled.sessionId,
    output: prepared.template.output,
    content: prepared.validation.content,
    content_preview: p.previewLines.join('\n'),
    preview_lines: p.previewLines,
    more_lines: p.moreLines,
    existing_content: p.isUpdate ? (prepared.existing?.content ?? null) : null,
    statistics: {
      file_size_bytes: p.statistics.file_size_bytes,
      token_count: p.statistics.token_count,
      char_count: prepared.validation.content.length,
      line_count: p.statistics.line_count,
      message_count: prepared.assembled.stats.messageCount,
      block_count: prepared.assembled.stats.blockCount,
      ...(durationMs === undefined ? {} : { duration_ms: Math.round(durationMs * 1000) / 1000 }),
      stages_ms: roundStages(prepared.stagesMs),
      tool_output: toolOutputJson(prepared),
    },
    metadata: p.metadataSummary,
    is_update: p.isUpdate,
    unchanged: prepared.unchanged,
    diff: p.diff ? { unified: p.diff.unified, additions: p.diff.additions, deletions: p.diff.deletions, truncated: p.diff.truncated } : null,
    validation: {
      passed: prepared.validation.valid,
      valid: prepared.validation.valid,
      errors: prepared.validation.errors,
      warnings: prepared.validation.warnings.map((w) => ({ code: w.code, message: w.message })),
    },
    review: reviewToJson(review),
  };
}

function toolOutputJson(prepared: PreparedExport): PreviewResult['statistics']['tool_output'] {
  const report = prepared.assembled.toolOutput?.report;
  return {
    mode: report?.mode ?? 'summary',
    summarized_blocks: report?.summarizedBlocks ?? 0,
    omitted_blocks: report?.omittedBlocks ?? 0,
    omitted_lines: report?.omittedLines ?? 0,
    omitted_chars: report?.omittedChars ?? 0,
  };
}

/** Names the job's template and destination as the settings know them now (the record keeps ids). */
export interface JobNames {
  /** Reads the template names again when one of `templateIds` has none yet (listing templates also refreshes them). */
  refresh(templateIds: readonly string[]): Promise<void>;
  templateName(id: string): string | undefined;
  destination(id: string): { name: string; type: string } | undefined;
}

export function jobJson(job: JobRecord, names: JobNames): JobJson {
  const { owner: _owner, ...record } = job;
  const destination = names.destination(job.destination_id);
  return {
    id: job.job_id,
    ...record,
    template: { id: job.template_id, name: names.templateName(job.template_id) ?? job.template_id },
    destination: {
      id: job.destination_id,
      name: destination?.name ?? job.destination_id,
      type: job.destination_type ?? destination?.type ?? 'unknown',
    },
    destination_type: job.destination_type ?? destination?.type ?? 'unknown',
    statistics: { token_count: job.token_count ?? null, char_count: job.char_count ?? null, duration_ms: job.duration_ms ?? null },
  };
}

export function jobDetailsJson(job: JobRecord, audit: AuditEvent[], names: JobNames): JobDetails {
  return { ...jobJson(job, names), audit_events: audit };
}

export function templateJson(summary: RegistrySummary, trusted: boolean): TemplateSummary {
  const { createdBy, ...t } = summary;
  const enabled = t.source === 'builtin' || trusted;
  return {
    ...t,
    ...(createdBy === undefined ? {} : { created_by: createdBy }),
    file_extension: t.extension,
    type: t.source === 'builtin' ? 'builtin' : 'custom',
    enabled,
    ...(enabled ? {} : { reason: `A ${t.source === 'team' ? 'team' : 'workspace'} template is code: it runs only in a trusted workspace (Restricted Mode).` }),
  };
}

/** Sessions and messages of a transcript, each message with its line and a one-line preview. */
/** A database's sessions, one line each: their messages are listed when one is asked for. */
export function databaseSessionsResult(lines: readonly { id: string; messageCount: number; firstAt?: string; lastAt?: string }[]): SessionsResult {
  return {
    format: 'sql',
    sessions: lines.map((line) => ({
      id: line.id,
      title: null,
      message_count: line.messageCount,
      ...(line.firstAt ? { first_at: line.firstAt } : {}),
      ...(line.lastAt ? { last_at: line.lastAt } : {}),
      messages: [],
    })),
  };
}

export function sessionsResult(parsed: ParsedTranscript): SessionsResult {
  return {
    format: parsed.format,
    sessions: parsed.sessions.map((session) => ({
      id: session.id,
      title: session.title ?? null,
      message_count: session.messages.length,
      messages: session.messages.map((m) => {
        const line = m.lines?.first ?? lineOfLocation(m.location);
        const preview = previewOf(m.content);
        // A one-block message's block is its content: one preview for both (10,000-message listings allocate less).
        const blocks = m.blocks.map((b) => ({ id: b.id, kind: b.kind, preview: b.content === m.content ? preview : previewOf(b.content) }));
        const message: SessionsResult['sessions'][number]['messages'][number] = { id: m.id, role: m.role, created_at: m.createdAt, agent_id: m.agentId ?? null, surface: m.surface, preview, blocks };
        if (line !== undefined) message.line = line;
        return message;
      }),
    })),
  };
}

const PREVIEW_CHARS = 80;
/** Whitespace that a preview changes: a run of it, or any but a plain space. */
const UNTIDY_SPACE = /\s\s|[^\S ]/;

/** One line of at most 80 characters: whitespace runs as one space, cut with "…". */
export function previewOf(text: string): string {
  const head = text.length > PREVIEW_CHARS ? text.slice(0, PREVIEW_CHARS - 1) : text;
  const tidy = UNTIDY_SPACE.test(head) ? head.replace(/\s+/g, ' ') : head;
  return head === text ? tidy : `${tidy}…`;
}
