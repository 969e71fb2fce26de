/** The panel's title: the file, where it goes, its risk; and the banners under it. */
import { helpFor } from '../codes';
import { h } from '../dom';
import { acceptBlocker, isUpdating, type Actions, type Model } from '../model';
import { codePill } from './controls';
import { redactButton, riskPill } from './problems';

export function renderHeader(model: Model): HTMLElement {
  const { preview } = model;
  const template = model.templates.find((t) => t.id === preview.template_id);
  const destination = model.destinations.find((d) => d.id === preview.destination_id);
  return h(
    'header',
    { class: 'top' },
    h('div', { class: 'eyebrow', attrs: { id: 'panel-mode' } }, model.mode === 'preview' ? 'Preview — nothing is exported yet' : 'Review export'),
    h('h1', { attrs: { id: 'title-filename' } }, preview.filename),
    h(
      'div',
      { class: 'subtitle' },
      riskPill(preview.review.risk_level, 'risk-level'),
      h('span', { class: `action-pill ${preview.review.action.toLowerCase()}`, attrs: { id: 'action-kind' } }, preview.review.action),
      h('span', null, `${template?.name ?? preview.template_id} → ${destination ? `${destination.name} (${destination.type})` : preview.destination_id}`),
    ),
  );
}

/** Blocked reason, failed preview, refused action. */
export function renderBanners(model: Model, actions: Actions): HTMLElement {
  const banners: HTMLElement[] = [];
  const { review } = model.preview;
  if (model.previewError) {
    banners.push(banner('error', 'preview-error', model.previewError.code, model.previewError.message, null, 'Preview failed: '));
  }
  if (review.blocked && model.phase.kind === 'review') {
    banners.push(
      banner(
        'error',
        'blocked-banner',
        review.reason ?? 'BIN_BLOCKED',
        review.reason_message ?? 'The Bin blocked this export.',
        redactButton(model, actions, 'banner'),
        'Blocked: ',
      ),
    );
  }
  if (model.notice) banners.push(banner('warning', 'notice', model.notice.code, model.notice.message));
  return h('div', { class: 'banners', attrs: { id: 'banners' } }, ...banners);
}

function banner(kind: 'error' | 'warning', id: string, code: string, message: string, action: HTMLElement | null = null, prefix = ''): HTMLElement {
  const help = helpFor(code);
  return h(
    'div',
    { class: `banner ${kind}`, attrs: { id, role: kind === 'error' ? 'alert' : 'status' } },
    h('div', { class: 'banner-text' }, h('strong', null, `${prefix}${help.title}`), ' ', codePill(code, kind), h('div', null, message), h('div', { class: 'muted' }, help.action)),
    action,
  );
}

/** One polite live region for "updating…" and friends (why Accept is disabled sits beside it). */
export function statusText(model: Model): string {
  const { phase } = model;
  if (phase.kind === 'running') return phase.message;
  if (phase.kind === 'done') return phase.error ? 'The export failed.' : phase.job ? 'Exported.' : '';
  if (isUpdating(model)) return 'Updating the preview…';
  if (model.loadingAll) return 'Loading all lines…';
  if (model.mode === 'preview') return 'Preview only: choose Export… to review it for publishing.';
  return acceptBlocker(model) === null ? 'Ready to accept.' : '';
}
