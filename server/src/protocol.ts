/**
 * The client ↔ language server boundary (DESIGN.md §9), declared once: every
 * custom request, notification and result as a zod schema, types inferred
 * from them. Methods are `devguide/<verb><Noun>`; a failed request is a
 * ResponseError whose `data` is an ErrorInfo. The server checks params with
 * these schemas; the CLI's `--json` prints the same result shapes (seed §10).
 * Imports nothing from the server's internals.
 */
import { NotificationType, ProgressType, RequestType } from 'vscode-jsonrpc';
import { z } from 'zod';
import { EXPORT_LIMITS as L, ID_PATTERN, ID_RULE, META_KEY_PATTERN, PUBLISH_STEPS, RISK_LEVELS, STAGES } from './protocolLimits';

export * from './protocolLimits';

const id = z.string().min(1).max(L.id);
const idList = z.array(id).max(L.ids);
const timestamp = z.iso.datetime({ offset: true });
const riskLevel = z.enum(RISK_LEVELS);
const action = z.enum(['CREATE', 'UPDATE']);

// ---------------------------------------------------------------- errors

/** The `data` of every ResponseError; also the CLI's `error` object. */
export const errorInfoSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  recoverable: z.boolean(),
});
export type ErrorJson = z.infer<typeof errorInfoSchema>;
/** The `code` of every ResponseError the server sends (LSP RequestFailed). */
export const EXPORT_ERROR_RESPONSE_CODE = -32803;

// ---------------------------------------------------------------- export requests

const lineRangeFields = { startLine: z.number().int().min(1), endLine: z.number().int().min(1) };
const inOrder = (r: { startLine: number; endLine: number }) => r.endLine >= r.startLine;
/** 1-based, inclusive lines of a file. */
export const lineRangeSchema = z.object(lineRangeFields).refine(inOrder, { message: 'endLine is before startLine', path: ['endLine'] });
export type LineRange = z.infer<typeof lineRangeSchema>;

/** Where an export's messages come from: a transcript file, or text selected in an editor. */
export const exportSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: z.string().min(1).max(4096) }),
  z.object({
    kind: z.literal('editor'),
    path: z.string().min(1).max(4096),
    languageId: z.string().max(L.id).optional(),
    ranges: z.array(z.object({ ...lineRangeFields, text: z.string() }).refine(inOrder, { message: 'endLine is before startLine', path: ['endLine'] })).min(1),
  }),
]);
export type ExportSource = z.infer<typeof exportSourceSchema>;

/** What to export and how: the fields the CLI's flags, a batch plan entry and the review panel all fill. */
export const exportChoicesSchema = z.object({
  sessionId: id.optional(),
  messageIds: idList.optional(),
  blockIds: idList.optional(),
  template: z.string().min(1).max(L.templateRef).optional(),
  destination: z.string().regex(ID_PATTERN, ID_RULE).optional(),
  filename: z.string().min(1).max(L.filename).optional(),
  title: z.string().max(L.title).optional(),
  author: z.string().max(L.author).optional(),
  tags: z.array(z.string().max(L.tag)).max(L.tags).optional(),
  meta: z
    .record(z.string().max(L.metaKey).regex(META_KEY_PATTERN), z.string().max(L.metaValue))
    .refine((meta) => Object.keys(meta).length <= L.metaEntries, `at most ${L.metaEntries} custom fields`)
    .optional(),
  /** Replace secret findings with `[REDACTED:<rule>]` before review. */
  redact: z.boolean().optional(),
});
export type ExportChoices = z.infer<typeof exportChoicesSchema>;

export const exportRequestSchema = exportChoicesSchema.extend({ source: exportSourceSchema });
export type ExportRequestParams = z.infer<typeof exportRequestSchema>;

