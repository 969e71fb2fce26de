// Export Selection through the real UI: the command palette, the review
// panel that opens straight away on the defaults (a webview: its page is in
// nested iframes) and whose fields are typed into, one panel per selection,
// the diff editor that closes with the review, Preview Export, and the
// Export History view.
// Screenshots: test-artifacts/screenshots/ui-exportSelection-*.png
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { choose, editReview, openExampleTranscript, openedReview, openHistory, selectLine } from '../lib/workbench.mjs';

export const options = {
  workspace: 'test/e2e/ui/fixtures/export-workspace',
};

const TRANSCRIPT = 'chat-messages.jsonl';

export const tests = [
  {
    name: 'the Export History view welcomes the first export',
    fn: async (t) => {
      const view = await openHistory(t.page);
      const welcome = view.locator('.welcome-view-content');
      await welcome.waitFor({ state: 'visible' });
      assert.match(await welcome.innerText(), /No exports yet\./);
      await welcome.getByRole('button', { name: 'Export Transcript…' }).waitFor({ state: 'visible' });
      await t.screenshot('history-welcome');
    },
  },
  {
    name: 'Export Selection opens the review panel at once on the defaults; the panel changes them; Accept writes the file',
    fn: async (t) => {
      await openExampleTranscript(t, TRANSCRIPT);
      // Line 2 holds the assistant's message; select it.
      await selectLine(t.page, 2);

      const started = Date.now();
      await t.runCommand('DevGuide Export: Export Selection');
      // No template, destination, title or tags prompts: the panel, with the default template (this workspace's setting).
      const { panel } = await openedReview(t.page);
      t.log(`review panel rendered ${Date.now() - started} ms after the command (the first panel of this VS Code: cold)`);
      assert.match(await panel.locator('#slot-header').innerText(), /Markdown → local \(local\)/);
      await editReview(panel, { title: 'UI export', tags: 'ui, e2e' }, 'ui-export.md');
      await t.page.locator('.tab.active', { hasText: 'Review: ui-export.md' }).waitFor({ state: 'visible' });
      assert.match(await panel.locator('#slot-preview').innerText(), /Direct commits are reverted with a new commit\./);
      assert.equal(await panel.locator('#action-kind').innerText(), 'CREATE');
      await t.screenshot('review-panel');

      await panel.locator('#accept').click();
      const result = panel.locator('#result');
      await result.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await result.innerText(), /Exported[\s\S]*Created ui-export\.md in local\.[\s\S]*exports\/ui-export\.md/i);
      assert.doesNotMatch(await panel.locator('#result-location').innerText(), /^file:/);
      await panel.locator('#open-result', { hasText: 'Open File' }).waitFor({ state: 'visible' });
      // The finished panel says so in its tab: it is the result now, not a review waiting for a decision.
      await t.page.locator('.tab', { hasText: 'Exported: ui-export.md' }).waitFor({ state: 'visible' });
      // The job's progress notification (JobProgress on the job's own token) closes once the job ends.
      await t.page.locator('.notification-toast', { hasText: 'publishing' }).waitFor({ state: 'hidden', timeout: 10_000 });
      await t.screenshot('exported');
      const written = readFileSync(join(t.workspace, 'exports', 'ui-export.md'), 'utf8');
      assert.match(written, /^# UI export/m);
      assert.match(written, /ui, e2e|ui[\s\S]*e2e/);
      assert.match(written, /Direct commits are reverted with a new commit\./);
      assert.doesNotMatch(written, /Plan the export rollback for GitHub\./);
      assert.ok(existsSync(join(t.workspace, '.devguide-store')), 'the history is in the workspace store');

      // Open File opens the written file in an editor.
      await panel.locator('#open-result').click();
      await t.page.locator('.tab.active[aria-label*="ui-export.md"]:not([aria-label*="Exported"])').first().waitFor({ state: 'visible' });
    },
  },
  {
    name: 'the same selection again reuses its panel; View Diff opens the diff editor, which closes once the update is accepted',
    fn: async (t) => {
      await openExampleTranscript(t, TRANSCRIPT);
      await selectLine(t.page, 2);

      await t.runCommand('DevGuide Export: Export Selection');
      const { panel } = await openedReview(t.page);
      // One panel for this selection: the finished one of the first export took the new review.
      assert.equal(await reviewTabs(t.page).count(), 1, 'no second review tab');
      await editReview(panel, { title: 'UI export', tags: 'reviewed' }, 'ui-export.md');
      await panel.locator('#action-kind', { hasText: 'UPDATE' }).waitFor({ state: 'visible' });
      await panel.locator('#view-diff').click();
      // The native diff editor opens beside the panel on the existing and the new content.
      const diffTab = t.page.locator('.tab', { hasText: 'ui-export.md (existing ↔ export)' }).first();
      await diffTab.waitFor({ state: 'visible' });
      await t.page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible' });
      await t.screenshot('diff-beside-panel');

      await panel.locator('#accept').click();
      await panel.locator('#result').waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await panel.locator('#result').innerText(), /Updated ui-export\.md/);
      // The review is over: the diff it opened is closed.
      await diffTab.waitFor({ state: 'hidden', timeout: 10_000 });
      const written = readFileSync(join(t.workspace, 'exports', 'ui-export.md'), 'utf8');
      assert.match(written, /\*\*Tags:\*\* reviewed/, 'the new tags');
      assert.match(written, /Direct commits are reverted with a new commit\./, 'the same selection');
    },
  },
  {
    name: 'Preview Export opens a preview beside the editor with no Accept; Export… makes it the review',
    fn: async (t) => {
      await openExampleTranscript(t, TRANSCRIPT);
      await selectLine(t.page, 1);
      await t.runCommand('DevGuide Export: Preview Export');
      // Beside the transcript, which keeps the focus: the preview's tab is the active one of the other group.
      const { panel, filename } = await openedReview(t.page, { kind: 'Preview' });
      await t.page.locator('.tab.active', { hasText: /chat-messages\s*\.jsonl/ }).first().waitFor({ state: 'visible' });
      assert.equal(await panel.locator('#accept').count(), 0, 'nothing can be published from a preview');
      assert.equal(await panel.locator('#panel-mode').textContent(), 'Preview — nothing is exported yet');
      await t.screenshot('preview-mode');
      await panel.locator('#start-review').click();
      await panel.locator('#accept').waitFor({ state: 'visible' });
      const tab = t.page.locator('.tab', { hasText: `Review: ${filename}` }).first();
      await tab.waitFor({ state: 'visible' });
      await panel.locator('#reject').click();
      await tab.waitFor({ state: 'hidden' });
    },
  },
  {
    name: 'another selection of the same session gets a file of its own, not an update of the first',
    fn: async (t) => {
      await openExampleTranscript(t, TRANSCRIPT);
      await selectLine(t.page, 1);

      await t.runCommand('DevGuide Export: Export Selection');
      const { panel } = await openedReview(t.page);
      await editReview(panel, { title: 'UI export' }, 'ui-export-2.md');
      assert.equal(await panel.locator('#action-kind').innerText(), 'CREATE');
      await panel.locator('#accept').click();
      await panel.locator('#result').waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(readFileSync(join(t.workspace, 'exports', 'ui-export-2.md'), 'utf8'), /Plan the export rollback for GitHub\./);
      assert.match(readFileSync(join(t.workspace, 'exports', 'ui-export.md'), 'utf8'), /Direct commits are reverted/, 'the first file is untouched');
    },
  },
  {
    name: 'picks one block of a message when nothing is selected',
    fn: async (t) => {
      await openExampleTranscript(t, TRANSCRIPT);
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

      const { panel } = await openedReview(t.page);
      await editReview(panel, { title: 'Closing pull requests' }, 'closing-pull-requests.md');
      await panel.locator('#accept').click();
      await panel.locator('#result').waitFor({ state: 'visible', timeout: 30_000 });

      const written = readFileSync(join(t.workspace, 'exports', 'closing-pull-requests.md'), 'utf8');
      assert.match(written, /Pull requests are closed and their branch deleted\./);
      assert.doesNotMatch(written, /Direct commits are reverted/, 'the other block of the message is left out');
      assert.doesNotMatch(written, /Plan the export rollback/, 'and so is the other message');
    },
  },
  {
    name: 'the Export History view lists the exports of today; a job shows its details',
    fn: async (t) => {
      const view = await openHistory(t.page);
      const rows = view.locator('.monaco-list-row');
      await rows.filter({ hasText: 'Today' }).first().waitFor({ state: 'visible' });
      const job = rows.filter({ hasText: 'closing-pull-requests.md' }).first();
      await job.waitFor({ state: 'visible' });
      assert.match(await job.innerText(), /closing-pull-requests\.md\s*local · \d\d:\d\d/);
      // Two exports of ui-export.md (created, then updated), both completed.
      await rows.filter({ hasText: 'ui-export.md' }).nth(1).waitFor({ state: 'visible' });
      await rows.filter({ hasText: /ui-export\.md\s*local · \d\d:\d\d · update/ }).first().waitFor({ state: 'visible' });
      assert.equal(await job.locator('.codicon-pass').count(), 1, 'a completed job has the pass icon');
      await job.hover();
      await t.screenshot('history-view');

      // The title bar's filter: a QuickPick; the view's description names the filter; Clear Filter lifts it.
      await t.page.locator('.sidebar .action-label[aria-label="Filter by Status…"]').first().click();
      await choose(t.page, 'Filter by Status', 'completed', 'Completed');
      await view.getByText('Showing completed exports.').first().waitFor({ state: 'visible' });
      await job.waitFor({ state: 'visible' });
      await t.screenshot('history-filtered');
      await t.page.locator('.sidebar .action-label[aria-label="Filter by Status…"]').first().click();
      await choose(t.page, 'Filter by Status', 'failed', 'Failed');
      await view.locator('.welcome-view-content', { hasText: 'No exports match the filter.' }).waitFor({ state: 'visible' });
      await t.page.locator('.sidebar .action-label[aria-label="Clear Filter"]').first().click();
      await job.waitFor({ state: 'visible' });

      await job.click();
      // A readable document of the job and its audit trail (Markdown, not the raw record).
      await t.page.locator('.tab.active[aria-label*=".md"]').first().waitFor({ state: 'visible' });
      const text = await t.page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
      assert.match(text, /\*\*Completed\*\*/);
      assert.match(text, /\*\*File:\*\*\s+closing-pull-requests\.md/);
      await t.screenshot('job-details');
    },
  },
  {
    name: 'the Settings editor titles the settings "DevGuide Export", in sections, with labels free of the key\'s "Devguide Export ›"',
    fn: async (t) => {
      await t.runCommand('Preferences: Open Settings (UI)');
      const toc = t.page.locator('.settings-editor .settings-toc-container');
      const extensions = toc.locator('.monaco-list-row', { hasText: 'Extensions' }).first();
      await extensions.waitFor({ state: 'visible' });
      await extensions.locator('.monaco-tl-twistie').click();
      const ours = toc.locator('.monaco-list-row', { hasText: 'DevGuide Export' }).first();
      await ours.waitFor({ state: 'visible' });
      await ours.click();
      await t.page.locator('.settings-group-title-label', { hasText: /^\s*DevGuide Export\s*$/ }).waitFor({ state: 'visible' });
      await t.page.locator('.setting-item-title', { hasText: /^Default Template/ }).first().waitFor({ state: 'visible' });
      for (const section of ['Review', 'Tool Output', 'Store', 'Limits']) {
        await toc.locator('.monaco-list-row', { hasText: section }).first().waitFor({ state: 'visible' });
      }
      await t.screenshot('settings');
      await toc.locator('.monaco-list-row', { hasText: 'Review' }).first().click();
      const requireAt = t.page.locator('.setting-item-title', { hasText: 'Require At' }).first();
      await requireAt.waitFor({ state: 'visible' });
      assert.equal((await requireAt.locator('.setting-item-label').innerText()).trim(), 'Require At');
      assert.equal((await requireAt.locator('.setting-item-category').innerText()).trim(), '', 'no "Devguide Export › Review:" before it');
      await t.page.keyboard.press('Escape');
    },
  },
];

/** Opens the DevGuide Export container from the activity bar; returns the Export History view's pane. */


/** The tabs of review panels (pending, preview or finished). */
function reviewTabs(page) {
  return page.locator('.tab', { hasText: /^(Review|Preview|Exporting|Exported|Export failed): / });
}

