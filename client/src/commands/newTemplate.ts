import * as vscode from 'vscode';
import type { CmdFactory } from '../context';
import { settings } from '../settings';
import { checkTemplateName, templateStarter } from '../ui/templateStarter';
import { explainRestrictedMode } from '../workspaceTrust';
import { newTemplateArgs, parseArgs } from './args';

/** New Template: `<templatesDir>/<name>.hbs` from a starter, opened for editing. */

export type NewTemplateOutcome = { status: 'created' | 'exists'; path: string } | { status: 'cancelled' } | { status: 'refused'; reason: string };

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
  const name =
    args.name ??
    (await vscode.window.showInputBox({
      title: 'DevGuide Export: New Template',
      prompt: `File name of the template in ${settings.templatesDir()} (it is also the template's id)`,
      placeHolder: 'e.g. design-note',
      validateInput: checkTemplateName,
    }));
  if (name === undefined) return { status: 'cancelled' };
  const problem = checkTemplateName(name);
  if (problem) {
    void vscode.window.showErrorMessage(problem);
    return { status: 'refused', reason: problem };
  }

  const templatesDir = settings.templatesDir();
  const dir = templatesDir.startsWith('/') ? vscode.Uri.file(templatesDir) : vscode.Uri.joinPath(folder.uri, templatesDir);
  const file = vscode.Uri.joinPath(dir, `${name.trim()}.hbs`);
  const exists = await vscode.workspace.fs.stat(file).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await vscode.workspace.fs.createDirectory(dir);
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(templateStarter(name.trim())));
    ctx.logger.info(`Created template ${file.fsPath}.`);
  } else {
    void vscode.window.showInformationMessage(`${name.trim()}.hbs already exists; opening it.`);
  }
  if (args.open !== false) await vscode.window.showTextDocument(file, { preview: false });
  return { status: exists ? 'exists' : 'created', path: file.fsPath };
};
