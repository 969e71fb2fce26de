import type { RiskLevel } from '../config';

/** The mutations that flow through the Bin (seed §5.1). */
export type ChangeType = 'CreateExportJob' | 'CreateTemplate' | 'UpdateTemplate' | 'CreateDestination' | 'UpdateDestination';

export interface ReviewWarning {
  code: string;
  message: string;
  /** 1-based line in the content, when the warning points at one. */
  line?: number;
}

/** Seed §5.2. */
export interface ImpactReport {
  risk_level: RiskLevel;
  action: 'CREATE' | 'UPDATE';
  affected_resources: string[];
  token_cost: number;
  affected_users: number;
  details: Record<string, unknown>;
}

export type TransactionState = 'pending' | 'accepted' | 'rejected' | 'committed' | 'rolled_back' | 'blocked';

/** What preflight returns: the verdict a person (or `--yes`) decides on. */
export interface BinReview {
  transaction_id: string;
  change_type: ChangeType;
  impact: ImpactReport;
  blocked: boolean;
  /** Why it is blocked (a code such as SECRET_DETECTED), when blocked. */
  reason?: string;
  reason_message?: string;
  warnings: ReviewWarning[];
  /** True when an explicit Accept is needed before the change may run. */
  requires_accept: boolean;
  created_at: string;
}

/** The `"review"` object of the CLI's and the server's JSON (issue 3). */
export interface ReviewJson {
  transaction_id: string;
  risk_level: RiskLevel;
  action: 'CREATE' | 'UPDATE';
  affected_resources: string[];
  token_cost: number;
  warnings: { code: string; message: string; line?: number }[];
  blocked: boolean;
  reason: string | null;
  reason_message: string | null;
  requires_accept: boolean;
}

export function reviewToJson(review: BinReview): ReviewJson {
  return {
    transaction_id: review.transaction_id,
    risk_level: review.impact.risk_level,
    action: review.impact.action,
    affected_resources: review.impact.affected_resources,
    token_cost: review.impact.token_cost,
    warnings: review.warnings.map((w) => (w.line === undefined ? { code: w.code, message: w.message } : { ...w })),
    blocked: review.blocked,
    reason: review.reason ?? null,
    reason_message: review.reason_message ?? null,
    requires_accept: review.requires_accept,
  };
}
