import { randomUUID } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { destinationChangeVerdict, templateChangeVerdict } from './bin/changeRules';
import { atomicWriteFile } from './destinations/atomicWrite';
import { Bin } from './bin/bin';
import { evaluateExportRules } from './bin/exportRules';
import { redactSecrets } from './bin/redact';
import { reviewToJson, type BinReview } from './bin/review';
import { isRemote, riskOfDestination } from './bin/risk';
import type { Clock } from './clock';
import { destinationsOf, type DestinationConfig, type ExportConfig } from './config';
import { createDestination, findDestinationConfig, type DestinationContext } from './destinations/registry';
import type { Destination, ImpactDescription } from './destinations/types';
import { ExportError, toExportError } from './errors';
import type {
  AssembledContent,
  ExportChoices,
  FormattedContent,
  Metadata,
  ParsedTranscript,
  PreviewRendered,
  ValidationResult,
} from './model';
import { assemble } from './pipeline/assemble';
import { buildPreview } from './pipeline/preview';
import { createRateLimiter, type RateLimiter } from './pipeline/rateLimiter';
import { contentHash, rollbackJob, runJob, type RunJobDeps, type RunJobOutcome } from './pipeline/runJob';
import { transform } from './pipeline/transform';
import { validate } from './pipeline/validate';
import { parseTranscriptBytes } from './sources';
import type { AuditEvent, JobQuery, JobRecord, Store } from './store/types';
import { createTemplateRegistry, type TemplateRegistry } from './templates/registry';
import type { TemplateDefinition } from './templates/types';
import { slugify } from './templates/helpers';

/**
 * The pipeline façade (DESIGN.md §2): the CLI, the language server and the
 * tests all drive exports through this one class, with I/O passed in.
 */

export interface ExportRequest extends ExportChoices {
  /** Path of a transcript file (resolved against the workspace root). */
  source: string;
  /** An already parsed transcript (editor selections); `source` then only labels it. */
  transcript?: ParsedTranscript;
  /** CLI `--out`: overrides the local destination's base folder. */
  outDir?: string;
  batchId?: string;
}


export type StageName = 'assembly' | 'transformation' | 'validation' | 'preview' | 'publish';

export interface PreparedExport {
  request: ExportRequest;
  assembled: AssembledContent;
  template: TemplateDefinition;
  formatted: FormattedContent;
  validation: ValidationResult;
  preview: PreviewRendered;
  destinationConfig: DestinationConfig;
  destination: Destination;
  filename: string;
  title: string;
  impact: ImpactDescription;
  redactions: number;
  stagesMs: Partial<Record<StageName, number>>;
}

export interface PreviewOutcome {
  prepared: PreparedExport;
  review: BinReview;
}

interface OutcomeBase {
  prepared: PreparedExport;
  review: BinReview;
  durationMs: number;
}
export type PublishedOutcome = OutcomeBase & { status: 'completed' | 'failed'; run: RunJobOutcome };
export type HeldOutcome = OutcomeBase & { status: 'review_required' | 'blocked' };
export type ExportOutcome = PublishedOutcome | HeldOutcome;

export function wasPublished(outcome: ExportOutcome): outcome is PublishedOutcome {
  return outcome.status === 'completed' || outcome.status === 'failed';
}

export interface ServiceDeps {
  config: ExportConfig;
  store: Store;
  clock: Clock;
  workspaceRoot: string;
  /** Workspace Trust: workspace templates and destinations only when true. */
  trusted: boolean;
  /** Destination ids defined by the workspace (not the user's settings). */
  workspaceDestinationIds?: ReadonlySet<string>;
  builtinTemplatesDir: string;
  actor: string;
  getSecret: DestinationContext['getSecret'];
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

type PendingChange =
  | { kind: 'template'; path: string; text: string; changeType: 'CreateTemplate' | 'UpdateTemplate'; id: string }
  | { kind: 'destination'; config: DestinationConfig; changeType: 'CreateDestination' | 'UpdateDestination' };

export type ChangeRequest =
  | { kind: 'template'; type: 'CreateTemplate' | 'UpdateTemplate'; id: string; text: string }
  | { kind: 'destination'; type: 'CreateDestination' | 'UpdateDestination'; config: unknown; workspaceDefined: boolean };

export type AppliedChange = { kind: 'template'; path: string } | { kind: 'destination'; config: DestinationConfig };

interface CachedTranscript {
  mtimeMs: number;
  size: number;
  parsed: ParsedTranscript;
}

export class ExportService {
  readonly bin: Bin;
  readonly templates: TemplateRegistry;
  private readonly rateLimiter: RateLimiter;
  private readonly pending = new Map<string, PreparedExport>();
  private readonly pendingChanges = new Map<string, PendingChange>();
  private readonly transcripts = new Map<string, CachedTranscript>();

