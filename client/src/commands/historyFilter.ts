import * as vscode from 'vscode';
import { ListJobsRequest } from '../../../server/src/protocol';
import type { JobStatus } from '../../../server/src/protocol';
import type { CmdFactory, Ctx } from '../context';
import { HISTORY_LIMIT, JOB_STATUSES, STATUS_LABEL, TIME_RANGES, type HistoryFilter, type TimeRange } from '../history/historyModel';
import { listDestinations } from '../ui/exportPrompts';
import { historyDestinationFilterArgs, historyStatusFilterArgs, historyTimeFilterArgs, parseArgs } from './args';

/**
 * The Export History view's filter (its title bar): by status, by
 * destination, by time (the last 24 hours, 7 or 30 days), any of them, or
 * none. The view's description shows the filter. With an argument
 * (`{status}` / `{destinationId}` / `{range}`, null = any) no picker opens.
 */

type FilterOutcome = { status: 'filtered'; filter: HistoryFilter } | { status: 'cancelled' };

const ANY = Symbol('any');

function apply(ctx: Ctx, filter: HistoryFilter): FilterOutcome {
  ctx.history.setFilter(filter);
  return { status: 'filtered', filter: ctx.history.filter };
}

function withPart<K extends keyof HistoryFilter>(filter: HistoryFilter, key: K, value: HistoryFilter[K] | null): HistoryFilter {
  const next = { ...filter };
  if (value === null || value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/**
 * A filter part's picker: "any" and the choices, the current one marked;
 * undefined when dismissed, null for "any".
 */
async function pickPart<V extends string>(
  current: V | undefined,
  choices: readonly { label: string; value: V }[],
  any: { label: string; last?: boolean },
  options: { title: string; placeHolder: string },
): Promise<V | null | undefined> {
  type Item = vscode.QuickPickItem & { value: V | typeof ANY };
  const mark = (value: V | undefined) => (current === value ? { description: 'current' } : {});
  const anyItem: Item = { label: any.label, value: ANY, ...mark(undefined) };
  const items: Item[] = choices.map((c) => ({ label: c.label, value: c.value, ...mark(c.value) }));
  const picked = await vscode.window.showQuickPick(any.last ? [...items, anyItem] : [anyItem, ...items], options);
  if (!picked) return undefined;
  return picked.value === ANY ? null : picked.value;
}

export const filterHistoryByStatus: CmdFactory = (ctx) => async (arg?: unknown): Promise<FilterOutcome> => {
  const args = parseArgs(historyStatusFilterArgs, arg, 'Filter by Status');
  const status =
    args.status !== undefined
      ? args.status
      : await pickPart<JobStatus>(ctx.history.filter.status, JOB_STATUSES.map((s) => ({ label: STATUS_LABEL[s], value: s })), { label: 'All statuses' }, {
          title: 'Export History: Filter by Status',
          placeHolder: 'Show the exports that…',
        });
  if (status === undefined) return { status: 'cancelled' };
  return apply(ctx, withPart(ctx.history.filter, 'status', status));
};

export const filterHistoryByDestination: CmdFactory = (ctx) => async (arg?: unknown): Promise<FilterOutcome> => {
  const args = parseArgs(historyDestinationFilterArgs, arg, 'Filter by Destination');
  let destinationId: string | null;
  if (args.destinationId !== undefined) destinationId = args.destinationId;
  else {
    // Configured destinations, and any a past export went to (it may be gone from the settings).
    const [configured, jobs] = await Promise.all([listDestinations(ctx), ctx.server.request(ListJobsRequest.type, { limit: HISTORY_LIMIT }).then((list) => list.jobs)]);
    const names = new Map(configured.map((d) => [d.id, d.name]));
    for (const job of jobs) if (!names.has(job.destination_id)) names.set(job.destination_id, job.destination_id);
    const current = ctx.history.filter.destinationId;
    type Item = vscode.QuickPickItem & { value: string | typeof ANY };
    const items: Item[] = [
      { label: 'All destinations', value: ANY, ...(current === undefined ? { description: 'current' } : {}) },
      ...[...names].map(([id, name]) => ({
        label: name,
        value: id,
        description: [name !== id ? id : '', current === id ? 'current' : ''].filter(Boolean).join(' · '),
      })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Export History: Filter by Destination', placeHolder: 'Show the exports to…' });
    if (!picked) return { status: 'cancelled' };
    destinationId = picked.value === ANY ? null : picked.value;
  }
  return apply(ctx, withPart(ctx.history.filter, 'destinationId', destinationId));
};

export const filterHistoryByTime: CmdFactory = (ctx) => async (arg?: unknown): Promise<FilterOutcome> => {
  const args = parseArgs(historyTimeFilterArgs, arg, 'Filter by Time');
  const range =
    args.range !== undefined
      ? args.range
      : await pickPart<TimeRange>(ctx.history.filter.range, TIME_RANGES.map((r) => ({ label: r.label, value: r.range })), { label: 'All time', last: true }, {
          title: 'Export History: Filter by Time',
          placeHolder: 'Show the exports started in…',
        });
  if (range === undefined) return { status: 'cancelled' };
  return apply(ctx, withPart(ctx.history.filter, 'range', range));
};

export const clearHistoryFilter: CmdFactory = (ctx) => async (): Promise<FilterOutcome> => apply(ctx, {});

export const refreshHistory: CmdFactory = (ctx) => async (): Promise<{ status: 'refreshed' }> => {
  ctx.history.refresh();
  return { status: 'refreshed' };
};
