// Runs an extension's extension-host tests (the @vscode/test-electron style:
// a module exporting `run(): Promise<void>` that runs mocha) inside a real
// VS Code — code-server — instead of a downloaded desktop VS Code.
//
// How: code-server starts with the smoke-test driver enabled; the workbench
// is opened in chromium with a `payload` naming extensionDevelopmentPath and
// extensionTestsPath (as vscode-remote URIs: both live on the server side).
// VS Code loads the extension, calls run(), and when it settles reports
// through two functions it looks up on `window`:
//   codeAutomationLog(type, args)   every log line (printf-style args)
//   codeAutomationExit(code, logs)  0 when run() resolved, 1 when it threw;
//                                   logs = [{relativePath, contents}] of its log folder
// Playwright's page.exposeFunction provides both.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { format } from 'node:util';
import { launchBrowser, newPage, screenshot } from './browser.mjs';
import { startCodeServer } from './codeServer.mjs';
import { hostPaths } from '../setup.mjs';

// Known noise of code-server on a machine without the internet (TESTING-REAL.md):
// not printed, but kept in the returned logs and the saved log files.
const NOISE = [
  /open-vsx\.org/,
  /authentication provider 'github'/,
  /\bvsda\b/,
  /Long running operations during shutdown are unsupported in the web/,
  /ENOTFOUND .*(telemetry|vscode-cdn|visualstudio|microsoft)/i,
  // The workbench's own start-up chatter.
  /^(Resolving|Resolved) connection token/,
  /^Creating a socket/,
  /^\[reconnection-grace-time\]/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\] registered/,
  /^\[AgentHost:remote\]/,
  /^\[AccountPolicyGate\]/,
  /^Creation of workbench contribution '.*' took \d+ms/,
];
export const isNoise = (line) => NOISE.some((re) => re.test(line));

/** The workbench's printf-style args as one line: %c styles dropped, the rest like console.log. */
export function formatAutomationLog(args) {
  const list = Array.isArray(args) ? [...args] : [args];
  if (typeof list[0] === 'string' && list[0].includes('%c')) {
    // Drop each %c and the CSS argument it consumes, keep the other specifiers.
    let index = 1;
    const kept = [];
    const template = list[0].replace(/%[sdifjoOc%]/g, (spec) => {
      if (spec === '%%') return spec;
      const arg = list[index++];
      if (spec === '%c') return '';
      kept.push(arg);
      return spec;
    });
    return format(template, ...kept, ...list.slice(index)).trim();
  }
  return format(...list).trim();
}

/**
 * @param {object} options
 * @param {string} options.extensionPath the extension's folder (its package.json)
 * @param {string} options.testsEntry the built test entry (exports run()); absolute or relative to extensionPath
 * @param {string} [options.workspace] folder to open (default: an empty temp folder)
 * @param {number} [options.timeoutMs] overall limit from server start to exit (default 180 s)
 * @param {boolean} [options.workspaceTrust] see startCodeServer
 * @param {Record<string, unknown>} [options.settings] extra user settings
 * @param {string[]} [options.extensions] other extension folders to install (see startCodeServer)
 * @param {Record<string, string>} [options.env] extra environment for the extension host
 * @param {import('playwright-core').Browser} [options.browser] reuse a launched browser
 * @param {(line: string) => void} [options.log] where log lines go (default: stdout)
 * @param {boolean} [options.verbose] also print the known noise (see NOISE) and stack traces of warnings
 * @param {string} [options.name] label for artifacts (default: 'extension-tests')
 * @returns {Promise<{ exitCode: number, timedOut: boolean, durationMs: number, logs: string[] }>}
 *   exitCode 0 = passed; 1 = run() threw (a failing test); 2 = timed out or the workbench broke
 */
export async function runExtensionTests(options) {
  const log = options.log ?? ((line) => console.log(line));
  const name = options.name ?? 'extension-tests';
  const extensionPath = resolve(options.extensionPath);
  const testsEntry = isAbsolute(options.testsEntry) ? options.testsEntry : join(extensionPath, options.testsEntry);
  const timeoutMs = options.timeoutMs ?? 180_000;
  const started = Date.now();
  const logs = [];
  rmSync(join(hostPaths().artifactsDir, 'logs', name), { recursive: true, force: true });

  const server = await startCodeServer({
    workspace: options.workspace,
    smokeTestDriver: true,
    workspaceTrust: options.workspaceTrust,
    extensions: options.extensions,
    settings: options.settings,
    env: options.env,
    log,
  });
  const ownBrowser = !options.browser;
  const browser = options.browser ?? (await launchBrowser());
  let page;
  let timer;
  try {
    page = await newPage(browser);
    let resolveExit;
    let finished = false;
    const exited = new Promise((r) => {
      resolveExit = r;
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = formatAutomationLog(args);
      logs.push(`[${type}] ${line}`);
      if (finished) return; // the workbench's shutdown noise after the result
      if (options.verbose) log(`  [${type}] ${line}`);
      else if (!isNoise(line)) log(`  [${type}] ${type === 'error' || type === 'warn' ? line.replace(/\n\s+at [\s\S]*$/, '') : line}`);
    });
    await page.exposeFunction('codeAutomationExit', (code, files) => {
      finished = true;
      saveLogs(name, files);
      resolveExit({ exitCode: Number(code), timedOut: false });
    });
    page.on('pageerror', (error) => log(`  [page error] ${error.message}`));
    const timeout = new Promise((resolveTimeout) => {
      timer = setTimeout(() => resolveTimeout({ exitCode: 2, timedOut: true }), Math.max(1, timeoutMs - (Date.now() - started)));
    });
    const url = server.workbenchUrl({
      payload: [
        ['extensionDevelopmentPath', server.remoteUri(extensionPath)],
        ['extensionTestsPath', server.remoteUri(testsEntry)],
      ],
    });
    await page.goto(url, { timeout: timeoutMs });
    const result = await Promise.race([exited, timeout]);
    const dir = join(hostPaths().artifactsDir, 'logs', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'automation.log'), `${logs.join('\n')}\n`);
    writeFileSync(join(dir, 'code-server.log'), server.output());
    if (result.timedOut) {
      log(`extension tests: no result within ${Math.round(timeoutMs / 1000)} s`);
      log(`  screenshot: ${await screenshot(page, `${name}-timeout`).catch((e) => e.message)}`);
      log(server.output().split('\n').slice(-30).join('\n'));
    }
    return { ...result, durationMs: Date.now() - started, logs };
  } finally {
    clearTimeout(timer);
    await page?.context().close().catch(() => {});
    if (ownBrowser) await browser.close().catch(() => {});
    await server.stop();
  }
}

/** Keeps the workbench's log folder of the run under test-artifacts/ for a look after a failure. */
function saveLogs(name, files) {
  if (!Array.isArray(files)) return;
  const dir = join(hostPaths().artifactsDir, 'logs', name);
  for (const { relativePath, contents } of files) {
    const file = join(dir, relativePath);
    if (!file.startsWith(dir)) continue;
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, contents);
  }
}
