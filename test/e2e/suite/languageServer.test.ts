import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TemplateSummary } from '../../../server/src/templates/types';
import { api, eventually, hooks, inWorkspace, openEditor, waitFor } from './helpers';

/**
 * What the extension's LSP client (vscode-languageclient, set up in
 * client/src/languageClient/) owns, through the real server: completion and
 * hover in a template, a setting reaching the server without a reload, and
 * the server restarting after its process dies, with the open templates
 * handed to the new one.
 */

const TEMPLATE = ['---', 'name: Completion Check', 'output: markdown', '---', '# {{metadata.}}', '{{{content}}}', ''].join('\n');
const BROKEN = ['---', 'name: Broken', 'output: markdown', 'colour: red', '---', '{{#if metadata.tags}}', 'unclosed', ''].join('\n');

function markdownText(value: vscode.MarkdownString | vscode.MarkedString | string | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : value.value;
}

export function languageServerTests(): void {
  describe('language server client', () => {
    before(async () => {
      await (await api()).whenServerReady();
      mkdirSync(inWorkspace('.devguide', 'templates'), { recursive: true });
    });

    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('offers completion and hover in a template, from the server', async () => {
      const path = inWorkspace('.devguide', 'templates', 'completion-check.hbs');
      writeFileSync(path, TEMPLATE);
      const editor = await openEditor(path);
      assert.equal(editor.document.languageId, 'devguide-template');

      const afterDot = new vscode.Position(4, '# {{metadata.'.length);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, afterDot, '.');
      const labelOf = (item: vscode.CompletionItem) => (typeof item.label === 'string' ? item.label : item.label.label);
      const labels = list.items.map(labelOf);
      for (const expected of ['title', 'author', 'tags']) assert.ok(labels.includes(expected), `completion has ${expected}: ${labels.join(', ')}`);
      const title = list.items.find((item) => labelOf(item) === 'title');
      assert.equal(title?.kind, vscode.CompletionItemKind.Field, 'LSP kind Field (5) is VS Code Field (4)');
      assert.match(markdownText(title?.documentation), /Export title/);

      const onOutputKey = new vscode.Position(2, 2);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, onOutputKey);
      const text = hovers.flatMap((hover) => hover.contents.map((content) => markdownText(content as vscode.MarkdownString))).join('\n');
      assert.match(text, /\*\*output\*\* — template header/);
      const range = hovers.find((hover) => hover.range)?.range;
      assert.deepEqual([range?.start.line, range?.start.character, range?.end.character], [2, 0, 'output'.length], 'the hovered key’s range');
    });

    it('applies a changed setting without a reload (templatesDir)', async () => {
      const test = await hooks();
      mkdirSync(inWorkspace('team-templates'), { recursive: true });
      writeFileSync(inWorkspace('team-templates', 'release-note.hbs'), ['---', 'name: Release Note', 'output: markdown', '---', '{{{content}}}', ''].join('\n'));
      const config = vscode.workspace.getConfiguration('devguideExport');
      await config.update('templatesDir', 'team-templates', vscode.ConfigurationTarget.Workspace);
      try {
        // No event says when the server has re-read its settings: ask it until it lists the new folder's template.
        const found = await eventually(async () => {
          const templates = await test.serverRequest<TemplateSummary[]>('devguide/listTemplates', {});
          return templates.find((t) => t.id === 'release-note');
        }, 'the server to list the template of the new templatesDir');
        assert.equal(found.source, 'workspace');
      } finally {
        await config.update('templatesDir', undefined, vscode.ConfigurationTarget.Workspace);
      }
      await eventually(async () => {
        const templates = await test.serverRequest<TemplateSummary[]>('devguide/listTemplates', {});
        return templates.some((t) => t.id === 'release-note') ? undefined : true;
      }, 'the server to drop it again once the setting is reset');
    });

    it('restarts the server when its process dies, and gives it the open templates again', async () => {
      const test = await hooks();
      const path = inWorkspace('.devguide', 'templates', 'restart-check.hbs');
      writeFileSync(path, BROKEN);
      const editor = await openEditor(path);
      const uri = editor.document.uri;
      const diagnosticsOf = () => vscode.languages.getDiagnostics(uri);
      await waitFor(vscode.languages.onDidChangeDiagnostics, () => (diagnosticsOf().length > 0 ? true : undefined), 'diagnostics from the first server');

      const first = test.serverPid();
      assert.ok(first !== undefined, 'the server runs');
      const cleared = waitFor(vscode.languages.onDidChangeDiagnostics, () => (diagnosticsOf().length === 0 ? true : undefined), 'the dead server’s diagnostics to clear');
      process.kill(first, 'SIGKILL');
      await cleared;
      // The new server only knows the template from the didOpen the client sends it after the restart.
      await waitFor(vscode.languages.onDidChangeDiagnostics, () => (diagnosticsOf().length > 0 ? true : undefined), 'diagnostics from the restarted server');
      const second = test.serverPid();
      assert.ok(second !== undefined && second !== first, `a new server process (${String(first)} → ${String(second)})`);
      assert.match(diagnosticsOf().map((d) => d.message).join('\n'), /colour/);

      const templates = await test.serverRequest<TemplateSummary[]>('devguide/listTemplates', {});
      assert.ok(templates.length > 0, 'requests reach the new server');
      const log = test.logLines();
      assert.ok(log.some((l) => /The language server stopped unexpectedly \(the process ended: signal SIGKILL\)/.test(l)), 'the crash is logged');
      assert.ok(log.some((l) => l.includes('Restarting the language server.')));
    });
  });
}
