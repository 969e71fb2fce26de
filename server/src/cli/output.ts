import { reviewToJson, type BinReview, type ReviewJson } from '../bin/review';
import type { ErrorInfo } from '../errors';
import type { JobRecord } from '../store/types';
import { roundStages, wasPublished, type ExportOutcome, type PreparedExport } from '../service';

/** The seed API's snake_case JSON shapes the CLI prints (issue 2 contract). */

export function statisticsJson(prepared: PreparedExport, durationMs?: number): Record<string, unknown> {
  const stats = prepared.preview.statistics;
  return {
    file_size_bytes: stats.file_size_bytes,
    token_count: stats.token_count,
    line_count: stats.line_count,
    message_count: prepared.assembled.stats.messageCount,
    block_count: prepared.assembled.stats.blockCount,
    ...(durationMs === undefined ? {} : { duration_ms: Math.round(durationMs * 1000) / 1000 }),
    stages_ms: roundStages(prepared.stagesMs),
  };
}

export function validationJson(prepared: PreparedExport): Record<string, unknown> {
  const v = prepared.validation;
  return { valid: v.valid, errors: v.errors, warnings: v.warnings };
}

/** Seed §10.4: the preview response. */
export function previewJson(prepared: PreparedExport, review: BinReview): Record<string, unknown> {
  const p = prepared.preview;
  return {
    filename: prepared.filename,
    template_id: prepared.template.id,
    destination_id: prepared.destinationConfig.id,
    session_id: prepared.assembled.sessionId,
    preview: { lines: p.previewLines, more_lines: p.moreLines, truncated: p.moreLines > 0 },
    content: p.content,
    statistics: statisticsJson(prepared),
    metadata: p.metadataSummary,
    is_update: p.isUpdate,
    diff: p.diff ? { unified: p.diff.unified, additions: p.diff.additions, deletions: p.diff.deletions, truncated: p.diff.truncated } : null,
    validation: validationJson(prepared),
    review: reviewToJson(review),
  };
}

/** Seed §10.1: the job, plus review and statistics. */
export function exportJson(outcome: ExportOutcome, error?: ErrorInfo): Record<string, unknown> {
  const base: Record<string, unknown> =
    wasPublished(outcome)
      ? { ...outcome.run.job }
      : {
          job_id: null,
          status: outcome.status,
          template_id: outcome.prepared.template.id,
          destination_id: outcome.prepared.destinationConfig.id,
          session_id: outcome.prepared.assembled.sessionId,
          filename: outcome.prepared.filename,
        };
  base['review'] = reviewToJson(outcome.review);
  base['statistics'] = statisticsJson(outcome.prepared, outcome.durationMs);
  base['validation'] = validationJson(outcome.prepared);
  if (error) base['error'] = error;
  return base;
}

export function errorJson(error: ErrorInfo): Record<string, unknown> {
  return { error: { code: error.code, message: error.message, details: error.details ?? {}, recoverable: error.recoverable } };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

export function reviewLines(review: ReviewJson): string[] {
  const lines = [
    `Review ${review.transaction_id}: risk ${review.risk_level}, ${review.action} ${review.affected_resources.join(', ')}, ~${review.token_cost} tokens`,
  ];
  for (const w of review.warnings) lines.push(`  ! ${w.code}: ${w.message}`);
  if (review.blocked) lines.push(`  ✖ blocked (${review.reason}): ${review.reason_message}`);
  return lines;
}

export function jobLine(job: JobRecord): string {
  const when = job.completed_at ?? job.started_at ?? job.created_at;
  const where = job.output_location ?? job.filename;
  const error = job.error_code ? `  ${job.error_code}: ${job.error_message ?? ''}` : '';
  return `${job.job_id}  ${job.status.padEnd(11)}  ${when}  ${job.destination_id}  ${where}${error}`;
}
