import { createHash, randomUUID } from 'node:crypto';
import type { Bin } from '../governance/bin';
import type { Clock } from '../clock';
import type { Destination, ExpectedTarget } from '../destinations/types';
import { ExportError, toExportError } from '../errors';
import type { PublishResult } from '../model';
import type { JobRecord, Store } from '../store/types';
import type { PublishStep } from '../protocolLimits';
import { withRetry } from './retry';
import type { RateLimiter } from './rateLimiter';

/**
 * Stage 5, publish, inside the Bin's transaction. The order is the guarantee:
 * job record first, then the destination, then the Bin's commit, then the
 * job's completion. If anything after the write fails, the destination's
 * rollback undoes the write and the job ends `failed` — so the store and the
 * destination always agree.
 */

export interface PublishPlan {
  transactionId: string;
  destination: Destination;
  job: Omit<JobRecord, 'job_id' | 'status' | 'retry_count' | 'created_at'> & { job_id?: string };
  content: string;
  title: string;
  metadata: Record<string, unknown>;
  /** What the review saw at the target; the destination refuses (CONFLICT) to write over anything else. */
  expected?: ExpectedTarget;
}

export interface PublishDeps {
  store: Store;
  bin: Bin;
  clock: Clock;
  maxRetries: number;
  rateLimiter?: RateLimiter;
  timeoutMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** The publish stage's steps as they start: the destination's write, then the Bin's commit. */
  onStep?: (step: PublishStep) => void;
}

export interface PublishOutcome {
  job: JobRecord;
  publish?: PublishResult;
  error?: ExportError;
  publishMs: number;
}

export function contentHash(content: string): string {
  return `sha256:${createHash('sha256').update(content, 'utf8').digest('hex')}`;
}

export async function publishJob(plan: PublishPlan, deps: PublishDeps): Promise<PublishOutcome> {
  const { store, bin, clock } = deps;
  const jobId = plan.job.job_id ?? `job_${randomUUID()}`;
  const createdAt = clock.now().toISOString();
  const job: JobRecord = {
    ...plan.job,
    job_id: jobId,
    status: 'queued',
    retry_count: 0,
    created_at: createdAt,
    content_hash: contentHash(plan.content),
    transaction_id: plan.transactionId,
  };
  // The job record exists before the destination is touched.
  await store.createJob(job);
  const started = clock.monotonic();
  await store.updateJob(jobId, { status: 'running', started_at: clock.now().toISOString() });

  let publish: PublishResult | undefined;
  let retries = 0;
  try {
    deps.onStep?.('write');
    publish = await withRetry(
      async (attempt) => {
        retries = attempt - 1;
        if (deps.rateLimiter) {
          await deps.rateLimiter.acquire(plan.destination.id, { maxWaitMs: deps.timeoutMs ?? 30_000, signal: deps.signal });
        }
        return plan.destination.save({
          filename: plan.job.filename,
          content: plan.content,
          title: plan.title,
          metadata: plan.metadata,
          jobId,
          ...(plan.expected ? { expected: plan.expected } : {}),
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
      },
      {
        maxRetries: deps.maxRetries,
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
      },
    );
    deps.onStep?.('commit');
    await bin.commit(plan.transactionId, {
      job_id: jobId,
      location: publish.location,
      content_hash: job.content_hash,
      bytes: publish.bytesWritten,
    });
    const completed = await store.updateJob(jobId, {
      status: 'completed',
      completed_at: clock.now().toISOString(),
      duration_ms: Math.round(clock.monotonic() - started),
      output_location: publish.location,
      ...(publish.url === undefined ? {} : { output_url: publish.url }),
      action: publish.action,
      rollback: {
        location: publish.rollback.location,
        action: publish.rollback.action,
        ...(publish.rollback.previous === undefined ? {} : { previous: publish.rollback.previous }),
        ...(publish.rollback.extra === undefined ? {} : { extra: publish.rollback.extra }),
      },
      retry_count: retries,
    });
    return { job: completed, publish, publishMs: clock.monotonic() - started };
  } catch (thrown) {
    const error = toExportError(thrown);
    const undo = publish ? await undoWrite(plan.destination, publish) : undefined;
    try {
      await bin.rollback(plan.transactionId, {
        job_id: jobId,
        error_code: error.code,
        ...(undo === undefined ? {} : { destination_rolled_back: undo.ok }),
      });
    } catch {
      // The audit write failing must not hide the original error.
    }
    const failedJob = await markFailed(store, jobId, error, retries, clock, started, undo);
    return { job: failedJob ?? { ...job, status: 'failed', error_code: error.code, error_message: error.message }, error, publishMs: clock.monotonic() - started };
  }
}

async function undoWrite(destination: Destination, publish: PublishResult): Promise<{ ok: boolean; message?: string }> {
  try {
    await destination.rollback(publish.rollback);
    return { ok: true };
  } catch (thrown) {
    return { ok: false, message: toExportError(thrown).message };
  }
}

async function markFailed(
  store: Store,
  jobId: string,
  error: ExportError,
  retries: number,
  clock: Clock,
  started: number,
  undo: { ok: boolean; message?: string } | undefined,
): Promise<JobRecord | undefined> {
  const message =
    undo && !undo.ok
      ? `${error.message} (undoing the partial write also failed: ${undo.message ?? 'unknown reason'})`
      : error.message;
  try {
    return await store.updateJob(jobId, {
      status: 'failed',
      error_code: error.code,
      error_message: message,
      completed_at: clock.now().toISOString(),
      duration_ms: Math.round(clock.monotonic() - started),
      retry_count: retries,
    });
  } catch {
    // The store itself failed; the job stays `running` and is marked
    // INTERRUPTED by the next start's recovery.
    return undefined;
  }
}
