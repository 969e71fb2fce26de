import * as vscode from 'vscode';
import type { PreviewResult } from '../../../server/src/protocol';
import { VIRTUAL_SCHEME, type VirtualDocuments } from './virtualDocuments';

/**
 * A review's content in read-only editors, beside the review panel: VS
 * Code's diff editor (existing ↔ new) for an update, the new content alone
 * otherwise.
 */

function reviewPath(preview: PreviewResult, side: 'existing' | 'new'): string {
  return `/review/${preview.transaction_id}/${side}/${preview.filename}`;
}

export async function openDiff(preview: PreviewResult, documents: VirtualDocuments): Promise<void> {
  if (!preview.is_update) return openContent(preview, documents);
  const existing = documents.put(reviewPath(preview, 'existing'), preview.existing_content ?? '');
  const next = documents.put(reviewPath(preview, 'new'), preview.content);
  await vscode.commands.executeCommand('vscode.diff', existing, next, `${preview.filename} (existing ↔ export)`, {
    preview: true,
    viewColumn: vscode.ViewColumn.Beside,
  });
}

export async function openContent(preview: PreviewResult, documents: VirtualDocuments): Promise<void> {
  const next = documents.put(reviewPath(preview, 'new'), preview.content);
  await vscode.window.showTextDocument(next, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

/** Closes the editors (diff or content) showing any of these reviews' documents. */
export async function closeReviewDocuments(transactionIds: ReadonlySet<string>): Promise<void> {
  if (transactionIds.size === 0) return;
  const ofReview = (uri: vscode.Uri | undefined): boolean => {
    if (uri?.scheme !== VIRTUAL_SCHEME) return false;
    const [, root, transactionId] = uri.path.split('/');
    return root === 'review' && transactionId !== undefined && transactionIds.has(transactionId);
  };
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter(({ input }) => (input instanceof vscode.TabInputTextDiff ? ofReview(input.modified) : input instanceof vscode.TabInputText && ofReview(input.uri)));
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
}
