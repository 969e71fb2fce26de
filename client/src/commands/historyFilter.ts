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

export const filterHistoryByStatus: CmdFactory = (ctx) => async (arg?: unknown): Promise<FilterOutcome> => {
  const args = parseArgs(historyStatusFilterArgs, arg, 'Filter by Status');
  let status: JobStatus | null;
  if (args.status !== undefined) status = args.status;
  else {
    const current = ctx.history.filter.status;
    type Item = vscode.QuickPickItem & { value: JobStatus | typeof ANY };
    const items: Item[] = [
      { label: 'All statuses', value: ANY, ...(current === undefined ? { description: 'current' } : {}) },
      ...JOB_STATUSES.map((s) => ({ label: STATUS_LABEL[s], value: s, ...(current === s ? { description: 'current' } : {}) })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Export History: Filter by Status', placeHolder: 'Show the exports that…' });
    if (!picked) return { status: 'cancelled' };
    status = picked.value === ANY ? null : picked.value;
  }
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
  let range: TimeRange | null;
  if (args.range !== undefined) range = args.range;
  else {
    const current = ctx.history.filter.range;
    type Item = vscode.QuickPickItem & { value: TimeRange | typeof ANY };
    const items: Item[] = [
      ...TIME_RANGES.map((r) => ({ label: r.label, value: r.range, ...(current === r.range ? { description: 'current' } : {}) })),
      { label: 'All time', value: ANY, ...(current === undefined ? { description: 'current' } : {}) },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Export History: Filter by Time', placeHolder: 'Show the exports started in…' });
    if (!picked) return { status: 'cancelled' };
    range = picked.value === ANY ? null : picked.value;
  }
  return apply(ctx, withPart(ctx.history.filter, 'range', range));
};

export const clearHistoryFilter: CmdFactory = (ctx) => async (): Promise<FilterOutcome> => apply(ctx, {});

export const refreshHistory: CmdFactory = (ctx) => async (): Promise<{ status: 'refreshed' }> => {
  ctx.history.refresh();
  return { status: 'refreshed' };
};
