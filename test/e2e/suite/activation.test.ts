import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../../client/src/commands/commandIds';
import { api, extension, hooks } from './helpers';

export function activationTests(): void {
  describe('activation', () => {
    it('activates fast and starts the language server', async () => {
      const exported = await api();
      assert.ok(extension().isActive);
      console.log(`      activation: ${exported.activationMs.toFixed(1)} ms`);
      assert.ok(exported.activationMs <= 100, `activate() took ${exported.activationMs} ms (bar: 100 ms)`);
      await exported.whenServerReady();
      const lines = (await hooks()).logLines();
      assert.ok(lines.some((l) => /Activated in \d+(\.\d+)? ms/.test(l)), 'the activation time is in the log');
      assert.ok(lines.some((l) => l.includes('Language server started.')));
    });

    it('registers every command of the command table', async () => {
      const registered = new Set(await vscode.commands.getCommands(true));
      for (const id of COMMAND_IDS) assert.ok(registered.has(id), `${id} is not registered`);
    });
  });
}
