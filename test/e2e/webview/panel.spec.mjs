// The review panel in a real browser: what it posts, what it shows, that
// exported content can never run, and how it looks in VS Code's themes.
// Each test gets `t` = { browser, server, sources, log, open(options) }.
import assert from 'node:assert/strict';
import {
  DESTINATIONS,
  PARAMS,
  SAMPLE_FRONTMATTER,
  SAMPLE_XML,
  TEMPLATES,
  XSS_LINES,
  bigLines,
  blockedPreview,
  invalidPreview,
  makeJob,
  makePreview,
  openedPanel,
  panelInit,
  updatePreview,
} from './fixtures.mjs';
import { recordBench } from './benchRecord.mjs';
import { until } from './harness.mjs';

function initFor(t, preview, extra = {}) {
  return panelInit(t.sources.protocol, preview, extra);
}

const opened = openedPanel;

/** Issue 16: the panel's first render with the preview of a 1 MB export. */
const PREVIEW_RENDER_BAR_MS = 50;
const PREVIEW_RENDER_RUNS = 5;

const text = (page, selector) => page.locator(selector).innerText();
const isDisabled = (page, selector) => page.locator(selector).evaluate((el) => el.hasAttribute('disabled'));

export const tests = [
  {
    name: 'says ready first, then renders the preview, statistics, metadata and impact from init',
    fn: async (t) => {
      const panel = await t.open();
      const ready = await panel.waitForPosted('ready');
      assert.equal(ready.id, 1);
      assert.equal((await panel.posted())[0].type, 'ready');
      const preview = updatePreview();
      await panel.init(initFor(t, preview));
      const { page } = panel;
      assert.equal(await text(page, '#title-filename'), 'designing-the-auth-token-refresh.md');
      assert.equal(await page.locator('#risk-level').getAttribute('data-risk'), 'high');
      assert.equal(await text(page, '#action-kind'), 'UPDATE');
      assert.match(await text(page, '#stat-size dd'), /^\d+(\.\d)? (B|KB)$/);
      assert.equal(await text(page, '#stat-lines dd'), String(preview.statistics.line_count));
      assert.equal(await text(page, '#stat-messages dd'), '6');
      assert.equal(await text(page, '#stat-blocks dd'), '9');
      assert.match(await text(page, '#stat-tokens dd'), /^~\d+/);
      assert.match(await text(page, '#impact-resources'), /github:acme\/handbook@main/);
      assert.equal(await text(page, '#impact-tokens'), `~${preview.statistics.token_count} output tokens`);
      const codes = await page.locator('#warnings [data-code]').evaluateAll((els) => els.map((e) => e.dataset.code));
      assert.deepEqual(codes, ['CONTENT_CLEANED', 'DESTINATION_NOTICE', 'OVERWRITES_CONTENT']);
      assert.match(await text(page, '#warnings'), /publicly visible/);
      assert.match(await text(page, '#warnings'), /Content cleaned/); // the table's title for the code
      assert.match(await text(page, '#metadata'), /exported_at/);
      // Markdown rendered as a reader sees it, cut at 50 lines.
      assert.equal(await text(page, '#preview-body h1'), 'Designing the auth token refresh');
      assert.equal(await page.locator('#preview-body table th').count(), 3);
      assert.equal(await page.locator('#preview-body pre code.language-ts').count(), 1);
      assert.match(await text(page, '#more-lines'), /… \d+ more lines?/);
      assert.equal(await isDisabled(page, '#accept'), false);
      assert.equal(await isDisabled(page, '#view-diff'), false);
      await panel.screenshot('review-dark');
    },
  },
  {
    name: 'editing the filename posts updateFields after the debounce, and Accept waits for the new preview',
    fn: async (t) => {
      const preview = makePreview();
      const panel = await opened(t, preview);
      const { page } = panel;
      const input = page.locator('#field-filename input');
      // Capturing on window: the time of the keystroke itself, before the panel's own handler renders.
      await page.evaluate(() => window.addEventListener('input', () => (window.__lastInput = performance.now()), true));
      await input.fill('auth-refresh.md');
      assert.equal(await isDisabled(page, '#accept'), true, 'Accept is disabled while the preview is stale');
      const update = await panel.waitForPosted('updateFields', { timeout: 2000 });
      const sentAt = (await panel.postedAt())[(await panel.posted()).findIndex((m) => m.type === 'updateFields')];
      const waited = sentAt - (await page.evaluate(() => window.__lastInput));
      assert.ok(waited >= 240 && waited < 3000, `sent ${waited.toFixed(0)} ms after the last keystroke`);
      assert.equal(update.fields.filename, 'auth-refresh.md');
      assert.ok(update.revision >= 1);
      assert.equal((await panel.postedOf('updateFields')).length, 1, 'one message for the whole edit');
      assert.match(await text(page, '#status'), /Updating/);

      const next = makePreview({ filename: 'auth-refresh.md' });
      await panel.send({ type: 'previewUpdated', preview: t.sources.protocol.toPanelPreview(next), revision: update.revision });
      await page.locator('#title-filename', { hasText: 'auth-refresh.md' }).waitFor();
      assert.equal(await isDisabled(page, '#accept'), false);
      await page.locator('#accept').click();
      const accept = await panel.waitForPosted('accept');
      assert.equal(accept.transactionId, next.transaction_id, 'Accept names the preview on screen');
    },
  },
  {
    name: 'an init that repeats the state on screen (primed, then the answer to ready) keeps what the person typed',
    fn: async (t) => {
      const preview = makePreview();
      const panel = await opened(t, preview);
      const { page } = panel;
      await page.locator('#field-filename input').fill('typed-already.md');
      await panel.init(initFor(t, preview));
      assert.equal(await page.locator('#field-filename input').inputValue(), 'typed-already.md', 'the repeat changed nothing');
      const update = await panel.waitForPosted('updateFields', { timeout: 2000 });
      assert.equal(update.fields.filename, 'typed-already.md', 'the edit still goes out');
      // A different review (a Retry's) is new state: it replaces the page's.
      const retried = makePreview({ transaction_id: 'tx-retried', filename: 'retried.md' });
      await panel.init(initFor(t, retried));
      await page.locator('#title-filename', { hasText: 'retried.md' }).waitFor();
    },
  },
  {
    name: 'a late preview for an older edit is ignored',
    fn: async (t) => {
      const panel = await opened(t, makePreview());
      const { page } = panel;
      await page.locator('#field-title input').fill('First');
      const first = await panel.waitForPosted('updateFields');
      await page.locator('#field-title input').fill('Second');
      const second = await panel.waitForPosted('updateFields', { where: (m) => m.revision > first.revision });
      await panel.send({ type: 'previewUpdated', preview: t.sources.protocol.toPanelPreview(makePreview({ filename: 'second.md' })), revision: second.revision });
      await page.locator('#title-filename', { hasText: 'second.md' }).waitFor();
      await panel.send({ type: 'previewUpdated', preview: t.sources.protocol.toPanelPreview(makePreview({ filename: 'first.md' })), revision: first.revision });
      await panel.flush(); // the late preview has been handled
      assert.equal(await text(page, '#title-filename'), 'second.md');
    },
  },
  {
    name: 'template and destination pickers and custom metadata post their changes',
    fn: async (t) => {
      const panel = await opened(t, makePreview());
      const { page } = panel;
      assert.equal(await page.locator('#field-template').evaluate((el) => el.value), 'markdown');
      assert.equal(await page.locator('#field-destination').evaluate((el) => el.value), 'docs');
      await page.locator('#field-template').click();
      await page.getByRole('option', { name: /^XML/ }).click();
      const change = await panel.waitForPosted('updateFields', { timeout: 200 }); // pickers do not wait
      assert.deepEqual(change.fields, { template: 'xml' });
      await page.locator('#field-destination').focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      const destination = await panel.waitForPosted('updateFields', { where: (m) => m.fields.destination !== undefined });
      assert.deepEqual(destination.fields, { destination: 'team-repo' });
      await page.locator('#meta-add').click();
      await page.locator('#meta-list vscode-textfield').nth(0).locator('input').fill('ticket');
      await page.locator('#meta-list vscode-textfield').nth(1).locator('input').fill('SEC-12');
      const meta = await panel.waitForPosted('updateFields', { where: (m) => m.fields.meta?.ticket === 'SEC-12' });
      assert.deepEqual(meta.fields.meta, { ticket: 'SEC-12' });
      await page.locator('#field-tags input').fill('auth, security ,  ');
      const tags = await panel.waitForPosted('updateFields', { where: (m) => Array.isArray(m.fields.tags) });
      assert.deepEqual(tags.fields.tags, ['auth', 'security']);
    },
  },
  {
    name: 'toggles between the rendered and the raw text, and remembers the choice',
    fn: async (t) => {
      const panel = await opened(t, makePreview());
      const { page } = panel;
      assert.equal(await page.locator('#view-rendered').getAttribute('aria-pressed'), 'true');
      await page.locator('#view-raw').click();
      assert.equal(await page.locator('#view-raw').getAttribute('aria-pressed'), 'true');
      const raw = await text(page, '#preview-body pre.raw');
      assert.ok(raw.startsWith('# Designing the auth token refresh'), raw.slice(0, 40));
      assert.match(raw, /\*\*rotate refresh tokens\*\*/);
      assert.equal((await panel.state()).view, 'raw');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter'); // the Rendered toggle, by keyboard
      assert.equal(await page.locator('#view-rendered').getAttribute('aria-pressed'), 'true');
      assert.equal(await page.locator('#preview-body h1').count(), 1);
    },
  },
  {
    name: 'XML and YAML front matter are shown as highlighted text',
    fn: async (t) => {
      const xml = await opened(t, makePreview({ output: 'xml', template_id: 'xml', filename: 'a.xml', lines: SAMPLE_XML.split('\n') }));
      assert.equal(await xml.page.locator('#view-raw').count(), 0, 'no toggle for XML');
      assert.equal(await text(xml.page, '#preview-body pre.code.xml'), SAMPLE_XML);
      assert.ok((await xml.page.locator('#preview-body .tok-tag').count()) >= 4);
      assert.ok((await xml.page.locator('#preview-body .tok-attr').count()) >= 4);
      await xml.screenshot('xml-dark');
      const yaml = await opened(t, makePreview({ output: 'yaml-frontmatter', template_id: 'yaml-markdown', lines: SAMPLE_FRONTMATTER.split('\n') }));
      assert.ok((await yaml.page.locator('#preview-body pre.code.yaml .tok-key').count()) >= 5);
      assert.equal(await yaml.page.locator('#preview-body pre.code.yaml .tok-literal').first().innerText(), 'false');
      assert.equal(await text(yaml.page, '#preview-body article h1'), 'Designing the auth token refresh');
    },
  },
  {
    name: 'Accept posts accept; progress and the result follow; the result opens',
    fn: async (t) => {
      const preview = makePreview();
      const panel = await opened(t, preview);
      const { page } = panel;
      await page.locator('#accept').focus();
      await page.keyboard.press('Enter');
      const accept = await panel.waitForPosted('accept');
      assert.equal(accept.transactionId, preview.transaction_id);
      await panel.send({ type: 'progress', stage: 'publish', message: 'Committing…' });
      await page.locator('#progress').waitFor();
      const states = await page.locator('#progress .stage').evaluateAll((els) => els.map((e) => `${e.dataset.stage}:${e.className.split(' ')[1]}`));
      assert.deepEqual(states, ['assemble:done', 'transform:done', 'validate:done', 'preview:done', 'publish:active']);
      assert.equal(await page.locator('#accept').count(), 0, 'no second Accept');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'progress', 'keyboard focus moves to the progress');
      assert.equal(await page.locator('#field-title').evaluate((el) => el.disabled), true, 'fields are read-only once accepted');
      await panel.screenshot('progress-dark');
      const job = t.sources.protocol.toPanelJob(makeJob({ output_url: 'https://github.com/acme/handbook/pull/7', output_location: undefined }));
      await panel.send({ type: 'result', job });
      await page.locator('#result').waitFor();
      assert.match(await text(page, '#result'), /Exported/i);
      assert.equal(await text(page, '#open-result'), 'Open Pull Request');
      await page.locator('#open-result').click();
      await panel.waitForPosted('openResult');
      await panel.screenshot('result-dark');
    },
  },
  {
    name: 'a preview (Preview Export) has no Accept: Export… asks the host to make it a review, then Accept is there',
    fn: async (t) => {
      const preview = makePreview();
      const panel = await opened(t, preview, { init: { mode: 'preview' } });
      const { page } = panel;
      assert.equal(await page.locator('#accept').count(), 0, 'nothing can be published from a preview');
      assert.equal(await page.locator('#panel-mode').textContent(), 'Preview — nothing is exported yet');
      assert.equal(await text(page, '#close-preview'), 'Close');
      await panel.screenshot('preview-mode-dark');
      await page.locator('#start-review').click();
      const asked = await panel.waitForPosted('startReview');
      // As the host answers: the reply, then the mode.
      await panel.send({ type: 'reply', id: asked.id, ok: true });
      await panel.send({ type: 'mode', mode: 'review' });
      await page.locator('#accept').waitFor();
      assert.equal(await page.locator('#panel-mode').textContent(), 'Review export');
      assert.equal(await page.locator('#start-review').count(), 0);
      await page.waitForFunction(() => document.activeElement?.id === 'accept', undefined, { timeout: 5_000 }); // the focus moves to Accept
      await page.locator('#accept').click();
      assert.equal((await panel.waitForPosted('accept')).transactionId, preview.transaction_id);
    },
  },
  {
    name: 'a local export\'s result shows the file\'s path and Open File, not its file: URL',
    fn: async (t) => {
      const panel = await opened(t, makePreview());
      const { page } = panel;
      await page.locator('#accept').click();
      await panel.waitForPosted('accept');
      const job = t.sources.protocol.toPanelJob(makeJob({ output_location: '/w/exports/plan.md', output_url: 'file:///w/exports/plan.md' }));
      await panel.send({ type: 'result', job });
      await page.locator('#result').waitFor();
      assert.equal(await text(page, '#result-location'), '/w/exports/plan.md');
      assert.equal(await text(page, '#open-result'), 'Open File');
    },
  },
  {
    name: 'a failed export shows the error with its action, and Retry when it is recoverable',
    fn: async (t) => {
      const panel = await opened(t, makePreview());
      const { page } = panel;
      await page.locator('#accept').click();
      await panel.waitForPosted('accept');
      const job = t.sources.protocol.toPanelJob(makeJob({ status: 'failed', error_code: 'RATE_LIMITED', output_location: undefined }));
      await panel.send({ type: 'result', job, error: { code: 'RATE_LIMITED', message: 'GitHub answered 429: retry after 30 s.', recoverable: true } });
      await page.locator('#result').waitFor();
      const result = await text(page, '#result');
      assert.match(result, /Export failed: Rate limited/i);
      assert.match(result, /RATE_LIMITED/);
      assert.match(result, /retry after 30 s/);
      assert.match(result, /Wait a moment, then retry/);
      await page.locator('#retry').click();
      await panel.waitForPosted('retry');
      await panel.screenshot('failed-dark');
      await panel.send({ type: 'result', job, error: { code: 'PERMISSION_DENIED', message: '403 Forbidden', recoverable: false } });
      await page.locator('#result', { hasText: 'Not allowed' }).waitFor();
      assert.equal(await page.locator('#retry').count(), 0, 'no Retry for an error that retrying cannot fix');
    },
  },
  {
    name: 'Accept is disabled while the review is blocked; secrets can be redacted',
    fn: async (t) => {
      const preview = blockedPreview();
      const panel = await opened(t, preview);
      const { page } = panel;
      assert.equal(await isDisabled(page, '#accept'), true);
      assert.match(await page.locator('#accept').getAttribute('title'), /blocked/);
      await page.locator('#accept').click({ force: true });
      assert.match(await text(page, '#blocked-banner'), /SECRET_DETECTED/);
      assert.match(await text(page, '#blocked-banner'), /Possible secret/);
      const lines = await page.locator('#warnings [data-code="SECRET_DETECTED"] .line').allInnerTexts();
      assert.deepEqual(lines, ['line 12', 'line 30']);
      assert.match(await text(page, '#warnings'), /github-pat/);
      assert.equal(await text(page, '#redact'), 'Redact 2 secrets and review again');
      assert.equal(await page.locator('#blocked-banner #redact').count(), 1, 'one Redact button, at the reason for the block');
      await panel.screenshot('blocked-dark');
      await page.locator('#redact').click();
      const redact = await panel.waitForPosted('redact');
      assert.equal(redact.transactionId, preview.transaction_id);
      // Clicks are handled in order: the blocked Accept's came before Redact's, which posted.
      assert.equal((await panel.postedOf('accept')).length, 0, 'a blocked review cannot be accepted');
      assert.equal(await isDisabled(page, '#redact'), true, 'no second redaction while the first runs');
    },
  },
  {
    name: 'Accept is disabled while the export is invalid, with each error explained',
    fn: async (t) => {
      const panel = await opened(t, invalidPreview(), { theme: 'light' });
      const { page } = panel;
      assert.equal(await isDisabled(page, '#accept'), true);
      const codes = await page.locator('#validation [data-code]').evaluateAll((els) => els.map((e) => e.dataset.code));
      assert.deepEqual(codes, ['SCHEMA_INVALID', 'SECTION_MISSING']);
      const validation = await text(page, '#validation');
      assert.match(validation, /2 errors/);
      assert.doesNotMatch(validation, /warning/);
      assert.match(validation, /Missing or invalid metadata/);
      assert.match(validation, /"description" is required/);
      assert.match(validation, /Required section missing/);
      await panel.screenshot('invalid-light');
    },
  },
  {
    name: 'scripts and event handlers inside exported content never run (CSP on and off)',
    fn: async (t) => {
      for (const bypassCSP of [false, true]) {
        for (const output of ['markdown', 'yaml-frontmatter', 'xml', 'text']) {
          const lines = output === 'yaml-frontmatter' ? ['---', 'title: "<script>window.__pwned = true</script>"', '---', ...XSS_LINES] : XSS_LINES;
          const panel = await opened(t, makePreview({ output, lines }), { bypassCSP });
          const { page } = panel;
          const views = output === 'markdown' || output === 'yaml-frontmatter' ? ['rendered', 'raw'] : ['raw'];
          for (const view of views) {
            if (view === 'raw' && views.length > 1) {
              await page.locator('#view-raw').click();
              await page.locator('#preview-body pre.raw').waitFor();
            }
            // Give any injected handler its chance: a frame painted with this view, and the tasks queued behind it.
            await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
            const where = `${output}/${view}${bypassCSP ? ' without CSP' : ''}`;
            assert.equal(await page.evaluate(() => window.__pwned), undefined, `script ran: ${where}`);
            const body = page.locator('#preview-body');
            assert.equal(await body.locator('script, img, iframe, svg, object, embed, style').count(), 0, `element injected: ${where}`);
            // Nothing left that could still run later: no handler attribute, no source to load.
            const armed = await body.evaluate((root) =>
              [...root.querySelectorAll('*')]
                .filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name) || a.name === 'src' || a.name === 'srcdoc'))
                .map((el) => el.outerHTML.slice(0, 80)),
            );
            assert.deepEqual(armed, [], `handler or source attribute in ${where}`);
            // A link to anything but http(s) is an <a> without href (issue 16): no href may be anything else.
            const hrefs = await body.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
            assert.ok(hrefs.every((h) => /^https?:\/\//.test(h)), `non-web href in ${where}: ${hrefs}`);
            if (output === 'markdown' && view === 'rendered') {
              assert.deepEqual(await body.locator('a.link-disabled').evaluateAll((as) => as.map((a) => [a.textContent, a.hasAttribute('href')])), [['click me', false], ['data', false]], `the javascript: and data: links in ${where}`);
            }
            const shown = await body.innerText();
            assert.ok(shown.includes('<script>window.__pwned = true</script>'), `script text not shown literally in ${where}`);
            assert.ok(shown.includes('onerror="window.__pwned = true"'), `img text not shown literally in ${where}`);
          }
          if (output === 'markdown' && !bypassCSP) await panel.screenshot('hostile-content-dark');
          await panel.close();
        }
      }
    },
  },
  {
    name: 'links open through the host, never in the webview; other schemes are not links',
    fn: async (t) => {
      const panel = await opened(t, makePreview());
      const { page } = panel;
      const before = page.url();
      await page.locator('#preview-body a', { hasText: 'RFC 6749' }).click();
      const open = await panel.waitForPosted('openLink');
      assert.equal(open.url, 'https://www.rfc-editor.org/rfc/rfc6749');
      assert.equal(page.url(), before);
      const bare = page.locator('#preview-body a', { hasText: 'https://example.com/docs/tokens' });
      assert.equal(await bare.getAttribute('href'), 'https://example.com/docs/tokens', 'trailing "." is not part of the URL');
      const hostile = await opened(t, makePreview({ lines: XSS_LINES }));
      await hostile.page.locator('#preview-body .link-disabled', { hasText: 'click me' }).click();
      // Clicks are handled in order: once the image's web link (clicked next) has posted, the disabled one had its chance.
      await hostile.page.locator('#preview-body a.md-image').click();
      const posted = await hostile.waitForPosted('openLink');
      assert.equal(posted.url, 'https://tracker.example/pixel.png');
      assert.deepEqual((await hostile.postedOf('openLink')).map((m) => m.url), ['https://tracker.example/pixel.png'], 'the javascript: link posted nothing');
    },
  },
  {
    name: 'messages from the host that do not match the protocol are ignored',
    fn: async (t) => {
      const panel = await opened(t, makePreview(), { allowConsoleErrors: true });
      const { page } = panel;
      await panel.send({ type: 'previewUpdated', preview: { filename: '<img src=x onerror=alert(1)>' }, revision: 99 });
      await panel.send({ type: 'exec', code: 'window.__pwned = true' });
      await panel.send('not even an object');
      await panel.flush();
      assert.equal(await text(page, '#title-filename'), 'designing-the-auth-token-refresh.md');
      assert.match(await text(page, '#notice'), /PANEL_ERROR/);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
    },
  },
  {
    name: 'Show all fetches the whole content; a reload restores the view state',
    fn: async (t) => {
      const preview = makePreview({ lines: bigLines(20_000) });
      const panel = await opened(t, preview);
      const { page } = panel;
      await panel.setFullContent(preview.content);
      await page.locator('#view-raw').click();
      await page.locator('#show-all').click();
      const request = await panel.waitForPosted('showAll');
      assert.equal(request.transactionId, preview.transaction_id);
      await page.locator('#preview-extent', { hasText: 'All' }).waitFor();
      assert.equal(await text(page, '#preview-body pre.raw'), preview.content);
      const state = await panel.state();
      assert.deepEqual({ view: state.view, expanded: state.expanded }, { view: 'raw', expanded: true });

      // VS Code discards a hidden webview; shown again, it starts from getState() and a new init.
      const again = await t.open({ state });
      await again.setFullContent(preview.content);
      await again.init(initFor(t, preview));
      await again.page.locator('#preview-extent', { hasText: 'All' }).waitFor();
      assert.equal(await again.page.locator('#view-raw').getAttribute('aria-pressed'), 'true');
      assert.equal((await again.postedOf('showAll')).length, 1, 'fetched the whole content again');
    },
  },
  {
    // Issue 16: the preview of a 1 MB export renders in ≤ 50 ms. Each panel is a fresh page (cold, as every
    // panel VS Code opens is); the median of several keeps one slow run on a busy machine from deciding.
    name: `a 1 MB export's preview renders in ≤ ${PREVIEW_RENDER_BAR_MS} ms (median of ${PREVIEW_RENDER_RUNS} fresh panels); Show all timed`,
    timeoutMs: 120_000,
    fn: async (t) => {
      const preview = makePreview({ lines: bigLines(1024 * 1024) });
      t.log(`1 MB export: ${preview.statistics.line_count} lines, ${preview.content.length} characters`);
      const init = { type: 'init', revision: 0, phase: { kind: 'review' }, ...initFor(t, preview) };
      const renders = [];
      let panel;
      for (let run = 0; run < PREVIEW_RENDER_RUNS; run += 1) {
        await panel?.close();
        panel = await t.open();
        await panel.waitForPosted('ready');
        await panel.setFullContent(preview.content);
        const measured = await panel.page.evaluate(async (message) => {
          const start = performance.now();
          window.postMessage(message, '*');
          while (document.getElementById('app').classList.contains('pending')) await new Promise((r) => setTimeout(r, 0));
          await new Promise((r) => requestAnimationFrame(() => r()));
          return { endToEnd: performance.now() - start, render: Number(document.body.dataset.initRenderMs) };
        }, init);
        renders.push(measured.render);
        t.log(`initial render of the 1 MB export's preview: ${measured.render.toFixed(1)} ms (message to painted: ${measured.endToEnd.toFixed(1)} ms)`);
      }
      const { page } = panel;
      const showAll = {};
      for (const view of ['rendered', 'raw']) {
        if (view === 'raw') await page.locator('#view-raw').click();
        const started = Date.now();
        await page.locator('#show-all').click();
        await page.locator('#preview-extent', { hasText: 'All' }).waitFor({ timeout: 30_000 });
        showAll[view] = await page.evaluate(() => Number(document.body.dataset.showAllRenderMs));
        t.log(`Show all of 1 MB (${view}): render ${showAll[view].toFixed(1)} ms, click to shown ${Date.now() - started} ms`);
        await page.locator('#collapse').click();
        await page.locator('#show-all').waitFor();
      }
      recordBench({ kind: 'webviewPreview', initRenderMs: renders, showAllRenderMs: { rendered: showAll.rendered, raw: showAll.raw } });
      const median = [...renders].sort((a, b) => a - b)[Math.floor(renders.length / 2)];
      t.log(`median initial render: ${median.toFixed(1)} ms (bar: ≤ ${PREVIEW_RENDER_BAR_MS} ms)`);
      assert.ok(median <= PREVIEW_RENDER_BAR_MS, `the 1 MB export's preview rendered in ${median.toFixed(1)} ms (median of ${renders.map((ms) => ms.toFixed(1)).join(', ')})`);
    },
  },
  {
    name: 'keyboard: every control is reachable with Tab and named for screen readers',
    fn: async (t) => {
      const panel = await opened(t, updatePreview());
      const { page } = panel;
      const reached = new Set();
      for (let n = 0; n < 60; n += 1) {
        await page.keyboard.press('Tab');
        const id = await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim().slice(0, 20) || document.activeElement?.tagName);
        reached.add(id);
      }
      for (const id of ['view-rendered', 'view-raw', 'preview-body', 'field-filename', 'field-template', 'field-destination', 'field-title', 'accept', 'reject', 'view-diff', 'view-content']) {
        assert.ok(reached.has(id), `Tab never reached #${id} (reached: ${[...reached].join(', ')})`);
      }
      const unnamed = await page.evaluate(() =>
        [...document.querySelectorAll('vscode-button, vscode-textfield, vscode-single-select, button, a, [role="region"]')]
          .filter((el) => !(el.getAttribute('aria-label') || el.textContent?.trim() || el.getAttribute('label')))
          .map((el) => el.outerHTML.slice(0, 80)),
      );
      assert.deepEqual(unnamed, []);
      assert.equal(await page.locator('#status[role="status"][aria-live="polite"]').count(), 1);
    },
  },
  {
    name: 'with the real host controller: edit → preview again → accept → result',
    fn: async (t) => {
      const calls = { preview: [], reject: [], accept: [], openResult: [] };
      let n = 0;
      const deps = {
        preview: async (params) => {
          calls.preview.push(params);
          await new Promise((r) => setTimeout(r, 30));
          n += 1;
          return makePreview({ transaction_id: `tx-real-${n}`, filename: params.filename ?? 'designing-the-auth-token-refresh.md', metadata: { title: params.title ?? '', exported_at: '2025-05-01T12:00:00.000Z' } });
        },
        accept: async (transactionId, progress) => {
          calls.accept.push(transactionId);
          progress('publish', 'Publishing…');
          await new Promise((r) => setTimeout(r, 30));
          progress('publish', 'Committing…');
          return { job: makeJob({ transaction_id: transactionId }) };
        },
        reject: async (transactionId) => void calls.reject.push(transactionId),
        viewDiff: async () => undefined,
        viewContent: async () => undefined,
        openResult: async (job) => void calls.openResult.push(job.job_id),
        listTemplates: async () => TEMPLATES,
        listDestinations: async () => DESTINATIONS,
      };
      const first = makePreview({ transaction_id: 'tx-real-0' });
      const panel = await t.open({
        autoReply: false,
        controller: (bridge) =>
          new t.sources.ReviewController(deps, { params: PARAMS, preview: first }, {
            post: bridge.post,
            close: () => undefined,
            openLink: async () => undefined,
            describeError: (e) => ({ code: 'INTERNAL_ERROR', message: String(e), recoverable: false }),
            log: () => undefined,
          }),
      });
      const { page } = panel;
      await page.locator('#app:not(.pending)').waitFor();
      assert.equal(await page.locator('#field-destination').evaluate((el) => el.value), 'docs');

      await page.locator('#field-title input').fill('Token rotation');
      await page.locator('#metadata', { hasText: 'Token rotation' }).waitFor();
      assert.equal(calls.preview.length, 1, 'one preview for the whole edit');
      assert.equal(calls.preview[0].title, 'Token rotation');
      assert.equal(calls.preview[0].filename, undefined, 'the server keeps choosing the filename');
      assert.deepEqual(calls.reject, ['tx-real-0'], 'the replaced review was rejected');

      // Accept is refused by the host, too, for a preview that is not on screen.
      const refused = await page.evaluate(() => new Promise((resolve) => {
        window.addEventListener('message', (e) => e.data?.type === 'reply' && e.data.id === 999 && resolve(e.data));
        window.__hostBridge({ type: 'accept', id: 999, transactionId: 'tx-real-0' });
      }));
      assert.equal(refused.ok, false);
      assert.equal(refused.error.code, 'STALE_PREVIEW');

      const finished = panel.controller.whenFinished();
      await page.locator('#accept').click();
      await page.locator('#result', { hasText: 'Exported' }).waitFor();
      assert.deepEqual(calls.accept, ['tx-real-1']);
      const outcome = await finished;
      assert.equal(outcome.status, 'completed');
      assert.equal(outcome.job.transaction_id, 'tx-real-1');
      await page.locator('#open-result').click();
      await until(() => calls.openResult.length > 0, 'Open to reach the host controller');
      assert.deepEqual(calls.openResult, ['job-1']);
      await panel.controller.dispose();
      assert.deepEqual(calls.reject, ['tx-real-0'], 'an accepted review is not rejected on close');
    },
  },
  {
    name: 'screenshots in the light and high-contrast themes',
    fn: async (t) => {
      for (const theme of ['light', 'high-contrast']) {
        const panel = await opened(t, updatePreview(), { theme });
        await panel.screenshot(`review-${theme}`);
        await panel.close();
        const blocked = await opened(t, blockedPreview(), { theme });
        await blocked.screenshot(`blocked-${theme}`);
        await blocked.close();
      }
      const narrow = await opened(t, updatePreview(), { theme: 'dark', width: 700 });
      await narrow.screenshot('review-narrow-dark');
    },
  },
];
