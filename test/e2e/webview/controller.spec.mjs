// The panel's host side (client/src/panel/reviewController.ts) on its own:
// the same messages the webview sends, checked answers, no browser needed.
import assert from 'node:assert/strict';
import { DESTINATIONS, PARAMS, TEMPLATES, blockedPreview, invalidPreview, makeJob, makePreview } from './fixtures.mjs';
import { until } from './harness.mjs';

/** The fake server's latency: its previews take a few ms, so edits can arrive while one runs. */
const latency = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A controller with recording fakes; `send` delivers a webview message. */
function harness(t, { first = makePreview(), deps: overrides = {}, previewDelayMs = 5, host = {}, mode } = {}) {
  const posted = [];
  const calls = { preview: [], reject: [], accept: [], viewDiff: [], viewContent: [], openResult: [], retry: [], openLink: [], close: 0, closeViews: 0, titles: [] };
  let n = 0;
  const deps = {
    preview: async (params) => {
      calls.preview.push(params);
      await latency(previewDelayMs);
      n += 1;
      return makePreview({ transaction_id: `tx-${n}`, filename: params.filename ?? `auto-${n}.md` });
    },
    accept: async (transactionId, progress) => {
      calls.accept.push(transactionId);
      progress('publish', 'Committing…');
      return { job: makeJob({ transaction_id: transactionId }) };
    },
    reject: async (transactionId) => void calls.reject.push(transactionId),
    viewDiff: async (preview) => void calls.viewDiff.push(preview.transaction_id),
    viewContent: async (preview) => void calls.viewContent.push(preview.transaction_id),
    openResult: async (job) => void calls.openResult.push(job.job_id),
    closeViews: async () => void (calls.closeViews += 1),
    listTemplates: async () => TEMPLATES,
    listDestinations: async () => DESTINATIONS,
    ...overrides,
  };
  const controller = new t.sources.ReviewController(deps, { params: PARAMS, preview: first, ...(mode ? { mode } : {}) }, {
    post: (message) => posted.push(JSON.parse(JSON.stringify(message))),
    close: () => void (calls.close += 1),
    retitle: (title) => void calls.titles.push(title),
    openLink: async (url) => void calls.openLink.push(url),
    describeError: (e) => ({ code: e?.data?.code ?? 'INTERNAL_ERROR', message: e?.message ?? String(e), recoverable: e?.data?.recoverable ?? false }),
    log: () => undefined,
    ...host,
  });
  let id = 0;
  const send = async (message) => {
    const withId = { id: ++id, ...message };
    await controller.handle(withId);
    return posted.find((m) => m.type === 'reply' && m.id === withId.id);
  };
  const of = (type) => posted.filter((m) => m.type === type);
  /** At least `count` previews (previewUpdated or previewFailed) for `revision` have reached the webview. */
  const previewed = (revision, count = 1) =>
    until(
      () => posted.filter((m) => (m.type === 'previewUpdated' || m.type === 'previewFailed') && m.revision === revision).length >= count,
      `the preview of revision ${revision} to reach the webview`,
    );
  return { controller, posted, calls, send, of, deps, previewed };
}

async function ready(h) {
  const reply = await h.send({ type: 'ready' });
  assert.equal(reply.ok, true);
  return h.of('init').at(-1);
}

