/**
 * The result shapes of the client ↔ server protocol (seed §10), as zod
 * schemas with inferred types: what the language server returns and the
 * CLI prints. Part of protocol.ts, which re-exports it; imports nothing from
 * the server's internals.
 */
import { z } from 'zod';
import { RISK_LEVELS, TOOL_OUTPUT_MODES } from './protocolLimits';

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
    /** How tool output reads in this export, and what that shortened or left out. */
    tool_output: z.object({
      mode: z.enum(TOOL_OUTPUT_MODES),
      summarized_blocks: z.number(),
      omitted_blocks: z.number(),
      omitted_lines: z.number(),
      omitted_chars: z.number(),
    }),
  }),
  metadata: z.record(z.string(), z.unknown()),
  is_update: z.boolean(),
  /** The existing file already holds this output apart from the export time: Accept writes nothing unless forced. */
  unchanged: z.boolean(),
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
  /** Who exported (the configured user identity): in a team store, jobs of several people sit side by side. */
  actor: z.string().max(256).optional(),
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

/** Seed §7.3: who did what to which resource, and how it ended. No content, no secrets. */
export const auditEventSchema = z.object({
  event_id: z.string().min(1).max(256),
  timestamp,
  action: z.string().min(1),
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
  /** `team`: published to the team store (`templates publish`); it wins over a workspace file of its id. */
  source: z.enum(['builtin', 'workspace', 'team']),
  path: z.string(),
  /** A team template: who published it first. */
  created_by: z.string().optional(),
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
  /** Kept in the team store (`destinations add`), with its owner. */
  shared: z.boolean().optional(),
  owner: z.string().optional(),
  /** False in Restricted Mode for destinations the workspace defines; `reason` says why. */
  enabled: z.boolean(),
  reason: z.string().optional(),
});
export type DestinationSummary = z.infer<typeof destinationSummarySchema>;

export const sessionsResultSchema = z.object({
  format: z.string(),
  sessions: z.array(
    z.object({
      id: z.string(),
      title: z.string().nullable(),
      /** How many messages the session has (a database lists sessions without their messages). */
      message_count: z.number().optional(),
      first_at: z.string().optional(),
      last_at: z.string().optional(),
      /** Empty for a database's session listing: ask again with its id for them. */
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

export const messagesAtLinesSchema = z.object({
  /** Sessions of the transcript that have messages (0: nothing to export from it). */
  sessionCount: z.number(),
  /** The messages under the lines (one session's), or null when no message lies under them. */
  match: z
    .object({ sessionId: z.string(), title: z.string().nullable(), messageIds: z.array(z.string()), otherSessionIds: z.array(z.string()) })
    .nullable(),
});
export type MessagesAtLinesResult = z.infer<typeof messagesAtLinesSchema>;

