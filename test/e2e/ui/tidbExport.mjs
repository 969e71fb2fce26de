// A TiDB / MySQL destination in a real VS Code (issue 13), against MariaDB:
// the password stored through Set Destination Credential (SecretStorage),
// Export Selection → the review panel (medium risk, CREATE) → Accept → the
// row is in the table, and the panel shows its tidb:// location.
// Screenshots: test-artifacts/screenshots/ui-tidbExport-*.png
import assert from 'node:assert/strict';
import { require as tsRequire } from 'tsx/cjs/api';
import { editReview, openExampleTranscript, openedReview, selectLine, setCredential } from '../lib/workbench.mjs';

export const options = {
  workspace: 'test/e2e/ui/fixtures/export-workspace',
};

const TRANSCRIPT = 'chat-messages.jsonl';

/** A MariaDB of its own (test/support/mariadb.ts), started before code-server so the settings can point at it. */
export async function setup() {
  const { startMariaDb } = tsRequire('../../support/mariadb.ts', import.meta.url);
  const db = await startMariaDb();
  const testDb = await db.newDatabase('devguide_ui');
  return {
    db,
    testDb,
    settings: {
      'devguideExport.destinations': [{ id: 'kb', name: 'Knowledge base', type: 'tidb', host: db.host, port: db.port, user: testDb.user, database: testDb.database, tls: false }],
      'devguideExport.defaultDestination': 'kb',
    },
    teardown: () => db.stop(),
  };
}

export const tests = [
  {
    name: 'a password set with Set Destination Credential; Export Selection → Accept writes the row',
    fn: async (t) => {
      const { db, testDb } = t.services;
      const { database, password } = testDb;
      await setCredential(t, { name: 'Knowledge base', typed: 'Know', field: 'Database password', value: password });

      await openExampleTranscript(t, TRANSCRIPT);
      await selectLine(t.page, 2);

      await t.runCommand('DevGuide Export: Export Selection');
      const { panel } = await openedReview(t.page);
      assert.match(await panel.locator('#slot-header').innerText(), /→ Knowledge base \(tidb\)/);
      await editReview(panel, { title: 'Rollback notes' }, 'rollback-notes.md');
      assert.equal(await panel.locator('#action-kind').innerText(), 'CREATE');
      await t.screenshot('review');

      await panel.locator('#accept').click();
      await panel.locator('#result').waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await panel.locator('#result-location').innerText(), new RegExp(`tidb://${database}/exported_artifacts/\\d+`));
      // A row is not a file: nothing to open, the location is shown.
      assert.equal(await panel.locator('#open-result').count(), 0);
      await t.screenshot('exported');

      const root = await db.root(database);
      try {
        const [rows] = await root.query('SELECT filename, content FROM exported_artifacts');
        assert.equal(rows.length, 1);
        assert.equal(rows[0].filename, 'rollback-notes.md');
        assert.match(rows[0].content, /^# Rollback notes/m);
      } finally {
        await root.end();
      }
    },
  },
];
