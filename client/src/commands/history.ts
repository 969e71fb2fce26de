import * as vscode from 'vscode';
import { GetJobRequest, ListJobsRequest, RollbackJobRequest } from '../../../server/src/protocol';
import type { JobJson as JobRecord, JobStatus } from '../../../server/src/protocol';
import type { CmdFactory, Ctx } from '../context';
import { jobDetailsMarkdown } from '../history/jobDetailsText';
import { JobNode } from '../history/historyTree';
import { toUserFacingError } from '../languageClient/serverErrors';
import { VIRTUAL_SCHEME } from '../ui/virtualDocuments';
import { jobLabel } from '../ui/format';
import { showError } from '../ui/notify';
import { openOutput } from '../ui/openOutput';
import { jobArgs, parseArgs, rollbackArgs } from './args';
import { CANCELLED, retryJob, type ExportOutcome } from './exportFlow';

/**
 * What can be done with one job — from the Export History view (the tree
 * item is the argument), from executeCommand (`{jobId}`), or from the
 * palette (a QuickPick of the jobs it applies to).
 */

const PICK_LIMIT = 200;

export type RollbackOutcome = { status: 'rolled_back'; jobId: string } | { status: 'cancelled' } | { status: 'failed'; code: string; message: string };

const NOT_ROLLED_BACK: RollbackOutcome = { status: 'cancelled' };

/** The job a command is about: the tree item it was run on, `{jobId}`, or one picked from the jobs with `status`. */
async function jobFrom(ctx: Ctx, arg: unknown, command: string, pick?: { title: string; status: JobStatus }): Promise<JobRecord | undefined> {
  if (arg instanceof JobNode) return arg.job;
  const { jobId } = parseArgs(jobArgs, arg, command);
  if (jobId) return ctx.server.request(GetJobRequest.type, { jobId });
  return pick ? pickJob(ctx, pick.title, pick.status) : undefined;
}

async function pickJob(ctx: Ctx, title: string, status: JobStatus): Promise<JobRecord | undefined> {
  const { jobs } = await ctx.server.request(ListJobsRequest.type, { limit: PICK_LIMIT, status });
  if (jobs.length === 0) {
    void vscode.window.showInformationMessage(status === 'failed' ? 'No failed exports to retry.' : 'No completed exports to roll back.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    jobs.map((job) => ({ ...jobLabel(job), job })),
    { title, placeHolder: 'Type to filter by file, destination or title', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.job;
}

/** Show Export History: the view in its own activity-bar container. */
export const showHistory: CmdFactory = (ctx) => async (): Promise<{ status: 'shown' }> => {
  await ctx.history.reveal();
  return { status: 'shown' };
};

/** The job and its audit trail, readable (Markdown), and kept current while it changes (jobsChanged). */
export const showJobDetails: CmdFactory = (ctx) => async (arg?: unknown): Promise<unknown> => {
  const job = await jobFrom(ctx, arg, 'Show Details');
  if (!job) return CANCELLED;
  const uri = await writeJobDetails(ctx, job.job_id);
  keepJobDetailsCurrent(ctx);
  await vscode.window.showTextDocument(uri, { preview: true });
  return { status: 'shown', uri: uri.toString() };
};

async function writeJobDetails(ctx: Ctx, jobId: string): Promise<vscode.Uri> {
  const details = await ctx.server.request(GetJobRequest.type, { jobId });
  return ctx.documents.put(`/jobs/${jobId}.md`, jobDetailsMarkdown(details));
}

/** One listener per extension context: a job whose details are open is written again when the server says it changed. */
const keeping = new WeakSet<Ctx>();
function keepJobDetailsCurrent(ctx: Ctx): void {
  if (keeping.has(ctx)) return;
  keeping.add(ctx);
  ctx.extension.subscriptions.push(
    ctx.server.onJobsChanged(({ jobId }) => {
      const open = vscode.workspace.textDocuments.some((d) => d.uri.scheme === VIRTUAL_SCHEME && d.uri.path === `/jobs/${jobId}.md`);
      if (open) void writeJobDetails(ctx, jobId).catch((thrown: unknown) => ctx.logger.warn(`Job details of ${jobId} not refreshed: ${toUserFacingError(thrown).message}`));
    }),
  );
}

export const openExportOutput: CmdFactory = (ctx) => async (arg?: unknown): Promise<unknown> => {
  const job = await jobFrom(ctx, arg, 'Open Output');
  if (!job) return CANCELLED;
  if (job.status !== 'completed' || !(await openOutput(job))) {
    void vscode.window.showInformationMessage(`"${job.filename}" has no output to open (${job.status.replace('_', ' ')}).`);
    return CANCELLED;
  }
  return { status: 'opened' };
};

export const copyContentHash: CmdFactory = (ctx) => async (arg?: unknown): Promise<unknown> => {
  const job = await jobFrom(ctx, arg, 'Copy Content Hash');
  if (!job?.content_hash) return CANCELLED;
  await vscode.env.clipboard.writeText(job.content_hash);
  vscode.window.setStatusBarMessage(`$(check) Copied the content hash of ${job.filename}`, 3000);
  return { status: 'copied', hash: job.content_hash };
};

export const retryExport: CmdFactory = (ctx) => async (arg?: unknown): Promise<ExportOutcome> => {
  const accept = arg instanceof JobNode ? false : parseArgs(jobArgs, arg, 'Retry Export').accept === true;
  const job = await jobFrom(ctx, arg, 'Retry Export', { title: 'DevGuide Export: Retry a failed export', status: 'failed' });
  if (!job) return CANCELLED;
  return retryJob(ctx, job.job_id, { accept });
};

export const rollbackExport: CmdFactory = (ctx) => async (arg?: unknown): Promise<RollbackOutcome> => {
  const confirmed = arg instanceof JobNode ? false : parseArgs(rollbackArgs, arg, 'Roll Back Export').confirm === true;
  const job = await jobFrom(ctx, arg, 'Roll Back Export', { title: 'DevGuide Export: Roll back an export', status: 'completed' });
  if (!job) return NOT_ROLLED_BACK;
  const outcome = await rollback(ctx, job, { confirmed });
  ctx.history.refresh();
  return outcome;
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
