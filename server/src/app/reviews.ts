import type { Bin } from '../governance/bin';
import { evaluateExportRules } from '../governance/exportRules';
import { SECRET_IN_FIELD } from '../governance/fieldScan';
import { scanForSecrets } from '../governance/secretScan';
import type { BinReview } from '../governance/review';
import { riskOfDestination } from '../governance/risk';
import { ExportError, toExportError } from '../errors';
import { contentHash, type PublishOutcome } from '../pipeline/publish';
import type { PreparedExport } from './prepare';
import { publishPrepared, publishPreparedTogether, type PublishOptions } from './publishing';
import type { AppState } from './state';

/**
 * The open reviews of exports, owned for the life of the process with the
 * Bin: a settings or trust change never drops one. When a review is
 * accepted, what it was made against is checked again — a destination
 * removed or changed, or a template that can no longer run, says so.
 */

export class OpenReviews {
  private readonly open = new Map<string, PreparedExport>();

  constructor(
    private readonly state: AppState,
    readonly bin: Bin,
  ) {}

  /** The Bin's preflight of a prepared export; it stays open until accepted or rejected. */
  async review(prepared: PreparedExport): Promise<BinReview> {
    if (!prepared.template.builtin) {
      await this.bin.security('template_executed', 'info', prepared.template.path ?? prepared.template.id, { template: prepared.template.id });
    }
    const review = await this.bin.preflight(await exportVerdict(this.state, prepared));
    if (review.blocked) await prepared.destination.dispose();
    else this.open.set(review.transaction_id, prepared);
    return review;
  }

  /** Accepts an open review and publishes it. `explicit` is a person's Accept or `--yes`. */
  async accept(
    transactionId: string,
    explicit: boolean,
    options: PublishOptions & { force?: boolean } = {},
  ): Promise<{ prepared: PreparedExport; outcome: PublishOutcome }> {
    const prepared = this.open.get(transactionId);
    if (!prepared) {
      throw new ExportError('INVALID_INPUT', `No open review with transaction id ${transactionId}: it was accepted, rejected, or made by an earlier run of the server.`, {
        recoverable: false,
      });
    }
    const stale = await this.staleness(prepared);
    if (stale) {
      await this.close(transactionId, `stale: ${stale.code}`);
      throw stale;
    }
    if (prepared.unchanged && !options.force) {
      // The review stays open: the person may still choose to write it anyway.
      throw new ExportError('REVIEW_REQUIRED', `${prepared.filename} already holds this output (only the export time differs): nothing to write. Export it anyway to write it again.`, {
        details: { unchanged: true },
        recoverable: true,
      });
    }
    await this.bin.accept(transactionId, explicit);
    this.open.delete(transactionId);
    options.onProgress?.({ kind: 'begin', title: 'DevGuide Export', stage: 'publish', message: `Publishing ${prepared.filename}…`, cancellable: true });
    try {
      return { prepared, outcome: await publishPrepared(this.state, this.bin, prepared, transactionId, options) };
    } finally {
      options.onProgress?.({ kind: 'end' });
      await prepared.destination.dispose();
    }
  }

  /** Whether an open review's destination writes many files as one change (Destination.saveBatch). */
  writesTogether(transactionId: string): boolean {
    return this.open.get(transactionId)?.destination.saveBatch !== undefined;
  }

  /**
   * Accepts several open reviews of one destination and publishes them as
   * one change where the destination can (a batch to GitHub: one commit).
   * Each review is checked as accept() checks it; one that cannot be
   * accepted gets its error and the others go ahead. Results in input order.
   */
  async acceptTogether(
    items: { transactionId: string; explicit: boolean }[],
    options: PublishOptions = {},
  ): Promise<{ outcome?: PublishOutcome; error?: ExportError }[]> {
    const results: { outcome?: PublishOutcome; error?: ExportError }[] = items.map(() => ({}));
    const accepted: { prepared: PreparedExport; transactionId: string; index: number }[] = [];
    for (const [index, { transactionId, explicit }] of items.entries()) {
      const prepared = this.open.get(transactionId);
      try {
        if (!prepared) throw new ExportError('INVALID_INPUT', `No open review with transaction id ${transactionId}.`, { recoverable: false });
        const stale = await this.staleness(prepared);
        if (stale) {
          await this.close(transactionId, `stale: ${stale.code}`);
          throw stale;
        }
        if (prepared.unchanged) {
          throw new ExportError('REVIEW_REQUIRED', `${prepared.filename} already holds this output (only the export time differs): nothing to write.`, {
            details: { unchanged: true },
            recoverable: true,
          });
        }
        await this.bin.accept(transactionId, explicit);
        this.open.delete(transactionId);
        accepted.push({ prepared, transactionId, index });
      } catch (thrown) {
        results[index] = { error: toExportError(thrown) };
      }
    }
    try {
      const outcomes = accepted.length === 0 ? [] : await publishPreparedTogether(this.state, this.bin, accepted, options);
      outcomes.forEach((outcome, i) => {
        results[(accepted[i] as { index: number }).index] = { outcome };
      });
    } finally {
      await Promise.all(accepted.map((a) => a.prepared.destination.dispose()));
    }
    return results;
  }

