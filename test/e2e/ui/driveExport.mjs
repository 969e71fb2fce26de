// A Google Drive destination in a real VS Code (issue 15): the OAuth
// credentials stored through Set Destination Credential (SecretStorage),
// Export Selection → the review panel (high risk, CREATE) → Accept → the
// local stand-in for Drive holds the file in the folder, and the panel links
// to its webViewLink.
// Screenshots: test-artifacts/screenshots/ui-driveExport-*.png
import assert from 'node:assert/strict';
import { require as tsRequire } from 'tsx/cjs/api';
import { editReview, openExampleTranscript, openedReview, selectLine, setCredential } from '../lib/workbench.mjs';

export const options = {
  workspace: 'test/e2e/ui/fixtures/export-workspace',
};

const TRANSCRIPT = 'chat-messages.jsonl';

/** The stand-in for Drive and Google's token endpoint (test/support/driveFake), started before code-server. */
export async function setup() {
  const { startFakeDrive } = tsRequire('../../support/driveFake/server.ts', import.meta.url);
  const fake = await startFakeDrive();
  const folder = fake.addFolder({ name: 'Team wiki' });
  return {
    fake,
    folder,
    settings: {
      'devguideExport.destinations': [{ id: 'wiki', name: 'Team wiki', type: 'drive', folderId: folder.id, rootUrl: fake.rootUrl, tokenUrl: fake.tokenUrl }],
      'devguideExport.defaultDestination': 'wiki',
    },
    teardown: () => fake.close(),
  };
}

export const tests = [
  {
    name: 'credentials set with Set Destination Credential; Export Selection → Accept creates the file in the folder',
    fn: async (t) => {
      const { fake, folder } = t.services;
      await setCredential(t, { name: 'Team wiki', typed: 'Team', field: 'Google OAuth credentials (JSON)', value: fake.tokens.authorizedUser() });

      await openExampleTranscript(t, TRANSCRIPT);
      await selectLine(t.page, 2);

      await t.runCommand('DevGuide Export: Export Selection');
      const { panel } = await openedReview(t.page);
      assert.match(await panel.locator('#slot-header').innerText(), /→ Team wiki \(drive\)/);
      await editReview(panel, { title: 'Rollback notes' }, 'rollback-notes.md');
      assert.equal(await panel.locator('#action-kind').innerText(), 'CREATE');
      assert.match(await panel.locator('#slot-header').innerText(), /HIGH/i);
      assert.equal(fake.filesIn(folder.id).length, 0, 'nothing written before Accept');
      await t.screenshot('review');

      await panel.locator('#accept').click();
      await panel.locator('#result').waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await panel.locator('#result').innerText(), /rollback-notes\.md/);
      await t.screenshot('exported');

      const files = fake.filesIn(folder.id);
      assert.equal(files.length, 1);
      assert.equal(files[0].name, 'rollback-notes.md');
      assert.match(fake.content(files[0].id) ?? '', /^# Rollback notes/m);
      assert.match(await panel.locator('#result-location').innerText(), new RegExp(files[0].id));
    },
  },
];
