// What a new user hit in the review panel (issue 10): warnings split across
// two cards, headings broken mid-word, "1 messages", an editor selection
// shown as a chat message, and two unlabelled token counts.
import assert from 'node:assert/strict';
import { editorSelectionPreview, makePreview, openedPanel, panelInit, updatePreview } from './fixtures.mjs';

const text = (page, selector) => page.locator(selector).innerText();

/**
 * The words of each element matching `selector` that the browser laid out
 * across two lines: a word's text range has client rects on different lines.
 */
function splitWords(page, selector) {
  return page.evaluate((sel) => {
    const split = [];
    for (const element of document.querySelectorAll(sel)) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (lines.size > 1) split.push(`${element.tagName.toLowerCase()}: "${match[0]}"`);
        }
      }
    }
    return split;
  }, selector);
}

export const tests = [
  {
    name: 'every warning once, near the top, under a heading that counts them; Validation no longer says "no warnings"',
    fn: async (t) => {
      const preview = updatePreview(); // one validation warning, two from the Bin
      const panel = await openedPanel(t, preview, { width: 700, height: 900 });
      const { page } = panel;
      const warnings = page.locator('#warnings');
      assert.equal(await page.locator('#warnings-heading').textContent(), 'Warnings (3)');
      const codes = await warnings.locator('[data-code]').evaluateAll((els) => els.map((e) => e.dataset.code));
      assert.deepEqual(codes, ['CONTENT_CLEANED', 'DESTINATION_NOTICE', 'OVERWRITES_CONTENT']);
      for (const code of codes) assert.equal(await page.locator(`[data-code="${code}"]`).count(), 1, `${code} is shown once`);
      // Near the top: above the preview, and on the first screen of a narrow panel.
      const box = await warnings.boundingBox();
      const previewBox = await page.locator('#preview').boundingBox();
      assert.ok(box && previewBox && box.y < previewBox.y, 'the warnings come before the preview');
      assert.ok(box.y < 900, `the warnings start on the first screen (y = ${box?.y})`);
      const validation = await text(page, '#validation');
      assert.doesNotMatch(validation, /warning/i, 'Validation speaks of errors only');
      assert.match(validation, /Valid: no errors\./);
      assert.doesNotMatch(await text(page, '#impact'), /Overwrites existing content|publicly visible/, 'the Review card does not list them again');

      // A review the Bin blocked for secrets: the findings and Redact sit with the other warnings.
      const clean = makePreview({ transaction_id: 'tx-clean' });
      await panel.init(panelInit(t.sources.protocol, clean));
      await page.locator('#warnings').waitFor({ state: 'detached' });
      assert.match(await text(page, '#validation'), /Valid: no errors\./);
    },
  },
  {
    name: 'headings wrap between words in a narrow panel; only a token longer than the line is broken',
    fn: async (t) => {
      const longToken = 'fetchWithBackoffAndJitterForEveryRetryableRequestOfTheExportPipeline_v2';
      const lines = [
        '# Why the rollback failed after the deploy on Friday',
        '',
        'Some text.',
        '',
        '# fetchWithBackoff never retries a 4xx response from the destination',
        '',
        '## Deciding between exponential backoff and rollback windows for uploads',
        '',
        '### Rollback acknowledgement requirements for every destination',
        '',
        `## ${longToken}`,
      ];
      const panel = await openedPanel(t, makePreview({ lines }), { width: 360, height: 800, theme: 'light' });
      const { page } = panel;
      const headings = '#preview-body h1, #preview-body h2, #preview-body h3, .card h2';
      const split = await splitWords(page, headings);
      const normal = split.filter((w) => !w.includes(longToken));
      assert.deepEqual(normal, [], 'no word of a normal heading is split across lines');
      // The unbreakable token is broken rather than overflowing the panel.
      const overflowing = await page.locator('#preview-body h1, #preview-body h2, #preview-body h3').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
      assert.deepEqual(overflowing, []);
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'the page does not scroll sideways');
      await panel.screenshot('narrow-headings-light');
    },
  },
  {
    name: 'counts of one are singular everywhere in the panel ("1 message", "1 line added")',
    fn: async (t) => {
      const preview = makePreview({
        review: { action: 'UPDATE', warnings: [] },
        diff: { unified: '', additions: 1, deletions: 1, truncated: false },
        existing_content: '# Old\n',
        statistics: { message_count: 1, block_count: 1 },
        validation: { valid: true, errors: [], warnings: [{ code: 'CONTENT_CLEANED', message: 'Removed 1 NUL character from the output.' }] },
        metadata: { session_id: 's-42', message_count: 1, token_count: 1, source_format: 'claude_code', title: 'One' },
      });
      const panel = await openedPanel(t, preview, { init: { source: { kind: 'file', path: '/w/session.jsonl' } } });
      const { page } = panel;
      assert.equal(await text(page, '#source-summary'), '1 message of a Claude Code session (session s-42) in session.jsonl');
      assert.equal(await text(page, '#impact-changes'), '1 line added, 1 line removed');
      assert.equal(await page.locator('#warnings-heading').textContent(), 'Warnings (1)');
      // The panel's own words (the exported content is the template's, not the panel's).
      const own = await page.evaluate(() => {
        const body = document.getElementById('preview-body');
        return document.body.innerText.replace(body?.innerText ?? '', '');
      });
      const wrong = own.match(/(?<![\d.,])1 (?:more |output )?(?:message|line|warning|error|block|token|secret|character)s\b/gi);
      assert.equal(wrong, null, `plural after 1: ${wrong}`);
    },
  },
  {
    name: 'an editor selection is shown as "Selection from FILE, lines A–B", not as a message',
    fn: async (t) => {
      const preview = editorSelectionPreview();
      const source = { kind: 'editor', path: '/w/docs/notes.md', ranges: [{ startLine: 3, endLine: 9 }] };
      const panel = await openedPanel(t, preview, { init: { source } });
      const { page } = panel;
      assert.equal(await text(page, '#source-summary'), 'Selection from notes.md, lines 3–9');
      assert.equal(await text(page, '#source-path'), '/w/docs/notes.md');
      assert.doesNotMatch(await text(page, '#source'), /User|message/);
      await panel.screenshot('editor-selection-dark');

      // Two ranges, and a single line.
      const two = editorSelectionPreview({ transaction_id: 'tx-two' });
      await panel.init(panelInit(t.sources.protocol, two, { source: { ...source, ranges: [{ startLine: 3, endLine: 9 }, { startLine: 20, endLine: 20 }] } }));
      await page.locator('#source-summary', { hasText: 'lines 3–9 and 20' }).waitFor();
      const one = editorSelectionPreview({ transaction_id: 'tx-one' });
      await panel.init(panelInit(t.sources.protocol, one, { source: { ...source, ranges: [{ startLine: 12, endLine: 12 }] } }));
      await page.locator('#source-summary', { hasText: 'Selection from notes.md, line 12' }).waitFor();

      // A host that does not say where the selection is: still a selection, never "1 message".
      const bare = editorSelectionPreview({ transaction_id: 'tx-bare' });
      await panel.init(panelInit(t.sources.protocol, bare));
      await page.locator('#source-summary', { hasText: 'Selection from an editor' }).waitFor();
      assert.doesNotMatch(await text(page, '#source'), /message/);
    },
  },
  {
    name: 'the two token counts say which is the selection and which the output',
    fn: async (t) => {
      const preview = editorSelectionPreview();
      const panel = await openedPanel(t, preview, { init: { source: { kind: 'editor', path: '/w/docs/notes.md', ranges: [{ startLine: 3, endLine: 9 }] } } });
      const { page } = panel;
      assert.equal(await text(page, '#stat-tokens dt'), 'Output tokens');
      assert.equal(await text(page, '#stat-tokens dd'), '~89');
      assert.equal(await page.locator('#source dt').innerText(), 'Selection tokens');
      assert.equal(await text(page, '#source-tokens'), '~49');
      assert.match(await text(page, '#impact-tokens'), /output tokens/);
      // No other "~N" in the panel's own text goes unlabelled.
      const labels = await page.locator('dd').evaluateAll((dds) =>
        dds.filter((dd) => /~\d/.test(dd.textContent ?? '')).map((dd) => `${dd.previousElementSibling?.textContent}: ${dd.textContent}`),
      );
      assert.deepEqual(labels.sort(), ['Output tokens: ~89', 'Selection tokens: ~49', 'Token cost: ~89 output tokens'].sort());
    },
  },
  {
    name: 'tool output: a control for summary / full / none, and the statistics say how much was shortened (issue 10 item 9)',
    fn: async (t) => {
      const preview = makePreview({ statistics: { tool_output: { mode: 'summary', summarized_blocks: 12, omitted_blocks: 0, omitted_lines: 340, omitted_chars: 9000 } } });
      const panel = await openedPanel(t, preview);
      const { page } = panel;
      assert.match(await text(page, '#stat-tool-output'), /12 tool blocks shortened \(340 lines not shown\)/);
      const control = page.locator('#field-tool-output');
      await control.waitFor({ state: 'visible' });
      assert.equal(await control.evaluate((el) => el.value), 'summary');
      await control.evaluate((el) => {
        el.value = 'full';
        el.dispatchEvent(new Event('change', { bubbles: true }));
      });
      const update = await panel.waitForPosted('updateFields');
      assert.equal(update.fields.toolOutput, 'full', 'the choice previews again');
      const plain = makePreview({ transaction_id: 'tx-plain' });
      await panel.init(panelInit(t.sources.protocol, plain));
      await page.locator('#stat-tool-output').waitFor({ state: 'detached' });
    },
  },
  {
    name: 'an unchanged export says so and Accept reads "Export Anyway" (issue 10 item 13)',
    fn: async (t) => {
      const preview = makePreview({
        unchanged: true,
        review: { action: 'UPDATE', warnings: [{ code: 'UNCHANGED', message: 'Unchanged: notes.md already holds this output apart from the export time; nothing is written unless you export it anyway.' }] },
      });
      const panel = await openedPanel(t, preview);
      const { page } = panel;
      assert.equal((await text(page, '#accept')).trim(), 'Export Anyway');
      assert.match(await text(page, '#warnings'), /Unchanged: notes\.md already holds this output/);
      await page.locator('#accept').click();
      assert.equal((await panel.waitForPosted('accept')).transactionId, preview.transaction_id);
    },
  },
];
