// The team store in a real VS Code (issue 14), against MariaDB: the
// store's password through Set Destination Credential → Team store
// (SecretStorage), Export Selection → Accept, and the job is a row of the
// team's export_jobs with its actor (the user setting); the Export History
// view lists it from the database. Manage Destinations shares one of the
// member's destinations (the team key entered with Set Team Store Key, the
// Bin's Accept in a modal): a row of export_destinations whose credential is
// sealed, listed as the team's, then removed again.
// Screenshots: test-artifacts/screenshots/ui-teamStore-*.png
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { require as tsRequire } from 'tsx/cjs/api';
import { choose, editReview, openExampleTranscript, openedReview, openHistory, selectLine, setCredential, typeInto } from '../lib/workbench.mjs';

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
      // One of ana's own destinations (its table in the team's database), to share with the team.
      'devguideExport.destinations': [
        { id: 'docs', type: 'tidb', name: 'Team docs', host: db.host, port: db.port, user: teamDb.user, database: teamDb.database, tls: false },
      ],
    },
    teardown: () => db.stop(),
  };
}

export const tests = [
  {
    name: 'the store password via Set Destination Credential; an export is a job of the team store, with its actor, listed in the history',
    fn: async (t) => {
      const { db, teamDb } = t.services;
      await setCredential(t, { name: 'Team store', field: 'Database password', value: teamDb.password, shown: storeShown(db, teamDb) });

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
  {
    name: 'Manage Destinations: the team key, then one of your destinations shared (its credential sealed), listed as the team\'s, and removed',
    fn: async (t) => {
      const { db, teamDb } = t.services;
      // This browser's SecretStorage: the store's password, the team key, and docs' own password (the one that gets sealed).
      await setCredential(t, { name: 'Team store', field: 'Database password', value: teamDb.password, shown: storeShown(db, teamDb) });
      await setCredential(t, { name: 'Team docs', field: 'Database password', value: teamDb.password });

      await t.runCommand('DevGuide Export: Manage Destinations');
      await choose(t.page, 'DevGuide Export: Destinations', 'Set Team Store Key', 'Set Team Store Key');
      await choose(t.page, 'DevGuide Export: Team Store Key', 'Enter', "Enter the team's key");
      await typeInto(t.page, 'DevGuide Export: Team Store Key', randomBytes(32).toString('base64'));
      await t.waitForNotification('Team store key (version 1) stored in SecretStorage');

      await t.runCommand('DevGuide Export: Manage Destinations');
      await choose(t.page, 'DevGuide Export: Destinations', 'Share a destination', 'Share a destination with the team');
      await choose(t.page, 'Share a destination with the team', 'Team docs', 'Team docs');
      // The Bin's review of a shared destination is high risk: an explicit Accept.
      const dialog = t.page.locator('.monaco-dialog-box', { hasText: 'Share the destination "docs" with the team?' });
      await dialog.waitFor({ state: 'visible' });
      await t.screenshot('share-review');
      await dialog.locator('.monaco-button', { hasText: 'Accept' }).click();
      await t.waitForNotification('"docs" is shared with the team (version 1)');

      const root = await db.root(teamDb.database);
      try {
        const [rows] = await root.query("SELECT * FROM export_destinations WHERE destination_id = 'docs'");
        assert.equal(rows.length, 1, 'one row in export_destinations');
        assert.equal(rows[0].created_by, 'ana');
        assert.ok(rows[0].encrypted_credentials, 'the password is kept, sealed');
        assert.ok(!JSON.stringify(rows).includes(teamDb.password), 'the shared credential is sealed, never in clear');
      } finally {
        await root.end();
      }

      await t.runCommand('DevGuide Export: Manage Destinations');
      const widget = t.page.locator('.quick-input-widget');
      const docs = widget.locator('.monaco-list-row', { hasText: 'Team docs' }).first();
      await docs.locator(':text("Shared by ana · you administer it · team credential: password")').waitFor({ state: 'visible' });
      await t.screenshot('shared-listed');
      await choose(t.page, 'DevGuide Export: Destinations', 'Team docs', 'Team docs');
      await choose(t.page, 'DevGuide Export: Team docs', 'Remove', 'Remove from the team store');
      const confirm = t.page.locator('.monaco-dialog-box', { hasText: 'Remove "docs" from the team store?' });
      await confirm.locator('.monaco-button', { hasText: 'Remove' }).click();
      await t.waitForNotification('"docs" was removed from the team store');

      const again = await db.root(teamDb.database);
      try {
        const [rows] = await again.query("SELECT destination_id FROM export_destinations WHERE destination_id = 'docs'");
        assert.equal(rows.length, 0, 'removed from export_destinations');
      } finally {
        await again.end();
      }
    },
  },
];

/** How Set Destination Credential names the team store: with its address. */
function storeShown(db, teamDb) {
  return `Team store (${teamDb.user}@${db.host}:${db.port}/${teamDb.database})`;
}
