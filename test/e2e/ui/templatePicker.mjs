// Choosing a template that cannot be used does not end the export: the
// person is told why, can open the template to fix it, and picks again.
// (The picker shows at all because this workspace's default template is
// the broken one: with a usable default, Export Selection asks nothing.)
// Screenshots: test-artifacts/screenshots/ui-templatePicker-*.png
import assert from 'node:assert/strict';
import { choose, editReview, openFile, openedReview } from '../lib/workbench.mjs';

export const options = {
  workspace: 'test/e2e/ui/fixtures/template-workspace',
};

export const tests = [
  {
    name: 'a broken template: its error with Open Template, then the picker again; another template goes on to the panel',
    fn: async (t) => {
      await openFile(t.page, 'notes.md');
      await t.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await t.page.keyboard.press('Control+A');

      await t.runCommand('DevGuide Export: Export Selection');
      const broken = t.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Broken' }).first();
      await choose(t.page, 'Template', 'broken', 'Broken');
      const toast = await t.waitForNotification('cannot be used');
      assert.match(await toast.innerText(), /Template "broken" cannot be used: .*docx/s);
      // The picker is back (the export goes on), listing the broken template with why.
      await broken.waitFor({ state: 'visible' });
      assert.match(await broken.innerText(), /Cannot be used/);
      await t.screenshot('picker-again');

      await toast.getByRole('button', { name: 'Open Template' }).click();
      await t.page.locator('.tab[aria-label*="broken.hbs"]').first().waitFor({ state: 'visible' });

      await choose(t.page, 'Template', 'markdown', 'Markdown');
      const { panel } = await openedReview(t.page);
      await editReview(panel, { title: 'Release checklist' }, 'release-checklist.md');
      assert.match(await panel.locator('#slot-header').innerText(), /Markdown → local/);
    },
  },
];
