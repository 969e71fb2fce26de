import type { ErrorJson, JobDetails, JobJson, PreviewResult, ReviewJson } from '../protocol';

/**
 * The CLI's human-readable text, read from the same result shapes its
 * `--json` prints (app/results.ts), so text and JSON say the same thing.
 */

export function errorJson(error: ErrorJson): { error: ErrorJson & { details: Record<string, unknown> } } {
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

export function previewText(p: PreviewResult): string {
  const lines = [p.content_preview];
  if (p.more_lines > 0) lines.push(`… ${p.more_lines} more lines`);
  const s = p.statistics;
  const change = p.is_update ? `UPDATE (+${p.diff?.additions ?? 0} −${p.diff?.deletions ?? 0})` : 'CREATE';
  lines.push('', `${p.filename}: ${formatBytes(s.file_size_bytes)}, ${s.line_count} lines, ~${s.token_count} tokens, ${change}`);
  for (const e of p.validation.errors) lines.push(`  ✖ ${e.code}: ${e.message}`);
  lines.push(...reviewLines(p.review));
  return `${lines.join('\n')}\n`;
}

export function jobLine(job: JobJson): string {
  const when = job.completed_at ?? job.started_at ?? job.created_at;
  const where = job.output_location ?? job.filename;
  const error = job.error_code ? `  ${job.error_code}: ${job.error_message ?? ''}` : '';
  return `${job.job_id}  ${job.status.padEnd(11)}  ${when}  ${job.destination_id}  ${where}${error}`;
}

export function jobDetailsText(details: JobDetails): string {
  const { audit_events: audit, template, destination, statistics, ...job } = details;
  const lines = [jobLine(details), `  template: ${template.name} (${template.id})`, `  destination: ${destination.name} (${destination.type})`];
  for (const [key, value] of Object.entries(job)) {
    if (value !== undefined) lines.push(`  ${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  }
  lines.push(`  statistics: ${JSON.stringify(statistics)}`, '  audit:');
  for (const e of audit) lines.push(`    ${e.timestamp}  ${e.action}  ${e.status}  ${e.resource}`);
  return `${lines.join('\n')}\n`;
}