/** The request a job came from, rebuilt from its record: what Retry previews again (server and review panel). */
export function exportRequestOfJob(job: {
  source: string;
  session_id: string;
  message_ids: string[];
  block_ids?: string[] | undefined;
  template_id: string;
  destination_id: string;
  filename: string;
  title: string;
}): ExportRequestParams {
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

// ---------------------------------------------------------------- result shapes (seed §10)

export const reviewJsonSchema = z.object({
  transaction_id: z.string(),
  risk_level: riskLevel,
  action,
  affected_resources: z.array(z.string()),
  token_cost: z.number(),
  warnings: z.array(z.object({ code: z.string(), message: z.string(), line: z.number().optional() })),
  blocked: z.boolean(),
  reason: z.string().nullable(),
  reason_message: z.string().nullable(),
  requires_accept: z.boolean(),
});
export type ReviewJson = z.infer<typeof reviewJsonSchema>;

const issue = z.object({ code: z.string(), message: z.string(), field: z.string().optional() });

export const previewResultSchema = z.object({
  transaction_id: z.string(),
  filename: z.string(),
  template_id: z.string(),
  destination_id: z.string(),
  destination: z.object({ id: z.string(), name: z.string(), type: z.string() }),
  session_id: z.string(),
  output: z.string(),
  content: z.string(),
  /** The first lines of the output (seed §10.4), also as lines. */
  content_preview: z.string(),
  preview_lines: z.array(z.string()),
  more_lines: z.number(),
  existing_content: z.string().nullable(),
  statistics: z.object({
    file_size_bytes: z.number(),
    token_count: z.number(),
    char_count: z.number(),
    line_count: z.number(),
    message_count: z.number(),
    block_count: z.number(),
    duration_ms: z.number().optional(),
    stages_ms: z.record(z.string(), z.number()),
  }),
  metadata: z.record(z.string(), z.unknown()),
  is_update: z.boolean(),
  diff: z.object({ unified: z.string(), additions: z.number(), deletions: z.number(), truncated: z.boolean() }).nullable(),
  validation: z.object({ passed: z.boolean(), valid: z.boolean(), errors: z.array(issue), warnings: z.array(issue) }),
  review: reviewJsonSchema,
});
export type PreviewResult = z.infer<typeof previewResultSchema>;

/** The fields of an export job as the store keeps them (seed §10.1, snake_case). */
export const jobRecordFields = {
  status: z.enum(['queued', 'running', 'completed', 'failed', 'rolled_back']),
  source: z.string(),
  /** `file` or `editor`; a selection of editor text cannot be retried from the record. */
  source_type: z.enum(['file', 'editor']).optional(),
  session_id: z.string(),
  message_ids: z.array(z.string()),
  block_ids: z.array(z.string()).optional(),
  template_id: z.string(),
  destination_id: z.string(),
  destination_type: z.string().optional(),
  /** The destination's settings as exported to (never secrets): rollback needs them when settings or `--out` differ later. */
  destination_config: z.record(z.string(), z.unknown()).optional(),
  filename: z.string(),
  title: z.string(),
  content_hash: z.string().optional(),
  token_count: z.number().int().nonnegative().optional(),
  char_count: z.number().int().nonnegative().optional(),
  output_location: z.string().optional(),
  output_url: z.string().optional(),
  action: action.optional(),
  /** What the destination needs to undo this export (locations, never content). */
  rollback: z
    .object({ location: z.string(), action, previous: z.string().optional(), extra: z.record(z.string(), z.string()).optional() })
    .optional(),
  transaction_id: z.string().optional(),
  batch_id: z.string().optional(),
  risk_level: z.string().optional(),
  error_code: z.string().optional(),
  error_message: z.string().optional(),
  retry_count: z.number().int().nonnegative(),
  created_at: timestamp,
  started_at: timestamp.optional(),
  completed_at: timestamp.optional(),
  duration_ms: z.number().nonnegative().optional(),
  stages_ms: z.record(z.string(), z.number()).optional(),
};
export type JobStatus = z.infer<typeof jobRecordFields.status>;

/** A job as the CLI prints it and the server returns it: the record plus the seed's nested views. */
export const jobJsonSchema = z.object({
  id: z.string(),
  job_id: z.string(),
  ...jobRecordFields,
  template: z.object({ id: z.string(), name: z.string() }),
  destination: z.object({ id: z.string(), name: z.string(), type: z.string() }),
  statistics: z.object({ token_count: z.number().nullable(), char_count: z.number().nullable(), duration_ms: z.number().nullable() }),
});
export type JobJson = z.infer<typeof jobJsonSchema>;

export const auditEventSchema = z.object({
  event_id: z.string(),
  timestamp: z.string(),
  action: z.string(),
  resource: z.string(),
  status: z.enum(['success', 'failure', 'pending', 'blocked']),
  job_id: z.string().optional(),
  transaction_id: z.string().optional(),
  actor: z.string(),
  metadata: z.record(z.string(), z.unknown()),
});

export const jobDetailsSchema = jobJsonSchema.extend({ audit_events: z.array(auditEventSchema) });
export type JobDetails = z.infer<typeof jobDetailsSchema>;

export const jobListSchema = z.object({
  jobs: z.array(jobJsonSchema),
  pagination: z.object({ total: z.number(), limit: z.number(), offset: z.number(), has_more: z.boolean() }),
});
export type JobList = z.infer<typeof jobListSchema>;

/** The result of running an accepted export: the job, and the error when it failed. */
export const jobRunSchema = z.object({ job: jobJsonSchema, error: errorInfoSchema.optional() });
export type JobRun = z.infer<typeof jobRunSchema>;

export const templateSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  output: z.string(),
  extension: z.string(),
  file_extension: z.string(),
  type: z.enum(['builtin', 'custom']),
  source: z.enum(['builtin', 'workspace']),
  path: z.string(),
  /** False when the file has errors; `problem` says the first one. */
  valid: z.boolean(),
  problem: z.string().optional(),
  overridesBuiltin: z.boolean().optional(),
  /** False in Restricted Mode for workspace templates (they are code); `reason` says why. */
  enabled: z.boolean(),
  reason: z.string().optional(),
});
export type TemplateSummary = z.infer<typeof templateSummarySchema>;

