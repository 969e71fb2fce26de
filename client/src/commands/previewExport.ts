import * as vscode from 'vscode';
import { RejectReviewRequest, type PreviewResult } from '../../../server/src/protocol';
import type { CmdFactory, Ctx } from '../context';
import { showError } from '../ui/notify';
import { parseArgs, previewExportArgs } from './args';
import { CANCELLED, gatherExport, previewWithProgress, reviewAndRun, type ExportOutcome, type Gathered } from './exportFlow';
import { editorFor } from './exportSelection';
import { targetFromEditor } from './exportSource';

/**
 * Preview Export: the rendered file of the current selection in a read-only
 * document, with its statistics; "Export…" continues to the review, and
 * anything else discards the pending review.
 */

export type PreviewOutcome =
  | { status: 'previewed'; transactionId: string; filename: string; lineCount: number; tokenCount: number; blocked: boolean; uri?: string }
  | ExportOutcome;

export const previewExport: CmdFactory = (ctx) => async (arg?: unknown): Promise<PreviewOutcome> => {
  const args = parseArgs(previewExportArgs, arg instanceof vscode.Uri ? undefined : arg, 'Preview Export');
  const editor = editorFor(arg);
  if (!editor) {
    void vscode.window.showInformationMessage('Preview Export works on the active editor: select text, or open a chat transcript.');
    return CANCELLED;
  }
  const target = await targetFromEditor(ctx, editor);
  if (target === 'cancelled') return CANCELLED;
  if (target === 'nothing-selected') {
    void vscode.window.showInformationMessage('Select the text to preview first (or open a chat transcript to pick its messages).');
    return CANCELLED;
  }
  const gathered = await gatherExport(ctx, target, args);
  if (!gathered) return CANCELLED;
  const preview = await previewWithProgress(ctx, gathered.params);
  if (args.accept) return reviewAndRun(ctx, preview, gathered.destinationName, { params: gathered.params, accept: true });

  let uri: vscode.Uri | undefined;
  if (args.show !== false) {
    uri = ctx.documents.put(`/preview/${preview.transaction_id}/${preview.filename}`, preview.content);
    await vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
  void offerExport(ctx, preview, gathered);
  return {
    status: 'previewed',
    transactionId: preview.transaction_id,
    filename: preview.filename,
    lineCount: preview.statistics.line_count,
    tokenCount: preview.statistics.token_count,
    blocked: preview.review.blocked,
    ...(uri ? { uri: uri.toString() } : {}),
  };
};

async function offerExport(ctx: Ctx, preview: PreviewResult, gathered: Gathered): Promise<void> {
  const { review, statistics } = preview;
  const facts = `${statistics.line_count} lines · ~${statistics.token_count} tokens · risk ${review.risk_level} · ${review.action}`;
  const text = review.blocked
    ? `Preview of "${preview.filename}" (${facts}). The Bin would block it: ${review.reason_message ?? review.reason ?? 'blocked'}`
    : `Preview of "${preview.filename}": ${facts}.`;
  const choice = await vscode.window.showInformationMessage(text, 'Export…', 'Discard');
  try {
    if (choice === 'Export…') {
      await reviewAndRun(ctx, preview, gathered.destinationName, { params: gathered.params, accept: false });
      return;
    }
    await ctx.server.request(RejectReviewRequest.type, { transactionId: preview.transaction_id, reason: 'previewed only' });
  } catch (error) {
    showError(ctx, error, { prefix: 'Preview Export' });
  }
}
