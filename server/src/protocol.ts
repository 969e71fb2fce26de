/**
 * Every custom LSP message between the extension and the language server,
 * declared once (DESIGN.md §9). Methods are `devguide/<verb><Noun>`; errors
 * are ResponseErrors whose `data` is an ErrorInfo `{code, message, details,
 * recoverable}`. Shared by client/ and server/: no `vscode` import here.
 */
import { NotificationType, ProgressType, RequestType } from 'vscode-jsonrpc';
import type { ReviewJson } from './bin/review';
import type { ErrorInfo } from './errors';
import type { ExportChoices } from './model';
import type { LineRange } from './sources/messagesAtLines';
import type { AuditEvent, JobRecord, JobStatus } from './store/types';
import type { TemplateSummary } from './templates/types';

/** Where the selection comes from. */
export type ExportSourceParams =
  | { kind: 'file'; path: string }
  | { kind: 'editor'; path: string; languageId?: string; ranges: { startLine: number; endLine: number; text: string }[] };

export interface ExportRequestParams extends ExportChoices {
  source: ExportSourceParams;
}

/**
 * The request a job came from, rebuilt from its record: what Retry Export
 * previews again (the server's devguide/retryJob and the client's panel).
 */
export function exportRequestOfJob(job: JobRecord): ExportRequestParams {
  return {
    source: { kind: 'file', path: job.source },
    sessionId: job.session_id,
    messageIds: job.message_ids,
    ...(job.block_ids ? { blockIds: job.block_ids } : {}),
    template: job.template_id,
    destination: job.destination_id,
    filename: job.filename,
    title: job.title,
  };
}

export interface PreviewStatistics {
  file_size_bytes: number;
  token_count: number;
  line_count: number;
  message_count: number;
  block_count: number;
  stages_ms: Record<string, number>;
}

export interface PreviewResult {
  transaction_id: string;
  filename: string;
  template_id: string;
  destination_id: string;
  session_id: string;
  output: string;
  content: string;
  existing_content: string | null;
  preview_lines: string[];
  more_lines: number;
  statistics: PreviewStatistics;
  metadata: Record<string, unknown>;
  is_update: boolean;
  diff: { unified: string; additions: number; deletions: number; truncated: boolean } | null;
  validation: { valid: boolean; errors: { code: string; message: string; field?: string }[]; warnings: { code: string; message: string }[] };
  review: ReviewJson;
}

export interface SessionsResult {
  format: string;
  sessions: {
    id: string;
    title: string | null;
    messages: {
      id: string;
      role: string;
      created_at: string;
      agent_id: string | null;
      surface: string;
      line?: number;
      preview: string;
      blocks: { id: string; kind: string; preview: string }[];
    }[];
  }[];
}

export interface DestinationSummary {
  id: string;
  type: string;
  name: string;
  workspaceDefined: boolean;
  /** Disabled in Restricted Mode; `reason` says why. */
  enabled: boolean;
  reason?: string;
  risk: 'low' | 'medium' | 'high' | 'critical';
  remote: boolean;
  /** The credentials this destination asks for (devguide/getSecret's `field`), and how to ask a person for them. */
  secretFields: { field: string; label: string; prompt: string; placeHolder: string; json?: boolean }[];
}

export interface JobWithAudit {
  job: JobRecord;
  audit: AuditEvent[];
}

/** Server → client settings: the `devguideExport` section, plus trust and identity. */
export interface ClientContext {
  workspaceRoot: string;
  trusted: boolean;
  workspaceDestinationIds: string[];
}

export namespace ListTemplatesRequest {
  export const method = 'devguide/listTemplates';
  export const type = new RequestType<Record<string, never>, TemplateSummary[], ErrorInfo>(method);
}

export namespace ListDestinationsRequest {
  export const method = 'devguide/listDestinations';
  export const type = new RequestType<Record<string, never>, DestinationSummary[], ErrorInfo>(method);
}

export namespace TestDestinationRequest {
  export const method = 'devguide/testDestination';
  export const type = new RequestType<{ destinationId: string }, { ok: boolean; message: string; latencyMs: number }, ErrorInfo>(method);
}

export namespace ListSessionsRequest {
  export const method = 'devguide/listSessions';
  export const type = new RequestType<{ path: string }, SessionsResult, ErrorInfo>(method);
}

/** 1-based, inclusive lines of a file. */
export type { LineRange } from './sources/messagesAtLines';

export interface MessagesAtLinesResult {
  /** Sessions of the transcript that have messages (0: nothing to export from it). */
  sessionCount: number;
  /** The messages under the lines (one session's), or null when no message lies under them. */
  match: { sessionId: string; title: string | null; messageIds: string[]; otherSessionIds: string[] } | null;
}

/**
 * The messages of a transcript file under an editor selection's lines —
 * what Export Selection needs, without sending every message to the client.
 * A file that is not a transcript answers UNKNOWN_FORMAT / INVALID_INPUT.
 */
export namespace FindMessagesAtLinesRequest {
  export const method = 'devguide/findMessagesAtLines';
  export const type = new RequestType<{ path: string; ranges: LineRange[] }, MessagesAtLinesResult, ErrorInfo>(method);
}

/** Stages 1–4 and the Bin's preflight; the review stays pending until accepted or rejected. */
export namespace PreviewExportRequest {
  export const method = 'devguide/previewExport';
  export const type = new RequestType<ExportRequestParams, PreviewResult, ErrorInfo>(method);
}

