import { randomUUID } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ExportError, toExportError } from '../errors';
import { plainExportFields } from '../cli/exportFields';
import { SECRET_IN_FIELD } from '../governance/fieldScan';
import { mapWithConcurrency } from '../pipeline/concurrency';
import type { ErrorJson, PreviewResult, ReviewJson } from '../protocol';
import type { App } from './compose';
import type { ExportRequest } from './prepare';
import { isDatabaseAddress } from '../sources/sql/address';

/**
 * Many exports as one operation (seed §8.3): every export is reviewed first
 * and listed in one batch review; accepted ones then publish with bounded
 * concurrency, each as its own job. One failure never stops the others.
 */

const idsField = z.union([z.string(), z.array(z.string())]).transform((v) =>
  (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0),
);

const planItemSchema = z
  .object({
    file: z.string().min(1),
    ...plainExportFields,
    messages: idsField.optional(),
    blocks: idsField.optional(),
    tag: z.union([z.string(), z.array(z.string())]).optional(),
    tags: z.array(z.string()).optional(),
    meta: z.union([z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), z.array(z.string())]).optional(),
    /** Accept this export without the batch-wide `--yes`. */
    accept: z.boolean().optional(),
  })
  .strict();

export const batchPlanSchema = z.union([
  z.array(planItemSchema),
  z.object({ exports: z.array(planItemSchema) }).strict().transform((p) => p.exports),
]);

export interface BatchEntry {
  request: ExportRequest;
  accept: boolean;
}

/** Turns a parsed plan file into export requests; relative paths are relative to the plan. */
export function batchEntriesFromPlan(raw: unknown, planPath: string): BatchEntry[] {
  const parsed = batchPlanSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ExportError('SCHEMA_INVALID', `Invalid batch plan ${planPath}: ${problems.slice(0, 5).join('; ')}`, {
      details: { problems },
      recoverable: false,
    });
  }
  if (parsed.data.length === 0) throw new ExportError('EMPTY_SELECTION', `Batch plan ${planPath} lists no exports.`, { recoverable: false });
  const base = dirname(planPath);
  const rel = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  return parsed.data.map((item) => {
    const meta: Record<string, string> = {};
    if (Array.isArray(item.meta)) {
      for (const pair of item.meta) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new ExportError('SCHEMA_INVALID', `Invalid batch plan ${planPath}: meta "${pair}" is not KEY=VALUE`, { recoverable: false });
        meta[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
    } else if (item.meta) {
      for (const [k, v] of Object.entries(item.meta)) meta[k] = String(v);
    }
    const tags = [...(item.tags ?? []), ...(item.tag === undefined ? [] : Array.isArray(item.tag) ? item.tag : [item.tag])];
    const request: ExportRequest = {
      // A database address (mysql://…) is not a path.
      source: { kind: 'file', path: isDatabaseAddress(item.file) ? item.file : rel(item.file) },
      ...(item.session ? { sessionId: item.session } : {}),
      ...(item.messages ? { messageIds: item.messages } : {}),
      ...(item.blocks ? { blockIds: item.blocks } : {}),
      ...(item.template ? { template: item.template.endsWith('.hbs') ? rel(item.template) : item.template } : {}),
      ...(item.dest ? { destination: item.dest } : {}),
      ...(item.out ? { outDir: rel(item.out) } : {}),
      ...(item.filename ? { filename: item.filename } : {}),
      ...(item.title !== undefined ? { title: item.title } : {}),
      ...(item.author ? { author: item.author } : {}),
      ...(tags.length > 0 ? { tags } : {}),
      ...(Object.keys(meta).length > 0 ? { meta } : {}),
    };
    return { request, accept: item.accept ?? false };
  });
}

export type BatchItemStatus = 'completed' | 'failed' | 'review_required' | 'blocked' | 'rejected';

export interface BatchItemResult {
  index: number;
  status: BatchItemStatus;
  source: string;
  filename?: string;
  job_id?: string;
  output_location?: string;
  review?: ReviewJson;
  error?: ErrorJson;
}

export interface BatchResult {
  batch_id: string;
  total: number;
  successful: number;
  failed: number;
  results: BatchItemResult[];
}

