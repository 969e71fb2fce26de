/**
 * Every message between the review panel's webview and its host
 * (client/src/panel/reviewPanel.ts), declared once (DESIGN.md §9).
 *
 * - Webview → host messages are requests: each carries an `id`, and the
 *   host answers every one with `{type: 'reply', id, ok, error?, content?}`.
 *   The first request is `ready` (the handshake); the host answers it with
 *   `init`, the whole state of the panel, so a webview that was hidden and
 *   reloaded (retainContextWhenHidden is off) comes back as it was.
 * - Host → webview messages are events (`init`, `previewUpdated`, …) or
 *   replies. Both sides check what they receive with these zod schemas.
 *
 * The webview gets a slim copy of the server's PreviewResult: no full
 * content, no existing content, no unified diff — those can be megabytes,
 * and the panel shows at most 50 lines until `showAll` asks for the rest.
 *
 * This module is shared by the webview bundle and the extension host: it
 * uses only zod and `import type`, never `vscode` or DOM APIs.
 */
import * as z from 'zod/mini';
import { EXPORT_LIMITS, META_KEY_PATTERN as SHARED_META_KEY_PATTERN, STAGES, TOOL_OUTPUT_MODES, type RiskLevel, type Stage } from '../../server/src/protocolLimits';
import type { OutputKind } from '../../server/src/model';
import type { DestinationSummary, ExportRequestParams, PreviewResult } from '../../server/src/protocol';
import type { JobJson as JobRecord, JobStatus } from '../../server/src/protocol';
import type { TemplateSummary } from '../../server/src/protocol';

// ---------------------------------------------------------------- limits

/** Caps on what the webview may send: the export request's own limits (the server checks them again). */
export const LIMITS = EXPORT_LIMITS;

// ---------------------------------------------------------------- shared shapes

const riskLevels = ['low', 'medium', 'high', 'critical'] as const satisfies readonly RiskLevel[];
const outputKinds = ['markdown', 'yaml-frontmatter', 'xml', 'text'] as const satisfies readonly OutputKind[];
const jobStatuses = ['queued', 'running', 'completed', 'failed', 'rolled_back'] as const satisfies readonly JobStatus[];

/** A user-visible failure: the server's ErrorInfo without `details`. */
export const panelErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  recoverable: z.boolean(),
});
export type PanelError = z.infer<typeof panelErrorSchema>;

const issueSchema = z.object({ code: z.string(), message: z.string(), field: z.optional(z.string()) });

export const panelPreviewSchema = z.object({
  transaction_id: z.string(),
  filename: z.string(),
  template_id: z.string(),
  destination_id: z.string(),
  output: z.enum(outputKinds),
  preview_lines: z.array(z.string()),
  more_lines: z.number(),
  has_existing: z.boolean(),
  statistics: z.object({
    file_size_bytes: z.number(),
    token_count: z.number(),
    line_count: z.number(),
    message_count: z.number(),
    block_count: z.number(),
    tool_output: z.object({
      mode: z.enum(TOOL_OUTPUT_MODES),
      summarized_blocks: z.number(),
      omitted_blocks: z.number(),
      omitted_lines: z.number(),
    }),
  }),
  metadata: z.record(z.string(), z.unknown()),
  is_update: z.boolean(),
  /** The destination already holds this output apart from the export time: Accept writes nothing unless forced. */
  unchanged: z.boolean(),
  diff: z.nullable(z.object({ additions: z.number(), deletions: z.number(), truncated: z.boolean() })),
  validation: z.object({
    valid: z.boolean(),
    errors: z.array(issueSchema),
    warnings: z.array(issueSchema),
  }),
  review: z.object({
    transaction_id: z.string(),
    risk_level: z.enum(riskLevels),
    action: z.enum(['CREATE', 'UPDATE']),
    affected_resources: z.array(z.string()),
    token_cost: z.number(),
    warnings: z.array(z.object({ code: z.string(), message: z.string(), line: z.optional(z.number()) })),
    blocked: z.boolean(),
    reason: z.nullable(z.string()),
    reason_message: z.nullable(z.string()),
    requires_accept: z.boolean(),
  }),
});
export type PanelPreview = z.infer<typeof panelPreviewSchema>;

export const panelTemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  output: z.enum(outputKinds),
  source: z.enum(['builtin', 'workspace', 'team']),
  /** A team template's publisher. */
  createdBy: z.optional(z.string()),
  valid: z.boolean(),
  problem: z.optional(z.string()),
});
export type PanelTemplate = z.infer<typeof panelTemplateSchema>;