  constructor(private readonly deps: ServiceDeps) {
    this.bin = new Bin({ store: deps.store, clock: deps.clock, requireAt: deps.config.review.requireAt, actor: deps.actor });
    this.templates = createTemplateRegistry({
      builtinDir: deps.builtinTemplatesDir,
      workspaceDir: resolve(deps.workspaceRoot, deps.config.templatesDir),
      trusted: deps.trusted,
      cacheTtlMs: deps.config.limits.templateCacheTtlMs,
    });
    this.rateLimiter = createRateLimiter(deps.config.rateLimits, deps.sleep ? { sleep: deps.sleep } : {});
  }

  /** Reads a destination credential and records the access (never the value) in the security log. */
  async getSecretFor(destinationId: string, field: string): Promise<string | undefined> {
    const value = await this.deps.getSecret(destinationId, field);
    await this.bin.security('credential_accessed', 'info', destinationId, { field, found: value !== undefined });
    return value;
  }

  get config(): ExportConfig {
    return this.deps.config;
  }

  /** Reads and parses a transcript, reusing the last parse while the file is unchanged. */
  async readTranscript(path: string): Promise<ParsedTranscript> {
    const absolute = resolve(this.deps.workspaceRoot, path);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      throw new ExportError('INVALID_INPUT', `Cannot read transcript ${path}: ${describeFsError(error)}`, { recoverable: false });
    }
    if (!info.isFile()) throw new ExportError('INVALID_INPUT', `${path} is not a file.`, { recoverable: false });
    const cached = this.transcripts.get(absolute);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.parsed;
    const bytes = await readFile(absolute);
    const parsed = parseTranscriptBytes(bytes, path);
    this.transcripts.set(absolute, { mtimeMs: info.mtimeMs, size: info.size, parsed });
    return parsed;
  }

  /** Stages 1–4 plus the destination's view of the target. No side effects. */
  async prepare(request: ExportRequest): Promise<PreparedExport> {
    const { clock, config } = this.deps;
    const stagesMs: PreparedExport['stagesMs'] = {};
    const timed = async <T>(stage: StageName, work: () => T | Promise<T>): Promise<T> => {
      const start = clock.monotonic();
      try {
        return await work();
      } finally {
        stagesMs[stage] = (stagesMs[stage] ?? 0) + (clock.monotonic() - start);
      }
    };

    // Reading and parsing the source is part of stage 1 (assembly).
    const transcript = request.transcript ?? (await timed('assembly', () => this.readTranscript(request.source)));
    const template = await this.templates.get(request.template ?? config.defaultTemplate);
    const destinationConfig = this.destinationConfig(request);
    const destination = await createDestination(destinationConfig, {
      workspaceRoot: this.deps.workspaceRoot,
      getSecret: (id, field) => this.getSecretFor(id, field),
    });

    const assembled = await timed('assembly', () =>
      assemble(transcript, request.source, {
        ...(request.sessionId === undefined ? {} : { sessionId: request.sessionId }),
        ...(request.messageIds === undefined || request.messageIds.length === 0 ? {} : { messageIds: request.messageIds }),
        ...(request.blockIds === undefined || request.blockIds.length === 0 ? {} : { blockIds: request.blockIds }),
      }),
    );
    const title = request.title?.trim() || assembled.sessionTitle || 'DevGuide export';
    const userMetadata: Metadata = { title };
    if (request.author) userMetadata['author'] = request.author;
    if (request.tags && request.tags.length > 0) userMetadata['tags'] = request.tags;
    for (const [key, value] of Object.entries(request.meta ?? {})) userMetadata[key] = value;

    let redactions = 0;
    const formatted = await timed('transformation', () => {
      const output = transform(assembled, template, userMetadata, clock);
      if (!request.redact) return output;
      const redacted = redactSecrets(output.content);
      redactions = redacted.redactions;
      return { ...output, content: redacted.content };
    });
    const validation = await timed('validation', () =>
      validate(formatted, template, { maxContentLength: config.limits.maxContentLength }),
    );
    const filename = request.filename ?? `${slugify(title) || 'export'}${template.extension}`;
    const { existing, impact } = await timed('preview', async () => {
      const [found, described] = await Promise.all([destination.fetchExisting(filename), destination.describeImpact(filename)]);
      return { existing: found, impact: described };
    });
    const preview = await timed('preview', () => buildPreview(validation.content, formatted.metadata, existing?.content));
    if (template.builtin === false) {
      await this.bin.security('template_executed', 'info', template.path ?? template.id, { template: template.id });
    }
    return {
      request,
      assembled,
      template,
      formatted,
      validation,
      preview,
      destinationConfig,
      destination,
      filename,
      title,
      impact,
      redactions,
      stagesMs,
    };
  }

