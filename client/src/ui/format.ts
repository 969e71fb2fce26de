import { fileURLToPath } from 'node:url';
import type { JobJson as JobRecord, JobStatus, ReviewJson } from '../../../server/src/protocol';

/** Texts the UI shows for jobs. Pure, so tests can read them. */

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

/** The Bin's review of a change as the Accept dialog's detail: risk, action, what it touches, warnings. */
export function reviewDetail(review: Pick<ReviewJson, 'risk_level' | 'action' | 'affected_resources' | 'warnings'>): string {
  const lines = [`Risk: ${review.risk_level} · ${review.action} ${review.affected_resources.join(', ')}`.trimEnd()];
  if (review.warnings.length > 0) {
    lines.push('', ...review.warnings.map((w) => `• ${w.message}${w.line === undefined ? '' : ` (line ${w.line})`}`));
  }
  return lines.join('\n');
}