export const panelDestinationSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  enabled: z.boolean(),
  reason: z.optional(z.string()),
});
export type PanelDestination = z.infer<typeof panelDestinationSchema>;

/** The parts of a job record the result view shows. */
export const panelJobSchema = z.object({
  job_id: z.string(),
  status: z.enum(jobStatuses),
  filename: z.string(),
  destination_id: z.string(),
  action: z.optional(z.enum(['CREATE', 'UPDATE'])),
  output_location: z.optional(z.string()),
  output_url: z.optional(z.string()),
  error_code: z.optional(z.string()),
  error_message: z.optional(z.string()),
});
export type PanelJob = z.infer<typeof panelJobSchema>;

const boundedString = (max: number) => z.string().check(z.maxLength(max));
const metaKey = z.string().check(z.minLength(1), z.maxLength(LIMITS.metaKey), z.regex(SHARED_META_KEY_PATTERN));
const metaSchema = z
  .record(metaKey, boundedString(LIMITS.metaValue))
  .check(z.refine((meta) => Object.keys(meta).length <= LIMITS.metaEntries, `at most ${LIMITS.metaEntries} custom fields`));

/** The editable fields; changing any of them previews again. */
export const panelFieldsSchema = z.object({
  filename: boundedString(LIMITS.filename),
  template: boundedString(LIMITS.id),
  destination: boundedString(LIMITS.id),
  title: boundedString(LIMITS.title),
  author: boundedString(LIMITS.author),
  tags: z.array(boundedString(LIMITS.tag)).check(z.maxLength(LIMITS.tags)),
  meta: metaSchema,
  /** How tool calls and results read: summary, full or none. */
  toolOutput: z.enum(TOOL_OUTPUT_MODES),
});
export type PanelFields = z.infer<typeof panelFieldsSchema>;

export const META_KEY_PATTERN = SHARED_META_KEY_PATTERN;

/** The export pipeline's five stages, in order (the first four ran for the preview): the protocol's one vocabulary. */
export { STAGES, type Stage };

/** Preview Export opens the panel as a preview (nothing can be published from it); Export Selection as a review. */
export const PANEL_MODES = ['review', 'preview'] as const;
export type PanelMode = (typeof PANEL_MODES)[number];

/** Where the panel is: reviewing, running the accepted export, or showing its result. */
export const panelPhaseSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('review') }),
  z.object({ kind: z.literal('running'), stage: z.enum(STAGES), message: z.string() }),
  z.object({ kind: z.literal('done'), job: z.nullable(panelJobSchema), error: z.optional(panelErrorSchema) }),
]);
export type PanelPhase = z.infer<typeof panelPhaseSchema>;

/**
 * Where the exported content came from, as the panel's Source section shows
 * it: an editor selection (file and line ranges) or messages of a transcript
 * file. The host builds it from the request with `toPanelSource`.
 */
const lineRangeSchema = z.object({ startLine: z.number(), endLine: z.number() });
export const panelSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('editor'), path: z.string(), ranges: z.array(lineRangeSchema) }),
  z.object({ kind: z.literal('file'), path: z.string() }),
]);
export type PanelSource = z.infer<typeof panelSourceSchema>;

// ---------------------------------------------------------------- host → webview

