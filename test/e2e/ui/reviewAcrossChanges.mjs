// A review panel stays good while the person changes a DevGuide setting or
// trusts the folder: Accept afterwards still writes the file and shows the
// result. (The language server once rebuilt its export service on every
// settings or trust change, throwing the open reviews away: Accept then
// failed with "No pending export with transaction id …".)
// Opens in Restricted Mode, so trust can be granted from the workbench.
// Screenshots: test-artifacts/screenshots/ui-reviewAcrossChanges-*.png
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { editReview, openFile, openedReview, reviewPanel, startCommand } from '../lib/workbench.mjs';

// In Restricted Mode VS Code ignores a workspace's storePath (a restricted setting):
// the user-level one keeps this run's history out of the user data folder.
const store = mkdtempSync(join(tmpdir(), 'devguide-ui-review-store-'));
process.once('exit', () => rmSync(store, { recursive: true, force: true }));

export const options = {
  // notes.md, and a destination defined by the workspace (disabled until it is trusted).
  workspace: 'test/e2e/ui/fixtures/restricted-workspace',
  workspaceTrust: true,
  settings: {
    'security.workspace.trust.startupPrompt': 'never',
    'devguideExport.storePath': store,
    // settings.json is edited by typing a whole new text: nothing may be added to it on the way.
    'editor.autoClosingBrackets': 'never',
    'editor.autoClosingQuotes': 'never',
    'editor.autoIndent': 'none',
  },
};

export const tests = [
  {
    name: 'a DevGuide setting changed while the review panel is open: Accept writes the file',
    fn: async (t) => {
      await exportNotesForReview(t, 'After settings');
      // The person edits their settings.json: another destination, a stricter review.
      await editUserSettings(t, {
        'devguideExport.destinations': [{ id: 'archive', type: 'local', name: 'Archive', baseDir: './archive' }],
        'devguideExport.review.requireAt': 'low',
      });
      await untilDestinationListed(t, 'the added destination "Archive"', (rows) => rows.some((row) => row.includes('Archive')));
      await acceptAndExpectWritten(t, 'after-settings.md');
    },
  },
  {
    name: 'the folder trusted while the review panel is open: Accept writes the file',
    fn: async (t) => {
      await exportNotesForReview(t, 'After trust');
      await grantWorkspaceTrust(t);
      await untilDestinationListed(t, 'the workspace destination "Team docs" enabled', (rows) =>
        rows.some((row) => row.includes('Team docs') && !row.includes('Disabled')),
      );
      await acceptAndExpectWritten(t, 'after-trust.md');
    },
  },
];

/** Selects all of notes.md, runs Export Selection (the panel opens on the defaults), titles it: the review panel shows the export, ready to accept. */
async function exportNotesForReview(t, title) {
  await openFile(t.page, 'notes.md');
  await t.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await t.page.keyboard.press('Control+A');
  await t.runCommand('DevGuide Export: Export Selection');
  const filename = `${title.toLowerCase().replace(/\s+/g, '-')}.md`;
  const { panel: opened } = await openedReview(t.page);
  await editReview(opened, { title }, filename);
  const panel = await reviewPanel(t.page, filename);
  assert.equal(await panel.locator('#action-kind').innerText(), 'CREATE');
  assert.equal(await panel.locator('#accept').evaluate((el) => el.hasAttribute('disabled')), false, 'the review can be accepted');
  await t.screenshot(`review-${filename}`);
}

/**
 * Merges `values` into the user's settings.json the way a person does:
 * Preferences: Open User Settings (JSON) (a modal editor in VS Code 1.139),
 * the new text typed over the old, saved, closed. (Writing the file behind
 * VS Code's back is not picked up here once a workspace file is open.)
 */
async function editUserSettings(t, values) {
  const file = join(t.server.userDataDir, 'User', 'settings.json');
  const next = { ...JSON.parse(readFileSync(file, 'utf8')), ...values };
  await t.runCommand('Preferences: Open User Settings (JSON)');
  const modal = t.page.locator('.monaco-modal-editor-block', { hasText: 'settings.json' });
  const text = modal.locator('.monaco-editor .view-lines').first();
  await text.waitFor({ state: 'visible' });
  await text.click();
  await t.page.keyboard.press('Control+A');
  await t.page.keyboard.insertText(JSON.stringify(next, null, 2));
  // Whatever the editor added after the typed text (a closing brace of its own) goes.
  await t.page.keyboard.press('Control+Shift+End');
  await t.page.keyboard.press('Delete');
  await t.page.keyboard.press('Control+S');
  await untilFile(file, (content) => content === JSON.stringify(next, null, 2), 'settings.json saved with the new values');
  await closeModalEditor(t.page);
}

/** Waits until `check(content)` holds for the file on disk. */
async function untilFile(file, check, what, { timeoutMs = 10_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let wait = 10;
  for (;;) {
    const content = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (content !== undefined && check(content)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${file} holds:\n${content}`);
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 200);
  }
}

/** Closes the modal editor (settings.json, Workspace Trust) with its Close button. */
async function closeModalEditor(page) {
  const modal = page.locator('.monaco-modal-editor-block');
  await modal.locator('.action-label[aria-label^="Close Modal Editor"]').first().click();
  await modal.waitFor({ state: 'hidden' });
}

/**
 * The language server has the change: Test Destination lists what the server
 * answers now. Opens its QuickPick until `check(rows)` holds (the change
 * travels settings.json → workbench → extension host → server), then closes it.
 */
async function untilDestinationListed(t, what, check, { timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  const widget = t.page.locator('.quick-input-widget');
  const rows = widget.locator('.monaco-list-row');
  for (;;) {
    await startCommand(t.page, 'DevGuide Export: Test Destination');
    await widget.locator('.quick-input-title', { hasText: 'DevGuide Export: Destination' }).waitFor({ state: 'visible' });
    await rows.first().waitFor({ state: 'visible' });
    const texts = await rows.allInnerTexts();
    await t.page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden' });
    if (check(texts)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; Test Destination lists: ${JSON.stringify(texts)}`);
  }
}

/** Workspace Trust granted the way a person does: Manage Workspace Trust, then Trust. */
async function grantWorkspaceTrust(t) {
  await t.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible' });
  await t.runCommand('Workspaces: Manage Workspace Trust');
  const editor = t.page.locator('.workspace-trust-editor');
  await editor.waitFor({ state: 'visible' });
  await t.screenshot('trust-editor');
  await editor.getByRole('button', { name: 'Trust', exact: true }).first().click();
  await t.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ state: 'hidden' });
  await editor.getByText('You trust this folder').first().waitFor({ state: 'visible' });
  // The trust editor is a modal over the review panel: close it.
  await closeModalEditor(t.page);
}

/** Accept in the review panel of `filename`: the result says Exported and the file holds the notes. */
async function acceptAndExpectWritten(t, filename) {
  const panel = await reviewPanel(t.page, filename);
  await panel.locator('#accept').click();
  const result = panel.locator('#result');
  await result.waitFor({ state: 'visible', timeout: 30_000 });
  const shown = await result.innerText();
  await t.screenshot(`accepted-${filename}`);
  assert.match(shown, new RegExp(`Exported[\\s\\S]*Created ${filename.replace('.', '\\.')} in local\\.`, 'i'), `the panel shows: ${shown}`);
  const file = join(t.workspace, 'exports', filename);
  assert.ok(existsSync(file), `${file} was written`);
  assert.match(readFileSync(file, 'utf8'), /Rollbacks of direct commits are new commits that revert them\./);
}
