// Export Selection through the real UI: the command palette, the QuickPicks
// and InputBoxes typed into, the Bin's review modal, the result notification.
// Screenshots: test-artifacts/screenshots/ui-exportSelection-*.png
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const options = {
  workspace: 'test/e2e/ui/fixtures/export-workspace',
};

const TRANSCRIPT = 'chat-messages.jsonl';

export const tests = [
  {
    name: 'exports the selected message from the command palette',
    fn: async (t) => {
      await openTranscript(t);
      // Line 2 holds the assistant's message; select it.
      await quickInput(t.page, ':2');
      await t.page.keyboard.press('Home');
      await t.page.keyboard.press('Shift+End');

      await t.runCommand('DevGuide Export: Export Selection');
      await choose(t.page, 'Template', 'markdown', 'Markdown');
      await choose(t.page, 'Destination', 'local', 'local');
      await typeInto(t.page, 'Title', 'UI export');
      await typeInto(t.page, 'Tags', 'ui, e2e');

      const dialog = await reviewDialog(t.page, 'Create "ui-export.md"');
      await t.screenshot('review-modal');
      await dialog.getByRole('button', { name: 'Accept' }).click();

      const toast = await t.waitForNotification('Exported "ui-export.md"');
      // The job's progress notification (the server's work-done progress) closes once the job ends.
      await t.page.locator('.notification-toast', { hasText: 'publishing' }).waitFor({ state: 'hidden', timeout: 10_000 });
      await settled(t.page, toast);
      await t.screenshot('exported');
      const written = readFileSync(join(t.workspace, 'exports', 'ui-export.md'), 'utf8');
      assert.match(written, /^# UI export/m);
      assert.match(written, /Direct commits are reverted with a new commit\./);
      assert.doesNotMatch(written, /Plan the export rollback for GitHub\./);
      assert.ok(existsSync(join(t.workspace, '.devguide-store')), 'the history is in the workspace store');
    },
  },
  {
    name: 'shows an update in the diff editor from the review, then accepts it',
    fn: async (t) => {
      await openTranscript(t);
      // Line 1 this time, under the title of the first test: the same file, updated.
      await quickInput(t.page, ':1');
      await t.page.keyboard.press('Home');
      await t.page.keyboard.press('Shift+End');

      await t.runCommand('DevGuide Export: Export Selection');
      await choose(t.page, 'Template', 'markdown', 'Markdown');
      await choose(t.page, 'Destination', 'local', 'local');
      await typeInto(t.page, 'Title', 'UI export');
      await typeInto(t.page, 'Tags', '');

      const dialog = await reviewDialog(t.page, 'Update "ui-export.md"');
      await dialog.getByRole('button', { name: 'View Diff' }).click();
      // The native diff editor opens on the existing and the new content, and the review asks again.
      await t.page.locator('.tab.active', { hasText: 'ui-export.md (existing ↔ export)' }).waitFor({ state: 'visible' });
      await t.page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible' });
      const again = await reviewDialog(t.page, 'Update "ui-export.md"');
      await t.screenshot('diff-and-review');
      await again.getByRole('button', { name: 'Accept' }).click();

      await t.waitForNotification('Exported "ui-export.md"');
      const written = readFileSync(join(t.workspace, 'exports', 'ui-export.md'), 'utf8');
      assert.match(written, /Plan the export rollback for GitHub\./, 'now the message of line 1');
      assert.doesNotMatch(written, /Direct commits are reverted/);
    },
  },
  {
    name: 'picks one block of a message when nothing is selected',
    fn: async (t) => {
      await openTranscript(t);
      await t.page.keyboard.press('Control+Home');

      await t.runCommand('DevGuide Export: Export Selection');
      const widget = t.page.locator('.quick-input-widget');
      await widget.locator('.quick-input-title', { hasText: 'Messages of' }).waitFor({ state: 'visible' });
      // Block rows carry their block id; clicking a row of a multi-select toggles it.
      const blockRow = widget.locator('.monaco-list-row', { hasText: 'blk_2b' });
      await blockRow.click();
      await widget.locator('.quick-input-count', { hasText: '1 Selected' }).waitFor({ state: 'visible' });
      await t.screenshot('message-picker');
      await widget.locator('.quick-input-box input').first().press('Enter');

      await choose(t.page, 'Template', 'markdown', 'Markdown');
      await choose(t.page, 'Destination', 'local', 'local');
      await typeInto(t.page, 'Title', 'Closing pull requests');
      await typeInto(t.page, 'Tags', '');
      const dialog = await reviewDialog(t.page, 'Create "closing-pull-requests.md"');
      await dialog.getByRole('button', { name: 'Accept' }).click();

      await t.waitForNotification('Exported "closing-pull-requests.md"');
      const written = readFileSync(join(t.workspace, 'exports', 'closing-pull-requests.md'), 'utf8');
      assert.match(written, /Pull requests are closed and their branch deleted\./);
      assert.doesNotMatch(written, /Direct commits are reverted/, 'the other block of the message is left out');
      assert.doesNotMatch(written, /Plan the export rollback/, 'and so is the other message');
    },
  },
  {
    name: 'finds the exports in the history and shows a job\'s details',
    fn: async (t) => {
      await t.runCommand('DevGuide Export: Show Export History');
      await choose(t.page, 'History', 'md', 'closing-pull-requests.md', () => t.screenshot('history'));
      await choose(t.page, 'closing-pull-requests.md', 'details', 'Show Details');
      // A read-only JSON document of the job and its audit trail.
      await t.page.locator('.tab.active[aria-label*=".json"]').first().waitFor({ state: 'visible' });
      const text = await t.page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
      assert.match(text, /"status":\s*"completed"/);
      assert.match(text, /"filename":\s*"closing-pull-requests\.md"/);
    },
  },
];

/** Copies the example transcript into the workspace and opens it through Quick Open. */
async function openTranscript(t) {
  const target = join(t.workspace, TRANSCRIPT);
  if (!existsSync(target)) copyFileSync(join(t.extensionPath, 'examples', TRANSCRIPT), target);
  const widget = t.page.locator('.quick-input-widget');
  const row = widget.locator('.monaco-list-row', { hasText: TRANSCRIPT }).first();
  // Quick Open's file index can lag a file created a moment ago: ask again until it is listed.
  for (let attempt = 0; ; attempt++) {
    await quickInputOpen(t.page, TRANSCRIPT);
    try {
      await row.waitFor({ state: 'visible', timeout: 3_000 });
      break;
    } catch (error) {
      if (attempt >= 10) throw error;
      await t.page.keyboard.press('Escape');
    }
  }
  await widget.locator('.quick-input-box input').first().press('Enter');
  await t.page.locator(`.tab.active[aria-label*="${TRANSCRIPT}"]`).first().waitFor({ state: 'visible' });
  await t.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
}

async function quickInputOpen(page, text) {
  const widget = page.locator('.quick-input-widget');
  await page.keyboard.press('F1');
  await widget.waitFor({ state: 'visible' });
  await widget.locator('.quick-input-box input').first().fill(text);
}

/** Types into the palette (e.g. ":2" to go to a line) and runs it. */
async function quickInput(page, text) {
  const widget = page.locator('.quick-input-widget');
  await quickInputOpen(page, text);
  await widget.locator('.quick-input-box input').first().press('Enter');
  await widget.waitFor({ state: 'hidden' });
}

/** A QuickPick step: waits for its title, filters by `typed`, checks the focused row, (`before()`), Enter. */
async function choose(page, step, typed, expectedLabel, before) {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: step }).waitFor({ state: 'visible' });
  const input = widget.locator('.quick-input-box input').first();
  await input.fill(typed);
  await widget.locator('.monaco-list-row.focused', { hasText: expectedLabel }).first().waitFor({ state: 'visible' });
  await before?.();
  await input.press('Enter');
}

/** An InputBox step: waits for its title, replaces the value, Enter. */
async function typeInto(page, step, value) {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: step }).waitFor({ state: 'visible' });
  const input = widget.locator('.quick-input-box input').first();
  await input.fill(value);
  await input.press('Enter');
}

/** Waits until a toast has finished fading in, so the screenshot shows it. */
async function settled(page, locator) {
  await page.waitForFunction((el) => el.getAnimations({ subtree: true }).every((a) => a.playState !== 'running') && getComputedStyle(el).opacity === '1', await locator.elementHandle());
}

async function reviewDialog(page, text) {
  const dialog = page.locator('.monaco-dialog-box', { hasText: text });
  await dialog.waitFor({ state: 'visible', timeout: 30_000 });
  return dialog;
}
