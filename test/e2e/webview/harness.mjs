// Loads the review panel in Debian's chromium the way VS Code does: the page
// from the extension's own HTML builder (client/src/panel/panelHtml.ts, with
// its CSP), the built bundle (dist/webview.js + .css), VS Code's theme
// variables, and a stand-in `acquireVsCodeApi` that records what the panel
// posts. The "host" is either the test itself (send/reply by hand) or the
// real ReviewController running here in Node, bridged to the page.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { THEMES } from './themes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '..', '..', '..');
const DIST = join(REPO_ROOT, 'dist');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-artifacts', 'screenshots');

/**
 * Resolves with `check()`'s value once it is neither undefined nor false,
 * checked now and after each short wait; rejects after `timeoutMs` naming
 * `what`. For state on the Node side (a fake's recorded calls) that has no
 * event to wait on.
 */
export async function until(check, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  let wait = 1;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 50);
  }
}

/** The TypeScript modules the tests share with the extension. */
export async function loadSources() {
  const [html, protocol, controller] = await Promise.all([
    tsImport('../../../client/src/panel/panelHtml.ts', import.meta.url),
    tsImport('../../../webview/src/protocol.ts', import.meta.url),
    tsImport('../../../client/src/panel/reviewController.ts', import.meta.url),
  ]);
  return { buildPanelHtml: html.buildPanelHtml, makeNonce: html.makeNonce, protocol, ReviewController: controller.ReviewController };
}

