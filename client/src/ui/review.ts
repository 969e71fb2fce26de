import * as vscode from 'vscode';
import type { PreviewResult } from '../../../server/src/protocol';
import { blockedText, reviewText } from './format';
import type { VirtualDocuments } from './virtualDocuments';

/**
 * The Bin's review as a modal dialog (until the review panel lands):
 * Accept / View Diff / Reject. View Diff opens VS Code's diff editor on the
 * existing and the new content, then asks again.
 */

export type ReviewDecision = 'accept' | 'reject';

const ACCEPT = 'Accept';
const VIEW_DIFF = 'View Diff';
const VIEW_OUTPUT = 'View Output';
const REJECT = 'Reject';
const REDACT = 'Redact and Review Again';

export async function askReview(preview: PreviewResult, destinationName: string, documents: VirtualDocuments): Promise<ReviewDecision> {
  const { message, detail } = reviewText(preview, destinationName);
  const high = preview.review.risk_level === 'high' || preview.review.risk_level === 'critical';
  const show = high ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const view = preview.is_update ? VIEW_DIFF : VIEW_OUTPUT;
  for (;;) {
    const choice = await show(message, { modal: true, detail }, ACCEPT, view, REJECT);
    if (choice === ACCEPT) return 'accept';
    if (choice !== view) return 'reject'; // Reject, or the dialog closed (Cancel / Escape).
    await openReviewDocuments(preview, documents);
  }
}

/** The diff editor (existing ↔ new) for an update; the new content alone for a create. */
export async function openReviewDocuments(preview: PreviewResult, documents: VirtualDocuments): Promise<void> {
  const base = `/review/${preview.transaction_id}`;
  const next = documents.put(`${base}/new/${preview.filename}`, preview.content);
  if (preview.is_update) {
    const existing = documents.put(`${base}/existing/${preview.filename}`, preview.existing_content ?? '');
    await vscode.commands.executeCommand('vscode.diff', existing, next, `${preview.filename} (existing ↔ export)`, { preview: true });
  } else {
    await vscode.window.showTextDocument(next, { preview: true });
  }
}

/** A blocked review: the reason, and for detected secrets a way to redact them. */
export async function askBlocked(preview: PreviewResult, canRedact: boolean): Promise<'redact' | 'close'> {
  const { message, detail } = blockedText(preview, canRedact);
  const actions = canRedact ? [REDACT] : [];
  const choice = await vscode.window.showErrorMessage(message, { modal: true, detail }, ...actions);
  return choice === REDACT ? 'redact' : 'close';
}
