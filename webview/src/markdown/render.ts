/**
 * The preview's Markdown, as GitHub and VS Code will show it: parsed by
 * markdown-it (./parser.ts), then built into DOM nodes from its token stream
 * with createElement and text nodes only — never innerHTML, so no part of
 * the exported text is ever parsed as HTML.
 *
 * The safety rules: raw HTML is text (the parser's `html: false`); a link
 * gets an href only when it is http(s), and clicking it asks the host to
 * open it (the webview itself never navigates); any other link keeps its
 * <a> without an href; images are never loaded, only named; nesting is
 * bounded (the parser's `maxNesting` for blocks, MAX_DOM_DEPTH for inline
 * emphasis, which markdown-it does not count).
 */
import type { Token } from 'markdown-it';
import { isWebUrl } from '../protocol';
import { MAX_NESTING, markdownParser } from './parser';

export interface MarkdownOptions {
  /** Called when a person activates an http(s) link. */
  onLink: (url: string) => void;
}

export function renderMarkdown(source: string, options: MarkdownOptions): DocumentFragment {
  const fragment = document.createDocumentFragment();
  new DomBuilder(fragment, options).add(markdownParser().parse(source, {}));
  return fragment;
}

/** Elements deeper than this are not created; their content goes into the deepest one. */
const MAX_DOM_DEPTH = 64;
const TEXT_NODE = 3;

/** Container tokens whose element is always the same tag. */
const TAGS: Readonly<Record<string, keyof HTMLElementTagNameMap>> = {
  paragraph_open: 'p',
  blockquote_open: 'blockquote',
  bullet_list_open: 'ul',
  ordered_list_open: 'ol',
  list_item_open: 'li',
  thead_open: 'thead',
  tbody_open: 'tbody',
  tr_open: 'tr',
  th_open: 'th',
  td_open: 'td',
  em_open: 'em',
  strong_open: 'strong',
  s_open: 'del', // GFM strikethrough; GitHub renders <del>
};

