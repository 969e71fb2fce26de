// Restricted Mode (an untrusted workspace): workspace templates and
// workspace-defined destinations are disabled, and the commands say why.
// Screenshots: test-artifacts/screenshots/ui-restrictedMode-*.png
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFile, openedReview, startCommand } from '../lib/workbench.mjs';

// VS Code ignores a workspace's storePath in Restricted Mode (it is a restricted
// setting): the user-level setting keeps this run's history out of the user data folder.
const store = mkdtempSync(join(tmpdir(), 'devguide-ui-restricted-store-'));
process.once('exit', () => rmSync(store, { recursive: true, force: true }));

export const options = {
  workspace: 'test/e2e/ui/fixtures/restricted-workspace',
  workspaceTrust: true,
  settings: {
    'security.workspace.trust.startupPrompt': 'never',
    'devguideExport.storePath': store,
  },
};

export const tests = [
  {
    name: 'New Template says why it is disabled',
    fn: async (t) => {
      await t.runCommand('DevGuide Export: New Template');
      await t.waitForNotification('Restricted Mode');
      await t.screenshot('new-template-refused');
      assert.equal(existsSync(join(t.workspace, '.devguide', 'templates')), false, 'no template was written');
    },
  },
  {
    name: 'a workspace destination is listed as disabled in the review panel and in the destination picker, and refused',
    fn: async (t) => {
      await openFile(t.page, 'notes.md');
      await t.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await t.page.keyboard.press('Control+A');

      // The panel opens on the defaults (built-in template, the local destination); the workspace's own is listed, disabled.
      await t.runCommand('DevGuide Export: Export Selection');
      const { panel } = await openedReview(t.page);
      await panel.locator('#field-destination vscode-option[disabled]', { hasText: 'Team docs' }).waitFor({ state: 'attached' });
      assert.match(await panel.locator('#field-destination vscode-option', { hasText: 'Team docs' }).getAttribute('description'), /Restricted Mode/);
      await panel.locator('#reject').click();

      await startCommand(t.page, 'DevGuide Export: Test Destination');
      const widget = t.page.locator('.quick-input-widget');
      const input = widget.locator('.quick-input-box input').first();
      const disabled = widget.locator('.monaco-list-row', { hasText: 'Team docs' });
      await disabled.waitFor({ state: 'visible' });
      assert.match(await disabled.innerText(), /Disabled: .*Restricted Mode/);
      await t.screenshot('destination-disabled');
      await input.fill('team-docs');
      await widget.locator('.monaco-list-row.focused', { hasText: 'Team docs' }).waitFor({ state: 'visible' });
      await input.press('Enter');

      await t.waitForNotification('is disabled');
      assert.equal(existsSync(join(t.workspace, 'team')), false, 'nothing was exported there');
    },
  },
];
