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

export function renderValidation(model: Model): HTMLElement {
  const { errors, warnings } = model.preview.validation;
  const summary =
    errors.length + warnings.length === 0
      ? h('p', { class: 'ok', attrs: { id: 'validation-summary' } }, '✓ Valid: no errors or warnings.')
      : h('p', { class: errors.length ? 'bad' : 'warn', attrs: { id: 'validation-summary' } }, `${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}`);
  return section(
    'validation',
    'Validation',
    summary,
    errors.length + warnings.length > 0
      ? h('ul', { class: 'issues', attrs: { 'aria-label': 'Validation problems' } }, ...errors.map((e) => issue(e, 'error')), ...warnings.map((w) => issue(w, 'warning')))
      : null,
  );
}

export function renderImpact(model: Model, actions: Actions): HTMLElement {
  const { review } = model.preview;
  const secrets = review.warnings.filter((w) => w.code === 'SECRET_DETECTED');
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
    h('dd', { attrs: { id: 'impact-tokens' } }, `~${formatCount(review.token_cost)}`),
    model.preview.diff ? h('dt', null, 'Changes') : null,
    model.preview.diff ? h('dd', null, `+${formatCount(model.preview.diff.additions)} / −${formatCount(model.preview.diff.deletions)} lines`) : null,
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
  const warnings = review.warnings.length
    ? h('ul', { class: 'issues', attrs: { id: 'impact-warnings', 'aria-label': 'Review warnings' } }, ...review.warnings.map((w) => issue(w, 'warning')))
    : h('p', { class: 'muted' }, 'No warnings.');
  const redact =
    secrets.length > 0 && model.phase.kind === 'review'
      ? h(
          'div',
          { class: 'redact' },
          button(model.redacting ? 'Redacting…' : `Redact ${plural(secrets.length, 'secret')}`, {
            id: 'redact',
            disabled: model.redacting || model.busy !== null,
            title: 'Replace each finding with [REDACTED:rule] and review again',
            onClick: () => actions.redact(),
          }),
        )
      : null;
  return section('impact', 'Review', blocked, facts, h('h3', null, 'Warnings'), warnings, redact);
}

export function riskPill(level: string, id: string): HTMLElement {
  return h('span', { class: `risk risk-${level}`, attrs: { id, 'data-risk': level, 'aria-label': `Risk: ${level}` } }, level.toUpperCase());
}