/** A fence's language when it is a plain name: it becomes a class and an attribute. */
const LANGUAGE = /^[\w+#.-]{1,40}$/;
const ALIGN = /text-align:(left|right|center)/;

class DomBuilder {
  /** The open elements; a container that makes no element (a tight list's paragraph) repeats its parent. */
  private readonly stack: Node[];
  /** How many links are open: a link or image inside one is not made a second, nested link. */
  private linkDepth = 0;

  constructor(
    root: DocumentFragment,
    private readonly options: MarkdownOptions,
  ) {
    this.stack = [root];
  }

  add(tokens: readonly Token[]): void {
    for (const token of tokens) this.token(token);
  }

  private get parent(): Node {
    return this.stack[this.stack.length - 1] as Node;
  }

  private token(token: Token): void {
    switch (token.type) {
      case 'inline':
        this.add(token.children ?? []);
        return;
      case 'softbreak':
        this.text('\n');
        return;
      case 'hardbreak':
        this.parent.appendChild(document.createElement('br'));
        return;
      case 'code_inline':
        this.parent.appendChild(withText(document.createElement('code'), token.content));
        return;
      case 'fence':
      case 'code_block':
        this.parent.appendChild(codeBlock(token));
        return;
      case 'hr':
        this.parent.appendChild(document.createElement('hr'));
        return;
      case 'image':
        this.parent.appendChild(this.image(token));
        return;
      case 'task_box':
        this.parent.appendChild(taskBox(token.meta?.['done'] === true));
        this.text(' ');
        return;
      case 'link_open':
        this.open(this.link(token));
        this.linkDepth += 1;
        return;
      case 'link_close':
        this.linkDepth -= 1;
        this.close();
        return;
      case 'table_open':
        this.openTable();
        return;
    }
    if (token.nesting === 1) {
      this.open(token.hidden ? null : this.element(token));
      if (token.level >= MAX_NESTING - 1 && (token.type === 'blockquote_open' || token.type === 'list_item_open')) {
        // The parser stops here: say so rather than let the content vanish silently.
        const notice = withText(document.createElement('p'), `Nested deeper than ${MAX_NESTING} levels: not rendered here; the Raw view shows it.`);
        notice.className = 'md-truncated';
        this.parent.appendChild(notice);
      }
    } else if (token.nesting === -1) {
      this.close();
    } else {
      // text, and anything else that only carries text (raw HTML cannot occur with html: false; if it did, it is text).
      this.text(token.content);
    }
  }

  /** Appends text, to the previous text node when there is one (a paragraph of soft breaks stays one node). */
  private text(text: string): void {
    if (!text) return;
    const last = this.parent.lastChild;
    if (last?.nodeType === TEXT_NODE) (last as Text).appendData(text);
    else this.parent.appendChild(document.createTextNode(text));
  }

  private open(element: HTMLElement | null): void {
    if (element === null || this.stack.length > MAX_DOM_DEPTH) {
      this.stack.push(this.parent);
      return;
    }
    this.parent.appendChild(element);
    this.stack.push(element);
  }

  private close(): void {
    if (this.stack.length > 1) this.stack.pop();
  }

  /** A table scrolls sideways in its own wrapper instead of widening the panel. */
  private openTable(): void {
    if (this.stack.length > MAX_DOM_DEPTH) {
      this.open(null);
      return;
    }
    const wrapper = document.createElement('div');
    wrapper.className = 'table-wrapper';
    const table = wrapper.appendChild(document.createElement('table'));
    this.parent.appendChild(wrapper);
    this.stack.push(table);
  }

  private element(token: Token): HTMLElement | null {
    if (token.type === 'heading_open') return /^h[1-6]$/.test(token.tag) ? document.createElement(token.tag) : document.createElement('p');
    const tag = TAGS[token.type];
    if (tag === undefined) return null; // a container this builder does not know: its content goes to the parent
    const element = document.createElement(tag);
    if (token.type === 'ordered_list_open') {
      const start = Number(token.attrGet('start') ?? 1);
      if (Number.isSafeInteger(start) && start !== 1) element.setAttribute('start', String(start));
    } else if (token.type === 'list_item_open' && token.meta?.['task'] === true) {
      element.className = 'task';
    } else if (token.type === 'th_open' || token.type === 'td_open') {
      // As a class: the panel's CSP allows no inline styles.
      const align = ALIGN.exec(String(token.attrGet('style') ?? ''))?.[1];
      if (align) element.className = `align-${align}`;
    }
    return element;
  }

  private link(token: Token): HTMLElement {
    const href = String(token.attrGet('href') ?? '');
    if (this.linkDepth === 0 && isWebUrl(href)) return this.webLink(href);
    // Relative, mailto:, javascript:, data: … — shown as a link, never followed.
    const anchor = document.createElement('a');
    anchor.className = 'link-disabled';
    if (href) anchor.title = href;
    return anchor;
  }

  private webLink(url: string): HTMLAnchorElement {
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.title = url;
    anchor.rel = 'noopener noreferrer';
    anchor.addEventListener('click', (event) => {
      event.preventDefault();
      this.options.onLink(url);
    });
    return anchor;
  }

  /** Images are not loaded (the panel's CSP forbids it anyway): a named placeholder, a link to the image when it is on the web. */
  private image(token: Token): HTMLElement {
    const src = String(token.attrGet('src') ?? '');
    const label = `[image: ${plainText(token.children ?? []) || src}]`;
    const element = this.linkDepth === 0 && isWebUrl(src) ? this.webLink(src) : document.createElement('span');
    element.className = 'md-image';
    if (src && !element.title) element.title = src;
    element.textContent = label;
    return element;
  }
}

function withText<T extends HTMLElement>(element: T, text: string): T {
  element.textContent = text;
  return element;
}

function codeBlock(token: Token): HTMLPreElement {
  const pre = document.createElement('pre');
  const code = document.createElement('code');
  const language = token.type === 'fence' ? (token.info.trim().split(/\s+/)[0] ?? '') : '';
  if (LANGUAGE.test(language)) {
    code.className = `language-${language}`;
    pre.setAttribute('data-language', language);
  }
  code.textContent = token.content;
  pre.appendChild(code);
  return pre;
}

function taskBox(done: boolean): HTMLElement {
  const box = document.createElement('span');
  box.className = 'task-box';
  box.setAttribute('role', 'img');
  box.setAttribute('aria-label', done ? 'done' : 'not done');
  box.textContent = done ? '☑' : '☐';
  return box;
}

/** An image's description as text (its alt): the text of its inline tokens, images within included. */
function plainText(tokens: readonly Token[]): string {
  let text = '';
  const pending: Token[] = [...tokens].reverse();
  for (let token = pending.pop(); token !== undefined; token = pending.pop()) {
    if (token.type === 'softbreak' || token.type === 'hardbreak') text += ' ';
    else if (token.type === 'image') pending.push(...[...(token.children ?? [])].reverse());
    else if (token.nesting === 0) text += token.content;
  }
  return text;
}
