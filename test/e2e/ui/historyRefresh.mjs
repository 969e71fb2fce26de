// The Export History view shows jobs another process wrote to the same
// store (the CLI here; a colleague's editor or CI with the team store):
// the server sends no notification for them, so the view reloads when it is
// shown again, when the window gets focus, and every 30 s while shown.
// Its Filter by Time… asks the store for the jobs of a range.
// Screenshots: test-artifacts/screenshots/ui-historyRefresh-*.png
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const options = {
  workspace: 'test/e2e/ui/fixtures/export-workspace',
};

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The workspace's store (its settings' storePath), which the CLI writes to as well (--store). */
export async function setup({ workspace }) {
  const out = await mkdtemp(join(tmpdir(), 'devguide-ui-cli-out-'));
  return {
    store: join(workspace, '.devguide-store'),
    out,
    teardown: () => rm(out, { recursive: true, force: true }),
  };
}

function cliExport(store, out, filename) {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'export', join(ROOT, 'examples', 'chat-messages.jsonl'), '--store', store, '--out', out, '--filename', filename, '--title', 'From CI'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DEVGUIDE_USER: 'ci' },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`CLI export exited ${code}: ${output}`)))));
}

export const tests = [
  {
    name: 'a job another process wrote appears when the history view is shown again',
    fn: async (t) => {
      const { store, out } = t.services;
      const history = t.page.locator('.activitybar .action-item a[aria-label^="DevGuide Export"]').first();
      await history.click();
      const pane = t.page.locator('.pane', { has: t.page.locator('.pane-header', { hasText: 'Export History' }) }).first();
      await pane.locator('.welcome-view-content', { hasText: 'No exports yet.' }).waitFor({ state: 'visible' });

      // A first job, listed, so the view is settled (its first load done) before the one that matters.
      await cliExport(store, out, 'from-ci.md');
      await t.page.locator('.activitybar .action-item a[aria-label^="Explorer"]').first().click();
      await history.click();
      await pane.locator('.monaco-list-row', { hasText: 'from-ci.md' }).first().waitFor({ state: 'visible', timeout: 15_000 });

      await cliExport(store, out, 'from-ci-2.md');
      // Away to the Explorer and back: the view is shown again and reloads.
      await t.page.locator('.activitybar .action-item a[aria-label^="Explorer"]').first().click();
      await pane.waitFor({ state: 'hidden' });
      await history.click();
      await pane.locator('.monaco-list-row', { hasText: 'from-ci-2.md' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      await t.screenshot('shown-again');

      // The view's time filter (the side bar's title, the view being alone in its container): the store answers with the jobs of the range; the line above them says which.
      const sidebar = t.page.locator('.part.sidebar');
      await sidebar.locator('.title-actions .action-label[aria-label="Filter by Time…"]').click();
      const widget = t.page.locator('.quick-input-widget');
      await widget.locator('.quick-input-title', { hasText: 'Export History: Filter by Time' }).waitFor({ state: 'visible' });
      await widget.locator('.monaco-list-row', { hasText: 'Last 24 hours' }).first().click();
      await sidebar.getByText('Showing exports in the last 24 hours.').waitFor({ state: 'visible' });
      await pane.locator('.monaco-list-row', { hasText: 'from-ci-2.md' }).first().waitFor({ state: 'visible' });
      await pane.locator('.monaco-list-row', { hasText: 'from-ci.md' }).first().waitFor({ state: 'visible' });
      await t.screenshot('filtered-by-time');
    },
  },
];
