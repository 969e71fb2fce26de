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
import { EXPORT_LIMITS as L, ID_PATTERN, ID_RULE, META_KEY_PATTERN, PUBLISH_STEPS, STAGES, TOOL_OUTPUT_MODES } from './protocolLimits';
import {
  destinationSummarySchema,
  errorInfoSchema,
  jobDetailsSchema,
  jobJsonSchema,
  jobListSchema,
  jobRecordFields,
  jobRunSchema,
  messagesAtLinesSchema,
  previewResultSchema,
  reviewJsonSchema,
  sessionsResultSchema,
  templateSummarySchema,
} from './protocolShapes';

export * from './protocolLimits';
export * from './protocolShapes';

const id = z.string().min(1).max(L.id);
const idList = z.array(id).max(L.ids);

// ---------------------------------------------------------------- export requests

const lineRangeFields = { startLine: z.number().int().min(1), endLine: z.number().int().min(1) };
const inOrder = (r: { startLine: number; endLine: number }) => r.endLine >= r.startLine;
/** 1-based, inclusive lines of a file. */
export const lineRangeSchema = z.object(lineRangeFields).refine(inOrder, { message: 'endLine is before startLine', path: ['endLine'] });
export type LineRange = z.infer<typeof lineRangeSchema>;

/** Where an export's messages come from: a transcript file, or text selected in an editor. */
export const exportSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('file'),
    path: z.string().min(1).max(4096),
    /** Only the messages whose JSON or lines lie under these lines (CLI `--lines`, an editor selection). */
    lines: z.array(lineRangeSchema).min(1).max(1000).optional(),
  }),
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
  /** How tool calls and results read (default: the `toolOutput.mode` setting). */
  toolOutput: z.enum(TOOL_OUTPUT_MODES).optional(),
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
  // The sender writes the schema's input (defaults may be left out); the handler gets its output.
  return { method, params, result, type: new RequestType<z.input<P>, z.infer<R>, z.infer<typeof errorInfoSchema>>(method) };
}
function notification<P extends z.ZodType>(method: string, params: P) {
  return { method, params, type: new NotificationType<z.input<P>>(method) };
}

const none = z.object({}).strict().nullish();
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
/** The sessions and messages of a transcript file, or of a database's chat_messages table (`mysql://…`: sessions only, unless `sessionId` asks for one). */
export const ListSessionsRequest = request('devguide/listSessions', z.object({ path: z.string().min(1), sessionId: id.optional() }), sessionsResultSchema);
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
  transaction.extend({
    workDoneToken: z.union([z.string(), z.number()]).optional(),
    /** Write even when the output is unchanged apart from the export time. */
    force: z.boolean().default(false),
  }),
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
      destinationType: z.string().max(32).optional(),
      /** Jobs created at or after this time (ISO 8601). */
      since: z.iso.datetime({ offset: true }).optional(),
      limit: z.number().int().min(1).max(10_000).optional(),
      offset: z.number().int().min(0).optional(),
    })
    .nullish(),
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
// ---------------------------------------------------------------- team store (store.type tidb)

/** A destination kept in the team store: who owns it, who may use it, which credentials are sealed there (names only). */
export const sharedDestinationSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  owner: z.string(),
  version: z.number(),
  updated_by: z.string(),
  updated_at: z.string(),
  credential_fields: z.array(z.string()),
  access: z.array(z.object({ user: z.string(), permission: z.enum(['read', 'write', 'admin']), granted_by: z.string() })),
  can_export: z.boolean(),
  can_administer: z.boolean(),
  /** A settings entry of this id wins on this machine. */
  shadowed: z.boolean(),
});
export type SharedDestinationSummary = z.infer<typeof sharedDestinationSummarySchema>;

/** The team store's shared destinations (Manage Destinations). */
export const ListSharedDestinationsRequest = request('devguide/listSharedDestinations', none, z.array(sharedDestinationSummarySchema));
/**
 * Share a destination entry with the team, step 1: the Bin's review. Its
 * credentials are the asking member's own (SecretStorage, read with
 * devguide/getSecret, never sent in these params), sealed with the team key on apply.
 */
export const ShareDestinationRequest = request(
  'devguide/shareDestination',
  z.object({ config: z.unknown(), replace: z.boolean().default(false) }),
  reviewJsonSchema,
);
/** Publish a template to the team store, step 1: the Bin's review (critical). */
export const PublishTemplateRequest = request('devguide/publishTemplate', z.object({ id: z.string().regex(ID_PATTERN, ID_RULE), text: z.string().max(256 * 1024) }), reviewJsonSchema);
/** Step 2 of a team change: accepted, written to the team store, committed. */
export const ApplyTeamChangeRequest = request(
  'devguide/applyTeamChange',
  transaction,
  z.object({ kind: z.enum(['template', 'destination']), id: z.string(), version: z.number() }),
);
/** Remove a shared destination (its owner or an admin; the client confirms first). */
export const RemoveSharedDestinationRequest = request('devguide/removeSharedDestination', z.object({ destinationId: id }), z.null());
export const GrantDestinationAccessRequest = request(
  'devguide/grantDestinationAccess',
  z.object({ destinationId: id, user: z.string().min(1).max(128), permission: z.enum(['read', 'write', 'admin']) }),
  z.null(),
);
export const RevokeDestinationAccessRequest = request(
  'devguide/revokeDestinationAccess',
  z.object({ destinationId: id, user: z.string().min(1).max(128) }),
  z.object({ revoked: z.boolean() }),
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