export interface BatchProgress {
  phase: 'review' | 'publish';
  done: number;
  total: number;
  item?: BatchItemResult;
}

export interface BatchOptions {
  /** Accept every export that is not blocked (the CLI's `--yes`). */
  acceptAll: boolean;
  concurrency: number;
  onProgress?: (progress: BatchProgress) => void;
  /** Called once with every review before anything is published. */
  onReview?: (reviews: { index: number; review: ReviewJson }[]) => void;
  signal?: AbortSignal;
}

/**
 * Both phases (seed §8.3): every export is reviewed first, so a person sees
 * the whole batch at once; then `--yes` / the plan's `accept: true` decide.
 */
export async function runBatch(app: App, entries: BatchEntry[], options: BatchOptions): Promise<BatchResult> {
  const batchId = `batch_${randomUUID()}`;
  const results: BatchItemResult[] = new Array(entries.length);
  const previews = await reviewAll(app, batchId, entries, results, options);
  options.onReview?.(previews.flatMap((p, index) => (p ? [{ index, review: p.review }] : [])));
  await publishAll(app, entries, previews, results, options);
  const successful = results.filter((r) => r.status === 'completed').length;
  const result: BatchResult = { batch_id: batchId, total: entries.length, successful, failed: entries.length - successful, results };
  await app.bin.auditAction('Batch.complete', batchId, result.failed === 0 ? 'success' : 'failure', {
    total: result.total,
    successful,
    failed: result.failed,
  });
  return result;
}

async function reviewAll(
  app: App,
  batchId: string,
  entries: BatchEntry[],
  results: BatchItemResult[],
  options: BatchOptions,
): Promise<(PreviewResult | undefined)[]> {
  const previews: (PreviewResult | undefined)[] = new Array(entries.length);
  let reviewed = 0;
  await mapWithConcurrency(entries, options.concurrency, async (entry, index) => {
    try {
      previews[index] = await app.exports.preview({ ...entry.request, batchId });
    } catch (thrown) {
      const error = toExportError(thrown);
      // A path or id holding a secret: the result does not echo the path.
      const withheld = error.details?.['reason'] === SECRET_IN_FIELD;
      results[index] = { index, status: 'failed', source: withheld ? '(withheld: it holds a possible secret)' : entry.request.source.path, error: error.toInfo() };
    }
    reviewed += 1;
    options.onProgress?.({ phase: 'review', done: reviewed, total: entries.length });
  });
  await refuseSharedTargets(app, entries, previews, results);
  await app.bin.auditAction('Batch.preflight', batchId, 'pending', {
    total: entries.length,
    transactions: previews.flatMap((p) => (p ? [p.transaction_id] : [])),
    blocked: previews.filter((p) => p?.review.blocked).length,
  });
  return previews;
}

/**
 * Two entries that would write the same file (names that clean up to the
 * same one, e.g. `a?.md` and `a_.md`) would overwrite each other: the later
 * ones are refused at review (CONFLICT naming the first) and their reviews
 * closed, so one batch never replaces its own output.
 */
async function refuseSharedTargets(
  app: App,
  entries: BatchEntry[],
  previews: (PreviewResult | undefined)[],
  results: BatchItemResult[],
): Promise<void> {
  const first = new Map<string, number>();
  for (const [index, preview] of previews.entries()) {
    if (!preview) continue;
    const target = `${preview.destination_id}\u0000${preview.review.affected_resources.join('\u0000')}`;
    const earlier = first.get(target);
    if (earlier === undefined) {
      first.set(target, index);
      continue;
    }
    await app.exports.reject(preview.transaction_id, `batch: same target as entry ${earlier + 1}`);
    previews[index] = undefined;
    const error = new ExportError('CONFLICT', `Entry ${index + 1} would write ${preview.filename}, the same file as entry ${earlier + 1}: give it another filename.`, {
      details: { entry: index + 1, same_as: earlier + 1, filename: preview.filename },
      recoverable: false,
    });
    results[index] = { index, status: 'failed', source: entries[index]?.request.source.path ?? '', filename: preview.filename, error: error.toInfo() };
  }
}

