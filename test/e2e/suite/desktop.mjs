// The same extension-host suite (dist/test/e2e-suite.js) in desktop VS Code,
// downloaded by @vscode/test-electron — needs internet access to the VS Code
// update service (CI here uses code-server instead: test/e2e/run.mjs).
//   npm run test:desktop
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'devguide-desktop-e2e-'));
const workspace = join(scratch, 'workspace');
mkdirSync(workspace);

let code = 0;
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'dist', 'test', 'e2e-suite.js'),
    launchArgs: [workspace, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', join(scratch, 'user-data')],
  });
} catch (error) {
  console.error(`desktop e2e failed: ${error instanceof Error ? error.message : error}`);
  code = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(code);
