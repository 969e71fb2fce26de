import type { DestinationConfig } from '../config';
import type { Destination, ExistingContent, ImpactDescription } from '../destinations/types';
import { ExportError } from '../errors';
import type { AssembledContent, FormattedContent, Metadata, PreviewRendered, ValidationResult } from '../model';
import { assemble } from '../pipeline/assemble';
import { buildPreview } from '../pipeline/preview';
import { transform } from '../pipeline/transform';
import { cleanContent, validate } from '../pipeline/validate';
import { assembledIdFields, fieldSecretsError, lookupFields, scanDescriptiveFields, scanFields, type FieldFinding } from '../governance/fieldScan';
import { redactSecrets } from '../governance/redact';
import type { ExportChoices, ExportSource, Stage } from '../protocol';
import type { TemplateDefinition } from '../templates/types';
import type { AppState } from './state';
import { slugOf, suggestFilename, tidyTitle, titleSource } from './suggest';
import { sameApartFromExportTime, shiftedClock } from './unchanged';
import type { Transcripts } from './transcripts';

/** An export as the application takes it: a typed source plus the choices; `outDir`/`batchId` come from the CLI. */
export interface ExportRequest extends ExportChoices {
  source: ExportSource;
  /** CLI `--out`: the local destination's folder for this export. */
  outDir?: string;
  batchId?: string;
}

export type StageTimes = Partial<Record<Stage, number>>;

/** Stages 1–4 done: everything the review and the publish stage need. */
export interface PreparedExport {
  request: ExportRequest;
  sourceLabel: string;
  assembled: AssembledContent;
  template: TemplateDefinition;
  formatted: FormattedContent;
  validation: ValidationResult;
  preview: PreviewRendered;
  destinationConfig: DestinationConfig;
  destination: Destination;
  existing: ExistingContent | undefined;
  impact: ImpactDescription;
  filename: string;
  title: string;
  redactions: number;
  /** Secrets in the request's own fields (file name, title, …): the Bin blocks the export. Their values above are sanitised. */
  fieldFindings: FieldFinding[];
  /** The existing file already holds this output, apart from the export time: nothing to write unless forced. */
  unchanged: boolean;
  stagesMs: StageTimes;
}

/**
 * Runs stages 1–4 (assemble, transform, validate, preview) for a request.
 * Writes nothing. The request's fields are scanned for secrets first: one in
 * a path or an id stops here (before it is used), one in a descriptive
 * field goes on sanitised, for the Bin to block.
 */
