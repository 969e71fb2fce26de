import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../../client/src/commands/commandIds';
import { recordBench } from './benchRecord';
import { api, extension, hooks } from './helpers';

export function activationTests(): void {
  describe('activation', () => {
    it('activates, logs its activation time and starts the language server', async () => {
      const exported = await api();
      assert.ok(extension().isActive);
      // Measured here, judged by `npm run bench` (bar: ≤ 100 ms) — not a timed test.
      console.log(`      activation: ${exported.activationMs.toFixed(1)} ms`);
      recordBench({ kind: 'activation', ms: exported.activationMs });
      assert.ok(Number.isFinite(exported.activationMs) && exported.activationMs > 0);
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
