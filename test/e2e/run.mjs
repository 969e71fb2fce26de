// End-to-end suites in a real VS Code: code-server from the npm registry, on
// the Node 24 of test/e2e/host, driven through Debian's chromium.
//
//   node test/e2e/run.mjs [--no-setup] [--verbose] [--only host|ui] [--grep TEXT]
//
// Called by test/run.mjs after `node build.mjs`. Installs what is missing
// first (test/e2e/setup.mjs: ≈ 3–4 min cold, < 1 s when installed), then
// runs the suites below that exist. With none found it says so, skips the
// install, reports 0 and exits 0.
//
// 1. Extension-host tests — dist/test/e2e-suite.js (built by build.mjs).
//    A CommonJS module exporting `run(): Promise<void>` that runs mocha with
//    its spec reporter and rejects when a test fails (the @vscode/test-electron
//    contract). It runs inside code-server's extension host, with the repo
//    root as extensionDevelopmentPath, so `require('vscode')` is the real API.
//    `mocha` must be resolvable from dist/test/ at run time (the repo's
//    node_modules; keep it external in the bundle). Workspace: a temp copy of
//    test/e2e/fixtures/workspace/ when that folder exists, else an empty
//    temp folder. Counts: run() may write {"passed","failed","skipped"} JSON
//    to process.env.DEVGUIDE_E2E_RESULT_FILE; otherwise mocha's
//    "N passing / N failing / N pending" lines are read; otherwise the suite
//    counts as one test, passed or failed by its exit code.
//
// 2. UI tests — test/e2e/ui/*.mjs, one fresh code-server per file with the
//    extension installed (the repo root symlinked into its extensions dir, or
//    the .vsix named by DEVGUIDE_E2E_VSIX), driven by Playwright:
//
//      export const options = {              // all optional
//        workspace: 'test/e2e/fixtures/x',   // copied to a temp folder first
//        workspaceTrust: false,              // true: Restricted Mode until trusted
//        settings: { 'devguide.x': 1 },      // user settings
//        env: { DEVGUIDE_GITHUB_URL: '…' },  // environment of the extension host
//      };
//      // optional: services the file needs, started before code-server
//      export async function setup({ workspace }) {
//        return { settings: {…}, env: {…}, teardown: async () => {…}, …more };  // t.services
//      }
//      export const tests = [
//        { name: 'exports a selection', fn: async (t) => {
//            await t.runCommand('DevGuide: Export Selection');
//            await t.waitForNotification('Exported');
//            await t.screenshot('exported');
//        } },
//        // { name, fn, skip: true } counts as skipped
//      ];
//      // or: export default async (t) => { … }   (one test named after the file)
//
//    t = { page, server, workspace, extensionPath, log, screenshot(name),
//          runCommand(title), waitForNotification(text) }. Each test gets a new
//    page on the workbench, already rendered. A failing test leaves
//    test-artifacts/screenshots/ui-<file>-<test>-failure.png.
//
// Environment: DEVGUIDE_TEST_SUMMARY (file for {passed, failed, skipped});
// DEVGUIDE_E2E_SUITES (e.g. `activation,panel`: only those extension-host
// suites) and DEVGUIDE_E2E_BENCH_FILE (where they append their measurements)
// — both used by `npm run bench`;
// DEVGUIDE_E2E_TIMEOUT_MS (extension-host run, default 300000);
// DEVGUIDE_E2E_UI_TIMEOUT_MS (each UI test, default 120000);
// DEVGUIDE_E2E_EXTENSION / DEVGUIDE_E2E_HOST_TESTS / DEVGUIDE_E2E_UI_DIR
// point the runner at another extension folder, test entry (relative to the
// extension) and UI test folder — used to check the harness itself.
// Screenshots and logs: test-artifacts/ (gitignored).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, hostModulesInstalled, hostPaths, setup } from './setup.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const only = value('--only');
const grep = value('--grep');
const verbose = flag('--verbose');

const fromRoot = (p) => (isAbsolute(p) ? p : join(REPO_ROOT, p));
const extensionPath = resolve(fromRoot(process.env.DEVGUIDE_E2E_EXTENSION ?? '.'));
const hostTestsEntry = process.env.DEVGUIDE_E2E_HOST_TESTS ?? 'dist/test/e2e-suite.js';
const uiDir = fromRoot(process.env.DEVGUIDE_E2E_UI_DIR ?? 'test/e2e/ui');
const fixtureWorkspace = join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workspace');
const hostTimeoutMs = Number(process.env.DEVGUIDE_E2E_TIMEOUT_MS ?? 300_000);
const uiTimeoutMs = Number(process.env.DEVGUIDE_E2E_UI_TIMEOUT_MS ?? 120_000);

