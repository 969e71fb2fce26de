import { fileURLToPath } from 'node:url';
import type { PreviewResult } from '../../../server/src/protocol';
import type { JobRecord, JobStatus } from '../../../server/src/store/types';

/** Texts the UI shows for reviews and jobs. Pure, so tests can read them. */

export interface ReviewText {
  message: string;
  detail: string;
}

export function reviewText(preview: PreviewResult, destinationName: string): ReviewText {
  const { review, statistics: stats } = preview;
  const verb = review.action === 'UPDATE' ? 'Update' : 'Create';
  const lines = [
    `Risk: ${review.risk_level} · ${review.action} · ~${stats.token_count} tokens · ${plural(stats.line_count, 'line')} · ${plural(stats.message_count, 'message')}`,
    `Affected: ${review.affected_resources.join(', ') || preview.filename}`,
    `Template: ${preview.template_id} (${preview.output})`,
  ];
  if (preview.diff) lines.push(`Changes: +${preview.diff.additions} −${preview.diff.deletions}${preview.diff.truncated ? ' (diff truncated)' : ''}`);
  if (preview.validation.valid) lines.push('Validation: passed');
  else lines.push(`Validation: ${plural(preview.validation.errors.length, 'error')} — ${preview.validation.errors.map((e) => e.message).join('; ')}`);
  const warnings = [...preview.validation.warnings, ...review.warnings];
  if (warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of warnings.slice(0, 8)) lines.push(`• ${w.message}`);
    if (warnings.length > 8) lines.push(`• … and ${warnings.length - 8} more`);
  }
  return { message: `${verb} "${preview.filename}" in ${destinationName}?`, detail: lines.join('\n') };
}

export function blockedText(preview: PreviewResult, canRedact: boolean): ReviewText {
  const reason = preview.review.reason_message ?? preview.review.reason ?? 'The Bin blocked this export.';
  const lines = [reason];
  if (canRedact) {
    lines.push('', 'Redact replaces each detected secret with a placeholder and shows the review again.');
  }
  return { message: `Export of "${preview.filename}" blocked`, detail: lines.join('\n') };
}

const STATUS_ICON: Readonly<Record<JobStatus, string>> = {
  queued: '$(clock)',
  running: '$(sync~spin)',
  completed: '$(pass)',
  failed: '$(error)',
  rolled_back: '$(discard)',
};

export function jobLabel(job: JobRecord): { label: string; description: string; detail: string } {
  const when = job.completed_at ?? job.started_at ?? job.created_at;
  const detailParts = [job.title, job.status.replace('_', ' ')];
  if (job.status === 'failed' && job.error_message) detailParts.push(job.error_message);
  return {
    label: `${STATUS_ICON[job.status]} ${job.filename}`,
    description: `${job.destination_id} · ${formatTime(when)}`,
    detail: detailParts.filter(Boolean).join(' — '),
  };
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "a, b , ,c" → ["a", "b", "c"], without duplicates. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter((t) => t !== ''))];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export type OutputTarget = { kind: 'file'; path: string } | { kind: 'url'; url: string };

/** Where a finished job's output can be opened: a local file, or a web page (commit, pull request, Drive file). */
export function outputTarget(job: Pick<JobRecord, 'output_location' | 'output_url'>): OutputTarget | undefined {
  const url = job.output_url;
  if (url && /^https?:\/\//i.test(url)) return { kind: 'url', url };
  if (url?.startsWith('file://')) {
    try {
      return { kind: 'file', path: fileURLToPath(url) };
    } catch {
      /* fall through to the location */
    }
  }
  const location = job.output_location;
  if (location && (location.startsWith('/') || /^[A-Za-z]:[\\/]/.test(location))) return { kind: 'file', path: location };
  return undefined;
}
