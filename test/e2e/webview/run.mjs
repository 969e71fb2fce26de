import { writeFileSync } from 'node:fs';
// The review panel's browser tests (test/e2e/webview/*.spec.mjs) in Debian's
// chromium, driven by playwright-core from test/e2e/host.
//
//   node test/e2e/webview/run.mjs [--grep TEXT] [--verbose]
//
// or from another runner: `const { passed, failed, skipped } = await run({ grep, log })`.
// Needs dist/webview.js (node build.mjs; built here when missing) and
// playwright-core + chromium (installed by test/e2e/setup.mjs when missing).
// Screenshots: test-artifacts/screenshots/webview-*.png. Prints
// "N passed, N failed, N skipped" last and exits non-zero on a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from '../lib/browser.mjs';
import { ensureSystemPackages, hostPaths, setup } from '../setup.mjs';
import { REPO_ROOT, SCREENSHOT_DIR, loadSources, openPanel, startServer } from './harness.mjs';

/** Per test, unless the test sets its own `timeoutMs` (the axe runs take seconds each). */
const TEST_TIMEOUT_MS = 60_000;

function ensureTools(log) {
  if (!existsSync(hostPaths().playwrightCore)) setup({ log });
  else ensureSystemPackages({ log });
  if (!existsSync(join(REPO_ROOT, 'dist', 'webview.js'))) {
    const built = spawnSync(process.execPath, ['build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('node build.mjs failed');
  }
}

async function specFiles() {
  const dir = join(REPO_ROOT, 'test', 'e2e', 'webview');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.spec.mjs'))
    .sort()
    .map((f) => join(dir, f));
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

export async function run({ grep, log = console.log, verbose = false } = {}) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  ensureTools(log);
  const sources = await loadSources();
  const server = await startServer(sources);
  const browser = await launchBrowser();
  try {
    for (const file of await specFiles()) {
      const { tests } = await import(pathToFileURL(file).href);
      for (const test of tests) {
        if (test.skip || (grep && !test.name.includes(grep))) {
          counts.skipped += 1;
          continue;
        }
        const panels = [];
        const notes = [];
        const t = {
          browser,
          server,
          sources,
          log: (line) => notes.push(line),
          open: async (options = {}) => {
            const panel = await openPanel(browser, server, options);
            panels.push(panel);
            return panel;
          },
        };
        const started = Date.now();
        let failure;
        try {
          await withTimeout(test.fn(t), test.timeoutMs ?? TEST_TIMEOUT_MS, test.name);
          // Every page must have stayed clean: no CSP violation, no error.
          for (const panel of panels) {
            if (panel.page.isClosed()) continue;
            const violations = await panel.violations();
            if (violations.length) throw new Error(`CSP violations: ${JSON.stringify(violations)}`);
          }
          const problems = panels.flatMap((p) => p.problems);
          if (problems.length) throw new Error(problems.join('\n'));
        } catch (error) {
          failure = error;
          const open = panels.filter((p) => !p.page.isClosed());
          if (open.length) await open[open.length - 1].screenshot(`failure-${test.name.slice(0, 40)}`).catch(() => undefined);
        }
        for (const panel of panels) await panel.close().catch(() => undefined);
        const ms = Date.now() - started;
        if (failure) {
          counts.failed += 1;
          log(`  ✗ ${test.name} (${ms} ms)\n    ${String(failure.stack ?? failure).split('\n').slice(0, verbose ? 20 : 6).join('\n    ')}`);
        } else {
          counts.passed += 1;
          log(`  ✓ ${test.name} (${ms} ms)`);
        }
        for (const note of notes) log(`      ${note}`);
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  log(`  screenshots: ${SCREENSHOT_DIR}/webview-*.png`);
  return counts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const grep = argv.includes('--grep') ? argv[argv.indexOf('--grep') + 1] : undefined;
  console.log('webview: review panel in chromium');
  const counts = await run({ grep, verbose: argv.includes('--verbose') }).catch((error) => {
    console.error(error);
    return { passed: 0, failed: 1, skipped: 0 };
  });
  console.log(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  if (process.env.DEVGUIDE_TEST_SUMMARY) writeFileSync(process.env.DEVGUIDE_TEST_SUMMARY, JSON.stringify(counts));
  process.exit(counts.failed > 0 ? 1 : 0);
}
