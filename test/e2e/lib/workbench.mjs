// Steps of the VS Code 1.139 workbench that several UI tests take: the
// review panel's webview frame, QuickPick and InputBox steps, Quick Open.
// (Not under test/e2e/ui/: every .mjs file there is a test file.)

import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The review panel's page: the webview's content sits in nested iframes;
 * the frame whose document has the panel's #app, once it has rendered a
 * preview of `filename`. Watches every webview frame there is or comes
 * (frames appear and navigate while VS Code builds the webview) and resolves
 * with the first that shows it.
 */
export function reviewPanel(page, filename, { timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  const watched = new Set();
  let watch;
  let timer;
  const found = new Promise((resolve, reject) => {
    timer = setTimeout(() => {
      const frames = page.frames().filter((f) => f.url().includes('webview')).length;
      reject(new Error(`no review panel for ${filename} within ${timeoutMs} ms (${frames} webview frames open)`));
    }, timeoutMs);
    watch = (frame) => {
      if (watched.has(frame) || !frame.url().includes('webview')) return;
      watched.add(frame);
      // A locator's wait carries on across the frame's navigations; it ends when the frame goes away.
      frame
        .locator('#app:not(.pending) #slot-header', { hasText: filename })
        .waitFor({ state: 'attached', timeout: Math.max(1, deadline - Date.now()) })
        .then(() => resolve(frame), () => watched.delete(frame));
    };
    page.on('framenavigated', watch);
    for (const frame of page.frames()) watch(frame);
  });
  return found.finally(() => {
    clearTimeout(timer);
    page.off('framenavigated', watch);
  });
}

/**
 * Opens the command palette (F1) and types `text`. A key pressed while the
 * focus sits in a webview that VS Code is rebuilding (a review panel shown
 * again) is lost, and a palette that just opened closes again when such a
 * webview takes the focus: until the palette's input shows and holds the
 * text, F1 is pressed again.
 */
export async function quickInputOpen(page, text, { timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget:not(.quick-input-widget-closing) .quick-input-box input').first();
  for (;;) {
    await page.keyboard.press('F1');
    try {
      const timeout = Math.max(1, Math.min(3_000, deadline - Date.now()));
      await input.waitFor({ state: 'visible', timeout });
      await input.fill(text, { timeout });
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw new Error(`the command palette did not open (F1) and take "${text}" within ${timeoutMs} ms: ${error.message}`);
    }
  }
}

/** Types into the palette (e.g. ":2" to go to a line) and runs it. */
export async function quickInput(page, text) {
  const widget = page.locator('.quick-input-widget');
  await quickInputOpen(page, text);
  await widget.locator('.quick-input-box input').first().press('Enter');
  await widget.waitFor({ state: 'hidden' });
}

/** A QuickPick step: waits for its title, filters by `typed`, checks the focused row, (`before()`), Enter. */
export async function choose(page, step, typed, expectedLabel, before) {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: step }).waitFor({ state: 'visible' });
  const input = widget.locator('.quick-input-box input').first();
  await input.fill(typed);
  await widget.locator('.monaco-list-row.focused', { hasText: expectedLabel }).first().waitFor({ state: 'visible' });
  await before?.();
  await input.press('Enter');
}

/**
 * Set Destination Credential for one destination (filtered by `typed`, the
 * row labelled `name`) whose credential is one field: the InputBox titled
 * "FIELD for NAME" takes `value`; the notification says it is stored
 * ("Credential for SHOWN stored": SHOWN is how the command names it, `name`
 * unless it adds where, as the team store's address).
 */
export async function setCredential(t, { name, typed = name, field, value, shown = name }) {
  await t.runCommand('DevGuide Export: Set Destination Credential');
  await choose(t.page, 'Set Destination Credential', typed, name);
  await typeInto(t.page, `${field} for ${name}`, value);
  await t.waitForNotification(`Credential for ${shown} stored`);
}

/** An InputBox step: waits for its title, replaces the value, Enter. */
export async function typeInto(page, step, value) {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: step }).waitFor({ state: 'visible' });
  const input = widget.locator('.quick-input-box input').first();
  await input.fill(value);
  await input.press('Enter');
}

