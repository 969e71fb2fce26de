// The README's test command: builds, runs every suite, and ends with the
// closing line CI reads. Exit code is non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scratch = mkdtempSync(join(tmpdir(), 'devguide-test-summary-'));
// Packaged once: the packaging tests read this .vsix, and the UI tests install it as a user
// would (the extension-host tests need the repository: their entry and mocha are not shipped).
// Packaging leaves production bundles in dist/; the build after it puts the usual ones back.
const vsix = join(scratch, 'devguide-export.vsix');

const suites = [
  { name: 'package the .vsix', command: ['npm', ['run', 'package', '--', '--out', vsix]], counted: false },
  { name: 'build', command: ['node', ['build.mjs']], counted: false },
  { name: 'unit + integration', command: ['npx', ['mocha', '--reporter', 'test/summary-reporter.cjs']], counted: true, env: { DEVGUIDE_VSIX: vsix } },
];
if (!process.argv.includes('--no-e2e')) {
  suites.push({ name: 'review panel (chromium)', command: ['node', ['test/e2e/webview/run.mjs']], counted: true });
  suites.push({
    name: 'extension in a real VS Code (code-server)',
    command: ['node', ['test/e2e/run.mjs']],
    counted: true,
    env: { DEVGUIDE_E2E_VSIX: vsix },
  });
}

let passed = 0;
let failed = 0;
let broken = false;
for (const [index, suite] of suites.entries()) {
  const summary = join(scratch, `${index}.json`);
  console.log(`\n=== ${suite.name} ===`);
  const result = spawnSync(suite.command[0], suite.command[1], {
    stdio: 'inherit',
    env: { ...process.env, ...suite.env, DEVGUIDE_TEST_SUMMARY: summary },
  });
  if (suite.counted && existsSync(summary)) {
    const counts = JSON.parse(readFileSync(summary, 'utf8'));
    passed += counts.passed;
    failed += counts.failed;
  }
  if (result.status !== 0) {
    broken = true;
    if (!suite.counted || !existsSync(summary)) {
      console.error(`${suite.name} failed (exit ${result.status ?? result.signal})`);
      failed += 1;
    }
  }
}
rmSync(scratch, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(broken || failed > 0 ? 1 : 0);
