// Templates in the real editor.
// - Typing: how long after the keystroke that makes a template wrong its
//   error shows in the editor (issue 10 item 23): measured here, where users
//   feel it, and recorded for `npm run bench` (DEVGUIDE_E2E_BENCH_FILE).
// - Choosing a template that cannot be used does not end the export: the
//   person is told why, can open the template to fix it, and picks again.
//   (The picker shows at all because this workspace's default template is
//   the broken one: with a usable default, Export Selection asks nothing.)
// Screenshots: test-artifacts/screenshots/ui-templateEditing-*.png
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { choose, editReview, openFile, openedReview, quickInput } from '../lib/workbench.mjs';

/**
 * One keystroke ('x', typed at LINE:COLUMN of handbook.hbs) that turns the
 * valid template into a wrong one, per kind of error the quick pass reports.
 */
const EDITS = [
  { kind: 'header', at: '4:17', makes: 'output: markdownx' },
  { kind: 'helper', at: '8:10', makes: '{{upperx metadata.title}}' },
  { kind: 'variable', at: '13:9', makes: '- {{rolex}}: …' },
  { kind: 'syntax', at: '14:8', makes: '{{/eachx}}' },
];
/** Keystrokes measured per kind of error. */
const ROUNDS = 5;
/** What users are promised (issue 10 item 23); reported by `npm run bench`, not asserted here (machines vary). */
const TARGET_MS = 150;

export const options = {
  workspace: 'test/e2e/ui/fixtures/template-workspace',
};

export const tests = [
  {
    name: 'typing: the error a keystroke makes shows in the editor, for header, helper, variable and syntax errors (latency logged and recorded)',
    fn: async (t) => {
      await openFile(t.page, 'handbook.hbs');
      await t.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await watchSquiggles(t.page);
      await until(t.page, () => window.__devguideTyping.count() === 0, 'the valid template to show no problems');
      const samples = {};
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const edit of EDITS) {
          await quickInput(t.page, `:${edit.at}`);
          await t.page.evaluate(() => window.__devguideTyping.arm());
          await t.page.keyboard.press('x');
          const ms = await until(t.page, () => window.__devguideTyping.latency(), `a ${edit.kind} error for ${edit.makes}`);
          (samples[edit.kind] ??= []).push(ms);
          if (round === 0) await t.screenshot(`typed-${edit.kind}`);
          await t.page.keyboard.press('Backspace');
          await until(t.page, () => window.__devguideTyping.count() === 0, `the ${edit.kind} error to clear once the keystroke is undone`);
        }
      }
      const all = Object.values(samples).flat().sort((a, b) => a - b);
      const median = all[Math.floor(all.length / 2)];
      const p95 = all[Math.min(all.length - 1, Math.ceil(all.length * 0.95) - 1)];
      t.log(
        `keystroke → error shown in the editor: median ${median.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms over ${all.length} keystrokes (target ≤ ${TARGET_MS} ms); ` +
          Object.entries(samples).map(([kind, ms]) => `${kind} ${ms.map((v) => v.toFixed(0)).join('/')}`).join(', '),
      );
      if (process.env.DEVGUIDE_E2E_BENCH_FILE) appendFileSync(process.env.DEVGUIDE_E2E_BENCH_FILE, `${JSON.stringify({ kind: 'typingLatency', samples })}\n`);
      await t.page.keyboard.press('Control+S');
    },
  },
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

/**
 * In the workbench page: counts the editor's error and warning squiggles,
 * notes when the next 'x' is pressed (arm), and when the squiggles first
 * outnumber what was there at that moment — the keystroke's error shown.
 */
async function watchSquiggles(page) {
  await page.evaluate(() => {
    const count = () => document.querySelectorAll('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning').length;
    const state = { keyAt: 0, baseline: 0, shownAt: 0, armed: false };
    document.addEventListener('keydown', (event) => {
      if (state.armed && event.key === 'x' && state.keyAt === 0) state.keyAt = performance.now();
    }, true);
    new MutationObserver(() => {
      if (state.keyAt > 0 && state.shownAt === 0 && count() > state.baseline) state.shownAt = performance.now();
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
    window.__devguideTyping = {
      count,
      arm: () => Object.assign(state, { keyAt: 0, shownAt: 0, baseline: count(), armed: true }),
      latency: () => (state.shownAt > 0 ? state.shownAt - state.keyAt : undefined),
    };
  });
}

/** Polls `fn` in the page until it returns a value other than undefined/false; resolves with it. */
async function until(page, fn, what, timeoutMs = 10_000) {
  try {
    const handle = await page.waitForFunction(fn, undefined, { timeout: timeoutMs, polling: 'raf' });
    return await handle.jsonValue();
  } catch (error) {
    throw new Error(`waiting for ${what}: ${error.message.split('\n')[0]}`);
  }
}
