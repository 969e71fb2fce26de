/** Validation results and the Bin's impact analysis, with codes explained. */
import { helpFor } from '../codes';
import { h } from '../dom';
import { formatCount, plural } from '../format';
import type { Actions, Model } from '../model';
import { button, codePill, section } from './controls';

interface Item {
  code: string;
  message: string;
  line?: number;
}

function issue(item: Item, kind: 'error' | 'warning' | 'info'): HTMLElement {
  const help = helpFor(item.code);
  return h(
    'li',
    { class: `issue ${kind}`, attrs: { 'data-code': item.code } },
    h('div', { class: 'issue-head' }, h('span', { class: 'issue-icon', attrs: { 'aria-hidden': 'true' } }, kind === 'error' ? '✖' : kind === 'warning' ? '⚠' : 'ℹ'), h('strong', null, help.title), codePill(item.code, kind), item.line !== undefined ? h('span', { class: 'muted line' }, `line ${item.line}`) : null),
    h('div', { class: 'issue-message' }, item.message || help.message),
    h('div', { class: 'issue-action muted' }, help.action),
  );
}

/**
 * Every warning, once: the output validator's and the Bin's together, near
 * the top of the panel (issue 10: a "no warnings" under Validation beside a
 * Review list of warnings below the fold read as a contradiction).
 */
export function allWarnings(model: Model): Item[] {
  const seen = new Set<string>();
  const items: Item[] = [];
  for (const w of [...model.preview.validation.warnings, ...model.preview.review.warnings]) {
    const item: Item = { code: w.code, message: w.message, ...('line' in w && w.line !== undefined ? { line: w.line } : {}) };
    const key = JSON.stringify([item.code, item.message, item.line]);
    if (seen.has(key)) continue;
    seen.add(key);
    items.push(item);
  }
  return items;
}

/** True when the blocked banner at the top already offers the redaction (it is the reason for the block). */
function bannerRedacts(model: Model): boolean {
  const { review } = model.preview;
  return review.blocked && review.reason === 'SECRET_DETECTED' && model.phase.kind === 'review';
}

/**
 * The one Redact button: in the blocked banner when secrets blocked the
 * export, otherwise under the warnings that list them.
 */
export function redactButton(model: Model, actions: Actions, where: 'banner' | 'warnings'): HTMLElement | null {
  const secrets = model.preview.review.warnings.filter((w) => w.code === 'SECRET_DETECTED').length;
  if (secrets === 0 || model.phase.kind !== 'review' || (where === 'banner') !== bannerRedacts(model)) return null;
  const label = `Redact ${plural(secrets, 'secret')}${where === 'banner' ? ' and review again' : ''}`;
  return button(model.redacting ? 'Redacting…' : label, {
    id: 'redact',
    disabled: model.redacting || model.busy !== null,
    title: 'Replace each finding with [REDACTED:rule] and review again',
    onClick: () => actions.redact(),
  });
}

export function renderWarnings(model: Model, actions: Actions): HTMLElement | null {
  const warnings = allWarnings(model);
  if (warnings.length === 0) return null;
  const redact = redactButton(model, actions, 'warnings');
  return section(
    'warnings',
    `Warnings (${formatCount(warnings.length)})`,
    h('ul', { class: 'issues', attrs: { id: 'warning-list', 'aria-label': plural(warnings.length, 'warning') } }, ...warnings.map((w) => issue(w, 'warning'))),
    redact ? h('div', { class: 'redact' }, redact) : null,
  );
}

export function renderValidation(model: Model): HTMLElement {
  const { errors } = model.preview.validation;
  const summary =
    errors.length === 0
      ? h('p', { class: 'ok', attrs: { id: 'validation-summary' } }, 'Valid: no errors.')
      : h('p', { class: 'bad', attrs: { id: 'validation-summary' } }, plural(errors.length, 'error'));
  return section(
    'validation',
    'Validation',
    summary,
    errors.length > 0 ? h('ul', { class: 'issues', attrs: { 'aria-label': 'Validation errors' } }, ...errors.map((e) => issue(e, 'error'))) : null,
  );
}

export function renderImpact(model: Model): HTMLElement {
  const { review } = model.preview;
  const { diff } = model.preview;
  const facts = h(
    'dl',
    { class: 'kv' },
    h('dt', null, 'Risk'),
    h('dd', null, riskPill(review.risk_level, 'impact-risk')),
    h('dt', null, 'Action'),
    h('dd', { attrs: { id: 'impact-action' } }, review.action === 'UPDATE' ? 'UPDATE — replaces existing content' : 'CREATE — a new file'),
    h('dt', null, review.affected_resources.length === 1 ? 'Resource' : 'Resources'),
    h('dd', { attrs: { id: 'impact-resources' } }, ...review.affected_resources.map((r) => h('div', { class: 'resource' }, r))),
    h('dt', null, 'Token cost'),
    h('dd', { attrs: { id: 'impact-tokens' } }, `~${plural(review.token_cost, 'output token')}`),
    diff ? h('dt', null, 'Changes') : null,
    diff ? h('dd', { attrs: { id: 'impact-changes' } }, `${plural(diff.additions, 'line')} added, ${plural(diff.deletions, 'line')} removed`) : null,
  );
  const blocked = review.blocked
    ? h(
        'div',
        { class: 'blocked', attrs: { id: 'impact-blocked', role: 'alert' } },
        h('strong', null, `Blocked: ${helpFor(review.reason).title}`),
        ' ',
        codePill(review.reason ?? 'BIN_BLOCKED', 'error'),
        h('div', null, review.reason_message ?? helpFor(review.reason).message),
        h('div', { class: 'muted' }, helpFor(review.reason).action),
      )
    : null;
  const warnings = allWarnings(model).length;
  return section(
    'impact',
    'Review',
    blocked,
    facts,
    h('p', { class: 'muted see-warnings' }, warnings === 0 ? 'No warnings.' : `${plural(warnings, 'warning')}: listed under Warnings at the top.`),
  );
}

export function riskPill(level: string, id: string): HTMLElement {
  return h('span', { class: `risk risk-${level}`, attrs: { id, 'data-risk': level, 'aria-label': `Risk: ${level}` } }, level.toUpperCase());
}
