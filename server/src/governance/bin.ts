import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { RiskLevel } from '../config';
import { ExportError } from '../errors';
import type { AuditStatus, SecurityEventType, Store } from '../store/types';
import type { BinReview, ChangeType, ImpactReport, ReviewWarning, TransactionState } from './review';
import { isAtLeast } from './risk';

/**
 * The Bin: every mutation is reviewed (preflight), decided (accept / reject)
 * and finished (commit / rollback), and each step is an audit event. It keeps
 * pending transactions in memory; the job store keeps what outlives them.
 */

export interface Verdict {
  changeType: ChangeType;
  impact: ImpactReport;
  warnings: ReviewWarning[];
  block?: { reason: string; message: string };
  /** Forces an explicit Accept whatever the risk (e.g. an overwrite). */
  forceAccept?: boolean;
  /** Non-content facts for the audit trail: template, destination, filename, hashes. */
  auditMetadata: Record<string, unknown>;
}

interface Transaction {
  review: BinReview;
  state: TransactionState;
  auditMetadata: Record<string, unknown>;
  startedAt: number;
}

export interface BinOptions {
  store: Store;
  clock: Clock;
  requireAt: RiskLevel;
  actor: string;
  newId?: () => string;
}

export class Bin {
  private readonly transactions = new Map<string, Transaction>();
  private readonly newId: () => string;

  constructor(private readonly options: BinOptions) {
    this.newId = options.newId ?? randomUUID;
  }

  get actor(): string {
    return this.options.actor;
  }

  /** Records the verdict as a pending (or blocked) transaction and returns the review. */
  async preflight(verdict: Verdict): Promise<BinReview> {
    const id = `tx_${this.newId()}`;
    const blocked = verdict.block !== undefined;
    const overwrites = verdict.impact.action === 'UPDATE' && verdict.forceAccept === true;
    const review: BinReview = {
      transaction_id: id,
      change_type: verdict.changeType,
      impact: verdict.impact,
      blocked,
      warnings: verdict.warnings,
      requires_accept: !blocked && (isAtLeast(verdict.impact.risk_level, this.options.requireAt) || overwrites),
      created_at: this.options.clock.now().toISOString(),
    };
    if (verdict.block) {
      review.reason = verdict.block.reason;
      review.reason_message = verdict.block.message;
    }
    this.transactions.set(id, {
      review,
      state: blocked ? 'blocked' : 'pending',
      auditMetadata: verdict.auditMetadata,
      startedAt: this.options.clock.monotonic(),
    });
    await this.audit(id, 'preflight', blocked ? 'blocked' : 'pending', {
      warnings: review.warnings.map((w) => w.code),
      requires_accept: review.requires_accept,
    });
    if (verdict.block) {
      await this.audit(id, 'block', 'blocked', { reason: verdict.block.reason });
      if (verdict.block.reason === 'PERMISSION_DENIED' || verdict.block.reason === 'UNTRUSTED_WORKSPACE') {
        await this.security('access_denied', 'warning', id, { reason: verdict.block.reason });
      }
    }
    const secretWarnings = review.warnings.filter((w) => w.code === 'SECRET_DETECTED' || w.code === 'SECRET_IN_FIELD');
    if (secretWarnings.length > 0) {
      await this.security('secret_detected', blocked ? 'critical' : 'warning', id, {
        findings: secretWarnings.length,
        ...(secretWarnings.some((w) => w.code === 'SECRET_IN_FIELD') ? { in_fields: secretWarnings.filter((w) => w.code === 'SECRET_IN_FIELD').length } : {}),
      });
    }
    return review;
  }

  review(transactionId: string): BinReview {
    return this.get(transactionId).review;
  }

  state(transactionId: string): TransactionState {
    return this.get(transactionId).state;
  }

  /**
   * `explicit` is a person's Accept (review panel, `--yes`). Without it only
   * reviews that do not require one go through. A block is final.
   */
  async accept(transactionId: string, explicit: boolean): Promise<BinReview> {
    const tx = this.get(transactionId);
    if (tx.state === 'blocked') {
      throw new ExportError('BIN_BLOCKED', tx.review.reason_message ?? 'The Bin blocked this change.', {
        details: { transaction_id: transactionId, reason: tx.review.reason },
        recoverable: false,
      });
    }
    if (tx.state !== 'pending') {
      throw new ExportError('INVALID_INPUT', `Transaction ${transactionId} is already ${tx.state}.`, { recoverable: false });
    }
    if (tx.review.requires_accept && !explicit) {
      throw new ExportError('REVIEW_REQUIRED', 'This change needs an explicit Accept (review it, then accept or pass --yes).', {
        details: { transaction_id: transactionId, risk_level: tx.review.impact.risk_level },
        recoverable: true,
      });
    }
    tx.state = 'accepted';
    await this.audit(transactionId, 'accept', 'success', { explicit });
    return tx.review;
  }