/** A credential a destination type needs, and how to ask a person for it. */
export const secretFieldSchema = z.object({
  field: z.string(),
  label: z.string(),
  prompt: z.string(),
  placeHolder: z.string(),
  /** JSON documents (OAuth client / token) must parse. */
  json: z.boolean().optional(),
});
export type SecretField = z.infer<typeof secretFieldSchema>;

export const destinationSummarySchema = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  risk: riskLevel,
  remote: z.boolean(),
  secretFields: z.array(secretFieldSchema),
  workspaceDefined: z.boolean(),
  /** False in Restricted Mode for destinations the workspace defines; `reason` says why. */
  enabled: z.boolean(),
  reason: z.string().optional(),
});
export type DestinationSummary = z.infer<typeof destinationSummarySchema>;

const sessionsResultSchema = z.object({
  format: z.string(),
  sessions: z.array(
    z.object({
      id: z.string(),
      title: z.string().nullable(),
      messages: z.array(
        z.object({
          id: z.string(),
          role: z.string(),
          created_at: z.string(),
          agent_id: z.string().nullable(),
          surface: z.string(),
          line: z.number().optional(),
          preview: z.string(),
          blocks: z.array(z.object({ id: z.string(), kind: z.string(), preview: z.string() })),
        }),
      ),
    }),
  ),
});
export type SessionsResult = z.infer<typeof sessionsResultSchema>;

const messagesAtLinesSchema = z.object({
  /** Sessions of the transcript that have messages (0: nothing to export from it). */
  sessionCount: z.number(),
  /** The messages under the lines (one session's), or null when no message lies under them. */
  match: z
    .object({ sessionId: z.string(), title: z.string().nullable(), messageIds: z.array(z.string()), otherSessionIds: z.array(z.string()) })
    .nullable(),
});
export type MessagesAtLinesResult = z.infer<typeof messagesAtLinesSchema>;

/** A template or destination change for the Bin's review (seed §5.1). */
export const changeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('template'),
    type: z.enum(['CreateTemplate', 'UpdateTemplate']),
    id: z.string().regex(ID_PATTERN, ID_RULE),
    text: z.string().max(256 * 1024),
  }),
  z.object({
    kind: z.literal('destination'),
    type: z.enum(['CreateDestination', 'UpdateDestination']),
    config: z.unknown(),
    workspaceDefined: z.boolean(),
  }),
]);
export type ChangeParams = z.infer<typeof changeSchema>;

const appliedChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('template'), path: z.string() }),
  z.object({ kind: z.literal('destination'), config: z.record(z.string(), z.unknown()) }),
]);

/** Job progress on the `workDoneToken` the client sends with createJob: the stage, said explicitly. */
export const jobProgressSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('begin'),
    title: z.string(),
    stage: z.enum(STAGES),
    message: z.string().optional(),
    percentage: z.number().optional(),
    cancellable: z.boolean().optional(),
  }),
  z.object({ kind: z.literal('report'), stage: z.enum(STAGES), step: z.enum(PUBLISH_STEPS).optional(), message: z.string().optional(), percentage: z.number().optional() }),
  z.object({ kind: z.literal('end'), message: z.string().optional() }),
]);
export type JobProgressValue = z.infer<typeof jobProgressSchema>;

export const initializationOptionsSchema = z
  .object({ trusted: z.boolean().default(false), workspaceDestinationIds: z.array(z.string()).default([]), actor: z.string().optional() })
  .prefault({});
export type InitializationOptions = z.input<typeof initializationOptionsSchema>;

// ---------------------------------------------------------------- messages

