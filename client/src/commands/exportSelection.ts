import * as vscode from 'vscode';
import type { CmdFactory } from '../context';
import { exportSelectionArgs, parseArgs } from './args';
import { CANCELLED, exportTarget, type ExportOutcome } from './exportFlow';
import { targetFromEditor } from './exportSource';

/**
 * Export Selection: the active editor's selection — in a transcript, the
 * messages under it (or picked from a list when nothing is selected).
 * From the editor's context menu the first argument is the document's Uri.
 */
export const exportSelection: CmdFactory = (ctx) => async (arg?: unknown): Promise<ExportOutcome> => {
  const startedAt = performance.now();
  const choices = parseArgs(exportSelectionArgs, arg instanceof vscode.Uri ? undefined : arg, 'Export Selection');
  const editor = editorFor(arg);
  if (!editor) {
    const choice = await vscode.window.showInformationMessage(
      'Export Selection works on the active editor: select text, or open a chat transcript. Export a transcript file instead?',
      'Export Transcript…',
    );
    return choice ? ((await vscode.commands.executeCommand('devguideExport.exportTranscript')) as ExportOutcome) : CANCELLED;
  }
  const target = await targetFromEditor(ctx, editor);
  if (target === 'cancelled') return CANCELLED;
  if (target === 'nothing-selected') {
    void vscode.window.showInformationMessage('Select the text to export first (or open a chat transcript to pick its messages).');
    return CANCELLED;
  }
  return exportTarget(ctx, target, choices, startedAt);
};

export function editorFor(arg: unknown): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (!(arg instanceof vscode.Uri)) return active;
  if (active?.document.uri.toString() === arg.toString()) return active;
  return vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === arg.toString()) ?? active;
}