  /** The Bin's preflight of a prepared export; the transaction stays pending until accept/reject. */
  async review(prepared: PreparedExport): Promise<BinReview> {
    const { destinationConfig, template, validation, preview, impact } = prepared;
    const allowedUsers = destinationConfig.allowedUsers;
    const outcome = evaluateExportRules({
      type: 'CreateExportJob',
      actor: this.deps.actor,
      trusted: this.deps.trusted,
      destination: {
        id: destinationConfig.id,
        type: destinationConfig.type,
        workspaceDefined: this.deps.workspaceDestinationIds?.has(destinationConfig.id) ?? false,
        ...(allowedUsers === undefined ? {} : { allowedUsers }),
      },
      template: { id: template.id, source: template.builtin ? 'builtin' : 'workspace', htmlBound: template.htmlBound },
      filename: prepared.filename,
      content: validation.content,
      tokenCount: preview.statistics.token_count,
      validation,
      preview,
      impact,
    });
    const review = await this.bin.preflight({
      changeType: 'CreateExportJob',
      impact: {
        risk_level: riskOfDestination(destinationConfig.type),
        action: impact.action,
        affected_resources: [impact.resource],
        token_cost: preview.statistics.token_count,
        affected_users: 1,
        details: {
          destination: destinationConfig.id,
          destination_type: destinationConfig.type,
          template: template.id,
          filename: prepared.filename,
          additions: preview.diff?.additions ?? 0,
          deletions: preview.diff?.deletions ?? 0,
          redactions: prepared.redactions,
        },
      },
      warnings: outcome.warnings,
      ...(outcome.block ? { block: outcome.block } : {}),
      forceAccept: (preview.diff?.deletions ?? 0) > 0,
      auditMetadata: {
        template: template.id,
        destination: destinationConfig.id,
        filename: prepared.filename,
        content_hash: contentHash(validation.content),
        token_cost: preview.statistics.token_count,
      },
    });
    if (!review.blocked) this.pending.set(review.transaction_id, prepared);
    return review;
  }

  async previewExport(request: ExportRequest): Promise<PreviewOutcome> {
    const prepared = await this.prepare(request);
    const review = await this.review(prepared);
    return { prepared, review };
  }

  /** Accepts a pending review and publishes it. `explicit` is a person's Accept or `--yes`. */
  async accept(
    transactionId: string,
    explicit: boolean,
    signal?: AbortSignal,
    onStage?: RunJobDeps['onStage'],
  ): Promise<RunJobOutcome & { prepared: PreparedExport }> {
    const prepared = this.pending.get(transactionId);
    if (!prepared) {
      throw new ExportError('INVALID_INPUT', `No pending export with transaction id ${transactionId}.`, { recoverable: false });
    }
    await this.bin.accept(transactionId, explicit);
    this.pending.delete(transactionId);
    return { ...(await this.publish(prepared, transactionId, signal, onStage)), prepared };
  }

  async reject(transactionId: string, reason?: string): Promise<void> {
    this.pending.delete(transactionId);
    await this.bin.reject(transactionId, reason);
  }