/**
 * Publishes what was accepted; rejects what needed an Accept and did not get
 * one. Accepted exports to one destination that writes many files as one
 * change (GitHub) go together: one commit, or one pull request (issue 12).
 */
async function publishAll(
  app: App,
  entries: BatchEntry[],
  previews: (PreviewResult | undefined)[],
  results: BatchItemResult[],
  options: BatchOptions,
): Promise<void> {
  let published = 0;
  const done = (index: number) => {
    published += 1;
    options.onProgress?.({ phase: 'publish', done: published, total: entries.length, item: results[index] });
  };
  const together = new Map<string, number[]>();
  const alone: number[] = [];
  entries.forEach((entry, index) => {
    const preview = previews[index];
    if (!preview || !mayPublish(entry, preview, options) || !app.exports.writesTogether(preview.transaction_id)) {
      alone.push(index);
      return;
    }
    together.set(preview.destination_id, [...(together.get(preview.destination_id) ?? []), index]);
  });
  for (const [destination, indexes] of together) {
    if (indexes.length === 1) {
      alone.push(...indexes);
      together.delete(destination);
    }
  }
  const units: number[][] = [...together.values(), ...alone.sort((a, b) => a - b).map((i) => [i])];
  await mapWithConcurrency(units, options.concurrency, async (unit) => {
    if (unit.length > 1) {
      await publishTogether(app, entries, previews, results, unit, options);
    } else {
      const index = unit[0] as number;
      const preview = previews[index];
      if (preview) results[index] = await decide(app, entries[index] as BatchEntry, preview, index, options);
    }
    for (const index of unit) done(index);
  });
}

function mayPublish(entry: BatchEntry, preview: PreviewResult, options: BatchOptions): boolean {
  const { review } = preview;
  return !review.blocked && (!review.requires_accept || options.acceptAll || entry.accept);
}

/** Accepted exports to one destination, published as one change. */
async function publishTogether(
  app: App,
  entries: BatchEntry[],
  previews: (PreviewResult | undefined)[],
  results: BatchItemResult[],
  indexes: number[],
  options: BatchOptions,
): Promise<void> {
  const items = indexes.map((index) => ({ index, entry: entries[index] as BatchEntry, preview: previews[index] as PreviewResult }));
  const runs = await app.exports.acceptTogether(
    items.map(({ entry, preview }) => ({ transactionId: preview.review.transaction_id, explicit: options.acceptAll || entry.accept })),
    options.signal ? { signal: options.signal } : {},
  );
  items.forEach(({ index, entry, preview }, i) => {
    const run = runs[i] ?? {};
    const base = { index, source: entry.request.source.path, filename: preview.filename, review: preview.review };
    results[index] = {
      ...base,
      status: run.job && !run.error ? 'completed' : 'failed',
      ...(run.job ? { job_id: run.job.job_id } : {}),
      ...(run.job?.output_location ? { output_location: run.job.output_location } : {}),
      ...(run.error ? { error: run.error } : {}),
    };
  });
}

async function decide(app: App, entry: BatchEntry, preview: PreviewResult, index: number, options: BatchOptions): Promise<BatchItemResult> {
  const { review } = preview;
  const accepted = options.acceptAll || entry.accept;
  const base = { index, source: entry.request.source.path, filename: preview.filename, review };
  if (review.blocked) {
    const error = new ExportError('BIN_BLOCKED', review.reason_message ?? 'Blocked by the Bin.', { recoverable: false });
    return { ...base, status: 'blocked', error: error.toInfo() };
  }
  if (review.requires_accept && !accepted) {
    await app.exports.reject(review.transaction_id, 'batch: review required; not accepted');
    return { ...base, status: 'review_required' };
  }
  try {
    const run = await app.exports.accept(review.transaction_id, accepted, options.signal ? { signal: options.signal } : {});
    return {
      ...base,
      status: run.error ? 'failed' : 'completed',
      job_id: run.job.job_id,
      ...(run.job.output_location ? { output_location: run.job.output_location } : {}),
      ...(run.error ? { error: run.error } : {}),
    };
  } catch (thrown) {
    return { ...base, status: 'failed', error: toExportError(thrown).toInfo() };
  }
}
