import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { api, inWorkspace, waitFor } from './helpers';

const BROKEN = ['---', 'name: Bad', 'output: markdown', 'colour: blue', '---', '# {{metadata.title}}', '{{#if metadata.tags}}', 'unclosed', ''].join('\n');
const FIXED = ['---', 'name: Bad', 'output: markdown', '---', '# {{metadata.title}}', '{{#if metadata.tags}}', 'tagged', '{{/if}}', '{{{content}}}', ''].join('\n');

export function diagnosticsTests(): void {
  describe('template diagnostics', () => {
    it('appear on a broken template and disappear when it is fixed', async () => {
      await (await api()).whenServerReady();
      mkdirSync(inWorkspace('.devguide', 'templates'), { recursive: true });
      const path = inWorkspace('.devguide', 'templates', 'bad.hbs');
      writeFileSync(path, BROKEN);
      const uri = vscode.Uri.file(path);
      const document = await vscode.workspace.openTextDocument(uri);
      assert.equal(document.languageId, 'devguide-template', 'the templates folder gets the DevGuide Template language');
      await vscode.window.showTextDocument(document);

      const diagnosticsOf = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === undefined || /devguide/i.test(d.source));
      const broken = await waitFor(
        vscode.languages.onDidChangeDiagnostics,
        () => (diagnosticsOf().length > 0 ? diagnosticsOf() : undefined),
        'diagnostics on bad.hbs',
      );
      const messages = broken.map((d) => `${String(typeof d.code === 'object' ? d.code.value : d.code)}: ${d.message}`).join('\n');
      assert.ok(broken.some((d) => d.severity === vscode.DiagnosticSeverity.Error), messages);
      assert.match(messages, /colour/, 'the unknown header key is named');

      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), FIXED);
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor(vscode.languages.onDidChangeDiagnostics, () => (diagnosticsOf().length === 0 ? true : undefined), 'diagnostics to clear');
      await document.save();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  });
}
