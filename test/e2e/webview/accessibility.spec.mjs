// axe-core on the review panel, in each of the themes (Light Modern, Dark
// Modern, Dark High Contrast) and each state the specs render: an update
// with warnings, validation errors, a blocked review, YAML front matter and
// XML output (highlighted), the export running, and its result (done and failed). Every
// violation fails the test — colour contrast (WCAG AA, 4.5:1 for text)
// first among them (issue 10: "✓ Valid" was 1.9:1 in Light Modern).
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { SAMPLE_FRONTMATTER, SAMPLE_XML, blockedPreview, invalidPreview, makeJob, makePreview, panelInit, updatePreview } from './fixtures.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe on the page; returns its violations as readable lines. Legacy
 * mode: the panel is one frame, and axe then needs no second page.
 */
async function violations(page, state) {
  const result = await new AxeBuilder({ page }).setLegacyMode(true).withTags(TAGS).analyze();
  return result.violations.flatMap((v) =>
    v.nodes.map((n) => `${state}: ${v.id} (${v.impact}) ${n.target.join(' ')} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 220)}`),
  );
}

/** The review states: an update with warnings, validation errors, a blocked review, YAML front matter, XML output. */
async function reviewStates(t, theme) {
  const panel = await t.open({ theme, width: 1280, height: 1000 });
  const { page } = panel;
  const { protocol } = t.sources;
  const found = [];
  const show = async (state, preview, extra) => {
    await panel.send({ type: 'init', revision: 0, phase: { kind: 'review' }, ...panelInit(protocol, preview, extra) });
    await page.locator('#title-filename', { hasText: preview.filename }).waitFor();
    found.push(...(await violations(page, state)));
    await panel.screenshot(`axe-${theme}-${state.replace(/\W+/g, '-')}`);
  };
  await panel.waitForPosted('ready');
  await show('update with warnings', { ...updatePreview(), filename: 'update.md' }, { source: { kind: 'file', path: '/w/session.jsonl' } });
  await show('validation errors', { ...invalidPreview(), filename: 'invalid.md' });
  await show('blocked', { ...blockedPreview(), filename: 'blocked.md' });
  await show('yaml front matter', makePreview({ output: 'yaml-frontmatter', template_id: 'yaml-markdown', filename: 'front.md', lines: SAMPLE_FRONTMATTER.split('\n') }));
  await show('xml', makePreview({ output: 'xml', template_id: 'xml', filename: 'export.xml', lines: SAMPLE_XML.split('\n') }), { source: { kind: 'editor', path: '/w/docs/notes.md', ranges: [{ startLine: 3, endLine: 9 }] } });
  return found;
}

/** After Accept: the export running, its result, and a failed one. */
async function acceptedStates(t, theme) {
  const panel = await t.open({ theme, width: 1280, height: 1000 });
  const { page } = panel;
  const { protocol } = t.sources;
  const found = [];
  await panel.init(panelInit(protocol, makePreview()));
  await page.locator('#accept').click();
  await panel.waitForPosted('accept');
  await panel.send({ type: 'progress', stage: 'publish', message: 'Committing…' });
  await page.locator('#progress').waitFor();
  found.push(...(await violations(page, 'running')));
  await panel.screenshot(`axe-${theme}-running`);
  await panel.send({ type: 'result', job: protocol.toPanelJob(makeJob()) });
  await page.locator('#result', { hasText: 'Exported' }).waitFor();
  found.push(...(await violations(page, 'result')));
  const failed = protocol.toPanelJob(makeJob({ status: 'failed', error_code: 'RATE_LIMITED', output_location: undefined }));
  await panel.send({ type: 'result', job: failed, error: { code: 'RATE_LIMITED', message: 'GitHub answered 429: retry after 30 s.', recoverable: true } });
  await page.locator('#result', { hasText: 'Rate limited' }).waitFor();
  found.push(...(await violations(page, 'failed')));
  return found;
}

function assertClean(found, what) {
  const contrast = found.filter((line) => line.includes(': color-contrast ('));
  assert.deepEqual(contrast, [], `colour contrast below WCAG AA in ${what}:\n${contrast.join('\n')}`);
  assert.deepEqual(found, [], `axe violations in ${what}:\n${found.join('\n')}`);
}

export const tests = ['light', 'dark', 'high-contrast'].flatMap((theme) => [
  {
    name: `axe: no violation (colour contrast first) in the ${theme} theme while reviewing (warnings, errors, blocked, YAML, XML)`,
    timeoutMs: 240_000,
    fn: async (t) => assertClean(await reviewStates(t, theme), `${theme}, review states`),
  },
  {
    name: `axe: no violation (colour contrast first) in the ${theme} theme after Accept (running, result, failed)`,
    timeoutMs: 240_000,
    fn: async (t) => assertClean(await acceptedStates(t, theme), `${theme}, after Accept`),
  },
]);