export const tests = [
  {
    name: 'host: the webview\'s first-paint timing is acknowledged and handed to the panel; malformed timings are refused',
    fn: async (t) => {
      const rendered = [];
      const h = harness(t, { host: { rendered: (page) => rendered.push(page) } });
      await ready(h);
      const timing = { timeOrigin: 1_790_000_000_000.25, scriptMs: [12, 40.5], readyAtMs: 120.5, initAtMs: 150, paintedAtMs: 210 };
      const reply = await h.send({ type: 'rendered', timing });
      assert.equal(reply.ok, true);
      assert.deepEqual(rendered, [timing]);
      const bad = await h.send({ type: 'rendered', timing: { ...timing, readyAtMs: 'soon' } });
      assert.equal(bad.ok, false);
      assert.equal(rendered.length, 1);
    },
  },
  {
    name: 'host: ready answers with the whole state; nothing is posted before it',
    fn: async (t) => {
      const h = harness(t);
      await h.controller.reportProgress('publish', 'x');
      assert.equal(h.posted.length, 0);
      const init = await ready(h);
      assert.equal(init.preview.transaction_id, h.controller.transactionId);
      assert.equal(init.preview.content, undefined, 'the webview gets no full content up front');
      assert.equal(init.templates.length, TEMPLATES.length);
      assert.deepEqual(init.fields, { filename: 'designing-the-auth-token-refresh.md', template: 'markdown', destination: 'docs', title: PARAMS.title, author: '', tags: ['auth', 'tokens'], meta: {}, toolOutput: 'summary' });
      assert.deepEqual(init.phase, { kind: 'review' });
      assert.equal(t.sources.protocol.parseHostMessage(init).ok, true, 'init passes the webview’s own schema');
    },
  },
  {
    name: 'host: prime() posts init while the page loads; its ready gets init again (a primed one can be lost); a reloaded page too',
    fn: async (t) => {
      const h = harness(t);
      await h.controller.prime();
      assert.equal(h.of('init').length, 1, 'init goes out before the page said ready');
      assert.equal(h.posted.length, 1);
      const reply = await h.send({ type: 'ready' });
      assert.equal(reply.ok, true);
      assert.equal(h.of('init').length, 2, 'ready is answered with the state, whatever was primed');
      assert.deepEqual(h.of('init')[1], h.of('init')[0], 'the same state: the page keeps what it shows');
      h.controller.webviewGone();
      await h.controller.prime();
      assert.equal(h.of('init').length, 3, 'a page being rebuilt can be primed again');
    },
  },
  {
    name: 'host: ready and prime() crossing each other: every init carries the lists, none is posted after ready by prime()',
    fn: async (t) => {
      let release;
      const slowLists = new Promise((resolve) => (release = resolve));
      const h = harness(t, { deps: { listTemplates: async () => (await slowLists, TEMPLATES) } });
      const priming = h.controller.prime();
      const readying = h.send({ type: 'ready' });
      release();
      await Promise.all([priming, readying]);
      assert.ok(h.of('init').length >= 1 && h.of('init').length <= 2);
      assert.ok(h.of('init').every((m) => m.templates.length === TEMPLATES.length), 'the lists were there when init went out');
      assert.equal(h.posted.at(-1).type, 'init', 'the last word is the state ready asked for');
      assert.equal(h.of('reply').length, 1);
    },
  },
  {
    name: 'host: prime() after the page said ready does nothing (ready already sent init)',
    fn: async (t) => {
      const h = harness(t);
      await ready(h);
      await h.controller.prime();
      assert.equal(h.of('init').length, 1);
    },
  },
  {
    name: 'host: edits while a preview runs are merged; the newest wins; replaced reviews are rejected',
    fn: async (t) => {
      const h = harness(t, { previewDelayMs: 30 });
      const first = h.controller.transactionId;
      await ready(h);
      await h.send({ type: 'updateFields', revision: 1, fields: { title: 'A' } });
      await h.send({ type: 'updateFields', revision: 2, fields: { title: 'AB' } });
      await h.send({ type: 'updateFields', revision: 3, fields: { author: 'Ada' } });
      // The last thing the merged run does: show revision 3, then reject the review it replaced.
      await h.previewed(3);
      await until(() => h.calls.reject.includes('tx-1'), 'the replaced review tx-1 to be rejected');
      assert.equal(h.calls.preview.length, 2, 'one running, one for everything after it');
      assert.equal(h.calls.preview[1].title, 'AB');
      assert.equal(h.calls.preview[1].author, 'Ada');
      assert.deepEqual(h.of('previewUpdated').map((m) => m.revision), [1, 3]);
      assert.deepEqual(h.calls.reject, [first, 'tx-1']);
      assert.equal(h.controller.transactionId, 'tx-2');
    },
  },
  {
    name: 'host: the server keeps choosing the filename until the person types one',
    fn: async (t) => {
      const h = harness(t);
      await ready(h);
      await h.send({ type: 'updateFields', revision: 1, fields: { template: 'xml', filename: 'designing-the-auth-token-refresh.md' } });
      await h.previewed(1);
      assert.equal(h.calls.preview[0].filename, undefined);
      assert.equal(h.calls.preview[0].template, 'xml');
      await h.send({ type: 'updateFields', revision: 2, fields: { filename: 'mine.md' } });
      await h.previewed(2);
      assert.equal(h.calls.preview[1].filename, 'mine.md');
      await h.send({ type: 'updateFields', revision: 3, fields: { title: '' , tags: [], meta: { ticket: 'SEC-1' } } });
      await h.previewed(3);
      assert.equal(h.calls.preview.length, 3, 'one preview per edit (each came after the last had finished)');
      assert.equal(h.calls.preview[2].title, undefined, 'empty means "let the server derive it"');
      assert.equal(h.calls.preview[2].tags, undefined);
      assert.deepEqual(h.calls.preview[2].meta, { ticket: 'SEC-1' });
    },
  },
  {
    name: 'host: Accept is refused for a blocked, invalid, stale or failed preview',
    fn: async (t) => {
      for (const [first, code] of [
        [blockedPreview(), 'SECRET_DETECTED'],
        [invalidPreview(), 'VALIDATION_FAILED'],
      ]) {
        const h = harness(t, { first });
        await ready(h);
        const reply = await h.send({ type: 'accept', transactionId: first.transaction_id });
        assert.equal(reply.ok, false);
        assert.equal(reply.error.code, code);
        assert.equal(h.calls.accept.length, 0);
      }
      const h = harness(t, { previewDelayMs: 30 });
      await ready(h);
      const stale = await h.send({ type: 'accept', transactionId: 'tx-elsewhere' });
      assert.equal(stale.error.code, 'STALE_PREVIEW');
      await h.send({ type: 'updateFields', revision: 1, fields: { title: 'x' } });
      const running = await h.send({ type: 'accept', transactionId: h.controller.transactionId });
      assert.equal(running.error.code, 'STALE_PREVIEW', 'not while a newer preview is on its way');
      const failing = harness(t, { deps: { preview: async () => Promise.reject(Object.assign(new Error('Template "x" not found'), { data: { code: 'TEMPLATE_NOT_FOUND' } })) } });
      await ready(failing);
      await failing.send({ type: 'updateFields', revision: 1, fields: { template: 'x' } });
      await failing.previewed(1);
      assert.equal(failing.of('previewFailed')[0].error.code, 'TEMPLATE_NOT_FOUND');
      const refused = await failing.send({ type: 'accept', transactionId: failing.controller.transactionId });
      assert.equal(refused.ok, false);
    },
  },
  {
    name: 'host: Accept runs the job with progress, then reports the result once',
    fn: async (t) => {
      const h = harness(t);
      await ready(h);
      const finished = h.controller.whenFinished();
      const reply = await h.send({ type: 'accept', transactionId: h.controller.transactionId });
      assert.equal(reply.ok, true);
      assert.deepEqual(h.of('progress').map((m) => `${m.stage}:${m.message}`), ['publish:Publishing…', 'publish:Committing…']);
      assert.equal(h.of('result')[0].job.job_id, 'job-1');
      assert.equal((await finished).status, 'completed');
      const again = await h.send({ type: 'accept', transactionId: h.controller.transactionId });
      assert.equal(again.ok, false, 'no second run');
      // Shown again after being hidden: the result is part of init.
      h.controller.webviewGone();
      const init = await ready(h);
      assert.equal(init.phase.kind, 'done');
      await h.send({ type: 'openResult' });
      assert.deepEqual(h.calls.openResult, ['job-1']);
      await h.controller.dispose();
      assert.deepEqual(h.calls.reject, [], 'an accepted review is not rejected on close');
    },
  },
  {
    name: 'host: a preview refuses Accept until Export… makes it a review; the tab title says which it is',
    fn: async (t) => {
      const first = makePreview();
      const h = harness(t, { first, mode: 'preview' });
      const init = await ready(h);
      assert.equal(init.mode, 'preview');
      assert.equal(h.controller.title, `Preview: ${first.filename}`);
      const refused = await h.send({ type: 'accept', transactionId: first.transaction_id });
      assert.equal(refused.ok, false);
      assert.match(refused.error.message, /preview/i);
      assert.deepEqual(h.calls.accept, []);
      const started = await h.send({ type: 'startReview' });
      assert.equal(started.ok, true);
      assert.deepEqual(h.of('mode'), [{ type: 'mode', mode: 'review' }]);
      assert.deepEqual(h.calls.titles, [`Review: ${first.filename}`]);
      const accepted = await h.send({ type: 'accept', transactionId: first.transaction_id });
      assert.equal(accepted.ok, true);
      await until(() => h.of('result').length === 1, 'the result');
      assert.deepEqual(h.calls.accept, [first.transaction_id]);
    },
  },
  {
    name: 'host: after Accept the tab reads Exporting…, then Exported (or Export failed), and the diff it opened closes',
    fn: async (t) => {
      const first = makePreview();
      const h = harness(t, { first });
      await ready(h);
      await h.send({ type: 'viewDiff', transactionId: first.transaction_id });
      assert.equal(h.calls.closeViews, 0, 'the diff stays open while the review is open');
      await h.send({ type: 'accept', transactionId: first.transaction_id });
      await until(() => h.calls.closeViews === 1, 'the views to close once the result is in');
      assert.deepEqual(h.calls.titles, [`Exporting: ${first.filename}`, `Exported: ${first.filename}`]);
      const failing = harness(t, { deps: { accept: async () => ({ job: makeJob({ status: 'failed' }), error: { code: 'CONNECTION_FAILED', message: 'down', recoverable: true } }) } });
      await ready(failing);
      await failing.send({ type: 'accept', transactionId: failing.controller.transactionId });
      await until(() => failing.calls.titles.at(-1)?.startsWith('Export failed: '), 'the failed title');
    },
  },
  {
    name: 'host: Reject and closing the panel close the diff it opened',
    fn: async (t) => {
      const rejected = harness(t);
      await ready(rejected);
      await rejected.send({ type: 'reject' });
      await rejected.controller.dispose(); // the panel closes on Reject (host.close), which disposes the controller
      assert.equal(rejected.calls.closeViews, 1);
      const closed = harness(t);
      await ready(closed);
      await closed.controller.dispose();
      assert.equal(closed.calls.closeViews, 1);
    },
  },
  {
    name: 'host: a recoverable failure can be retried into a fresh review',
    fn: async (t) => {
      const retried = makePreview({ transaction_id: 'tx-retry' });
      const h = harness(t, {
        deps: {
          accept: async () => ({ job: makeJob({ status: 'failed' }), error: { code: 'RATE_LIMITED', message: '429', recoverable: true } }),
          retry: async (job) => {
            h.calls.retry.push(job.job_id);
            return retried;
          },
        },
      });
      await ready(h);
      const finished = h.controller.whenFinished();
      await h.send({ type: 'accept', transactionId: h.controller.transactionId });
      const outcome = await finished;
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.error.code, 'RATE_LIMITED');
      const reply = await h.send({ type: 'retry' });
      assert.equal(reply.ok, true);
      assert.deepEqual(h.calls.retry, ['job-1']);
      const init = h.of('init').at(-1);
      assert.deepEqual(init.phase, { kind: 'review' });
      assert.equal(init.preview.transaction_id, 'tx-retry');
    },
  },
  {
    name: 'host: Reject and closing the panel both reject the pending review',
    fn: async (t) => {
      const h = harness(t);
      const tx = h.controller.transactionId;
      await ready(h);
      const finished = h.controller.whenFinished();
      await h.send({ type: 'reject' });
      assert.deepEqual(h.calls.reject, [tx]);
      assert.equal(h.calls.close, 1);
      assert.deepEqual(await finished, { status: 'rejected', transactionId: tx });

      const closing = harness(t);
      await ready(closing);
      const closed = closing.controller.whenFinished();
      await closing.controller.dispose();
      assert.deepEqual(closing.calls.reject, [closing.controller.transactionId]);
      assert.equal((await closed).status, 'closed');
    },
  },
  {
    name: 'host: redaction, View Diff/Content and Show all act on the preview on screen only',
    fn: async (t) => {
      const first = makePreview({ lines: Array.from({ length: 80 }, (_, n) => `line ${n}`) });
      const h = harness(t, { first });
      await ready(h);
      const all = await h.send({ type: 'showAll', transactionId: first.transaction_id });
      assert.equal(all.content, first.content);
      assert.equal((await h.send({ type: 'showAll', transactionId: 'tx-old' })).error.code, 'STALE_PREVIEW');
      await h.send({ type: 'viewDiff', transactionId: first.transaction_id });
      await h.send({ type: 'viewContent', transactionId: first.transaction_id });
      assert.deepEqual([h.calls.viewDiff, h.calls.viewContent], [[first.transaction_id], [first.transaction_id]]);
      await h.send({ type: 'redact', transactionId: first.transaction_id });
      await h.previewed(0);
      assert.equal(h.calls.preview[0].redact, true);
      await h.send({ type: 'updateFields', revision: 1, fields: { title: 'later' } });
      await h.previewed(1);
      assert.equal(h.calls.preview[1].redact, true, 'redaction stays on for later previews');
    },
  },
  {
    name: 'host: malformed or hostile webview messages are refused',
    fn: async (t) => {
      const h = harness(t);
      await ready(h);
      const before = h.posted.length;
      await h.controller.handle({ type: 'accept' }); // no id: nothing to answer
      await h.controller.handle('accept');
      await h.controller.handle(null);
      assert.equal(h.posted.length, before);
      for (const message of [
        { type: 'openLink', url: 'javascript:alert(1)' },
        { type: 'openLink', url: 'command:workbench.action.terminal.new' },
        { type: 'openLink', url: 'file:///etc/passwd' },
        { type: 'updateFields', revision: 1, fields: { filename: 'x'.repeat(5000) } },
        { type: 'updateFields', revision: 1, fields: { meta: { 'bad key': 'v' } } },
        { type: 'updateFields', revision: -1, fields: {} },
        { type: 'accept', transactionId: 42 },
        { type: 'runCommand', command: 'rm -rf /' },
      ]) {
        const reply = await h.send(message);
        assert.equal(reply?.ok, false, JSON.stringify(message));
        assert.equal(reply.error.code, 'PANEL_ERROR');
      }
      assert.deepEqual(h.calls.openLink, []);
      assert.equal(h.calls.preview.length, 0);
      const ok = await h.send({ type: 'openLink', url: 'https://example.com/a?b=1' });
      assert.equal(ok.ok, true);
      assert.deepEqual(h.calls.openLink, ['https://example.com/a?b=1']);
    },
  },
];
