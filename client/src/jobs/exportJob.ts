import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { CreateJobRequest, JobProgress, type JobProgressValue, type JobRun } from '../../../server/src/protocol';
import type { Ctx } from '../context';
import { JobProgressNotification } from '../ui/jobProgressNotification';
import { parseJobProgress } from './jobProgress';

/** devguide/createJob's answer: the job, and its error when it failed. */
export type JobResult = JobRun;

export interface ExportJobOptions {
  /** The file the job writes (status bar, log). */
  filename: string;
  /** Each progress value of the job, as the server sent it (the review panel follows them). */
  onProgress?(value: JobProgressValue): void;
  /** Write even when the output is unchanged apart from the export time (the panel's "Export anyway"). */
  force?: boolean;
}

/**
 * devguide/createJob for an accepted review, with its progress: a token of
 * ours, listened to before the request goes out; its values shown in a
 * notification whose Cancel cancels the request, and passed to `onProgress`.
 * The status bar shows the job while it runs.
 */
export async function runExportJob(ctx: Ctx, transactionId: string, options: ExportJobOptions): Promise<JobResult> {
  const workDoneToken = randomUUID();
  const cancellation = new vscode.CancellationTokenSource();
  const notification = new JobProgressNotification(() => {
    ctx.logger.info(`Export of ${options.filename} (transaction ${transactionId}) cancelled.`);
    cancellation.cancel();
  });
  const listening = ctx.server.onProgress(JobProgress.type, workDoneToken, (raw) => {
    const value = parseJobProgress(raw);
    if (!value) {
      ctx.logger.warn(`Ignored a malformed progress report of transaction ${transactionId}.`);
      return;
    }
    ctx.logger.debug(`Progress of ${options.filename}: ${value.kind}${value.kind === 'end' ? '' : ` ${value.stage}${value.kind === 'report' && value.step ? `/${value.step}` : ''}`}${value.message ? ` — ${value.message}` : ''}`);
    notification.update(value);
    options.onProgress?.(value);
    ctx.history.refreshSoon();
  });
  const done = ctx.runningJobs.begin(options.filename);
  try {
    return await ctx.server.request(CreateJobRequest.type, { transactionId, explicit: true, workDoneToken, force: options.force === true }, cancellation.token);
  } finally {
    done();
    listening.dispose();
    notification.dispose();
    cancellation.dispose();
  }
}
