/** Accept / Reject (a preview: Export… / Close) / View Diff / View Content. */
import { h } from '../dom';
import { acceptBlocker, type Actions, type Model } from '../model';
import { button } from './controls';

export function renderActions(model: Model, actions: Actions): HTMLElement | null {
  if (model.phase.kind !== 'review') return null;
  const blocker = acceptBlocker(model);
  const busy = model.busy !== null;
  const decide = model.mode === 'preview' ? previewButtons(model, actions) : reviewButtons(model, actions, blocker);
  return h(
    'div',
    { class: 'action-bar', attrs: { role: 'toolbar', 'aria-label': model.mode === 'preview' ? 'Preview actions' : 'Review actions' } },
    ...decide,
    button('View Diff', {
      id: 'view-diff',
      secondary: true,
      disabled: !model.preview.is_update || busy,
      title: model.preview.is_update ? 'Compare the existing content with this export' : 'Nothing to compare: this export creates a new file',
      onClick: () => actions.viewDiff(),
    }),
    button('View Content', { id: 'view-content', secondary: true, disabled: busy, title: 'Open the whole output in an editor', onClick: () => actions.viewContent() }),
    blocker && model.mode === 'review' ? h('span', { class: 'muted hint', attrs: { id: 'accept-hint' } }, blocker) : null,
  );
}

function reviewButtons(model: Model, actions: Actions, blocker: string | null): HTMLElement[] {
  const busy = model.busy !== null;
  return [
    button(model.busy === 'accept' ? 'Accepting…' : model.preview.unchanged ? 'Export Anyway' : 'Accept', {
      id: 'accept',
      disabled: blocker !== null,
      title: blocker ?? (model.preview.unchanged ? 'Write it again: only the export time would change' : 'Publish this export'),
      describedBy: blocker ? 'accept-hint' : undefined,
      onClick: () => actions.accept(),
    }),
    button('Reject', { id: 'reject', secondary: true, disabled: busy, title: 'Discard this export', onClick: () => actions.reject() }),
  ];
}

/** A preview publishes nothing: Export… turns it into a review (then Accept), Close discards it. */
function previewButtons(model: Model, actions: Actions): HTMLElement[] {
  const busy = model.busy !== null;
  return [
    button(model.busy === 'startReview' ? 'Opening the review…' : 'Export…', {
      id: 'start-review',
      disabled: busy,
      title: 'Review this export for publishing (Accept comes next)',
      onClick: () => actions.startReview(),
    }),
    button('Close', { id: 'close-preview', secondary: true, disabled: busy, title: 'Close the preview; nothing is exported', onClick: () => actions.reject() }),
  ];
}
