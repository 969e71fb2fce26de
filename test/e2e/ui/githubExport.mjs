// A GitHub destination in a real VS Code (issue 12): the token stored through
// Set Destination Credential (SecretStorage), Export Selection → the review
// panel (high risk, the public-repository warning) → Accept → the local
// stand-in for GitHub holds the commit, and the result links to the file.
// Screenshots: test-artifacts/screenshots/ui-githubExport-*.png
import assert from 'node:assert/strict';
import { require as tsRequire } from 'tsx/cjs/api';
import { choose, editReview, openExampleTranscript, openedReview, selectLine, typeInto } from '../lib/workbench.mjs';

export const options = {
  workspace: 'test/e2e/ui/fixtures/export-workspace',
};

const TRANSCRIPT = 'chat-messages.jsonl';

/** The stand-in for GitHub (test/support/githubFake), started before code-server so the settings can point at it. */
export async function setup() {
  const { startFakeGitHub } = tsRequire('../../support/githubFake/index.ts', import.meta.url);
  const fake = await startFakeGitHub();
  fake.addRepo('acme/handbook', { visibility: 'public', files: { 'README.md': '# Handbook\n' } });
  return {
    fake,
    settings: {
      'devguideExport.destinations': [{ id: 'gh', name: 'Handbook', type: 'github', repo: 'acme/handbook', path: 'docs', baseUrl: fake.baseUrl }],
      'devguideExport.defaultDestination': 'gh',
    },
    teardown: async () => {
      await fake.close();
      fake.assertNoViolations();
    },
  };
}

export const tests = [
  {
    name: 'a token set with Set Destination Credential; Export Selection → Accept commits to the repository',
    fn: async (t) => {
      const { fake } = t.services;
      await t.runCommand('DevGuide Export: Set Destination Credential');
      await choose(t.page, 'Set Destination Credential', 'Hand', 'Handbook');
      await choose(t.page, 'Credential for Handbook', 'token', 'Enter a personal access token');
      await typeInto(t.page, 'GitHub token for Handbook', fake.token);
      await t.waitForNotification('Credential for Handbook stored');

      await openExampleTranscript(t, TRANSCRIPT);
      await selectLine(t.page, 2);

      await t.runCommand('DevGuide Export: Export Selection');
      const { panel } = await openedReview(t.page);
      assert.match(await panel.locator('#slot-header').innerText(), /→ Handbook \(github\)/);
      await editReview(panel, { title: 'Rollback notes' }, 'rollback-notes.md');
      assert.equal(await panel.locator('#action-kind').innerText(), 'CREATE');
      await panel.getByText(/publicly visible/).first().waitFor({ state: 'visible' });
      assert.equal(fake.writes().length, 0, 'nothing written before Accept');
      await t.screenshot('review');

      await panel.locator('#accept').click();
      const result = panel.locator('#result');
      await result.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await result.innerText(), /rollback-notes\.md/);
      assert.match(await panel.locator('#result-location').innerText(), /acme\/handbook\/blob\/main\/docs\/rollback-notes\.md/);
      await panel.locator('#open-result', { hasText: 'Open in Browser' }).waitFor({ state: 'visible' });
      await t.screenshot('exported');

      const repo = fake.repo('acme/handbook');
      assert.match(repo.file('main', 'docs/rollback-notes.md') ?? '', /^# Rollback notes/m);
      assert.equal(repo.history('main').length, 2, 'one commit on top of the first');
    },
  },
  {
    name: 'no token in this browser: the error offers Set Credential; then the same file again is an UPDATE: View Diff shows the repository\'s file against the new one; Accept commits it',
    fn: async (t) => {
      const { fake } = t.services;
      const repo = fake.repo('acme/handbook');
      repo.commitFiles('main', { 'docs/rollback-notes.md': '# Rollback notes\n\nA colleague\'s version.\n' });
      await openExampleTranscript(t, TRANSCRIPT);
      await selectLine(t.page, 2);

      // code-server keeps SecretStorage in the browser: this fresh browser has no token. The error offers to set one.
      await t.runCommand('DevGuide Export: Export Selection');
      const toast = t.page.locator('.notification-toast', { hasText: 'No GitHub token for destination "gh"' });
      await toast.waitFor({ state: 'visible' });
      await toast.getByRole('button', { name: 'Set Credential' }).click();
      await choose(t.page, 'Credential for Handbook', 'token', 'Enter a personal access token');
      await typeInto(t.page, 'GitHub token for Handbook', fake.token);
      await t.waitForNotification('Credential for Handbook stored');

      await t.runCommand('DevGuide Export: Export Selection');
      const { panel } = await openedReview(t.page);
      await editReview(panel, { title: 'Rollback notes' }, 'rollback-notes.md');
      await panel.locator('#action-kind', { hasText: 'UPDATE' }).waitFor({ state: 'visible' });
      await panel.locator('#view-diff').click();
      const diffTab = t.page.locator('.tab', { hasText: 'rollback-notes.md (existing ↔ export)' }).first();
      await diffTab.waitFor({ state: 'visible' });
      await t.page.locator('.monaco-diff-editor .editor.original', { hasText: "A colleague's version." }).first().waitFor({ state: 'visible' });
      await t.screenshot('diff');

      const commitsBefore = repo.history('main').length;
      await panel.locator('#accept').click();
      await panel.locator('#result').waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await panel.locator('#result').innerText(), /Updated rollback-notes\.md/);
      assert.equal(repo.history('main').length, commitsBefore + 1);
      assert.doesNotMatch(repo.file('main', 'docs/rollback-notes.md') ?? '', /A colleague's version/);
    },
  },
];