  /** The CLI's one-shot export: prepare, review, and publish when allowed. */
  async export(request: ExportRequest, options: { yes: boolean; signal?: AbortSignal }): Promise<ExportOutcome> {
    const started = this.deps.clock.monotonic();
    const { prepared, review } = await this.previewExport(request);
    const elapsed = () => this.deps.clock.monotonic() - started;
    if (review.blocked) return { status: 'blocked', prepared, review, durationMs: elapsed() };
    if (review.requires_accept && !options.yes) {
      // Nothing was decided: leave the review for audit, then drop the pending change.
      await this.reject(review.transaction_id, 'review required; not accepted');
      return { status: 'review_required', prepared, review, durationMs: elapsed() };
    }
    const run = await this.accept(review.transaction_id, options.yes, options.signal);
    return { status: run.error ? 'failed' : 'completed', prepared, review, run, durationMs: elapsed() };
  }

  /** The Bin's preflight for a template or destination change (seed §5.1). */
  async reviewChange(change: ChangeRequest): Promise<BinReview> {
    if (change.kind === 'template') {
      if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(change.id)) {
        throw new ExportError('INVALID_INPUT', `Template names are 1–64 letters, digits, "_", "." or "-": "${change.id}".`, { recoverable: false });
      }
      const templatesDir = resolve(this.deps.workspaceRoot, this.deps.config.templatesDir);
      const path = join(templatesDir, `${change.id}.hbs`);
      const existingIds = (await this.templates.list()).filter((t) => t.source === 'workspace').map((t) => t.id);
      const review = await this.bin.preflight(
        templateChangeVerdict({
          type: change.type,
          id: change.id,
          path,
          text: change.text,
          shared: isInside(this.deps.workspaceRoot, path),
          existingIds,
          trusted: this.deps.trusted,
        }),
      );
      if (!review.blocked) this.pendingChanges.set(review.transaction_id, { kind: 'template', path, text: change.text, changeType: change.type, id: change.id });
      return review;
    }
    const verdict = destinationChangeVerdict({
      type: change.type,
      config: change.config,
      existingIds: destinationsOf(this.deps.config).map((d) => d.id),
      workspaceDefined: change.workspaceDefined,
      trusted: this.deps.trusted,
    });
    const { config, ...rest } = verdict;
    const review = await this.bin.preflight(rest);
    if (!review.blocked && config) this.pendingChanges.set(review.transaction_id, { kind: 'destination', config, changeType: change.type });
    return review;
  }

  /**
   * Accepts a reviewed change. A template is written (atomically) and
   * committed here; a destination's settings are written by the client, which
   * then calls finishChange.
   */
  async applyChange(transactionId: string, explicit: boolean): Promise<AppliedChange> {
    const change = this.pendingChanges.get(transactionId);
    if (!change) throw new ExportError('INVALID_INPUT', `No pending change with transaction id ${transactionId}.`, { recoverable: false });
    await this.bin.accept(transactionId, explicit);
    if (change.kind === 'destination') return { kind: 'destination', config: change.config };
    this.pendingChanges.delete(transactionId);
    try {
      await mkdir(dirname(change.path), { recursive: true });
      await atomicWriteFile(change.path, change.text);
      await this.bin.commit(transactionId, { path: change.path });
    } catch (thrown) {
      await this.bin.rollback(transactionId, { error_code: toExportError(thrown).code }).catch(() => undefined);
      throw toExportError(thrown);
    }
    return { kind: 'template', path: change.path };
  }

  /** The client reports whether it saved an accepted destination change. */
  async finishChange(transactionId: string, ok: boolean, message?: string): Promise<void> {
    const change = this.pendingChanges.get(transactionId);
    if (!change || change.kind !== 'destination') {
      throw new ExportError('INVALID_INPUT', `No accepted destination change with transaction id ${transactionId}.`, { recoverable: false });
    }
    this.pendingChanges.delete(transactionId);
    if (!ok) {
      await this.bin.rollback(transactionId, { reason: message ?? 'settings not saved' });
      return;
    }
    await this.bin.commit(transactionId, { destination: change.config.id });
    await this.bin.security(
      change.changeType === 'CreateDestination' ? 'destination_created' : 'destination_updated',
      'info',
      `destination:${change.config.id}`,
      { destination_type: change.config.type },
    );
  }

  async listJobs(query?: JobQuery): Promise<JobRecord[]> {
    return this.deps.store.listJobs(query);
  }

  async getJob(jobId: string): Promise<{ job: JobRecord; audit: AuditEvent[] }> {
    const job = await this.deps.store.getJob(jobId);
    if (!job) throw new ExportError('JOB_NOT_FOUND', `No export job with id ${jobId}.`, { recoverable: false });
    const byJob = await this.deps.store.listAudit({ jobId });
    const byTx = job.transaction_id ? await this.deps.store.listAudit({ transactionId: job.transaction_id }) : [];
    const seen = new Set<string>();
    const audit = [...byTx, ...byJob]
      .filter((e) => (seen.has(e.event_id) ? false : (seen.add(e.event_id), true)))
      .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    return { job, audit };
  }

  async rollbackJob(jobId: string): Promise<JobRecord> {
    return rollbackJob(jobId, {
      store: this.deps.store,
      bin: this.bin,
      clock: this.deps.clock,
      destinationFor: (id) =>
        createDestination(findDestinationConfig(this.deps.config, id), {
          workspaceRoot: this.deps.workspaceRoot,
          getSecret: (destinationId, field) => this.getSecretFor(destinationId, field),
        }),
    });
  }

  private destinationConfig(request: ExportRequest): DestinationConfig {
    const found = findDestinationConfig(this.deps.config, request.destination ?? this.deps.config.defaultDestination);
    if (request.outDir !== undefined) {
      if (found.type !== 'local') {
        throw new ExportError('INVALID_INPUT', `--out applies to local destinations; "${found.id}" is ${found.type}.`, {
          recoverable: false,
        });
      }
      return { ...found, baseDir: request.outDir };
    }
    return found;
  }

  private async publish(
    prepared: PreparedExport,
    transactionId: string,
    signal?: AbortSignal,
    onStage?: RunJobDeps['onStage'],
  ): Promise<RunJobOutcome> {
    const { request, destinationConfig } = prepared;
    if (isRemote(destinationConfig.type)) {
      await this.bin.security('export_to_external', 'info', transactionId, {
        destination: destinationConfig.id,
        destination_type: destinationConfig.type,
      });
    }
    const outcome = await runJob(
      {
        transactionId,
        destination: prepared.destination,
        content: prepared.validation.content,
        title: prepared.title,
        metadata: prepared.formatted.metadata,
        job: {
          job_id: `job_${randomUUID()}`,
          source: request.source,
          session_id: prepared.assembled.sessionId,
          message_ids: prepared.assembled.messages.map((m) => m.id),
          ...(request.blockIds && request.blockIds.length > 0 ? { block_ids: request.blockIds } : {}),
          template_id: prepared.template.id,
          destination_id: destinationConfig.id,
          filename: prepared.filename,
          title: prepared.title,
          token_count: prepared.preview.statistics.token_count,
          risk_level: riskOfDestination(destinationConfig.type),
          ...(request.batchId ? { batch_id: request.batchId } : {}),
          stages_ms: roundStages(prepared.stagesMs),
        },
      },
      {
        store: this.deps.store,
        bin: this.bin,
        clock: this.deps.clock,
        maxRetries: this.deps.config.limits.maxRetries,
        rateLimiter: this.rateLimiter,
        timeoutMs: this.deps.config.limits.defaultTimeoutMs,
        ...(this.deps.sleep ? { sleep: this.deps.sleep } : {}),
        ...(signal ? { signal } : {}),
        ...(onStage ? { onStage } : {}),
      },
    );
    prepared.stagesMs.publish = outcome.publishMs;
    if (!outcome.error) {
      await this.deps.store.updateJob(outcome.job.job_id, { stages_ms: roundStages(prepared.stagesMs) }).catch(() => undefined);
      outcome.job.stages_ms = roundStages(prepared.stagesMs);
    }
    return outcome;
  }
}

export function roundStages(stages: Partial<Record<StageName, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of ['assembly', 'transformation', 'validation', 'preview', 'publish'] as const) {
    out[name] = Math.round((stages[name] ?? 0) * 1000) / 1000;
  }
  return out;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return toExportError(error).message;
}

export { reviewToJson };