  async reject(transactionId: string, reason = 'rejected by user'): Promise<void> {
    const tx = this.get(transactionId);
    if (tx.state !== 'pending' && tx.state !== 'blocked') {
      throw new ExportError('INVALID_INPUT', `Transaction ${transactionId} is already ${tx.state}.`, { recoverable: false });
    }
    tx.state = 'rejected';
    await this.audit(transactionId, 'reject', 'success', { reason });
    this.transactions.delete(transactionId);
  }

  /** The change was applied: record it. Throws if the audit write fails, so the caller can undo. */
  async commit(transactionId: string, facts: Record<string, unknown> = {}): Promise<void> {
    const tx = this.get(transactionId);
    if (tx.state !== 'accepted') {
      throw new ExportError('INVALID_INPUT', `Transaction ${transactionId} is ${tx.state}, not accepted.`, { recoverable: false });
    }
    await this.audit(transactionId, 'commit', 'success', facts);
    tx.state = 'committed';
    this.transactions.delete(transactionId);
  }

  /** The change failed or was undone after accept: record the rollback. */
  async rollback(transactionId: string, facts: Record<string, unknown> = {}): Promise<void> {
    const tx = this.transactions.get(transactionId);
    if (tx) tx.state = 'rolled_back';
    await this.audit(transactionId, 'rollback', 'success', facts);
    this.transactions.delete(transactionId);
  }

  /** Audit of an action outside a transaction's life (e.g. a later user rollback of a job). */
  async auditAction(
    action: string,
    resource: string,
    status: AuditStatus,
    metadata: Record<string, unknown>,
    ids: { jobId?: string; transactionId?: string } = {},
  ): Promise<void> {
    await this.options.store.appendAudit({
      event_id: `ev_${this.newId()}`,
      timestamp: this.options.clock.now().toISOString(),
      action,
      resource,
      status,
      actor: this.options.actor,
      metadata,
      ...(ids.jobId === undefined ? {} : { job_id: ids.jobId }),
      ...(ids.transactionId === undefined ? {} : { transaction_id: ids.transactionId }),
    });
  }

  async security(
    type: SecurityEventType,
    severity: 'info' | 'warning' | 'critical',
    resourceOrTx: string,
    metadata: Record<string, unknown>,
  ): Promise<void> {
    const tx = this.transactions.get(resourceOrTx);
    const resource = tx ? (tx.review.impact.affected_resources[0] ?? resourceOrTx) : resourceOrTx;
    await this.options.store.appendSecurity({
      event_id: `sec_${this.newId()}`,
      timestamp: this.options.clock.now().toISOString(),
      type,
      severity,
      actor: this.options.actor,
      resource,
      metadata: tx ? { transaction_id: resourceOrTx, ...metadata } : metadata,
    });
  }

  private get(transactionId: string): Transaction {
    const tx = this.transactions.get(transactionId);
    if (!tx) {
      throw new ExportError('INVALID_INPUT', `No pending review with transaction id ${transactionId} (it may have expired or finished).`, {
        recoverable: false,
      });
    }
    return tx;
  }

  private async audit(transactionId: string, step: string, status: AuditStatus, extra: Record<string, unknown>): Promise<void> {
    const tx = this.get(transactionId);
    const jobId = typeof extra['job_id'] === 'string' ? extra['job_id'] : undefined;
    await this.auditAction(
      `${tx.review.change_type}.${step}`,
      tx.review.impact.affected_resources[0] ?? '',
      status,
      {
        ...tx.auditMetadata,
        risk_level: tx.review.impact.risk_level,
        action: tx.review.impact.action,
        duration_ms: Math.round(this.options.clock.monotonic() - tx.startedAt),
        ...extra,
      },
      { transactionId, ...(jobId === undefined ? {} : { jobId }) },
    );
  }
}