/** Serves /panel.html (built per request, fresh nonce) and the bundle from dist/. */
export async function startServer(sources) {
  for (const file of ['webview.js', 'webview.css']) {
    if (!existsSync(join(DIST, file))) throw new Error(`dist/${file} is missing: run \`node build.mjs\` first`);
  }
  const types = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const origin = `http://${request.headers.host}`;
    if (url.pathname === '/panel.html') {
      const html = sources.buildPanelHtml({
        cspSource: origin,
        nonce: sources.makeNonce(),
        scriptUri: `${origin}/dist/webview.js`,
        styleUri: `${origin}/dist/webview.css`,
        title: 'Review: test',
      });
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(html);
      return;
    }
    const match = /^\/dist\/(webview\.(?:js|css)(?:\.map)?)$/.exec(url.pathname);
    if (match) {
      const file = join(DIST, match[1]);
      if (existsSync(file)) {
        response.writeHead(200, { 'content-type': types[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' });
        response.end(readFileSync(file));
        return;
      }
    }
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/panel.html`, close: () => new Promise((done) => server.close(done)) };
}

/**
 * Runs in the page before any of its scripts (Playwright init scripts are
 * not subject to the page's CSP): VS Code's theme, and the webview API.
 */
function standIn({ state, theme, autoReply }) {
  const posted = [];
  let saved = state;
  let acquired = false;
  const vscode = { posted, postedAt: [], violations: [], fullContent: null, autoReply };
  Object.defineProperty(vscode, 'state', { get: () => saved });
  window.__vscode = vscode;
  document.addEventListener('securitypolicyviolation', (e) => vscode.violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));

  if (theme) {
    // The init script runs before <html> exists; the page's own script runs before this.
    document.addEventListener('DOMContentLoaded', () => {
      for (const [name, value] of Object.entries(theme.vars)) document.documentElement.style.setProperty(name, value);
      document.body.classList.add(theme.bodyClass);
      document.body.dataset.vscodeThemeKind = theme.kind;
      document.body.dataset.vscodeThemeName = theme.name;
    });
  }

  const reply = (message) => ({ type: 'reply', id: message.id, ok: true, ...(message.type === 'showAll' ? { content: vscode.fullContent ?? '' } : {}) });
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage(message) {
        const copy = JSON.parse(JSON.stringify(message)); // what structured cloning leaves
        posted.push(copy);
        vscode.postedAt.push(performance.now());
        if (typeof window.__hostBridge === 'function') void window.__hostBridge(copy);
        else if (vscode.autoReply && copy.type !== 'ready') setTimeout(() => window.postMessage(reply(copy), '*'), 0);
      },
      getState: () => saved,
      setState: (next) => {
        saved = JSON.parse(JSON.stringify(next));
        return next;
      },
    });
  };
}

/**
 * Opens the panel in a fresh browser context.
 * options: theme ('dark' | 'light' | 'high-contrast'), bypassCSP, state (a
 * saved getState() value), autoReply (answer every request ok), controller
 * (a ReviewController factory: (host) => controller, bridged to the page),
 * width/height.
 */
export async function openPanel(browser, server, options = {}) {
  const theme = THEMES[options.theme ?? 'dark'];
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 1200 },
    bypassCSP: options.bypassCSP === true,
    colorScheme: options.theme === 'light' ? 'light' : 'dark',
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && !options.allowConsoleErrors) problems.push(`console error: ${message.text()}`);
  });
  await page.addInitScript(standIn, { state: options.state, theme, autoReply: options.autoReply !== false });

  let controller;
  if (options.controller) {
    const pending = [];
    controller = options.controller({
      post: (message) => {
        pending.push(page.evaluate((m) => window.postMessage(m, '*'), message).catch(() => undefined));
      },
    });
    await page.exposeFunction('__hostBridge', (message) => controller.handle(message));
  }
  await page.goto(server.url);

  const panel = {
    page,
    context,
    controller,
    problems,
    /** Delivers a host → webview message. */
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    posted: () => page.evaluate(() => window.__vscode.posted),
    /** performance.now() of each posted message, in the page's clock. */
    postedAt: () => page.evaluate(() => window.__vscode.postedAt),
    postedOf: async (type) => (await panel.posted()).filter((m) => m.type === type),
    state: () => page.evaluate(() => window.__vscode.state),
    violations: () => page.evaluate(() => window.__vscode.violations),
    setFullContent: (content) => page.evaluate((c) => (window.__vscode.fullContent = c), content),
    /**
     * Waits until the panel has posted a message of this type (optionally
     * matching `where`, a Node-side test): checked now and whenever the page
     * has posted something new.
     */
    waitForPosted: async (type, { timeout = 5000, where = () => true } = {}) => {
      const deadline = Date.now() + timeout;
      for (;;) {
        const posted = await panel.posted();
        const found = posted.filter((m) => m.type === type).filter(where);
        if (found.length) return found[found.length - 1];
        const left = deadline - Date.now();
        const more = left > 0
          ? await page.waitForFunction((count) => window.__vscode.posted.length > count, posted.length, { timeout: left }).then(() => true, () => false)
          : false;
        if (!more) {
          throw new Error(`the panel did not post "${type}"${where.length ? ' (matching)' : ''} within ${timeout} ms; it posted: ${posted.map((m) => m.type).join(', ') || 'nothing'}`);
        }
      }
    },
    /**
     * Resolves once the page has handled every host → webview message sent
     * before it: window messages arrive in the order they were posted, and the
     * marker (a reply to no request, which the panel ignores) is seen by this
     * listener after the panel's own. For "X was ignored" checks.
     */
    flush: ({ timeout = 5000 } = {}) =>
      page.evaluate(
        (ms) =>
          new Promise((resolve, reject) => {
            window.__flushes = (window.__flushes ?? 0) + 1;
            const id = -window.__flushes;
            const timer = setTimeout(() => reject(new Error(`the page did not handle its messages within ${ms} ms`)), ms);
            const onMessage = (event) => {
              if (event.data?.type !== 'reply' || event.data.id !== id) return;
              window.removeEventListener('message', onMessage);
              clearTimeout(timer);
              resolve();
            };
            window.addEventListener('message', onMessage);
            window.postMessage({ type: 'reply', id, ok: true }, '*');
          }),
        timeout,
      ),
    /** The handshake as a test host: wait for `ready`, then send `init`. */
    init: async (init) => {
      await panel.waitForPosted('ready');
      await panel.send({ type: 'init', revision: 0, phase: { kind: 'review' }, ...init });
      await page.locator('#app:not(.pending)').waitFor();
    },
    screenshot: async (name) => {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = join(SCREENSHOT_DIR, `webview-${name}.png`);
      // The viewport, as a person sees it (a full-page shot would pin the sticky footer mid-page).
      await page.screenshot({ path: file, fullPage: options.fullPage === true });
      return file;
    },
    close: () => context.close(),
  };
  return panel;
}
