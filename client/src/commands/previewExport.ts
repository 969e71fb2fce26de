import * as vscode from 'vscode';
import type { CmdFactory } from '../context';
import { parseArgs, previewExportArgs } from './args';
import { acceptWithoutPanel, CANCELLED, closeReview, gatherExport, previewWithProgress, review, type ExportOutcome } from './exportFlow';
import { editorFor } from './exportSelection';
import { targetFromEditor } from './exportSource';

/**
 * Preview Export: the panel for the current selection as a preview, opened
 * beside the editor without taking the focus — the rendered output,
 * statistics, validation and the Bin's verdict, and no Accept: its Export…
 * button turns it into the review (the command returns `in_review`). With
 * `show: false` (executeCommand callers) only the preview's facts come back
 * (`previewed`) and its review is discarded.
 */

export type PreviewOutcome =
  | { status: 'previewed'; transactionId: string; filename: string; lineCount: number; tokenCount: number; blocked: boolean }
  | ExportOutcome;

export const previewExport: CmdFactory = (ctx) => async (arg?: unknown): Promise<PreviewOutcome> => {
  const startedAt = performance.now();
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
  const previewing = previewWithProgress(ctx, gathered.params);
  if (args.show !== false && !args.accept) {
    return review(ctx, gathered.params, previewing, {
      startedAt,
      title: `Preview: ${target.suggestedTitle}`,
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
      mode: 'preview',
    });
  }
  const preview = await previewing;
  if (args.accept) return acceptWithoutPanel(ctx, preview, gathered.destinationName);
  await closeReview(ctx, preview.transaction_id, 'previewed only');
  return {
    status: 'previewed',
    transactionId: preview.transaction_id,
    filename: preview.filename,
    lineCount: preview.statistics.line_count,
    tokenCount: preview.statistics.token_count,
    blocked: preview.review.blocked,
  };
};
