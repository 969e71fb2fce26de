import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { DevGuideExportApi } from '../../../client/src/api';
import { activationTests } from './activation.test';
import { diagnosticsTests } from './diagnostics.test';
import { exportTests } from './export.test';
import { EXTENSION_ID, workspaceRoot } from './helpers';
import { historyTests } from './history.test';
import { languageServerTests } from './languageServer.test';
import { panelTests } from './panel.test';
import { secretsTests } from './secrets.test';
import { templateTests } from './templates.test';

/**
 * The extension-host test entry (@vscode/test-electron's contract: a module
 * exporting run()), bundled to dist/test/e2e-suite.js and run inside
 * code-server by test/e2e/run.mjs. The workspace is a temp folder: its own
 * store (devguideExport.storePath) is set before the extension activates,
 * so no test writes into the user's data folder.
 */
export async function run(): Promise<void> {
  await prepareWorkspace();
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'e2e-suite', mocha);
  const suites: Record<string, () => void> = {
    activation: activationTests,
    export: exportTests,
    panel: panelTests,
    history: historyTests,
    diagnostics: diagnosticsTests,
    languageServer: languageServerTests,
    secrets: secretsTests,
    templates: templateTests,
  };
  // DEVGUIDE_E2E_SUITES=activation,panel runs only those (npm run bench does); all by default.
  const wanted = process.env['DEVGUIDE_E2E_SUITES']?.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = wanted?.filter((name) => !(name in suites)) ?? [];
  if (unknown.length > 0) throw new Error(`DEVGUIDE_E2E_SUITES: no suite ${unknown.join(', ')} (there are ${Object.keys(suites).join(', ')})`);
  for (const [name, define] of Object.entries(suites)) if (!wanted || wanted.includes(name)) define();

  const stats = await new Promise<{ passes: number; failures: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }));
  });
  const resultFile = process.env['DEVGUIDE_E2E_RESULT_FILE'];
  if (resultFile) writeFileSync(resultFile, JSON.stringify({ passed: stats.passes, failed: stats.failures, skipped: stats.pending }));
  if (stats.failures > 0 || process.env['DEVGUIDE_E2E_PRINT_LOG']) await printExtensionLog();
  if (stats.failures > 0) throw new Error(`${stats.failures} extension-host test(s) failed`);
}

/** The "DevGuide Export" log of this run, for a look at what happened (secrets are never in it). */
async function printExtensionLog(): Promise<void> {
  const exported = vscode.extensions.getExtension<DevGuideExportApi>(EXTENSION_ID)?.exports;
  const lines = exported?.testHooks?.logLines() ?? [];
  console.log(`--- DevGuide Export log (${lines.length} lines) ---\n${lines.join('\n')}\n--- end of log ---`);
}

async function prepareWorkspace(): Promise<void> {
  if (vscode.extensions.getExtension(EXTENSION_ID)?.isActive) {
    throw new Error('the extension activated before the test store was set: the user data folder could have been written to');
  }
  const settings = vscode.workspace.getConfiguration('devguideExport');
  await settings.update('storePath', join(workspaceRoot(), '.devguide-store'), vscode.ConfigurationTarget.Workspace);
}