/** A request: its method, the schemas of its params and result, and the JSON-RPC type both sides register. */
function request<P extends z.ZodType, R extends z.ZodType>(method: string, params: P, result: R) {
  return { method, params, result, type: new RequestType<z.infer<P>, z.infer<R>, z.infer<typeof errorInfoSchema>>(method) };
}
function notification<P extends z.ZodType>(method: string, params: P) {
  return { method, params, type: new NotificationType<z.infer<P>>(method) };
}
export type RequestDescriptor<P, R> = { method: string; params: z.ZodType<P, unknown>; result: z.ZodType<R, unknown>; type: RequestType<P, R, unknown> };

const none = z.object({}).strict().optional();
const jobId = z.object({ jobId: id });
const transaction = z.object({ transactionId: id, explicit: z.boolean().default(false) });

/** The templates: built-in and the workspace's, with their problems and availability. */
export const ListTemplatesRequest = request('devguide/listTemplates', none, z.array(templateSummarySchema));
/** The destinations: configured ones plus the default local one, with risk and credential fields. */
export const ListDestinationsRequest = request('devguide/listDestinations', none, z.array(destinationSummarySchema));
/** Checks that a destination can be reached with its credentials. */
export const TestDestinationRequest = request(
  'devguide/testDestination',
  z.object({ destinationId: id }),
  z.object({ ok: z.boolean(), message: z.string(), latencyMs: z.number() }),
);
/** The sessions and messages of a transcript file. */
export const ListSessionsRequest = request('devguide/listSessions', z.object({ path: z.string().min(1) }), sessionsResultSchema);
/** The messages of a transcript file under an editor selection's lines. */
export const FindMessagesAtLinesRequest = request(
  'devguide/findMessagesAtLines',
  z.object({ path: z.string().min(1), ranges: z.array(lineRangeSchema).min(1) }),
  messagesAtLinesSchema,
);
/** Stages 1–4 and the Bin's preflight; the review stays open until accepted or rejected. */
export const PreviewExportRequest = request('devguide/previewExport', exportRequestSchema, previewResultSchema);
/** Accept an open review and publish it; progress (JobProgress) on `workDoneToken`; cancel the request to stop it. */
export const CreateJobRequest = request(
  'devguide/createJob',
  transaction.extend({ workDoneToken: z.union([z.string(), z.number()]).optional() }),
  jobRunSchema,
);
export const RejectReviewRequest = request('devguide/rejectReview', z.object({ transactionId: id, reason: z.string().max(1000).optional() }), z.null());
export const GetJobRequest = request('devguide/getJob', jobId, jobDetailsSchema);
export const ListJobsRequest = request(
  'devguide/listJobs',
  z
    .object({
      status: jobRecordFields.status.optional(),
      destinationId: z.string().optional(),
      limit: z.number().int().min(1).max(10_000).optional(),
      offset: z.number().int().min(0).optional(),
    })
    .optional(),
  jobListSchema,
);
/** Undo a completed export (a created file deleted, an updated one restored). */
export const RollbackJobRequest = request('devguide/rollbackJob', jobId, jobJsonSchema);
/** Preview a failed job's request again: a fresh preview and review. */
export const RetryJobRequest = request('devguide/retryJob', jobId, previewResultSchema);
/** Template or destination change, step 1: the Bin's review. */
export const ReviewChangeRequest = request('devguide/reviewChange', changeSchema, reviewJsonSchema);
/** Step 2, accept: a template is written and committed; a destination's checked config comes back for the client to save. */
export const ApplyChangeRequest = request('devguide/applyChange', transaction, appliedChangeSchema);
/** Step 3 for destinations: the client saved (or failed to save) the settings; commit or roll back. */
export const FinishChangeRequest = request(
  'devguide/finishChange',
  z.object({ transactionId: id, ok: z.boolean(), message: z.string().max(1000).optional() }),
  z.null(),
);
/** Server → client: a destination credential from SecretStorage; the server never keeps it beyond one use. */
export const GetSecretRequest = request('devguide/getSecret', z.object({ destinationId: id, field: id }), z.object({ value: z.string().nullable() }));

/** Server → client: the job store changed (live Export History). */
export const JobsChangedNotification = notification('devguide/jobsChanged', z.object({ jobId: z.string(), status: jobRecordFields.status }));
/** Client → server: Workspace Trust changed, or the workspace's destination ids did. */
export const DidChangeTrustNotification = notification(
  'devguide/didChangeTrust',
  z.object({ trusted: z.boolean(), workspaceDestinationIds: z.array(z.string()) }),
);
/** Progress values of a createJob, on the client's workDoneToken. */
export const JobProgress = { type: new ProgressType<JobProgressValue>(), schema: jobProgressSchema };
