import { randomUUID } from 'node:crypto';
import type { ExpectedTarget } from '../destinations/types';
import type { Bin } from '../governance/bin';
import { isRemote, riskOfDestination } from '../governance/risk';
import { publishJob, type PublishOutcome } from '../pipeline/publish';
import type { JobProgressValue, Stage } from '../protocol';
import type { PreparedExport, StageTimes } from './prepare';
import type { AppState } from './state';

/**
 * Stage 5 for an accepted review: the job record the store keeps (everything
 * its rollback and retry need), then the pipeline's publish inside the Bin's
 * transaction.
 */

export interface PublishOptions {
  signal?: AbortSignal;
  onProgress?: (value: JobProgressValue) => void;
}

export async function publishPrepared(
  state: AppState,
  bin: Bin,
  prepared: PreparedExport,
  transactionId: string,
  options: PublishOptions,
): Promise<PublishOutcome> {
  const { destinationConfig } = prepared;
  if (isRemote(destinationConfig.type)) {
    await bin.security('export_to_external', 'info', transactionId, { destination: destinationConfig.id, destination_type: destinationConfig.type });
  }
  const outcome = await publishJob(
    {
      transactionId,
      destination: prepared.destination,
      content: prepared.validation.content,
      title: prepared.title,
      metadata: prepared.formatted.metadata,
      job: jobFields(prepared),
      ...expectedTarget(prepared),
    },
    {
      store: state.store,
      bin,
      clock: state.env.clock,
      maxRetries: state.config.limits.maxRetries,
      rateLimiter: state.rateLimiter,
      timeoutMs: state.config.limits.defaultTimeoutMs,
      ...(state.env.sleep ? { sleep: state.env.sleep } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onStep: (step) =>
        options.onProgress?.({ kind: 'report', stage: 'publish', step, message: step === 'write' ? 'Publishing…' : 'Committing…' }),
    },
  );
  prepared.stagesMs.publish = outcome.publishMs;
  if (!outcome.error) {
    const stages_ms = roundStages(prepared.stagesMs);
    outcome.job = await state.store.updateJob(outcome.job.job_id, { stages_ms }).catch(() => ({ ...outcome.job, stages_ms }));
  }
  return outcome;
}

/** What the review saw (issue 11): absent, or a version; a destination without versions gets no check. */
function expectedTarget(prepared: PreparedExport): { expected?: ExpectedTarget } {
  const { existing } = prepared;
  if (existing === undefined) return { expected: { exists: false } };
  return existing.version === undefined ? {} : { expected: { exists: true, version: existing.version } };
}

/** The job as recorded before the destination is touched. */
function jobFields(prepared: PreparedExport) {
  const { request, destinationConfig } = prepared;
  return {
    job_id: `job_${randomUUID()}`,
    source: prepared.sourceLabel,
    source_type: request.source.kind,
    session_id: prepared.assembled.sessionId,
    message_ids: prepared.assembled.messages.map((m) => m.id),
    ...(request.blockIds && request.blockIds.length > 0 ? { block_ids: request.blockIds } : {}),
    template_id: prepared.template.id,
    destination_id: destinationConfig.id,
    destination_type: destinationConfig.type,
    /** The destination as it was (no secrets in it): rollback uses it even when the settings changed or `--out` was given. */
    destination_config: { ...destinationConfig } as Record<string, unknown>,
    filename: prepared.filename,
    title: prepared.title,
    token_count: prepared.preview.statistics.token_count,
    char_count: prepared.validation.content.length,
    risk_level: riskOfDestination(destinationConfig.type),
    ...(request.batchId ? { batch_id: request.batchId } : {}),
    stages_ms: roundStages(prepared.stagesMs),
  };
}

export function roundStages(stages: StageTimes): Record<Stage, number> {
  const round = (ms: number | undefined) => Math.round((ms ?? 0) * 1000) / 1000;
  return { assemble: round(stages.assemble), transform: round(stages.transform), validate: round(stages.validate), preview: round(stages.preview), publish: round(stages.publish) };
}
