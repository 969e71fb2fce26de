import { userInfo } from 'node:os';
import { z } from 'zod';
import type { Connection } from 'vscode-languageserver/node';
import { ResponseError } from 'vscode-languageserver/node';
import { reviewToJson } from '../bin/review';
import { createDestination } from '../destinations/registry';
import { ExportError, toExportError, type ErrorInfo } from '../errors';
import type { ParsedTranscript } from '../model';
import {
  CreateJobRequest,
  EXPORT_ERROR_RESPONSE_CODE,
  GetJobRequest,
  JobsChangedNotification,
  ListDestinationsRequest,
  ListJobsRequest,
  FindMessagesAtLinesRequest,
  ListSessionsRequest,
  ListTemplatesRequest,
  PreviewExportRequest,
  RejectReviewRequest,
  RetryJobRequest,
  ApplyChangeRequest,
  ReviewBatchRequest,
  RunBatchRequest,
  FinishChangeRequest,
  ReviewChangeRequest,
  RollbackJobRequest,
  TestDestinationRequest,
  exportRequestOfJob,
  type ExportRequestParams,
  type PreviewResult,
  type SessionsResult,
} from '../protocol';
import type { ExportRequest, PreparedExport } from '../service';
import { publishBatch, reviewBatch, type ReviewedBatch } from '../pipeline/batch';
import { editorSelectionToMessages, toSessionsJson } from '../sources';
import { lineOfLocation, lineRangeSchema, messagesAtLines } from '../sources/messagesAtLines';
import type { BinReview } from '../bin/review';
import type { ServerSession } from './session';

/**
 * Thin handlers: check params with zod, call the service, shape the result.
 * Every failure leaves as a ResponseError carrying `{code, message,
 * details, recoverable}` — never a stack trace.
 */

const idList = z.array(z.string().min(1)).max(10_000);

const exportRequestSchema = z.object({
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('file'), path: z.string().min(1) }),
    z.object({
      kind: z.literal('editor'),
      path: z.string().min(1),
      languageId: z.string().optional(),
      ranges: z.array(z.object({ startLine: z.number().int().min(1), endLine: z.number().int().min(1), text: z.string() })).min(1),
    }),
  ]),
  sessionId: z.string().min(1).optional(),
  messageIds: idList.optional(),
  blockIds: idList.optional(),
  template: z.string().min(1).optional(),
  destination: z.string().min(1).optional(),
  filename: z.string().min(1).max(1024).optional(),
  title: z.string().max(1000).optional(),
  author: z.string().max(200).optional(),
  tags: z.array(z.string().max(100)).max(100).optional(),
  meta: z.record(z.string(), z.string()).optional(),
  redact: z.boolean().optional(),
});

const txParams = z.object({ transactionId: z.string().min(1), explicit: z.boolean().default(false) });
const jobParams = z.object({ jobId: z.string().min(1) });

