// A chat_messages table as the source of Export Transcript… in a real
// VS Code (issue 13), against MariaDB: the configured database source is
// offered next to "Transcript file…", the password is asked for once (the
// server reports it missing) and kept in SecretStorage, the table's sessions
// are listed with their message counts, then the chosen session's messages;
// the review panel previews them, and Accept writes the local file.
// Screenshots: test-artifacts/screenshots/ui-databaseSource-*.png
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { require as tsRequire } from 'tsx/cjs/api';
import { choose, openedReview, typeInto } from '../lib/workbench.mjs';

export const options = {
  workspace: 'test/e2e/ui/fixtures/export-workspace',
};

const ROWS = [
  { id: 'm1', session_id: 'sess_rollout', agent_id: null, role: 'user', content: 'How do we roll back a bad deploy?', created_at: '2026-03-01T10:00:00.000Z' },
  {
    id: 'm2',
    session_id: 'sess_rollout',
    agent_id: 'planner',
    role: 'assistant',
    content: null,
    metadata: { blocks: [{ id: 'b1', type: 'text', content: 'Revert the release tag, then redeploy the previous image.' }] },
    created_at: '2026-03-01T10:00:05.000Z',
  },
  { id: 'm3', session_id: 'sess_other', agent_id: null, role: 'user', content: 'Unrelated question.', created_at: '2026-03-02T09:00:00.000Z' },
];

/** A MariaDB of its own (test/support/mariadb.ts) holding a chat_messages table with two sessions. */
export async function setup() {
  const { startMariaDb } = tsRequire('../../support/mariadb.ts', import.meta.url);
  const { createChatMessagesTable, insertChatRows } = tsRequire('../../support/chatMessages.ts', import.meta.url);
  const db = await startMariaDb();
  const testDb = await db.newDatabase('devguide_ui_source');
  const connection = await testDb.connect();
  try {
    await createChatMessagesTable(connection);
    await insertChatRows(connection, ROWS);
  } finally {
    await connection.end();
  }
  return {
    testDb,
    settings: {
      'devguideExport.sources': [{ id: 'team', name: 'Team chats', type: 'tidb', host: db.host, port: db.port, user: testDb.user, database: testDb.database, tls: false }],
    },
    teardown: () => db.stop(),
  };
}

export const tests = [
  {
    name: 'Export Transcript… from a database source: password once, its sessions, a session\'s messages → the review → Accept writes the file',
    fn: async (t) => {
      const { testDb } = t.services;
      await t.runCommand('DevGuide Export: Export Transcript…');
      await choose(t.page, 'Export from', 'Team', 'Team chats');
      // No password stored yet: the server says so and the client asks once.
      await typeInto(t.page, 'Password for Team chats', testDb.password);

      await choose(t.page, 'Session in Team chats', 'sess_rollout', 'sess_rollout', async () => {
        const rows = t.page.locator('.quick-input-widget .monaco-list-row');
        assert.match(await rows.filter({ hasText: 'sess_rollout' }).first().innerText(), /^sess_rollout\s*2 messages · 2026-03-01 10:00$/);
        await t.screenshot('sessions');
      });
      const messages = t.page.locator('.quick-input-widget');
      await messages.locator('.quick-input-title', { hasText: 'Messages of How do we roll back a bad deploy?' }).waitFor({ state: 'visible' });
      await messages.locator('.monaco-list-row', { hasText: 'Revert the release tag' }).first().waitFor({ state: 'visible' });
      await t.screenshot('messages');
      await messages.locator('.quick-input-box input').first().press('Enter');

      const { panel } = await openedReview(t.page);
      const preview = await panel.locator('#slot-preview').innerText();
      assert.match(preview, /How do we roll back a bad deploy\?/);
      assert.match(preview, /Revert the release tag, then redeploy the previous image\./);
      assert.doesNotMatch(preview, /Unrelated question/);
      const filename = (await panel.locator('#slot-header h1, #slot-header').first().innerText()).match(/\S+\.md/)?.[0];
      assert.ok(filename, 'the review names its file');
      await t.screenshot('review');

      await panel.locator('#accept').click();
      await panel.locator('#result').waitFor({ state: 'visible', timeout: 30_000 });
      const written = join(t.workspace, 'exports', filename);
      assert.ok(existsSync(written), `${written} exists`);
      const text = readFileSync(written, 'utf8');
      assert.match(text, /Revert the release tag, then redeploy the previous image\./);
      // The job's source is the database address, never with the password.
      assert.doesNotMatch(text, new RegExp(testDb.password.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      await t.screenshot('exported');

      // Asked once: a second Export Transcript… goes straight to the sessions.
      await t.runCommand('DevGuide Export: Export Transcript…');
      await choose(t.page, 'Export from', 'Team', 'Team chats');
      await t.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Session in Team chats' }).waitFor({ state: 'visible' });
      await t.page.keyboard.press('Escape');
    },
  },
];
