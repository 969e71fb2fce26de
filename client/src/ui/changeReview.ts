import * as vscode from 'vscode';
import { ApplyChangeRequest, RejectReviewRequest, ReviewChangeRequest, type ChangeParams } from '../../../server/src/protocol';
import type { Ctx } from '../context';
import { toUserFacingError } from '../languageClient/serverErrors';
import { reviewDetail } from './format';

/**
 * A template or destination change through the Bin, as the person sees it:
 * devguide/reviewChange; a blocked change is an error; one that needs an
 * explicit Accept asks in a modal (risk, what it touches, warnings) unless
 * the caller accepted already (`accept`, like the CLI's --yes); then
 * devguide/applyChange. A change nobody accepted is rejected, so the Bin
 * does not keep it open.
 */

export type AppliedChange = Awaited<ReturnType<typeof applyChange>>;

export type ChangeOutcome =
  | { status: 'applied'; transactionId: string; applied: AppliedChange }
  | { status: 'blocked'; code: string; message: string }
  | { status: 'rejected'; transactionId: string };

export async function reviewAndApplyChange(ctx: Ctx, change: ChangeParams, options: { what: string; accept?: boolean }): Promise<ChangeOutcome> {
  const review = await ctx.server.request(ReviewChangeRequest.type, change);
  const transactionId = review.transaction_id;
  if (review.blocked) {
    const code = review.reason ?? 'BIN_BLOCKED';
    const message = review.reason_message ?? 'The Bin blocked this change.';
    ctx.logger.warn(`${options.what}: blocked by the Bin [${code}] ${message}`);
    void vscode.window.showErrorMessage(`${options.what} is blocked: ${message}`);
    return { status: 'blocked', code, message };
  }
  let explicit = options.accept === true;
  if (review.requires_accept && !explicit) {
    const choice = await vscode.window.showWarningMessage(`${options.what}?`, { modal: true, detail: reviewDetail(review) }, 'Accept');
    if (choice !== 'Accept') {
      await reject(ctx, transactionId, 'not accepted');
      return { status: 'rejected', transactionId };
    }
    explicit = true;
  }
  ctx.logger.info(`${options.what}: accepted (transaction ${transactionId}, risk ${review.risk_level}).`);
  return { status: 'applied', transactionId, applied: await applyChange(ctx, transactionId, explicit) };
}

function applyChange(ctx: Ctx, transactionId: string, explicit: boolean) {
  return ctx.server.request(ApplyChangeRequest.type, { transactionId, explicit });
}

async function reject(ctx: Ctx, transactionId: string, reason: string): Promise<void> {
  try {
    await ctx.server.request(RejectReviewRequest.type, { transactionId, reason });
  } catch (error) {
    ctx.logger.warn(`Rejecting change ${transactionId}: ${toUserFacingError(error).message}`);
  }
}
