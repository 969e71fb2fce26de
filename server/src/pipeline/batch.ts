import { randomUUID } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { reviewToJson, type BinReview, type ReviewJson } from '../bin/review';
import { ExportError, toExportError, type ErrorInfo } from '../errors';
import { plainExportFields } from '../exportFields';
import type { ExportRequest, ExportService, PreparedExport } from '../service';
import { mapWithConcurrency } from './concurrency';

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
      source: rel(item.file),
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
  error?: ErrorInfo;
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
  onReview?: (reviews: { index: number; review: BinReview }[]) => void;
  signal?: AbortSignal;
}

/** A batch whose exports are reviewed and wait for the decision (accept all, or some). */
export interface ReviewedBatch {
  batchId: string;
  entries: BatchEntry[];
  prepared: ({ prepared: PreparedExport; review: BinReview } | undefined)[];
  /** Exports that failed before their review (bad input): final already. */
  results: BatchItemResult[];
}

export type ReviewOptions = Pick<BatchOptions, 'concurrency' | 'onProgress'>;
export type PublishOptions = Omit<BatchOptions, 'onReview'> & {
  /** Transaction ids accepted one by one (beside `acceptAll` and the plan's `accept: true`). */
  acceptedTransactions?: ReadonlySet<string>;
};

/** Phase 1: review everything first, so a person sees the whole batch at once. */
export async function reviewBatch(service: ExportService, entries: BatchEntry[], options: ReviewOptions): Promise<ReviewedBatch> {
  const batchId = `batch_${randomUUID()}`;
  const total = entries.length;
  const results: BatchItemResult[] = new Array(total);
  const prepared: ReviewedBatch['prepared'] = new Array(total);
  let reviewed = 0;
  await mapWithConcurrency(entries, options.concurrency, async (entry, index) => {
    try {
      prepared[index] = await service.previewExport({ ...entry.request, batchId });
    } catch (thrown) {
      results[index] = { index, status: 'failed', source: entry.request.source, error: toExportError(thrown).toInfo() };
    }
    reviewed += 1;
    options.onProgress?.({ phase: 'review', done: reviewed, total });
  });
  await service.bin.auditAction('Batch.preflight', batchId, 'pending', {
    total,
    transactions: prepared.flatMap((p) => (p ? [p.review.transaction_id] : [])),
    blocked: prepared.filter((p) => p?.review.blocked).length,
  });
  return { batchId, entries, prepared, results };
}

export function batchReviews(batch: ReviewedBatch): { index: number; review: BinReview }[] {
  return batch.prepared.flatMap((p, index) => (p ? [{ index, review: p.review }] : []));
}

/** Phase 2: publish what was accepted; reject what needed an Accept and did not get one. */
export async function publishBatch(service: ExportService, batch: ReviewedBatch, options: PublishOptions): Promise<BatchResult> {
  const { batchId, entries, prepared, results } = batch;
  const total = entries.length;
  let published = 0;
  await mapWithConcurrency(entries, options.concurrency, async (entry, index) => {
    const item = prepared[index];
    if (!item) {
      published += 1;
      options.onProgress?.({ phase: 'publish', done: published, total, item: results[index] });
      return;
    }
    const { review } = item;
    const accepted = options.acceptAll || entry.accept || (options.acceptedTransactions?.has(review.transaction_id) ?? false);
    const base = { index, source: entry.request.source, filename: item.prepared.filename, review: reviewToJson(review) };
    if (review.blocked) {
      results[index] = {
        ...base,
        status: 'blocked',
        error: new ExportError('BIN_BLOCKED', review.reason_message ?? 'Blocked by the Bin.', { recoverable: false }).toInfo(),
      };
    } else if (review.requires_accept && !accepted) {
      await service.reject(review.transaction_id, 'batch: review required; not accepted');
      results[index] = { ...base, status: 'review_required' };
    } else {
      try {
        const run = await service.accept(review.transaction_id, accepted, options.signal);
        results[index] = {
          ...base,
          status: run.error ? 'failed' : 'completed',
          job_id: run.job.job_id,
          ...(run.job.output_location ? { output_location: run.job.output_location } : {}),
          ...(run.error ? { error: run.error.toInfo() } : {}),
        };
      } catch (thrown) {
        results[index] = { ...base, status: 'failed', error: toExportError(thrown).toInfo() };
      }
    }
    published += 1;
    options.onProgress?.({ phase: 'publish', done: published, total, item: results[index] });
  });

  const successful = results.filter((r) => r.status === 'completed').length;
  const result: BatchResult = { batch_id: batchId, total, successful, failed: total - successful, results };
  await service.bin.auditAction('Batch.complete', batchId, result.failed === 0 ? 'success' : 'failure', {
    total,
    successful,
    failed: result.failed,
  });
  return result;
}

/** Both phases, for the CLI: the review is printed, then `--yes` / `accept: true` decide. */
export async function runBatch(service: ExportService, entries: BatchEntry[], options: BatchOptions): Promise<BatchResult> {
  const batch = await reviewBatch(service, entries, options);
  options.onReview?.(batchReviews(batch));
  return publishBatch(service, batch, options);
}
