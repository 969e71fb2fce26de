import type { JobJson as JobRecord, JobStatus } from '../../../server/src/protocol';
import { outputTarget } from '../ui/format';

/**
 * What the Export History view shows, without the `vscode` API: jobs grouped
 * by day, their texts, and the filter. Pure, so unit tests can pin a clock.
 */

export const JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'running', 'queued', 'rolled_back'];

export const STATUS_LABEL: Readonly<Record<JobStatus, string>> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  rolled_back: 'Rolled back',
};

/** Jobs shown when unfiltered and filtered alike: the newest this many. */
export const HISTORY_LIMIT = 500;

/** How far back the view looks; no range is all time. */
export type TimeRange = '24h' | '7d' | '30d';

export const TIME_RANGES: readonly { range: TimeRange; label: string; hours: number }[] = [
  { range: '24h', label: 'Last 24 hours', hours: 24 },
  { range: '7d', label: 'Last 7 days', hours: 7 * 24 },
  { range: '30d', label: 'Last 30 days', hours: 30 * 24 },
];

export interface HistoryFilter {
  status?: JobStatus;
  destinationId?: string;
  range?: TimeRange;
}

/** The devguide/listJobs params of the filtered view's page; a range is measured back from `now` (the store filters, seed §7.2). */
export function listParamsOf(filter: HistoryFilter, now: Date): { limit: number; status?: JobStatus; destinationId?: string; since?: string } {
  return {
    limit: HISTORY_LIMIT,
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.destinationId ? { destinationId: filter.destinationId } : {}),
    ...(filter.range ? { since: sinceOf(filter.range, now) } : {}),
  };
}

function rangeLabel(range: TimeRange): string {
  return TIME_RANGES.find((r) => r.range === range)?.label ?? range;
}

function sinceOf(range: TimeRange, now: Date): string {
  const hours = TIME_RANGES.find((r) => r.range === range)?.hours ?? 24;
  return new Date(now.getTime() - hours * 3_600_000).toISOString();
}

export interface DayGroup {
  /** Local calendar day, YYYY-MM-DD (also the tree item's id). */
  key: string;
  /** "Today", "Yesterday", or e.g. "Fri, 2 Jan 2026". */
  label: string;
  jobs: JobRecord[];
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number) => String(n).padStart(2, '0');

function dayKey(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** When the job was started by someone: the moment it is filed and sorted under. */
export function jobDate(job: JobRecord): Date {
  const date = new Date(job.created_at);
  return Number.isNaN(date.getTime()) ? new Date(0) : date;
}

export function dayLabel(date: Date, now: Date): string {
  const key = dayKey(date);
  if (key === dayKey(now)) return 'Today';
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (key === dayKey(yesterday)) return 'Yesterday';
  return `${WEEKDAYS[date.getDay()]}, ${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}`;
}

/** Newest day first, newest job first within a day (local time). */
export function groupByDay(jobs: readonly JobRecord[], now: Date): DayGroup[] {
  const sorted = [...jobs].sort((a, b) => jobDate(b).getTime() - jobDate(a).getTime());
  const groups = new Map<string, DayGroup>();
  for (const job of sorted) {
    const date = jobDate(job);
    const key = dayKey(date);
    let group = groups.get(key);
    if (!group) {
      group = { key, label: dayLabel(date, now), jobs: [] };
      groups.set(key, group);
    }
    group.jobs.push(job);
  }
  return [...groups.values()];
}

export function timeOfDay(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The tree item's description: where it went and when (and "update" when it replaced content). */
export function jobDescription(job: JobRecord): string {
  return `${job.destination_id} · ${timeOfDay(jobDate(job))}${job.action === 'UPDATE' ? ' · update' : ''}`;
}

/** The tooltip's lines (Markdown-free text; the view escapes it). */
export function jobTooltipLines(job: JobRecord): string[] {
  const lines = [`${job.filename} — ${STATUS_LABEL[job.status]}`];
  if (job.title) lines.push(`Title: ${job.title}`);
  // In a team store the history holds everyone's exports.
  if (job.actor) lines.push(`By: ${job.actor}`);
  lines.push(`Destination: ${job.destination_id}${job.action ? ` (${job.action})` : ''}`);
  lines.push(`Template: ${job.template_id}`);
  const where = job.output_url ?? job.output_location;
  if (where) lines.push(`Output: ${where}`);
  lines.push(`Started: ${job.created_at}`);
  if (job.completed_at) lines.push(`Finished: ${job.completed_at}${job.duration_ms !== undefined ? ` (${job.duration_ms} ms)` : ''}`);
  if (job.status === 'failed' && (job.error_code || job.error_message)) lines.push(`Error: ${[job.error_code, job.error_message].filter(Boolean).join(' — ')}`);
  if (job.content_hash) lines.push(`Content hash: ${job.content_hash}`);
  return lines;
}

/**
 * The tree item's contextValue: space-separated flags the manifest's menus
 * match with `viewItem =~ /\bflag\b/` (status-<status>, openable, hashed).
 */
export function jobContextValue(job: JobRecord): string {
  const flags = ['job', `status-${job.status}`];
  if (job.status === 'completed' && outputTarget(job)) flags.push('openable');
  if (job.content_hash) flags.push('hashed');
  return flags.join(' ');
}

export function isFiltered(filter: HistoryFilter): boolean {
  return filter.status !== undefined || filter.destinationId !== undefined || filter.range !== undefined;
}

/** The view's description while a filter is on, e.g. "Filter: Failed · github · Last 24 hours"; undefined when off. */
export function filterDescription(filter: HistoryFilter): string | undefined {
  const parts = [filter.status ? STATUS_LABEL[filter.status] : undefined, filter.destinationId, filter.range ? rangeLabel(filter.range) : undefined].filter(
    (p): p is string => p !== undefined,
  );
  return parts.length > 0 ? `Filter: ${parts.join(' · ')}` : undefined;
}

/** The line above the filtered tree, e.g. "Showing failed exports to github in the last 24 hours." */
export function filterMessage(filter: HistoryFilter): string | undefined {
  if (!isFiltered(filter)) return undefined;
  const status = filter.status ? `${STATUS_LABEL[filter.status].toLowerCase()} ` : '';
  const destination = filter.destinationId ? ` to ${filter.destinationId}` : '';
  const range = filter.range ? ` in the ${rangeLabel(filter.range).toLowerCase()}` : '';
  return `Showing ${status}exports${destination}${range}.`;
}

/** The same filter the server applies (devguide/listJobs), for jobs already in hand. */
export function matchesFilter(job: JobRecord, filter: HistoryFilter, now: Date = new Date()): boolean {
  return (
    (filter.status === undefined || job.status === filter.status) &&
    (filter.destinationId === undefined || job.destination_id === filter.destinationId) &&
    (filter.range === undefined || jobDate(job).getTime() >= Date.parse(sinceOf(filter.range, now)))
  );
}
