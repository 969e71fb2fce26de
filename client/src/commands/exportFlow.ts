import * as vscode from 'vscode';
import {
  exportRequestOfJob,
  GetJobRequest,
  PreviewExportRequest,
  RejectReviewRequest,
  RetryJobRequest,
  type ExportRequestParams,
  type ExportSource,
  type PreviewResult,
} from '../../../server/src/protocol';
import type { Ctx } from '../context';
import { runExportJob, type JobResult } from '../jobs/exportJob';
import { openReviewPanel } from '../panel/openReviewPanel';
import type { ReviewPanelOptions } from '../panel/reviewPanel';
import { exportTargetKey } from '../panel/targetKey';
import { toUserFacingError } from '../languageClient/serverErrors';
import { defaultDestinationOf, defaultTemplateOf } from '../ui/exportDefaults';
import { askTitle, findDestination, listDestinations, listTemplates, pickDestination, pickTemplate } from '../ui/exportPrompts';
import { settings } from '../settings';
import { showError } from '../ui/notify';
import { openOutput, openOutputLabel } from '../ui/openOutput';
import type { ExportChoices } from './args';

/**
 * One export, from "what to export" to the published file: the choices
 * given, else the defaults (default template and destination, the suggested
 * title, no tags) — a prompt only where no default exists —, preview, then
 * the review: the review panel, where all of them can be changed, or with
 * `accept: true` (executeCommand callers, like the CLI's --yes) straight to
 * devguide/createJob. Shared by Export Selection, Export Transcript,
 * Preview Export and Retry.
 */

export interface ExportTarget {
  source: ExportSource;
  sessionId?: string;
  messageIds?: string[];
  blockIds?: string[];
  /** Prefills the title box (the session's title, or the file name). */
  suggestedTitle: string;
}

/** What a command returns to executeCommand callers (tests, other extensions). */
export type ExportOutcome =
  | { status: 'completed'; jobId: string; filename: string; destinationId: string; outputLocation?: string; outputUrl?: string }
  | { status: 'failed'; jobId?: string; code: string; message: string; recoverable: boolean }
  | { status: 'rejected'; transactionId: string }
  | { status: 'blocked'; reason: string; message: string }
  /** The review panel is open; the export continues there (Accept / Reject). */
  | { status: 'in_review'; transactionId: string; filename: string }
  | { status: 'cancelled' };

export const CANCELLED: ExportOutcome = { status: 'cancelled' };

export interface Gathered {
  params: ExportRequestParams;
  destinationName: string;
}

/**
 * The given choices, else the defaults; asks only for what has no usable
 * default. Undefined when the person cancelled or chose something unusable.
 */
export async function gatherExport(ctx: Ctx, target: ExportTarget, choices: ExportChoices): Promise<Gathered | undefined> {
  const [templates, destinations] = await Promise.all([
    choices.template ? undefined : listTemplates(ctx),
    listDestinations(ctx),
  ]);
  const template = choices.template ?? (templates && defaultTemplateOf(templates, settings.defaultTemplate())) ?? (await pickTemplate(ctx, templates));
  if (template === undefined) return undefined;
  const destination = choices.destination
    ? await findDestination(ctx, choices.destination, destinations)
    : (defaultDestinationOf(destinations, settings.defaultDestination()) ?? (await pickDestination(ctx, 'Choose a destination', destinations)));
  if (destination === undefined) return undefined;
  const title = choices.title ?? (target.suggestedTitle.trim() ? target.suggestedTitle : await askTitle());
  if (title === undefined) return undefined;
  const tags = choices.tags ?? [];
  const params: ExportRequestParams = {
    source: target.source,
    ...(target.sessionId ? { sessionId: target.sessionId } : {}),
    ...(target.messageIds?.length ? { messageIds: target.messageIds } : {}),
    ...(target.blockIds?.length ? { blockIds: target.blockIds } : {}),
    template,
    destination: destination.id,
    title: title.trim(),
    ...(tags.length ? { tags } : {}),
    ...(choices.redact ? { redact: true } : {}),
  };
  return { params, destinationName: destination.name };
}

/** Gather → preview → review. `startedAt`: performance.now() when the command started (panel timing). */
export async function exportTarget(ctx: Ctx, target: ExportTarget, choices: ExportChoices, startedAt: number): Promise<ExportOutcome> {
  const gathered = await gatherExport(ctx, target, choices);
  if (!gathered) return CANCELLED;
  if (choices.accept) return acceptWithoutPanel(ctx, await previewWithProgress(ctx, gathered.params), gathered.destinationName);
  return review(ctx, gathered.params, previewWithProgress(ctx, gathered.params), { startedAt, title: `Review: ${target.suggestedTitle}` });
}