  async reject(transactionId: string, reason?: string): Promise<void> {
    await this.close(transactionId, reason);
  }

  /**
   * An export stopped before its review because a path or an id it names
   * holds a possible secret: the block is audited and a security event, by
   * field and rule only.
   */
  async recordFieldBlock(error: ExportError): Promise<void> {
    const fields = error.details?.['fields'];
    await this.bin.auditAction('CreateExportJob.block', 'export request', 'blocked', { reason: SECRET_IN_FIELD, fields });
    await this.bin.security('secret_detected', 'critical', 'export request', { reason: SECRET_IN_FIELD, fields });
  }

  /** Closes every open review's destination (the process is ending). */
  async dispose(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((p) => p.destination.dispose()));
  }

  private async close(transactionId: string, reason?: string): Promise<void> {
    const prepared = this.open.get(transactionId);
    this.open.delete(transactionId);
    await prepared?.destination.dispose();
    await this.bin.reject(transactionId, reason);
  }

  /** Why an open review can no longer be accepted as it was reviewed, or undefined. */
  private async staleness(prepared: PreparedExport): Promise<ExportError | undefined> {
    const { destinationConfig: reviewed, template } = prepared;
    const current = this.state.destinations().find((d) => d.id === reviewed.id);
    const again = ' Preview the export again.';
    if (!current) {
      return new ExportError('DESTINATION_NOT_FOUND', `The destination "${reviewed.id}" of this review was removed from the settings since it was reviewed.${again}`, {
        recoverable: false,
      });
    }
    const retargeted = prepared.request.outDir !== undefined;
    if (!retargeted && JSON.stringify(current) !== JSON.stringify(reviewed)) {
      return new ExportError('DESTINATION_CONFIG_INVALID', `The destination "${reviewed.id}" was changed in the settings since this review.${again}`, {
        recoverable: false,
      });
    }
    if (!template.builtin && !this.state.trust.trusted) {
      return new ExportError('UNTRUSTED_WORKSPACE', `The template "${template.id}" is a workspace template and this workspace is no longer trusted.${again}`, {
        recoverable: false,
      });
    }
    const unavailable = this.state.destinationUnavailable(current);
    if (unavailable) return new ExportError('UNTRUSTED_WORKSPACE', `The destination "${current.id}" cannot be used now: ${unavailable}${again}`, { recoverable: false });
    return undefined;
  }
}

/** The export rules' findings and the impact report the Bin decides on. */
async function exportVerdict(state: AppState, prepared: PreparedExport) {
  const { destinationConfig, template, validation, preview, impact } = prepared;
  const secretFindings = await scanForSecrets(validation.content);
  const outcome = evaluateExportRules({
    type: 'CreateExportJob',
    actor: state.env.actor,
    trusted: state.trust.trusted,
    destination: {
      id: destinationConfig.id,
      type: destinationConfig.type,
      workspaceDefined: state.trust.workspaceDestinationIds.has(destinationConfig.id),
      ...(destinationConfig.allowedUsers === undefined ? {} : { allowedUsers: destinationConfig.allowedUsers }),
    },
    template: { id: template.id, source: template.builtin ? 'builtin' : 'workspace', htmlBound: template.htmlBound },
    filename: prepared.filename,
    content: validation.content,
    secretFindings,
    fieldFindings: prepared.fieldFindings,
    tokenCount: preview.statistics.token_count,
    validation,
    preview,
    impact,
  });
  const deletions = preview.diff?.deletions ?? 0;
  return {
    changeType: 'CreateExportJob' as const,
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
        deletions,
        redactions: prepared.redactions,
      },
    },
    warnings: prepared.unchanged
      ? [{ code: 'UNCHANGED', message: `Unchanged: ${prepared.filename} already holds this output apart from the export time; nothing is written unless you export it anyway.` }, ...outcome.warnings]
      : outcome.warnings,
    ...(outcome.block ? { block: outcome.block } : {}),
    forceAccept: deletions > 0,
    auditMetadata: {
      template: template.id,
      destination: destinationConfig.id,
      filename: prepared.filename,
      content_hash: contentHash(validation.content),
      token_cost: preview.statistics.token_count,
    },
  };
}
