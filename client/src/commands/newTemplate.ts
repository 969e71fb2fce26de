import * as vscode from 'vscode';
import type { CmdFactory } from '../context';
import { settings } from '../settings';
import { reviewAndApplyChange } from '../ui/changeReview';
import { checkTemplateName, templateStarter } from '../ui/templateStarter';
import { explainRestrictedMode } from '../workspaceTrust';
import { newTemplateArgs, parseArgs } from './args';

/**
 * New Template: `<templatesDir>/<name>.hbs` from a starter, opened for
 * editing. A workspace template is code everyone who opens the workspace
 * runs, so it goes through the Bin's change review; the server writes the
 * file once it is accepted. An existing file is opened instead.
 */

export type NewTemplateOutcome =
  | { status: 'created' | 'exists'; path: string }
  | { status: 'cancelled' }
  | { status: 'refused'; reason: string }
  | { status: 'blocked'; code: string; message: string }
  | { status: 'rejected'; transactionId: string };

export const newTemplate: CmdFactory = (ctx) => async (arg?: unknown): Promise<NewTemplateOutcome> => {
  const args = parseArgs(newTemplateArgs, arg instanceof vscode.Uri ? undefined : arg, 'New Template');
  if (!ctx.trust.trusted) {
    const reason = 'New Template is disabled in Restricted Mode: workspace templates are code and run only in a trusted workspace.';
    void explainRestrictedMode(reason);
    return { status: 'refused', reason };
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    const reason = 'Open a folder first: templates live in the workspace (devguideExport.templatesDir).';
    void vscode.window.showInformationMessage(reason);
    return { status: 'refused', reason };
  }
  const typed =
    args.name ??
    (await vscode.window.showInputBox({
      title: 'DevGuide Export: New Template',
      prompt: `File name of the template in ${settings.templatesDir()} (it is also the template's id)`,
      placeHolder: 'e.g. design-note',
      validateInput: checkTemplateName,
    }));
  if (typed === undefined) return { status: 'cancelled' };
  const problem = checkTemplateName(typed);
  if (problem) {
    void vscode.window.showErrorMessage(problem);
    return { status: 'refused', reason: problem };
  }
  const name = typed.trim();

  const templatesDir = settings.templatesDir();
  const dir = templatesDir.startsWith('/') ? vscode.Uri.file(templatesDir) : vscode.Uri.joinPath(folder.uri, templatesDir);
  const existing = vscode.Uri.joinPath(dir, `${name}.hbs`);
  if (await exists(existing)) {
    void vscode.window.showInformationMessage(`${name}.hbs already exists; opening it.`);
    if (args.open !== false) await vscode.window.showTextDocument(existing, { preview: false });
    return { status: 'exists', path: existing.fsPath };
  }

  const outcome = await reviewAndApplyChange(
    ctx,
    { kind: 'template', type: 'CreateTemplate', id: name, text: templateStarter(name) },
    { what: `Create the template "${name}"`, ...(args.accept === undefined ? {} : { accept: args.accept }) },
  );
  if (outcome.status !== 'applied') return outcome;
  if (outcome.applied.kind !== 'template') throw new Error(`devguide/applyChange answered a ${outcome.applied.kind} change for a template.`);
  const file = vscode.Uri.file(outcome.applied.path);
  ctx.logger.info(`Created template ${file.fsPath} (transaction ${outcome.transactionId}).`);
  if (args.open !== false) await vscode.window.showTextDocument(file, { preview: false });
  return { status: 'created', path: file.fsPath };
};

function exists(uri: vscode.Uri): Thenable<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}
