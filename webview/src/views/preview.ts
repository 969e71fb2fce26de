/**
 * The formatted output: Markdown rendered as a reader would see it (or the
 * raw text), XML and YAML front matter coloured, plain text as is. At most
 * the server's 50 preview lines until "Show all" fetches the rest.
 */
import { h } from '../dom';
import { formatCount, plural } from '../format';
import { HIGHLIGHT_LIMIT, highlighted, splitFrontMatter, xmlTokens, yamlTokens } from '../highlight';
import { renderMarkdown } from '../markdown/render';
import type { Actions, Model } from '../model';
import { button } from './controls';

/** Output kinds that have a rendered and a raw view. */
function hasRenderedView(model: Model): boolean {
  return model.preview.output === 'markdown' || model.preview.output === 'yaml-frontmatter';
}

export function renderPreview(model: Model, actions: Actions): HTMLElement {
  const { preview } = model;
  const showingAll = model.fullContent !== null;
  const text = model.fullContent ?? preview.preview_lines.join('\n');
  const view = hasRenderedView(model) ? model.view : 'raw';

  const toolbar = h(
    'div',
    { class: 'preview-toolbar' },
    h('h2', { attrs: { id: 'preview-heading' } }, 'Preview'),
    h('span', { class: 'muted', attrs: { id: 'preview-extent' } }, extentText(model, showingAll)),
    hasRenderedView(model) ? viewToggle(view, actions) : null,
  );

  const body = h('div', {
    class: `preview-body ${view === 'rendered' ? 'rendered' : 'source'}`,
    attrs: {
      id: 'preview-body',
      tabindex: 0, // scrollable by keyboard
      role: 'region',
      'aria-label': view === 'rendered' ? 'Rendered preview' : 'Formatted text',
      'data-view': view,
      'data-output': preview.output,
    },
  });
  body.appendChild(renderContent(text, preview.output, view, actions));

  return h(
    'section',
    { class: 'preview', attrs: { id: 'preview', 'aria-labelledby': 'preview-heading', 'aria-busy': model.loadingAll ? 'true' : undefined } },
    toolbar,
    body,
    moreLines(model, actions, showingAll),
  );
}

function extentText(model: Model, showingAll: boolean): string {
  const total = model.preview.statistics.line_count;
  if (showingAll || model.preview.more_lines === 0) return `All ${plural(total, 'line')}`;
  return `First ${formatCount(model.preview.preview_lines.length)} of ${plural(total, 'line')}`;
}

function viewToggle(view: 'rendered' | 'raw', actions: Actions): HTMLElement {
  const option = (value: 'rendered' | 'raw', label: string): HTMLElement =>
    h(
      'button',
      {
        class: 'toggle',
        attrs: { type: 'button', id: `view-${value}`, 'aria-pressed': view === value ? 'true' : 'false' },
        on: { click: () => actions.setView(value) },
      },
      label,
    );
  return h('div', { class: 'toggle-group', attrs: { role: 'group', 'aria-label': 'Preview mode' } }, option('rendered', 'Rendered'), option('raw', 'Raw'));
}

function renderContent(text: string, output: Model['preview']['output'], view: 'rendered' | 'raw', actions: Actions): Node {
  const onLink = (url: string): void => actions.openLink(url);
  if (output === 'xml') return codeBlock(text, 'xml');
  if (view === 'raw' || output === 'text') return h('pre', { class: 'raw' }, text);
  if (output === 'yaml-frontmatter') {
    const { frontMatter, body } = splitFrontMatter(text);
    const fragment = document.createDocumentFragment();
    if (frontMatter !== null) fragment.appendChild(codeBlock(frontMatter, 'yaml'));
    fragment.appendChild(h('article', { class: 'markdown' }, renderMarkdown(body, { onLink })));
    return fragment;
  }
  return h('article', { class: 'markdown' }, renderMarkdown(text, { onLink }));
}

function codeBlock(text: string, language: 'xml' | 'yaml'): HTMLElement {
  const pre = h('pre', { class: `code ${language}`, attrs: { 'data-language': language } });
  if (text.length > HIGHLIGHT_LIMIT) pre.textContent = text;
  else pre.appendChild(highlighted(language === 'xml' ? xmlTokens(text) : yamlTokens(text)));
  return pre;
}

function moreLines(model: Model, actions: Actions, showingAll: boolean): HTMLElement | null {
  const { more_lines: more } = model.preview;
  if (more === 0) return null;
  if (showingAll) {
    return h('div', { class: 'more' }, button('Show first lines only', { id: 'collapse', secondary: true, onClick: () => actions.showAll() }));
  }
  return h(
    'div',
    { class: 'more' },
    h('span', { attrs: { id: 'more-lines' } }, `… ${plural(more, 'more line')}`),
    button(model.loadingAll ? 'Loading…' : `Show all ${formatCount(model.preview.statistics.line_count)} lines`, {
      id: 'show-all',
      secondary: true,
      disabled: model.loadingAll,
      onClick: () => actions.showAll(),
    }),
  );
}
