import { createHash, randomUUID } from 'node:crypto';
import type { Bin } from '../governance/bin';
import type { Clock } from '../clock';
import type { Destination, Expectation, ExportProvenance, SaveRequest } from '../destinations/types';
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
  /** What the review saw at the target: the write holds to it (see Destination). */
  expected: Expectation;
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
  const job = await recordJob(plan, deps);
  const started = deps.clock.monotonic();
  let publish: PublishResult | undefined;
  let retries = 0;
  try {
    deps.onStep?.('write');
    publish = await writeWithRetries(plan.destination, deps, (attempt) => {
      retries = attempt - 1;
      return plan.destination.save(saveRequestOf(plan, job, deps.signal));
    });
    deps.onStep?.('commit');
    return { job: await completeJob(plan, job, publish, retries, started, deps), publish, publishMs: deps.clock.monotonic() - started };
  } catch (thrown) {
    return failJob(plan, job, toExportError(thrown), publish, retries, started, deps);
  }
}

/**
 * Several accepted exports to one destination as one change
 * (`Destination.saveBatch`: GitHub's one commit or one pull request): every
 * job is recorded first, then one write; the write failing fails every job.
 * A destination without saveBatch publishes them one by one.
 */
export async function publishJobs(plans: PublishPlan[], deps: PublishDeps): Promise<PublishOutcome[]> {
  const destination = plans[0]?.destination;
  if (!destination?.saveBatch || plans.length < 2 || plans.some((p) => p.destination !== destination)) {
    const outcomes: PublishOutcome[] = [];
    for (const plan of plans) outcomes.push(await publishJob(plan, deps));
    return outcomes;
  }
  const jobs: JobRecord[] = [];
  for (const plan of plans) jobs.push(await recordJob(plan, deps));
  const started = deps.clock.monotonic();
  let written: PublishResult[];
  let retries = 0;
  try {
    deps.onStep?.('write');
    written = await writeWithRetries(destination, deps, async (attempt) => {
      retries = attempt - 1;
      const results = await (destination.saveBatch as NonNullable<Destination['saveBatch']>)(
        plans.map((plan, i) => saveRequestOf(plan, jobs[i] as JobRecord, deps.signal)),
        deps.signal,
      );
      if (results.length !== plans.length) throw new ExportError('INTERNAL_ERROR', `The destination wrote ${results.length} of ${plans.length} files`, { recoverable: false });
      return results;
    });
  } catch (thrown) {
    const error = toExportError(thrown);
    const failed: PublishOutcome[] = [];
    for (const [i, plan] of plans.entries()) failed.push(await failJob(plan, jobs[i] as JobRecord, error, undefined, retries, started, deps));
    return failed;
  }
  deps.onStep?.('commit');
  const outcomes: PublishOutcome[] = [];
  for (const [i, plan] of plans.entries()) {
    const job = jobs[i] as JobRecord;
    const publish = written[i] as PublishResult;
    try {
      outcomes.push({ job: await completeJob(plan, job, publish, retries, started, deps), publish, publishMs: deps.clock.monotonic() - started });
    } catch (thrown) {
      // This job alone could not be completed: its file is undone, the others stand.
      outcomes.push(await failJob(plan, job, toExportError(thrown), publish, retries, started, deps));
    }
  }
  return outcomes;
}

/** The job record exists, queued then running, before the destination is touched. */
async function recordJob(plan: PublishPlan, deps: PublishDeps): Promise<JobRecord> {
  const { store, clock } = deps;
  const job: JobRecord = {
    ...plan.job,
    job_id: plan.job.job_id ?? `job_${randomUUID()}`,
    status: 'queued',
    actor: plan.job.actor ?? deps.bin.actor,
    retry_count: 0,
    created_at: clock.now().toISOString(),
    content_hash: contentHash(plan.content),
    transaction_id: plan.transactionId,
  };
  await store.createJob(job);
  await store.updateJob(job.job_id, { status: 'running', started_at: clock.now().toISOString() });
  return job;
}

/** The write, behind the rate limiter; retried here unless the destination retries itself. */
async function writeWithRetries<T>(destination: Destination, deps: PublishDeps, write: (attempt: number) => Promise<T>): Promise<T> {
  const attempt = async (n: number): Promise<T> => {
    if (deps.rateLimiter) await deps.rateLimiter.acquire(destination.id, { maxWaitMs: deps.timeoutMs ?? 30_000, signal: deps.signal });
    return write(n);
  };
  // A destination that retries and waits out rate limits itself is called once, and its error is the job's.
  if (destination.retriesInternally) return attempt(1);
  return withRetry(attempt, {
    maxRetries: deps.maxRetries,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
}

/** The Bin's commit, then the job's completion with what rollback needs. */
async function completeJob(plan: PublishPlan, job: JobRecord, publish: PublishResult, retries: number, started: number, deps: PublishDeps): Promise<JobRecord> {
  const { store, bin, clock } = deps;
  await bin.commit(plan.transactionId, {
    job_id: job.job_id,
    location: publish.location,
    content_hash: job.content_hash,
    bytes: publish.bytesWritten,
  });
  return store.updateJob(job.job_id, {
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
}

/** Undoes a write that happened, rolls the Bin's transaction back and marks the job failed. */
async function failJob(
  plan: PublishPlan,
  job: JobRecord,
  error: ExportError,
  publish: PublishResult | undefined,
  retries: number,
  started: number,
  deps: PublishDeps,
): Promise<PublishOutcome> {
  const undo = publish ? await undoWrite(plan.destination, publish) : undefined;
  try {
    await deps.bin.rollback(plan.transactionId, {
      job_id: job.job_id,
      error_code: error.code,
      ...(undo === undefined ? {} : { destination_rolled_back: undo.ok }),
    });
  } catch {
    // The audit write failing must not hide the original error.
  }
  const failedJob = await markFailed(deps.store, job.job_id, error, retries, deps.clock, started, undo);
  return {
    job: failedJob ?? { ...job, status: 'failed', error_code: error.code, error_message: error.message },
    error,
    publishMs: deps.clock.monotonic() - started,
  };
}

/** The destination's request for a recorded job: its content, what the review saw, where it came from. */
function saveRequestOf(plan: PublishPlan, job: JobRecord, signal: AbortSignal | undefined): SaveRequest {
  const provenance: ExportProvenance = {
    source: job.source,
    sessionId: job.session_id,
    messageIds: job.message_ids,
    templateId: job.template_id,
    contentHash: job.content_hash ?? contentHash(plan.content),
  };
  return {
    filename: job.filename,
    content: plan.content,
    title: plan.title,
    metadata: plan.metadata,
    jobId: job.job_id,
    provenance,
    expected: plan.expected,
    ...(signal ? { signal } : {}),
  };
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