function checked<T>(schema: z.ZodType<T>, params: unknown, method: string): T {
  const result = schema.safeParse(params);
  if (!result.success) {
    throw new ExportError('INVALID_INPUT', `Invalid parameters for ${method}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
      recoverable: false,
    });
  }
  return result.data;
}

export function toResponseError(thrown: unknown): ResponseError<ErrorInfo> {
  const info = toExportError(thrown).toInfo();
  return new ResponseError(EXPORT_ERROR_RESPONSE_CODE, info.message, info);
}

/** Wraps a handler so every error becomes a ResponseError with ErrorInfo data. */
function guarded<P, R>(work: (params: P) => Promise<R>): (params: P) => Promise<R | ResponseError<ErrorInfo>> {
  return async (params) => {
    try {
      return await work(params);
    } catch (thrown) {
      return toResponseError(thrown);
    }
  };
}

export function previewResult(prepared: PreparedExport, review: BinReview, existing: string | undefined): PreviewResult {
  const p = prepared.preview;
  return {
    transaction_id: review.transaction_id,
    filename: prepared.filename,
    template_id: prepared.template.id,
    destination_id: prepared.destinationConfig.id,
    session_id: prepared.assembled.sessionId,
    output: prepared.template.output,
    content: prepared.validation.content,
    existing_content: existing ?? null,
    preview_lines: p.previewLines,
    more_lines: p.moreLines,
    statistics: {
      file_size_bytes: p.statistics.file_size_bytes,
      token_count: p.statistics.token_count,
      line_count: p.statistics.line_count,
      message_count: prepared.assembled.stats.messageCount,
      block_count: prepared.assembled.stats.blockCount,
      stages_ms: Object.fromEntries(Object.entries(prepared.stagesMs).map(([k, v]) => [k, Math.round((v ?? 0) * 1000) / 1000])),
    },
    metadata: p.metadataSummary,
    is_update: p.isUpdate,
    diff: p.diff ? { ...p.diff } : null,
    validation: {
      valid: prepared.validation.valid,
      errors: prepared.validation.errors,
      warnings: prepared.validation.warnings.map((w) => ({ code: w.code, message: w.message })),
    },
    review: reviewToJson(review),
  };
}

function sessionsResult(parsed: ParsedTranscript): SessionsResult {
  const summary = toSessionsJson(parsed);
  const byId = new Map(parsed.sessions.flatMap((s) => s.messages.map((m) => [m.id, m] as const)));
  const short = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text).replace(/\s+/g, ' ');
  return {
    format: summary.format,
    sessions: summary.sessions.map((s) => ({
      id: s.id,
      title: s.title,
      messages: s.messages.map((m) => {
        const message = byId.get(m.id);
        const line = lineOfLocation(message?.location);
        return {
          ...m,
          ...(line === undefined ? {} : { line }),
          preview: short(message?.content ?? ''),
          blocks: m.blocks.map((b) => ({ ...b, preview: short(message?.blocks.find((x) => x.id === b.id)?.content ?? '') })),
        };
      }),
    })),
  };
}

export function registerExportHandlers(connection: Connection, session: ServerSession): void {
  const toServiceRequest = (params: ExportRequestParams): ExportRequest => {
    const base: ExportRequest = {
      source: session.resolvePath(params.source.path),
      ...(params.sessionId ? { sessionId: params.sessionId } : {}),
      ...(params.messageIds ? { messageIds: params.messageIds } : {}),
      ...(params.blockIds ? { blockIds: params.blockIds } : {}),
      ...(params.template ? { template: params.template } : {}),
      ...(params.destination ? { destination: params.destination } : {}),
      ...(params.filename ? { filename: params.filename } : {}),
      ...(params.title !== undefined ? { title: params.title } : {}),
      ...(params.author ? { author: params.author } : {}),
      ...(params.tags ? { tags: params.tags } : {}),
      ...(params.meta ? { meta: params.meta } : {}),
      ...(params.redact ? { redact: true } : {}),
    };
    if (params.source.kind === 'editor') {
      base.transcript = editorSelectionToMessages({ path: params.source.path, ranges: params.source.ranges, now: new Date() });
    }
    return base;
  };

  const preview = async (params: ExportRequestParams): Promise<PreviewResult> => {
    const service = await session.service();
    const { prepared, review } = await service.previewExport(toServiceRequest(params));
    const existing = prepared.preview.isUpdate ? (await prepared.destination.fetchExisting(prepared.filename))?.content : undefined;
    return previewResult(prepared, review, existing);
  };

  registerBatchHandlers(connection, session, toServiceRequest);

  connection.onRequest(ListTemplatesRequest.type, guarded(async () => (await session.service()).templates.list()));

  connection.onRequest(
    ListDestinationsRequest.type,
    guarded(async () => {
      await session.service();
      const workspaceIds = session.workspaceDestinationIds;
      return session.destinations().map((d) => {
        const workspaceDefined = workspaceIds.has(d.id);
        const enabled = session.trusted || !workspaceDefined;
        return {
          id: d.id,
          type: d.type,
          name: d.name ?? d.id,
          workspaceDefined,
          enabled,
          ...(enabled ? {} : { reason: 'Defined by this workspace, which is not trusted (Restricted Mode).' }),
        };
      });
    }),
  );

  connection.onRequest(
    TestDestinationRequest.type,
    guarded(async (params) => {
      const { destinationId } = checked(z.object({ destinationId: z.string().min(1) }), params, TestDestinationRequest.method);
      const service = await session.service();
      const config = session.destinations().find((d) => d.id === destinationId);
      if (!config) throw new ExportError('DESTINATION_NOT_FOUND', `Unknown destination "${destinationId}".`, { recoverable: false });
      const destination = await createDestination(config, {
        workspaceRoot: session.workspaceRoot,
        getSecret: (id, field) => service.getSecretFor(id, field),
      });
      return destination.testConnection();
    }),
  );

  connection.onRequest(
    ListSessionsRequest.type,
    guarded(async (params) => {
      const { path } = checked(z.object({ path: z.string().min(1) }), params, ListSessionsRequest.method);
      const service = await session.service();
      return sessionsResult(await service.readTranscript(session.resolvePath(path)));
    }),
  );

  connection.onRequest(
    FindMessagesAtLinesRequest.type,
    guarded(async (params) => {
      const { path, ranges } = checked(z.object({ path: z.string().min(1), ranges: z.array(lineRangeSchema).min(1) }), params, FindMessagesAtLinesRequest.method);
      const service = await session.service();
      const transcript = await service.readTranscript(session.resolvePath(path));
      const found = messagesAtLines(transcript, ranges);
      const title = found ? (transcript.sessions.find((s) => s.id === found.sessionId)?.title ?? null) : null;
      return {
        sessionCount: transcript.sessions.filter((s) => s.messages.length > 0).length,
        match: found ? { ...found, title } : null,
      };
    }),
  );

  connection.onRequest(
    PreviewExportRequest.type,
    guarded(async (params) => preview(checked(exportRequestSchema, params, PreviewExportRequest.method) as ExportRequestParams)),
  );

  connection.onRequest(
    CreateJobRequest.type,
    guarded(async (params) => {
      const { transactionId, explicit } = checked(txParams, params, CreateJobRequest.method);
      const service = await session.service();
      const progress = await connection.window.createWorkDoneProgress();
      const abort = new AbortController();
      progress.token.onCancellationRequested(() => abort.abort());
      progress.begin('DevGuide Export', 0, 'Assembled, transformed, validated, previewed — publishing…', true);
      try {
        const run = await service.accept(transactionId, explicit, abort.signal, (stage, state) => {
          if (state !== 'start') return;
          progress.report(stage === 'publish' ? 60 : 90, stage === 'publish' ? 'Publishing…' : 'Committing…');
        });
        connection.sendNotification(JobsChangedNotification.type, { jobId: run.job.job_id, status: run.job.status });
        return run.error ? { job: run.job, error: run.error.toInfo() } : { job: run.job };
      } finally {
        progress.done();
      }
    }),
  );

  connection.onRequest(
    RejectReviewRequest.type,
    guarded(async (params) => {
      const { transactionId, reason } = checked(z.object({ transactionId: z.string().min(1), reason: z.string().optional() }), params, RejectReviewRequest.method);
      await (await session.service()).reject(transactionId, reason);
      return null;
    }),
  );

  connection.onRequest(
    GetJobRequest.type,
    guarded(async (params) => (await session.service()).getJob(checked(jobParams, params, GetJobRequest.method).jobId)),
  );

  connection.onRequest(
    ListJobsRequest.type,
    guarded(async (params) => {
      const query = checked(
        z.object({
          status: z.enum(['queued', 'running', 'completed', 'failed', 'rolled_back']).optional(),
          destinationId: z.string().optional(),
          limit: z.number().int().min(1).max(10_000).optional(),
          offset: z.number().int().min(0).optional(),
        }),
        params ?? {},
        ListJobsRequest.method,
      );
      return (await session.service()).listJobs(query);
    }),
  );

  connection.onRequest(
    RollbackJobRequest.type,
    guarded(async (params) => {
      const job = await (await session.service()).rollbackJob(checked(jobParams, params, RollbackJobRequest.method).jobId);
      connection.sendNotification(JobsChangedNotification.type, { jobId: job.job_id, status: job.status });
      return job;
    }),
  );

  connection.onRequest(
    RetryJobRequest.type,
    guarded(async (params) => {
      const { jobId } = checked(jobParams, params, RetryJobRequest.method);
      const { job } = await (await session.service()).getJob(jobId);
      if (job.status !== 'failed') {
        throw new ExportError('INVALID_INPUT', `Job ${jobId} is ${job.status}; only failed exports can be retried.`, { recoverable: false });
      }
      if (job.source.startsWith('editor:') || job.session_id.startsWith('editor-')) {
        throw new ExportError('INVALID_INPUT', 'An export of an editor selection cannot be retried; select the text and export again.', {
          recoverable: false,
        });
      }
      return preview(exportRequestOfJob(job));
    }),
  );
}

const changeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('template'),
    type: z.enum(['CreateTemplate', 'UpdateTemplate']),
    id: z.string().min(1).max(64),
    text: z.string().max(256 * 1024),
  }),
  z.object({
    kind: z.literal('destination'),
    type: z.enum(['CreateDestination', 'UpdateDestination']),
    config: z.unknown(),
    workspaceDefined: z.boolean(),
  }),
]);

export function registerChangeHandlers(connection: Connection, session: ServerSession): void {
  connection.onRequest(
    ReviewChangeRequest.type,
    guarded(async (params) => {
      const change = checked(changeSchema, params, ReviewChangeRequest.method);
      const review = await (await session.service()).reviewChange(
        change.kind === 'template' ? change : { ...change, config: change.config ?? null },
      );
      return reviewToJson(review);
    }),
  );
  connection.onRequest(
    ApplyChangeRequest.type,
    guarded(async (params) => {
      const { transactionId, explicit } = checked(txParams, params, ApplyChangeRequest.method);
      const applied = await (await session.service()).applyChange(transactionId, explicit);
      return applied.kind === 'template' ? applied : { kind: 'destination' as const, config: { ...applied.config } };
    }),
  );
  connection.onRequest(
    FinishChangeRequest.type,
    guarded(async (params) => {
      const { transactionId, ok, message } = checked(
        z.object({ transactionId: z.string().min(1), ok: z.boolean(), message: z.string().max(1000).optional() }),
        params,
        FinishChangeRequest.method,
      );
      await (await session.service()).finishChange(transactionId, ok, message);
      return null;
    }),
  );
}

/** Batches reviewed and waiting for their decision, by batch id. */
const pendingBatches = new Map<string, ReviewedBatch>();

export function registerBatchHandlers(connection: Connection, session: ServerSession, toRequest: (p: ExportRequestParams) => ExportRequest): void {
  connection.onRequest(
    ReviewBatchRequest.type,
    guarded(async (params) => {
      const { exports, concurrency } = checked(
        z.object({ exports: z.array(exportRequestSchema).min(1).max(500), concurrency: z.number().int().min(1).max(16).default(4) }),
        params,
        ReviewBatchRequest.method,
      );
      const service = await session.service();
      const entries = exports.map((e) => ({ request: toRequest(e as ExportRequestParams), accept: false }));
      const batch = await reviewBatch(service, entries, { concurrency });
      pendingBatches.set(batch.batchId, batch);
      return {
        batch_id: batch.batchId,
        items: entries.map((_, index) => {
          const item = batch.prepared[index];
          const failed = batch.results[index];
          return item
            ? { index, filename: item.prepared.filename, review: reviewToJson(item.review) }
            : { index, ...(failed?.error ? { error: failed.error } : {}) };
        }),
      };
    }),
  );

  connection.onRequest(
    RunBatchRequest.type,
    guarded(async (params) => {
      const { batchId, acceptAll, transactionIds, concurrency } = checked(
        z.object({
          batchId: z.string().min(1),
          acceptAll: z.boolean(),
          transactionIds: z.array(z.string()).optional(),
          concurrency: z.number().int().min(1).max(16).default(4),
        }),
        params,
        RunBatchRequest.method,
      );
      const batch = pendingBatches.get(batchId);
      if (!batch) throw new ExportError('INVALID_INPUT', `No reviewed batch with id ${batchId}.`, { recoverable: false });
      pendingBatches.delete(batchId);
      const service = await session.service();
      const progress = await connection.window.createWorkDoneProgress();
      const abort = new AbortController();
      progress.token.onCancellationRequested(() => abort.abort());
      progress.begin('DevGuide Export: batch', 0, `Publishing 0/${batch.entries.length}`, true);
      try {
        return await publishBatch(service, batch, {
          acceptAll,
          acceptedTransactions: new Set(transactionIds ?? []),
          concurrency,
          signal: abort.signal,
          onProgress: ({ done, total, item }) => {
            progress.report(Math.round((done / total) * 100), `Publishing ${done}/${total}`);
            if (item?.job_id) connection.sendNotification(JobsChangedNotification.type, { jobId: item.job_id, status: item.status === 'completed' ? 'completed' : 'failed' });
          },
        });
      } finally {
        progress.done();
      }
    }),
  );
}

export function currentUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
