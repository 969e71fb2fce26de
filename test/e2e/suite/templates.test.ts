import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { NewTemplateOutcome } from '../../../client/src/commands/newTemplate';
import { inWorkspace } from './helpers';

export function templateTests(): void {
  describe('New Template', () => {
    it('creates <templatesDir>/<name>.hbs from the starter through the Bin (the server writes it), and leaves an existing one alone', async () => {
      const created = await vscode.commands.executeCommand<NewTemplateOutcome>('devguideExport.newTemplate', { name: 'design-note', open: false, accept: true });
      const path = inWorkspace('.devguide', 'templates', 'design-note.hbs');
      assert.deepEqual(created, { status: 'created', path });
      assert.ok(existsSync(path));
      assert.match(readFileSync(path, 'utf8'), /^---\nname: Design Note\n[\s\S]*\{\{\{content\}\}\}/);
      const again = await vscode.commands.executeCommand<NewTemplateOutcome>('devguideExport.newTemplate', { name: 'design-note', open: false, accept: true });
      assert.deepEqual(again, { status: 'exists', path });
    });
  });
}