export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    preview: panelPreviewSchema,
    templates: z.array(panelTemplateSchema),
    destinations: z.array(panelDestinationSchema),
    fields: panelFieldsSchema,
    /** The revision of the fields the preview belongs to (see updateFields). */
    revision: z.number(),
    phase: panelPhaseSchema,
    /** The last preview failed; `preview` is the one before it. */
    previewError: z.optional(panelErrorSchema),
    /** What was selected (toPanelSource); without it the panel says what the preview's metadata tells. */
    source: z.optional(panelSourceSchema),
    /** 'preview' (Preview Export): no Accept until the person chooses Export… (`startReview`). Default 'review'. */
    mode: z.optional(z.enum(PANEL_MODES)),
  }),
  z.object({ type: z.literal('previewUpdated'), preview: panelPreviewSchema, revision: z.number() }),
  z.object({ type: z.literal('previewFailed'), error: panelErrorSchema, revision: z.number() }),
  z.object({ type: z.literal('progress'), stage: z.enum(STAGES), message: z.string() }),
  /** The preview became a review (the person chose Export…). */
  z.object({ type: z.literal('mode'), mode: z.enum(PANEL_MODES) }),
  z.object({ type: z.literal('result'), job: z.nullable(panelJobSchema), error: z.optional(panelErrorSchema) }),
  z.object({
    type: z.literal('reply'),
    id: z.number(),
    ok: z.boolean(),
    error: z.optional(panelErrorSchema),
    /** showAll's answer: the whole formatted content. */
    content: z.optional(z.string()),
  }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;
export type InitMessage = Extract<HostMessage, { type: 'init' }>;
export type ReplyMessage = Extract<HostMessage, { type: 'reply' }>;

// ---------------------------------------------------------------- webview → host

const requestId = z.number().check(z.int(), z.positive());
const transactionId = boundedString(LIMITS.id);

/**
 * Where the page's first render went (issue 5's panel-speed log), in ms
 * since the page started loading; `timeOrigin` (ms since the epoch) lets the
 * host place these on its own clock.
 */
export const pageTimingSchema = z.object({
  timeOrigin: z.number(),
  /** The bundle's script and stylesheet: fetch start and end. */
  scriptMs: z.optional(z.tuple([z.number(), z.number()])),
  styleMs: z.optional(z.tuple([z.number(), z.number()])),
  /** The script ran and said `ready`. */
  readyAtMs: z.number(),
  /** The first `init` arrived. */
  initAtMs: z.number(),
  /** The frame after that `init` was rendered. */
  paintedAtMs: z.number(),
});
export type PageTiming = z.infer<typeof pageTimingSchema>;

/** Requests that carry nothing but their id. */
const plainRequests = ['ready', 'reject', 'retry', 'openResult', 'startReview'] as const;
/**
 * Requests about one preview: they name the transaction the person saw, so
 * an Accept that crosses a newer preview on the wire is refused, not applied
 * to content nobody reviewed.
 */
const previewRequests = ['accept', 'viewDiff', 'viewContent', 'redact', 'showAll'] as const;

export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('updateFields'),
    id: requestId,
    revision: z.number().check(z.int(), z.nonnegative()),
    fields: z.partial(panelFieldsSchema),
  }),
  z.object({
    type: z.literal('openLink'),
    id: requestId,
    url: boundedString(LIMITS.url).check(z.refine(isWebUrl, 'only http and https links')),
  }),
  /** The first paint after `init` (timing only). */
  z.object({ type: z.literal('rendered'), id: requestId, timing: pageTimingSchema }),
  ...plainRequests.map((type) => z.object({ type: z.literal(type), id: requestId })),
  ...previewRequests.map((type) => z.object({ type: z.literal(type), id: requestId, transactionId })),
]);

export type PlainRequestType = (typeof plainRequests)[number];
export type PreviewRequestType = (typeof previewRequests)[number];
export type WebviewMessage =
  | { [T in PlainRequestType]: { type: T; id: number } }[PlainRequestType]
  | { [T in PreviewRequestType]: { type: T; id: number; transactionId: string } }[PreviewRequestType]
  | { type: 'updateFields'; id: number; revision: number; fields: Partial<PanelFields> }
  | { type: 'openLink'; id: number; url: string }
  | { type: 'rendered'; id: number; timing: PageTiming };
// The hand-written union above must say what the schema accepts, no more, no less.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const webviewTypeMatchesSchema: Same<z.infer<typeof webviewMessageSchema>, WebviewMessage> = true;
void webviewTypeMatchesSchema;

/** What the webview sends, before the messenger adds the id. */
export type WebviewRequest = WebviewMessage extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