/**
 * Opens a workspace file through Quick Open. Its file index can lag a file
 * created a moment ago: asks again (up to `attempts` times, each waiting
 * `rowTimeoutMs` for the row) until it is listed.
 */
export async function openFile(page, name, { attempts = 10, rowTimeoutMs = 3_000 } = {}) {
  const widget = page.locator('.quick-input-widget');
  const row = widget.locator('.monaco-list-row', { hasText: name }).first();
  for (let attempt = 1; ; attempt++) {
    await quickInputOpen(page, name);
    try {
      await row.waitFor({ state: 'visible', timeout: rowTimeoutMs });
      break;
    } catch (error) {
      if (attempt >= attempts) throw new Error(`Quick Open did not list ${name} (asked ${attempts} times): ${error.message}`);
      await page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden' });
    }
  }
  await widget.locator('.quick-input-box input').first().press('Enter');
  await page.locator(`.tab.active[aria-label*="${name}"]`).first().waitFor({ state: 'visible' });
}

/**
 * Runs a command from the palette that opens a QuickPick of its own (the
 * palette's widget shows that pick next, so unlike browser.mjs's runCommand
 * this does not wait for the widget to close). Until the command is listed
 * (its extension still loading), the palette is closed and opened again.
 */
export async function startCommand(page, title, { timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  const widget = page.locator('.quick-input-widget');
  const row = widget.locator('.monaco-list-row', { hasText: title }).first();
  for (;;) {
    await quickInputOpen(page, `>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: Math.max(1, Math.min(2_000, deadline - Date.now())) });
      break;
    } catch {
      if (Date.now() >= deadline) throw new Error(`startCommand: no command titled "${title}" in the palette within ${timeoutMs} ms`);
      await page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden' });
    }
  }
  await widget.locator('.quick-input-box input').first().press('Enter');
}

/**
 * The review panel a command opened without asking anything first: waits
 * for the active tab to name the previewed file ("Review: NAME.md", or
 * "Preview: …" for Preview Export), checks no QuickPick or InputBox is
 * showing, and returns the panel's frame and that file name.
 */
export async function openedReview(page, { kind = 'Review', timeoutMs = 30_000 } = {}) {
  // Until the preview is in, the tab names the selection ("Review: notes.md (lines 1–3)"): only a whole "KIND: FILE" label will do.
  const label = new RegExp(`^\\s*${kind}: (\\S+\\.(?:md|xml|txt))\\s*$`);
  const tab = page.locator('.tab.active', { has: page.locator('.label-name', { hasText: label }) }).first();
  await tab.waitFor({ state: 'visible', timeout: timeoutMs });
  const filename = (await tab.locator('.label-name').innerText()).match(label)?.[1];
  if (!filename) throw new Error(`the active tab names no file: ${await tab.innerText()}`);
  if (await page.locator('.quick-input-widget').isVisible()) throw new Error('a prompt showed before the review panel');
  return { panel: await reviewPanel(page, filename, { timeoutMs }), filename };
}

/**
 * Types into the review panel's fields (`{title: 'X', tags: 'a, b'}` → #field-title,
 * #field-tags) and waits for the preview of `filename` that follows, ready to accept.
 */
export async function editReview(panel, fields, filename) {
  for (const [name, value] of Object.entries(fields)) await panel.locator(`#field-${name} input`).fill(value);
  await panel.locator('#title-filename', { hasText: filename }).waitFor({ state: 'visible' });
  await panel.locator('#accept:not([disabled])').waitFor({ state: 'visible' });
}

/** Copies an example transcript (examples/NAME) into the workspace unless it is there, opens it through Quick Open and focuses its editor. */
export async function openExampleTranscript(t, name) {
  const target = join(t.workspace, name);
  if (!existsSync(target)) copyFileSync(join(t.extensionPath, 'examples', name), target);
  await openFile(t.page, name, { attempts: 11 });
  await t.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
}

/** Selects line `n` of the active editor (Go to Line, then Home, Shift+End). */
export async function selectLine(page, n) {
  await quickInput(page, `:${n}`);
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
}

/** Opens the DevGuide Export container; returns its Export History pane. */
export async function openHistory(page) {
  await page.locator('.activitybar .action-item a[aria-label^="DevGuide Export"]').first().click();
  const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Export History' }) }).first();
  await pane.waitFor({ state: 'visible' });
  return pane;
}