const counts = { passed: 0, failed: 0, skipped: 0 };
const seconds = (start) => `${((Date.now() - start) / 1000).toFixed(1)} s`;

function writeSummary() {
  if (process.env.DEVGUIDE_TEST_SUMMARY) writeFileSync(process.env.DEVGUIDE_TEST_SUMMARY, JSON.stringify(counts));
}

// Ctrl-C / TERM: exit through process.exit so codeServer.mjs's exit hook ends the servers.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

// ---- discovery ----
const hostEntryPath = join(extensionPath, hostTestsEntry);
const hostSuite = only !== 'ui' && existsSync(hostEntryPath) ? hostEntryPath : null;
const uiFiles = only !== 'host' && existsSync(uiDir)
  ? readdirSync(uiDir).filter((f) => f.endsWith('.mjs')).sort().map((f) => join(uiDir, f))
  : [];

console.log('e2e suites (code-server + chromium):');
const notSelected = (suite) => (only && only !== suite ? 'not selected (--only)' : null);
console.log(`  extension-host tests  ${hostSuite ?? notSelected('host') ?? `none (no ${hostEntryPath})`}`);
console.log(`  UI tests              ${uiFiles.length ? uiFiles.map((f) => basename(f)).join(', ') : notSelected('ui') ?? `none (no ${uiDir}/*.mjs)`}`);

if (!hostSuite && uiFiles.length === 0) {
  console.log('e2e: no suites found, nothing to run (install skipped)');
  console.log('e2e: 0 passed, 0 failed, 0 skipped');
  writeSummary();
  process.exit(0);
}

// ---- suites ----
try {
  const start = Date.now();
  if (flag('--no-setup')) {
    if (!hostModulesInstalled()) throw new Error('test/e2e/host is not installed: run `node test/e2e/setup.mjs`');
  } else {
    setup();
  }
  if (hostSuite) await runHostSuite();
  if (uiFiles.length) await runUiSuites();
  console.log(`e2e: finished in ${seconds(start)}`);
} catch (error) {
  console.error(`e2e: ${error.stack ?? error}`);
  counts.failed += 1;
}
console.log(`e2e: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
writeSummary();
process.exit(counts.failed > 0 ? 1 : 0);

// ---- extension-host tests ----
async function runHostSuite() {
  const { runExtensionTests } = await import('./lib/extensionTests.mjs');
  console.log(`\n--- extension-host tests: ${hostTestsEntry} ---`);
  const scratch = mkdtempSync(join(tmpdir(), 'devguide-e2e-host-'));
  const workspace = join(scratch, 'workspace');
  const resultFile = join(scratch, 'result.json');
  if (existsSync(fixtureWorkspace)) cpSync(fixtureWorkspace, workspace, { recursive: true });
  try {
    const result = await runExtensionTests({
      extensionPath,
      testsEntry: hostTestsEntry,
      workspace,
      timeoutMs: hostTimeoutMs,
      env: { DEVGUIDE_E2E_RESULT_FILE: resultFile },
      name: 'extension-host',
      verbose,
    });
    const found = readCounts(resultFile, result.logs);
    if (found) {
      counts.passed += found.passed;
      counts.failed += found.failed;
      counts.skipped += found.skipped;
      // run() rejected (or timed out) with no failing test counted: count that too.
      if (result.exitCode !== 0 && found.failed === 0) counts.failed += 1;
    } else if (result.exitCode === 0) {
      counts.passed += 1;
    } else {
      counts.failed += 1;
    }
    const status = result.timedOut ? 'timed out' : `exit ${result.exitCode}`;
    console.log(`--- extension-host tests: ${status} in ${seconds(Date.now() - result.durationMs)} ---`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Counts from the result file, else from mocha's spec reporter lines, else null. */
function readCounts(resultFile, logs) {
  if (existsSync(resultFile)) {
    const c = JSON.parse(readFileSync(resultFile, 'utf8'));
    return { passed: Number(c.passed) || 0, failed: Number(c.failed) || 0, skipped: Number(c.skipped ?? c.pending) || 0 };
  }
  const last = (word) => {
    const hits = logs.map((line) => line.match(new RegExp(`^\\[\\w+\\]\\s+(\\d+) ${word}\\b`))).filter(Boolean);
    return hits.length ? Number(hits.at(-1)[1]) : null;
  };
  const passing = last('passing');
  if (passing === null) return null;
  return { passed: passing, failed: last('failing') ?? 0, skipped: last('pending') ?? 0 };
}

// ---- UI tests ----
async function runUiSuites() {
  const { startCodeServer } = await import('./lib/codeServer.mjs');
  const browserLib = await import('./lib/browser.mjs');
  const manifest = JSON.parse(readFileSync(join(extensionPath, 'package.json'), 'utf8'));
  const vsix = process.env.DEVGUIDE_E2E_VSIX ? fromRoot(process.env.DEVGUIDE_E2E_VSIX) : null;
  if (!vsix && manifest.main && !existsSync(join(extensionPath, manifest.main))) {
    throw new Error(`the extension is not built: ${join(extensionPath, manifest.main)} is missing (run \`node build.mjs\`)`);
  }
  const browser = await browserLib.launchBrowser();
  try {
    for (const file of uiFiles) await runUiFile(file, { startCodeServer, browserLib, browser, vsix });
  } finally {
    await browser.close().catch(() => {});
  }
}

async function runUiFile(file, { startCodeServer, browserLib, browser, vsix }) {
  const fileName = basename(file, '.mjs');
  const mod = await import(pathToFileURL(file).href);
  const options = mod.options ?? {};
  let tests = Array.isArray(mod.tests) ? mod.tests : typeof mod.default === 'function' ? [{ name: fileName, fn: mod.default }] : [];
  if (tests.length === 0) {
    console.log(`\n--- UI: ${basename(file)} ---`);
    console.log(`  ✗ ${basename(file)} exports no tests (\`export const tests = [...]\` or a default function)`);
    counts.failed += 1;
    return;
  }
  if (grep) tests = tests.filter((t) => `${fileName} ${t.name}`.includes(grep));
  if (tests.length === 0) return;
  console.log(`\n--- UI: ${basename(file)} ---`);

  const scratch = mkdtempSync(join(tmpdir(), 'devguide-e2e-ui-'));
  const workspace = join(scratch, 'workspace');
  const source = options.workspace ? fromRoot(options.workspace) : existsSync(fixtureWorkspace) ? fixtureWorkspace : null;
  if (source) cpSync(source, workspace, { recursive: true });
  const start = Date.now();
  // A file's own services (a stand-in for GitHub, say) start before code-server, whose settings may point at them.
  const services = typeof mod.setup === 'function' ? await mod.setup({ workspace }) : {};
  const server = await startCodeServer({
    workspace,
    workspaceTrust: options.workspaceTrust ?? false,
    settings: { ...options.settings, ...services.settings },
    env: { ...options.env, ...services.env },
    extensions: vsix ? [] : [extensionPath],
    vsix: vsix ? [vsix] : [],
    log: verbose ? (line) => console.log(`  ${line}`) : undefined,
  });
  try {
    for (const test of tests) {
      if (test.skip) {
        counts.skipped += 1;
        console.log(`  - ${test.name} (skipped)`);
        continue;
      }
      const testStart = Date.now();
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      const slug = `${fileName}-${test.name}`;
      let timer;
      try {
        // As long as waitForWorkbench allows: on a loaded machine the first load alone can pass 30 s.
        await page.goto(server.workbenchUrl(), { timeout: 60_000 });
        await browserLib.waitForWorkbench(page);
        const t = {
          page,
          server,
          workspace,
          extensionPath,
          services,
          log: (line) => console.log(`      ${line}`),
          screenshot: (name) => browserLib.screenshot(page, `ui-${slug}-${name}`),
          runCommand: (title, o) => browserLib.runCommand(page, title, o),
          waitForNotification: (text, o) => browserLib.waitForNotification(page, text, o),
        };
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${uiTimeoutMs} ms`)), uiTimeoutMs);
        });
        await Promise.race([test.fn(t), timeout]);
        counts.passed += 1;
        console.log(`  ✓ ${test.name} (${seconds(testStart)})`);
      } catch (error) {
        counts.failed += 1;
        const shot = await browserLib.screenshot(page, `ui-${slug}-failure`).catch(() => null);
        console.log(`  ✗ ${test.name} (${seconds(testStart)})\n${indent(error.stack ?? String(error))}`);
        if (shot) console.log(`      screenshot: ${shot}`);
      } finally {
        clearTimeout(timer);
        await context.close().catch(() => {});
      }
    }
  } catch (error) {
    counts.failed += 1;
    console.log(`  ✗ ${basename(file)}: ${error.stack ?? error}`);
  } finally {
    const failed = counts.failed > 0;
    if (failed) {
      mkdirSync(hostPaths().artifactsDir, { recursive: true });
      writeFileSync(join(hostPaths().artifactsDir, `ui-${fileName}-code-server.log`), server.output());
    }
    await server.stop();
    await services.teardown?.();
    rmSync(scratch, { recursive: true, force: true });
    console.log(`--- UI: ${basename(file)} done in ${seconds(start)} ---`);
  }
}

function indent(text) {
  return text.split('\n').map((line) => `      ${line}`).join('\n');
}