// ---------------------------------------------------------------- parsing

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function parse<T>(schema: z.ZodMiniType<T>, value: unknown): Parsed<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const problem = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`)
    .join('; ');
  return { ok: false, problem };
}

export function parseHostMessage(value: unknown): Parsed<HostMessage> {
  return parse(hostMessageSchema, value);
}

export function parseWebviewMessage(value: unknown): Parsed<WebviewMessage> {
  return parse<WebviewMessage>(webviewMessageSchema, value);
}

/** True for absolute http(s) URLs: the only links the panel will ask the host to open. */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- host-side conversions

/** The webview's slice of a preview (see the header comment). */
export function toPanelPreview(p: PreviewResult): PanelPreview {
  return {
    transaction_id: p.transaction_id,
    filename: p.filename,
    template_id: p.template_id,
    destination_id: p.destination_id,
    output: outputKindOf(p.output),
    preview_lines: p.preview_lines,
    more_lines: p.more_lines,
    has_existing: p.existing_content !== null,
    statistics: {
      file_size_bytes: p.statistics.file_size_bytes,
      token_count: p.statistics.token_count,
      line_count: p.statistics.line_count,
      message_count: p.statistics.message_count,
      block_count: p.statistics.block_count,
      tool_output: {
        mode: p.statistics.tool_output.mode,
        summarized_blocks: p.statistics.tool_output.summarized_blocks,
        omitted_blocks: p.statistics.tool_output.omitted_blocks,
        omitted_lines: p.statistics.tool_output.omitted_lines,
      },
    },
    metadata: p.metadata,
    is_update: p.is_update,
    unchanged: p.unchanged,
    diff: p.diff ? { additions: p.diff.additions, deletions: p.diff.deletions, truncated: p.diff.truncated } : null,
    validation: p.validation,
    review: p.review,
  };
}

/** The request's source as the panel shows it: the selected line ranges, without their text. */
export function toPanelSource(
  source: { kind: 'file'; path: string } | { kind: 'editor'; path: string; ranges: readonly { startLine: number; endLine: number }[] },
): PanelSource {
  if (source.kind === 'file') return { kind: 'file', path: source.path };
  return { kind: 'editor', path: source.path, ranges: source.ranges.map((r) => ({ startLine: r.startLine, endLine: r.endLine })) };
}

function outputKindOf(value: string): OutputKind {
  return (outputKinds as readonly string[]).includes(value) ? (value as OutputKind) : 'text';
}

/** A template the panel lists; one that cannot be used now (errors, or Restricted Mode) is listed disabled with why. */
export function toPanelTemplate(t: TemplateSummary): PanelTemplate {
  const problem = t.enabled ? t.problem : t.reason;
  return {
    id: t.id,
    name: t.name,
    output: outputKindOf(t.output),
    source: t.source,
    ...(t.created_by ? { createdBy: t.created_by } : {}),
    valid: t.valid && t.enabled,
    ...(problem ? { problem } : {}),
  };
}

/** What the panel shows of a destination (the server's summary, or one the client lists while Restricted Mode hides it). */
export function toPanelDestination(d: Pick<DestinationSummary, 'id' | 'name' | 'type' | 'enabled' | 'reason'>): PanelDestination {
  return { id: d.id, name: d.name, type: d.type, enabled: d.enabled, ...(d.reason ? { reason: d.reason } : {}) };
}

export function toPanelJob(job: JobRecord): PanelJob {
  const optional = {
    action: job.action,
    output_location: job.output_location,
    output_url: job.output_url,
    error_code: job.error_code,
    error_message: job.error_message,
  };
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Partial<typeof optional>;
  return { job_id: job.job_id, status: job.status, filename: job.filename, destination_id: job.destination_id, ...present };
}

/** The fields a request implies, with the preview's choices where the request left them out. */
export function fieldsFrom(params: ExportRequestParams, preview: PreviewResult): PanelFields {
  return {
    filename: params.filename ?? preview.filename,
    template: params.template ?? preview.template_id,
    destination: params.destination ?? preview.destination_id,
    title: params.title ?? stringOr(preview.metadata['title']),
    author: params.author ?? stringOr(preview.metadata['author']),
    tags: params.tags ?? [],
    meta: params.meta ?? {},
    toolOutput: params.toolOutput ?? preview.statistics.tool_output.mode,
  };
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The request for new fields. Empty text means "not given" (the server then
 * derives it); the filename is sent only once the person has changed it from
 * what the server chose, so a template change can still change its extension.
 */
export function applyFields(params: ExportRequestParams, fields: PanelFields, filenameEdited: boolean): ExportRequestParams {
  const next: ExportRequestParams = { ...params, template: fields.template, destination: fields.destination };
  const set = <K extends 'filename' | 'title' | 'author'>(key: K, value: string, use: boolean): void => {
    if (use && value.trim() !== '') next[key] = value.trim();
    else delete next[key];
  };
  set('filename', fields.filename, filenameEdited);
  set('title', fields.title, true);
  set('author', fields.author, true);
  const tags = fields.tags.map((t) => t.trim()).filter((t) => t !== '');
  if (tags.length > 0) next.tags = tags;
  else delete next.tags;
  if (Object.keys(fields.meta).length > 0) next.meta = { ...fields.meta };
  else delete next.meta;
  next.toolOutput = fields.toolOutput;
  return next;
}