export function previewWithProgress(ctx: Ctx, params: ExportRequestParams): Promise<PreviewResult> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'DevGuide Export: preparing the preview…' }, () =>
      ctx.server.request(PreviewExportRequest.type, params),
    ),
  );
}

/**
 * The review panel, opened while the preview runs; blocked reviews too (the
 * panel says why and offers redaction). Returns once the preview is shown.
 */
export async function review(
  ctx: Ctx,
  params: ExportRequestParams,
  previewing: Promise<PreviewResult>,
  options: ReviewPanelOptions & { title: string },
): Promise<ExportOutcome> {
  const panel = await openReviewPanel(ctx, params, previewing, { targetKey: exportTargetKey(params), ...options });
  if (!panel) return CANCELLED;
  return { status: 'in_review', transactionId: panel.transactionId, filename: panel.filename };
}

/** `accept: true`: no panel. A blocked review is closed and reported; otherwise the job runs. */
export async function acceptWithoutPanel(ctx: Ctx, preview: PreviewResult, destinationName: string): Promise<ExportOutcome> {
  const { review } = preview;
  if (review.blocked) {
    ctx.logger.warn(`Review ${review.transaction_id} blocked: ${review.reason ?? 'unknown reason'}`);
    await closeReview(ctx, review.transaction_id, 'blocked');
    return { status: 'blocked', reason: review.reason ?? 'BIN_BLOCKED', message: review.reason_message ?? 'The Bin blocked this export.' };
  }
  return runJob(ctx, preview, destinationName);
}

export async function closeReview(ctx: Ctx, transactionId: string, reason: string): Promise<void> {
  try {
    await ctx.server.request(RejectReviewRequest.type, { transactionId, reason });
  } catch (error) {
    // The review is gone already (e.g. the server restarted): nothing left to close.
    ctx.logger.warn(`Closing review ${transactionId}: ${toUserFacingError(error).message}`);
  }
}

async function runJob(ctx: Ctx, preview: PreviewResult, destinationName: string): Promise<ExportOutcome> {
  ctx.logger.info(`Exporting ${preview.filename} to ${preview.destination_id} (transaction ${preview.transaction_id}).`);
  let result: JobResult;
  try {
    result = await runExportJob(ctx, preview.transaction_id, { filename: preview.filename });
  } catch (thrown) {
    const error = showError(ctx, thrown, { prefix: 'Export failed' });
    return { status: 'failed', ...error };
  }
  const { job } = result;
  if (result.error) {
    const error = showError(ctx, { message: result.error.message, data: result.error }, {
      prefix: `Export of "${job.filename}" failed`,
      retry: () => retryJob(ctx, job.job_id, { accept: false }),
    });
    return { status: 'failed', jobId: job.job_id, ...error };
  }
  ctx.logger.info(`Exported ${job.filename} to ${job.destination_id}: ${job.output_location ?? job.output_url ?? 'done'} (job ${job.job_id}).`);
  const open = openOutputLabel(job);
  void vscode.window
    .showInformationMessage(`Exported "${job.filename}" to ${destinationName}.`, ...(open ? [open] : []), 'Show History')
    .then(async (choice) => {
      if (choice === open) await openOutput(job);
      if (choice === 'Show History') await vscode.commands.executeCommand('devguideExport.showHistory');
    });
  return {
    status: 'completed',
    jobId: job.job_id,
    filename: job.filename,
    destinationId: job.destination_id,
    ...(job.output_location ? { outputLocation: job.output_location } : {}),
    ...(job.output_url ? { outputUrl: job.output_url } : {}),
  };
}

/** Retry of a failed job: the server prepares it again; it goes through a fresh review. */
export async function retryJob(ctx: Ctx, jobId: string, options: { accept: boolean }): Promise<ExportOutcome> {
  const startedAt = performance.now();
  if (options.accept) {
    const preview = await ctx.server.request(RetryJobRequest.type, { jobId });
    const destination = (await listDestinations(ctx)).find((d) => d.id === preview.destination_id);
    return acceptWithoutPanel(ctx, preview, destination?.name ?? preview.destination_id);
  }
  const job = await ctx.server.request(GetJobRequest.type, { jobId });
  const previewing = ctx.server.request(RetryJobRequest.type, { jobId });
  return review(ctx, exportRequestOfJob(job), previewing, { startedAt, title: `Review: ${job.filename}` });
}

