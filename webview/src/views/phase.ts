/** After Accept: the stages as they run, then the result (a link, or the error and Retry). */
import { helpFor } from '../codes';
import { h } from '../dom';
import type { Actions, Model } from '../model';
import { STAGES, type PanelJob, type Stage } from '../protocol';
import { button, codePill } from './controls';

const STAGE_LABELS: Record<Stage, string> = {
  assemble: 'Assemble',
  transform: 'Transform',
  validate: 'Validate',
  preview: 'Review',
  publish: 'Publish',
};

export function renderPhase(model: Model, actions: Actions): HTMLElement | null {
  const { phase } = model;
  if (phase.kind === 'review') return null;
  if (phase.kind === 'running') {
    const current = STAGES.indexOf(phase.stage);
    return h(
      'section',
      { class: 'card phase running', attrs: { id: 'progress', tabindex: -1, 'aria-labelledby': 'progress-heading', 'aria-busy': 'true' } },
      h('h2', { attrs: { id: 'progress-heading' } }, 'Exporting…'),
      h(
        'ol',
        { class: 'stages' },
        ...STAGES.map((stage, n) => {
          const state = n < current ? 'done' : n === current ? 'active' : 'pending';
          return h(
            'li',
            { class: `stage ${state}`, attrs: { 'data-stage': stage, 'aria-current': state === 'active' ? 'step' : undefined } },
            state === 'active' ? h('vscode-progress-ring', { attrs: { 'aria-label': `${STAGE_LABELS[stage]} in progress` } }) : h('span', { class: 'stage-mark', attrs: { 'aria-hidden': 'true' } }, state === 'done' ? '✓' : '○'),
            h('span', null, STAGE_LABELS[stage]),
            state === 'active' ? h('span', { class: 'muted' }, phase.message) : null,
            h('span', { class: 'sr-only' }, state === 'done' ? ' (done)' : state === 'pending' ? ' (waiting)' : ''),
          );
        }),
      ),
    );
  }
  if (phase.error) {
    const help = helpFor(phase.error.code);
    return h(
      'section',
      { class: 'card phase failed', attrs: { id: 'result', tabindex: -1, role: 'alert', 'aria-labelledby': 'result-heading' } },
      h('h2', { attrs: { id: 'result-heading' } }, `Export failed: ${help.title}`),
      h('p', null, codePill(phase.error.code, 'error'), ' ', phase.error.message),
      h('p', { class: 'muted' }, help.action),
      h(
        'div',
        { class: 'action-bar' },
        phase.error.recoverable ? button(model.busy === 'retry' ? 'Retrying…' : 'Retry', { id: 'retry', disabled: model.busy !== null, onClick: () => actions.retry() }) : null,
        phase.job && jobHasOutput(phase.job) ? button(openLabel(phase.job), { id: 'open-result', secondary: true, onClick: () => actions.openResult() }) : null,
      ),
    );
  }
  const job = phase.job;
  return h(
    'section',
    { class: 'card phase done', attrs: { id: 'result', tabindex: -1, role: 'status', 'aria-labelledby': 'result-heading' } },
    h('h2', { attrs: { id: 'result-heading' } }, '✓ Exported'),
    job ? h('p', null, `${job.action === 'UPDATE' ? 'Updated' : 'Created'} ${job.filename} in ${destinationName(model, job.destination_id)}.`) : null,
    job && (job.output_url || job.output_location) ? h('p', { class: 'resource', attrs: { id: 'result-location' } }, outputText(job)) : null,
    job && jobHasOutput(job) ? h('div', { class: 'action-bar' }, button(openLabel(job), { id: 'open-result', onClick: () => actions.openResult() })) : null,
  );
}

function destinationName(model: Model, id: string): string {
  return model.destinations.find((d) => d.id === id)?.name ?? id;
}

/** Something to open: a web or file URL, or a path on this machine — not a database row (`tidb://…`). */
function jobHasOutput(job: PanelJob): boolean {
  if (job.output_url) return true;
  const location = job.output_location;
  return Boolean(location) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(location ?? '');
}

/** A local export's URL is a file: URL; it is shown as its path and opened in an editor. */
function isFileUrl(url: string | undefined): boolean {
  return url !== undefined && /^file:/i.test(url);
}

/** Where the output went: the web address, or the file's path. */
function outputText(job: PanelJob): string {
  if (job.output_url && !isFileUrl(job.output_url)) return job.output_url;
  return job.output_location ?? job.output_url ?? '';
}

/** "Open Pull Request", "Open Commit", "Open in Drive", "Open File". */
export function openLabel(job: PanelJob): string {
  const url = isFileUrl(job.output_url) ? '' : (job.output_url ?? '');
  if (/\/pull\/\d+/.test(url)) return 'Open Pull Request';
  if (/\/commit\/[0-9a-f]+/i.test(url)) return 'Open Commit';
  if (/drive\.google\.com|docs\.google\.com/.test(url)) return 'Open in Drive';
  if (url) return 'Open in Browser';
  return 'Open File';
}