/** The export pipeline's stages, in order. */
export const STAGES = ['assemble', 'transform', 'validate', 'preview', 'publish'] as const;
export type Stage = (typeof STAGES)[number];

/** A job's progress, on the `workDoneToken` the client gave devguide/createJob. */
export type JobProgressValue =
  | { kind: 'begin'; title: string; stage: Stage; message?: string; percentage?: number; cancellable?: boolean }
  | { kind: 'report'; stage: Stage; step?: 'write' | 'commit'; message?: string; percentage?: number }
  | { kind: 'end'; message?: string };

export namespace JobProgress {
  export const type = new ProgressType<JobProgressValue>();
}

/** Accept a pending review and run the job (progress: JobProgress on `workDoneToken`). */
export namespace CreateJobRequest {
  export const method = 'devguide/createJob';
  export const type = new RequestType<{ transactionId: string; explicit: boolean; workDoneToken?: string | number }, { job: JobRecord; error?: ErrorInfo }, ErrorInfo>(method);
}

export namespace RejectReviewRequest {
  export const method = 'devguide/rejectReview';
  export const type = new RequestType<{ transactionId: string; reason?: string }, null, ErrorInfo>(method);
}

export namespace GetJobRequest {
  export const method = 'devguide/getJob';
  export const type = new RequestType<{ jobId: string }, JobWithAudit, ErrorInfo>(method);
}

export namespace ListJobsRequest {
  export const method = 'devguide/listJobs';
  export const type = new RequestType<{ status?: JobStatus; destinationId?: string; limit?: number; offset?: number }, JobRecord[], ErrorInfo>(method);
}

export namespace RollbackJobRequest {
  export const method = 'devguide/rollbackJob';
  export const type = new RequestType<{ jobId: string }, JobRecord, ErrorInfo>(method);
}

/** Re-run a failed job's request: returns a fresh preview + review. */
export namespace RetryJobRequest {
  export const method = 'devguide/retryJob';
  export const type = new RequestType<{ jobId: string }, PreviewResult, ErrorInfo>(method);
}

/** Server → client: a credential for a destination, from SecretStorage. Never cached by the server beyond one job. */
export namespace GetSecretRequest {
  export const method = 'devguide/getSecret';
  export const type = new RequestType<{ destinationId: string; field: string }, { value: string | null }, ErrorInfo>(method);
}

/** Server → client: the job store changed (live Export History). */
export namespace JobsChangedNotification {
  export const method = 'devguide/jobsChanged';
  export const type = new NotificationType<{ jobId: string; status: JobStatus }>(method);
}

/** Client → server: Workspace Trust was granted (or the workspace's destination ids changed). */
export namespace DidChangeTrustNotification {
  export const method = 'devguide/didChangeTrust';
  export const type = new NotificationType<{ trusted: boolean; workspaceDestinationIds: string[] }>(method);
}

/** Sent by the client in `initialize`. */
export interface InitializationOptions {
  trusted: boolean;
  workspaceDestinationIds: string[];
  actor?: string;
}

/** The `code` of every ResponseError the server sends; `data` carries the ErrorInfo. */
export const EXPORT_ERROR_RESPONSE_CODE = -32803; // LSP RequestFailed

/** A template or destination change for the Bin's review (seed §5.1). */
export type ChangeParams =
  | { kind: 'template'; type: 'CreateTemplate' | 'UpdateTemplate'; id: string; text: string }
  | { kind: 'destination'; type: 'CreateDestination' | 'UpdateDestination'; config: unknown; workspaceDefined: boolean };

export namespace ReviewChangeRequest {
  export const method = 'devguide/reviewChange';
  export const type = new RequestType<ChangeParams, ReviewJson, ErrorInfo>(method);
}

/** Accept a reviewed change: a template is written and committed; a destination's validated config is returned for the client to save. */
export namespace ApplyChangeRequest {
  export const method = 'devguide/applyChange';
  export const type = new RequestType<
    { transactionId: string; explicit: boolean },
    { kind: 'template'; path: string } | { kind: 'destination'; config: Record<string, unknown> },
    ErrorInfo
  >(method);
}

/** The client saved (or failed to save) an accepted destination change: commit or roll back. */
export namespace FinishChangeRequest {
  export const method = 'devguide/finishChange';
  export const type = new RequestType<{ transactionId: string; ok: boolean; message?: string }, null, ErrorInfo>(method);
}

/** Many exports as one operation (seed §8.3), step 1: review them all at once. */
export namespace ReviewBatchRequest {
  export const method = 'devguide/reviewBatch';
  export const type = new RequestType<
    { exports: ExportRequestParams[]; concurrency?: number },
    {
      batch_id: string;
      items: { index: number; filename?: string; review?: ReviewJson; error?: ErrorInfo }[];
    },
    ErrorInfo
  >(method);
}

/** Step 2: publish the accepted exports (all, or the listed transactions), each its own job; work-done progress per export. */
export namespace RunBatchRequest {
  export const method = 'devguide/runBatch';
  export const type = new RequestType<
    { batchId: string; acceptAll: boolean; transactionIds?: string[]; concurrency?: number },
    {
      batch_id: string;
      total: number;
      successful: number;
      failed: number;
      results: { index: number; status: string; source: string; filename?: string; job_id?: string; output_location?: string; review?: ReviewJson; error?: ErrorInfo }[];
    },
    ErrorInfo
  >(method);
}
