import type { ErrorInfo } from '../errors';
import type { PublishOutcome } from '../pipeline/publish';
import { ExportError } from '../errors';
import type { JobJson, JobProgressValue, PreviewResult } from '../protocol';
import { SECRET_IN_FIELD } from '../governance/fieldScan';
import { prepareExport, type ExportRequest, type PreparedExport } from './prepare';
import { jobJson, previewJson, type JobNames } from './results';
import type { OpenReviews } from './reviews';
import type { AppState } from './state';
import type { Transcripts } from './transcripts';

/** What a one-shot export (CLI, batch) ended as. */
export type ExportOutcome =
  | { status: 'completed'; preview: PreviewResult; job: JobJson; error?: undefined }
  | { status: 'failed'; preview: PreviewResult; job: JobJson; error: ErrorInfo }
  | { status: 'review_required'; preview: PreviewResult; error: ErrorInfo }
  | { status: 'blocked'; preview: PreviewResult; error: ErrorInfo }
  /** The file already holds this output apart from the export time: nothing was written. */
  | { status: 'unchanged'; preview: PreviewResult; error?: undefined };

/**
 * Exports: preview (stages 1–4 and the Bin's review, left open), accept an
 * open review, and the headless one-shot export (preview, then publish when
 * the review allows it or `--yes` accepted it).
 */
export class Exports {
  constructor(
    private readonly state: AppState,
    private readonly transcripts: Transcripts,
    private readonly reviews: OpenReviews,
    private readonly names: JobNames,
  ) {}

  async preview(request: ExportRequest, signal?: AbortSignal): Promise<PreviewResult> {
    const prepared = await this.prepare(request, signal);
    return previewJson(prepared, await this.reviews.review(prepared));
  }

  async accept(
    transactionId: string,
    explicit: boolean,
    options: { signal?: AbortSignal; onProgress?: (value: JobProgressValue) => void; force?: boolean } = {},
  ): Promise<{ job: JobJson; error?: ErrorInfo }> {
    const { outcome } = await this.reviews.accept(transactionId, explicit, options);
    return this.ran(outcome);
  }

  /** Whether this open review's destination can take part in one change with others of the same destination. */
  writesTogether(transactionId: string): boolean {
    return this.reviews.writesTogether(transactionId);
  }

  /** Several open reviews of one destination, published as one change where it can (a batch's GitHub commit). */
  async acceptTogether(
    items: { transactionId: string; explicit: boolean }[],
    options: { signal?: AbortSignal } = {},
  ): Promise<{ job?: JobJson; error?: ErrorInfo }[]> {
    const results = await this.reviews.acceptTogether(items, options);
    return results.map(({ outcome, error }) => (outcome ? this.ran(outcome) : { error: (error ?? new ExportError('INTERNAL_ERROR', 'No result', { recoverable: false })).toInfo() }));
  }

  async reject(transactionId: string, reason?: string): Promise<null> {
    await this.reviews.reject(transactionId, reason);
    return null;
  }

  /** A preview that is only looked at (CLI `preview`): its review is closed at once. */
  async previewOnly(request: ExportRequest): Promise<PreviewResult> {
    const preview = await this.preview(request);
    if (!preview.review.blocked) await this.reviews.reject(preview.transaction_id, 'preview only');
    return preview;
  }

  /** The CLI's export: publish when the Bin allows it; a review that needs an Accept without `yes` is left undecided. */
  async exportNow(request: ExportRequest, options: { yes: boolean; force?: boolean; signal?: AbortSignal }): Promise<ExportOutcome> {
    const started = this.state.env.clock.monotonic();
    const prepared = await this.prepare(request, options.signal);
    const review = await this.reviews.review(prepared);
    const preview = () => previewJson(prepared, review, this.state.env.clock.monotonic() - started);
    if (review.blocked) {
      const blocked = preview();
      return { status: 'blocked', preview: blocked, error: blockedError(blocked) };
    }
    if (prepared.unchanged && !options.force) {
      await this.reviews.reject(review.transaction_id, 'unchanged: nothing to write');
      return { status: 'unchanged', preview: preview() };
    }
    if (review.requires_accept && !options.yes) {
      await this.reviews.reject(review.transaction_id, 'review required; not accepted');
      const error = new ExportError('REVIEW_REQUIRED', 'This export needs an explicit Accept: review it, then re-run with --yes.', {
        details: { risk_level: review.impact.risk_level, action: review.impact.action },
        recoverable: true,
      });
      return { status: 'review_required', preview: preview(), error: error.toInfo() };
    }
    const { outcome } = await this.reviews.accept(review.transaction_id, options.yes, { force: options.force === true, ...(options.signal ? { signal: options.signal } : {}) });
    const { job, error } = this.ran(outcome);
    return error ? { status: 'failed', preview: preview(), job, error } : { status: 'completed', preview: preview(), job };
  }

  /** Stages 1–4; a path or id holding a secret stops the export there, and the Bin records that block. */
  private async prepare(request: ExportRequest, signal?: AbortSignal): Promise<PreparedExport> {
    try {
      return await prepareExport(this.state, this.transcripts, request, signal);
    } catch (error) {
      if (error instanceof ExportError && error.code === 'BIN_BLOCKED' && error.details?.['reason'] === SECRET_IN_FIELD) {
        await this.reviews.recordFieldBlock(error);
      }
      throw error;
    }
  }

  /** A published job: the live history is told, and the job comes back in its JSON shape with its error. */
  private ran(outcome: PublishOutcome): { job: JobJson; error?: ErrorInfo } {
    this.state.env.onJobChanged?.({ jobId: outcome.job.job_id, status: outcome.job.status });
    const job = jobJson(outcome.job, this.names);
    return outcome.error ? { job, error: outcome.error.toInfo() } : { job };
  }
}

/** A blocked review as an error: validation blocks keep their own code, the rest are BIN_BLOCKED. */
function blockedError(preview: PreviewResult): ErrorInfo {
  const { reason, reason_message } = preview.review;
  const validationBlock = reason === 'CONTENT_TOO_LARGE' || reason === 'VALIDATION_FAILED';
  return new ExportError(validationBlock ? reason : 'BIN_BLOCKED', reason_message ?? 'Blocked by the Bin.', {
    details: { reason, errors: preview.validation.errors },
    recoverable: false,
  }).toInfo();
}
