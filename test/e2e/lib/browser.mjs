// Debian's chromium driven by playwright-core (from test/e2e/host). No
// browser download: Playwright's own builds cannot be fetched here.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { hostPaths } from '../setup.mjs';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox', // root in CI
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let playwright;
/** playwright-core, loaded from the host project (the extension's own node_modules do not have it). */
export function playwrightCore() {
  playwright ??= createRequire(hostPaths().playwrightCore)('playwright-core');
  return playwright;
}

/**
 * Launches headless chromium. Do not pass a user-data-dir: Playwright makes
 * a temp profile per launch and removes it on close().
 * @param {{ headless?: boolean, args?: string[], slowMo?: number }} [options]
 */
export async function launchBrowser(options = {}) {
  const { chromium } = playwrightCore();
  return chromium.launch({
    executablePath: hostPaths().chromium,
    headless: options.headless ?? true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    slowMo: options.slowMo,
  });
}

/** A page in a fresh context with a desktop-sized viewport. */
export async function newPage(browser, { width = 1400, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  return context.newPage();
}

/** Saves a full-window PNG under test-artifacts/ and returns its path. */
export async function screenshot(page, name) {
  const dir = join(hostPaths().artifactsDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  return file;
}

// ---- VS Code workbench helpers (selectors of the VS Code 1.139 workbench) ----

/** Waits until the workbench has rendered and can take keyboard input. */
export async function waitForWorkbench(page, { timeoutMs = 60_000 } = {}) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
  // Keyboard shortcuts go to the focused element: give the workbench focus.
  await page.locator('.monaco-workbench').focus().catch(() => {});
}

/**
 * Runs a command by its title from the command palette (F1, type, Enter).
 * Extension commands appear only once the extension host has registered the
 * extension, which can be seconds after the workbench shows: until the title
 * is listed, the palette is closed and opened again.
 */
export async function runCommand(page, title, { timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input').first();
  const row = widget.locator('.monaco-list-row', { hasText: title }).first();
  for (;;) {
    await page.keyboard.press('F1');
    try {
      // A palette that closes again at once (a webview rebuilt behind it took the focus) is opened again, like a missing row.
      const timeout = Math.max(1, Math.min(3_000, deadline - Date.now()));
      await widget.waitFor({ state: 'visible', timeout });
      await input.fill(`>${title}`, { timeout });
      await row.waitFor({ state: 'visible', timeout: Math.max(1, Math.min(2_000, deadline - Date.now())) });
      break;
    } catch (error) {
      if (Date.now() >= deadline) throw new Error(`runCommand: no command titled "${title}" in the palette within ${timeoutMs} ms (${error.message.split('\n')[0]})`);
      // Closed and opened again: the palette lists the commands registered meanwhile (each try waits up to 2 s for the row).
      await page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
    }
  }
  await input.press('Enter');
  // The palette is gone once it hides — or once the command has replaced it by its own quick pick (no '>' query any more).
  await page.waitForFunction(
    () => {
      const shown = document.querySelector('.quick-input-widget:not([aria-hidden="true"])');
      const visible = shown instanceof HTMLElement && shown.offsetParent !== null && shown.style.display !== 'none';
      const field = document.querySelector('.quick-input-widget .quick-input-box input');
      return !visible || !(field instanceof HTMLInputElement) || !field.value.startsWith('>');
    },
    undefined,
    { timeout: Math.max(1, deadline - Date.now()) },
  );
}

/** Waits for a notification toast whose text contains `text`; returns its locator. */
export async function waitForNotification(page, text, { timeoutMs = 30_000 } = {}) {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return toast;
}
