import * as vscode from 'vscode';
import {
  ListTemplatesRequest,
  PreviewExportRequest,
  RejectReviewRequest,
  RetryJobRequest,
  type ExportRequestParams,
  type PreviewResult,
} from '../../../server/src/protocol';
import type { Ctx } from '../context';
import { runExportJob } from '../jobs/exportJob';
import { panelStageOf, progressMessage } from '../jobs/jobProgress';
import { toUserFacingError } from '../languageClient/serverErrors';
import { listDestinations } from '../ui/exportPrompts';
import { openOutput } from '../ui/openOutput';
import { closeReviewDocuments, openContent, openDiff } from '../ui/reviewDocuments';
import { ReviewPanel, type ReviewPanelOptions } from './reviewPanel';
import type { ReviewOutcome, ReviewPanelDeps } from './types';

/**
 * The interactive review step of every export: a ReviewPanel wired to the
 * language server. The panel opens while the server previews (the webview
 * loads meanwhile). Accept runs devguide/createJob; the panel shows the
 * job's progress (the values on its own workDoneToken), then the result.
 *
 * Resolves undefined when the person closed the panel before the preview
 * arrived; rejects when the preview failed.
 */
export async function openReviewPanel(
  ctx: Ctx,
  params: ExportRequestParams,
  previewing: Promise<PreviewResult>,
  options: ReviewPanelOptions & { title: string },
): Promise<ReviewPanel | undefined> {
  const { deps, remember } = panelDeps(ctx);
  const pending = previewing.then((preview) => ({ params, preview: remember(preview) }));
  const panel = await ReviewPanel.showWhilePreviewing(ctx.extension, deps, pending, options);
  if (panel) void logOutcome(ctx, panel);
  return panel;
}

function panelDeps(ctx: Ctx): { deps: ReviewPanelDeps; remember: (preview: PreviewResult) => PreviewResult } {
  // Which file a transaction writes, for the log and the status bar while its job runs.
  const filenames = new Map<string, string>();
  // The reviews whose diff or content this panel opened: closed with it.
  const viewed = new Set<string>();
  const remember = (preview: PreviewResult): PreviewResult => {
    filenames.set(preview.transaction_id, preview.filename);
    return preview;
  };
  const deps: ReviewPanelDeps = {
    preview: async (params) => remember(await ctx.server.request(PreviewExportRequest.type, params)),
    accept: async (transactionId, progress, options) => {
      const filename = filenames.get(transactionId) ?? 'export';
      ctx.logger.info(`Exporting ${filename} (transaction ${transactionId}), accepted in the review panel.`);
      const result = await runExportJob(ctx, transactionId, {
        filename,
        force: options?.force === true,
        onProgress: (value) => {
          if (value.kind !== 'end') progress(panelStageOf(value), progressMessage(value));
        },
      });
      const { job } = result;
      if (result.error) ctx.logger.error(`Export of ${job.filename} failed [${result.error.code}]`, result.error.message);
      else ctx.logger.info(`Exported ${job.filename} to ${job.destination_id}: ${job.output_location ?? job.output_url ?? 'done'} (job ${job.job_id}).`);
      return result;
    },
    reject: async (transactionId) => {
      await ctx.server.request(RejectReviewRequest.type, { transactionId, reason: 'rejected in the review panel' });
    },
    viewDiff: async (preview) => {
      viewed.add(preview.transaction_id);
      await openDiff(preview, ctx.documents);
    },
    viewContent: async (preview) => {
      viewed.add(preview.transaction_id);
      await openContent(preview, ctx.documents);
    },
    closeViews: () => closeReviewDocuments(viewed),
    openResult: async (job) => {
      await openOutput(job);
    },
    listTemplates: () => ctx.server.request(ListTemplatesRequest.type, {}),
    listDestinations: () => listDestinations(ctx),
    retry: async (job) => remember(await ctx.server.request(RetryJobRequest.type, { jobId: job.job_id })),
    describeError: toUserFacingError,
    openLink: async (url) => {
      await vscode.env.openExternal(vscode.Uri.parse(url, true));
    },
    log: (level, message) => ctx.logger[level](message),
  };
  return { deps, remember };
}

/** A review that ends without an export goes to the log (Accept logs its own result). */
async function logOutcome(ctx: Ctx, panel: ReviewPanel): Promise<void> {
  const outcome: ReviewOutcome = await panel.whenFinished();
  if (outcome.status === 'rejected') ctx.logger.info(`Review ${outcome.transactionId} rejected in the panel.`);
  if (outcome.status === 'closed') ctx.logger.info(`Review ${outcome.transactionId} closed without a decision (rejected).`);
}
