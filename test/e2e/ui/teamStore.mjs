// The team store in a real VS Code (issue 14), against MariaDB: the
// store's password through Set Destination Credential → Team store
// (SecretStorage), Export Selection → Accept, and the job is a row of the
// team's export_jobs with its actor (the user setting); the Export History
// view lists it from the database.
// Screenshots: test-artifacts/screenshots/ui-teamStore-*.png
import assert from 'node:assert/strict';
import { require as tsRequire } from 'tsx/cjs/api';
import { choose, editReview, openExampleTranscript, openedReview, openHistory, selectLine, typeInto } from '../lib/workbench.mjs';

export const options = {
  workspace: 'test/e2e/ui/fixtures/export-workspace',
};

const TRANSCRIPT = 'chat-messages.jsonl';

/** A MariaDB of its own (test/support/mariadb.ts) holding the team store. */
export async function setup() {
  const { startMariaDb } = tsRequire('../../support/mariadb.ts', import.meta.url);
  const db = await startMariaDb();
  const teamDb = await db.newDatabase('devguide_ui_team');
  return {
    db,
    teamDb,
    settings: {
      'devguideExport.store': { type: 'tidb', host: db.host, port: db.port, user: teamDb.user, database: teamDb.database, tls: false },
      'devguideExport.user': 'ana',
    },
    teardown: () => db.stop(),
  };
}

export const tests = [
  {
    name: 'the store password via Set Destination Credential; an export is a job of the team store, with its actor, listed in the history',
    fn: async (t) => {
      const { db, teamDb } = t.services;
      await t.runCommand('DevGuide Export: Set Destination Credential');
      await choose(t.page, 'Set Destination Credential', 'Team store', 'Team store');
      await typeInto(t.page, 'Database password for Team store', teamDb.password);
      await t.waitForNotification('Credential for Team store');

      await openExampleTranscript(t, TRANSCRIPT);
      await selectLine(t.page, 2);

      await t.runCommand('DevGuide Export: Export Selection');
      const { panel } = await openedReview(t.page);
      await editReview(panel, { title: 'Team notes' }, 'team-notes.md');
      await panel.locator('#accept').click();
      await panel.locator('#result').waitFor({ state: 'visible', timeout: 30_000 });
      await t.screenshot('exported');

      const root = await db.root(teamDb.database);
      try {
        const [rows] = await root.query('SELECT filename, status, actor FROM export_jobs');
        assert.deepEqual(
          rows.map((r) => `${r.filename}:${r.status}:${r.actor}`),
          ['team-notes.md:completed:ana'],
        );
      } finally {
        await root.end();
      }

      const pane = await openHistory(t.page);
      await pane.locator('.monaco-list-row', { hasText: 'team-notes.md' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      await t.screenshot('history');
    },
  },
];
