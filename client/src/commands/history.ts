import * as vscode from 'vscode';
import { GetJobRequest, ListJobsRequest, RollbackJobRequest } from '../../../server/src/protocol';
import type { JobRecord, JobStatus } from '../../../server/src/store/types';
import type { CmdFactory, Ctx } from '../context';
import { jobLabel } from '../ui/format';
import { showError } from '../ui/notify';
import { openOutput, openOutputLabel } from '../ui/openOutput';
import { jobArgs, parseArgs, rollbackArgs } from './args';
import { CANCELLED, retryJob, type ExportOutcome } from './exportFlow';

/**
 * Export history until the history view lands: a QuickPick of jobs, then
 * what can be done with one (open, details, retry, roll back).
 */

const HISTORY_LIMIT = 200;

export type RollbackOutcome = { status: 'rolled_back'; jobId: string } | { status: 'cancelled' } | { status: 'failed'; code: string; message: string };

const NOT_ROLLED_BACK: RollbackOutcome = { status: 'cancelled' };

async function pickJob(ctx: Ctx, title: string, status?: JobStatus): Promise<JobRecord | undefined> {
  const jobs = await ctx.server.request(ListJobsRequest.type, { limit: HISTORY_LIMIT, ...(status ? { status } : {}) });
  if (jobs.length === 0) {
    const none = status === 'failed' ? 'No failed exports to retry.' : status === 'completed' ? 'No completed exports to roll back.' : 'No exports yet.';
    void vscode.window.showInformationMessage(none);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    jobs.map((job) => ({ ...jobLabel(job), job })),
    { title, placeHolder: 'Type to filter by file, destination or title', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.job;
}

export const showHistory: CmdFactory = (ctx) => async (): Promise<unknown> => {
  const job = await pickJob(ctx, 'DevGuide Export: History');
  if (!job) return CANCELLED;
  type Action = 'open' | 'details' | 'retry' | 'rollback';
  const open = openOutputLabel(job);
  const actions: (vscode.QuickPickItem & { action: Action })[] = [
    ...(open && job.status === 'completed' ? [{ label: `$(go-to-file) ${open}`, action: 'open' as const }] : []),
    { label: '$(json) Show Details', description: 'job record and audit trail', action: 'details' },
    ...(job.status === 'failed' ? [{ label: '$(refresh) Retry Export', description: job.error_message ?? '', action: 'retry' as const }] : []),
    ...(job.status === 'completed' ? [{ label: '$(discard) Roll Back Export', action: 'rollback' as const }] : []),
  ];
  const picked = await vscode.window.showQuickPick(actions, { title: `DevGuide Export: ${job.filename}`, placeHolder: jobLabel(job).detail });
  switch (picked?.action) {
    case 'open':
      return openOutput(job);
    case 'details':
      return showDetails(ctx, job.job_id);
    case 'retry':
      return retryJob(ctx, job.job_id, { accept: false });
    case 'rollback':
      return rollback(ctx, job, { confirmed: false });
    default:
      return CANCELLED;
  }
};

async function showDetails(ctx: Ctx, jobId: string): Promise<vscode.Uri> {
  const details = await ctx.server.request(GetJobRequest.type, { jobId });
  const uri = ctx.documents.put(`/jobs/${jobId}.json`, `${JSON.stringify(details, null, 2)}\n`);
  await vscode.window.showTextDocument(uri, { preview: true });
  return uri;
}

export const retryExport: CmdFactory = (ctx) => async (arg?: unknown): Promise<ExportOutcome> => {
  const args = parseArgs(jobArgs, arg, 'Retry Export');
  const jobId = args.jobId ?? (await pickJob(ctx, 'DevGuide Export: Retry a failed export', 'failed'))?.job_id;
  if (!jobId) return CANCELLED;
  return retryJob(ctx, jobId, { accept: args.accept === true });
};

export const rollbackExport: CmdFactory = (ctx) => async (arg?: unknown): Promise<RollbackOutcome> => {
  const args = parseArgs(rollbackArgs, arg, 'Roll Back Export');
  const job = args.jobId
    ? (await ctx.server.request(GetJobRequest.type, { jobId: args.jobId })).job
    : await pickJob(ctx, 'DevGuide Export: Roll back an export', 'completed');
  if (!job) return NOT_ROLLED_BACK;
  return rollback(ctx, job, { confirmed: args.confirm === true });
};

async function rollback(ctx: Ctx, job: JobRecord, options: { confirmed: boolean }): Promise<RollbackOutcome> {
  if (!options.confirmed) {
    const action = job.action === 'UPDATE' ? 'restores the previous content' : 'removes what the export created';
    const choice = await vscode.window.showWarningMessage(
      `Roll back "${job.filename}" in ${job.destination_id}?`,
      { modal: true, detail: `This ${action} (${job.output_location ?? job.output_url ?? job.filename}). The audit log keeps a record.` },
      'Roll Back',
    );
    if (choice !== 'Roll Back') return NOT_ROLLED_BACK;
  }
  try {
    const rolled = await ctx.server.request(RollbackJobRequest.type, { jobId: job.job_id });
    ctx.logger.info(`Rolled back job ${rolled.job_id} (${rolled.filename}).`);
    void vscode.window.showInformationMessage(`Rolled back "${rolled.filename}".`);
    return { status: 'rolled_back', jobId: rolled.job_id };
  } catch (thrown) {
    const error = showError(ctx, thrown, { prefix: `Roll back of "${job.filename}" failed` });
    return { status: 'failed', code: error.code, message: error.message };
  }
}