export async function prepareExport(
  state: AppState,
  transcripts: Transcripts,
  given: ExportRequest,
  signal?: AbortSignal,
): Promise<PreparedExport> {
  const lookups = await scanFields(lookupFields(given));
  if (lookups.findings.length > 0) throw fieldSecretsError(lookups.findings);
  const { request, findings: fieldFindings } = await scanDescriptiveFields(given);
  const stagesMs: StageTimes = {};
  const timed = stageTimer(state, stagesMs);
  const { transcript, label, selection } = await timed('assemble', () => transcripts.load(request.source, request.sessionId));
  const template = await state.templates.get(request.template ?? state.config.defaultTemplate);
  // The team's shared destinations as they are now; one the actor may not use stops here, before its credentials are opened.
  await state.team.refresh();
  const destinationConfig = chooseDestination(state, request);
  const shared = state.sharedDestination(destinationConfig.id);
  if (shared) await state.team.checkExport(shared, 'export');
  const chosen = selection && !request.messageIds?.length ? { ...request, sessionId: selection.sessionId, messageIds: selection.messageIds } : request;
  const toolOutput = { ...state.config.toolOutput, ...(request.toolOutput ? { mode: request.toolOutput } : {}) };
  const assembled = await timed('assemble', () => assemble(transcript, label, { ...selectionOf(chosen), toolOutput }));
  const ids = await scanFields(assembledIdFields(assembled.sessionId, assembled.messages.map((m) => m.id)));
  if (ids.findings.length > 0) throw fieldSecretsError(ids.findings);
  const wholeSession = !chosen.messageIds?.length && !chosen.blockIds?.length;
  // A title taken from the selection is content, not the user's: a secret in it is redacted, as the content's would be.
  const found = titleSource(assembled, wholeSession);
  const title = request.title?.trim() || tidyTitle({ ...found, text: (await redactSecrets(found.text)).content });
  let redactions = 0;
  const formatted = await timed('transform', async () => {
    const output = transform(assembled, template, userMetadata(request, title), state.env.clock);
    if (!request.redact) return output;
    const redacted = await redactSecrets(output.content);
    redactions = redacted.redactions;
    return { ...output, content: redacted.content };
  });
  const validation = await timed('validate', () => validate(formatted, template, { maxContentLength: state.config.limits.maxContentLength }));
  const destination = await state.openDestination(destinationConfig, signal);
  // A review that fails here never reaches the open reviews: its destination (a database pool) is closed now, or the CLI would not exit.
  const { filename, existing, impact, preview, unchanged } = await disposedOnFailure(destination, async () => {
    const { filename, existing, impact } = await timed('preview', async () => {
      // The name the file gets there: what the review shows, the batch compares and the job records.
      const named = request.filename === undefined ? undefined : destination.normalizeFilename(request.filename);
      const chosen = named !== undefined
        ? { filename: named, existing: await destination.fetchExisting(named, signal) }
        : await suggestFilename(
            { slug: slugOf(title), extension: template.extension },
            { destinationId: destinationConfig.id, sessionId: assembled.sessionId, messageIds: assembled.messages.map((m) => m.id) },
            destination,
            state.store,
            signal,
          );
      // The requested name, so the review still says what it will be saved as.
      return { ...chosen, impact: await destination.describeImpact(request.filename ?? chosen.filename, signal) };
    });
    const preview = await timed('preview', () => buildPreview(validation.content, formatted.metadata, existing?.content));
    const unchanged =
      existing !== undefined &&
      (await timed('preview', async () => {
        const rendered = transform(assembled, template, userMetadata(request, title), shiftedClock(state.env.clock)).content;
        const again = cleanContent(request.redact ? (await redactSecrets(rendered)).content : rendered).content;
        return sameApartFromExportTime(existing.content, validation.content, again);
      }));
    return { filename, existing, impact, preview, unchanged };
  });
  return {
    request,
    sourceLabel: label,
    assembled,
    template,
    formatted,
    validation,
    preview,
    destinationConfig,
    destination,
    existing,
    impact,
    filename,
    title,
    redactions,
    fieldFindings,
    unchanged,
    stagesMs,
  };
}

async function disposedOnFailure<T>(destination: { dispose(): Promise<void> }, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await destination.dispose().catch(() => undefined);
    throw error;
  }
}

function stageTimer(state: AppState, stagesMs: StageTimes) {
  return async <T>(stage: Stage, work: () => T | Promise<T>): Promise<T> => {
    const start = state.env.clock.monotonic();
    try {
      return await work();
    } finally {
      stagesMs[stage] = (stagesMs[stage] ?? 0) + (state.env.clock.monotonic() - start);
    }
  };
}

function selectionOf(request: ExportRequest) {
  return {
    ...(request.sessionId === undefined ? {} : { sessionId: request.sessionId }),
    ...(request.messageIds === undefined || request.messageIds.length === 0 ? {} : { messageIds: request.messageIds }),
    ...(request.blockIds === undefined || request.blockIds.length === 0 ? {} : { blockIds: request.blockIds }),
  };
}

function userMetadata(request: ExportRequest, title: string): Metadata {
  const metadata: Metadata = { title };
  if (request.author) metadata['author'] = request.author;
  if (request.tags && request.tags.length > 0) metadata['tags'] = request.tags;
  for (const [key, value] of Object.entries(request.meta ?? {})) metadata[key] = value;
  return metadata;
}

/** The request's destination (or the default); `--out` retargets a local one. Restricted Mode is the Bin's rule. */
function chooseDestination(state: AppState, request: ExportRequest): DestinationConfig {
  const found = state.destinationConfig(request.destination ?? state.config.defaultDestination);
  if (request.outDir === undefined) return found;
  if (found.type !== 'local') {
    throw new ExportError('INVALID_INPUT', `--out applies to local destinations; "${found.id}" is ${found.type}.`, { recoverable: false });
  }
  return { ...found, baseDir: request.outDir };
}
