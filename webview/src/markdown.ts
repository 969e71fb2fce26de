/**
 * A small Markdown renderer for the preview: enough CommonMark + GFM for
 * exported transcripts (headings, paragraphs, emphasis, code spans and
 * fences, lists, task items, block quotes, tables, rules, links).
 *
 * Safety is the point, not completeness: it builds DOM nodes with
 * createElement and text nodes only. Raw HTML in the Markdown is shown as
 * text; links get an href only when it is http(s), and clicking one asks the
 * host to open it (the webview itself never navigates); images are never
 * loaded, only named.
 */
import { isWebUrl } from './protocol';

export interface MarkdownOptions {
  /** Called when a person activates an http(s) link. */
  onLink: (url: string) => void;
}

export function renderMarkdown(source: string, options: MarkdownOptions): DocumentFragment {
  const fragment = document.createDocumentFragment();
  renderBlocks(source.replace(/\r\n?/g, '\n').split('\n'), fragment, options, 0);
  return fragment;
}

// ---------------------------------------------------------------- blocks

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const LIST_ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+(.*))?$/;
const TABLE_DIVIDER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const BLANK = /^[ \t]*$/;

/** Nesting deeper than this renders as text: bounded recursion on hostile input. */
const MAX_DEPTH = 12;

function renderBlocks(lines: string[], parent: Node, options: MarkdownOptions, depth: number): void {
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (BLANK.test(line)) {
      i += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      i = renderFence(lines, i, fence[1] ?? '```', fence[2] ?? '', parent);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = (heading[1] ?? '#').length as 1 | 2 | 3 | 4 | 5 | 6;
      const element = document.createElement(`h${level}`);
      renderInline(heading[2] ?? '', element, options);
      parent.appendChild(element);
      i += 1;
      continue;
    }
    if (RULE.test(line)) {
      parent.appendChild(document.createElement('hr'));
      i += 1;
      continue;
    }
    if (depth < MAX_DEPTH && QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && !BLANK.test(lines[i] ?? '')) {
        const match = QUOTE.exec(lines[i] ?? '');
        inner.push(match ? (match[1] ?? '') : (lines[i] ?? ''));
        i += 1;
      }
      const quote = document.createElement('blockquote');
      renderBlocks(inner, quote, options, depth + 1);
      parent.appendChild(quote);
      continue;
    }
    if (depth < MAX_DEPTH && LIST_ITEM.test(line)) {
      i = renderList(lines, i, parent, options, depth);
      continue;
    }
    if (line.includes('|') && TABLE_DIVIDER.test(lines[i + 1] ?? '') && (lines[i + 1] ?? '').includes('-')) {
      i = renderTable(lines, i, parent, options);
      continue;
    }
    i = renderParagraph(lines, i, parent, options);
  }
}

function renderFence(lines: string[], start: number, marker: string, language: string, parent: Node): number {
  const closing = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`);
  const body: string[] = [];
  let i = start + 1;
  while (i < lines.length && !closing.test(lines[i] ?? '')) {
    body.push(lines[i] ?? '');
    i += 1;
  }
  const pre = document.createElement('pre');
  const code = document.createElement('code');
  if (/^[\w+#.-]{1,40}$/.test(language)) {
    code.className = `language-${language}`;
    pre.setAttribute('data-language', language);
  }
  code.textContent = body.join('\n');
  pre.appendChild(code);
  parent.appendChild(pre);
  return i + 1; // past the closing fence (or the end: an unclosed fence runs to the end)
}

function startsBlock(line: string, next: string | undefined): boolean {
  return (
    FENCE.test(line) ||
    HEADING.test(line) ||
    RULE.test(line) ||
    QUOTE.test(line) ||
    LIST_ITEM.test(line) ||
    (line.includes('|') && next !== undefined && TABLE_DIVIDER.test(next) && next.includes('-'))
  );
}

function renderParagraph(lines: string[], start: number, parent: Node, options: MarkdownOptions): number {
  const text: string[] = [lines[start] ?? ''];
  let i = start + 1;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (BLANK.test(line)) break;
    const setext = SETEXT.exec(line);
    if (setext) {
      const heading = document.createElement((setext[1] ?? '=').startsWith('=') ? 'h1' : 'h2');
      renderInline(text.join('\n'), heading, options);
      parent.appendChild(heading);
      return i + 1;
    }
    if (startsBlock(line, lines[i + 1])) break;
    text.push(line);
    i += 1;
  }
  const paragraph = document.createElement('p');
  renderInline(text.join('\n'), paragraph, options);
  parent.appendChild(paragraph);
  return i;
}

interface ListItem {
  lines: string[];
}

function renderList(lines: string[], start: number, parent: Node, options: MarkdownOptions, depth: number): number {
  const first = LIST_ITEM.exec(lines[start] ?? '');
  const ordered = /\d/.test(first?.[2] ?? '');
  const list = document.createElement(ordered ? 'ol' : 'ul');
  if (ordered) {
    const startNumber = Number.parseInt(first?.[2] ?? '1', 10);
    if (startNumber !== 1) list.setAttribute('start', String(startNumber));
  }
  const items: ListItem[] = [];
  let i = start;
  let current: ListItem | undefined;
  let contentIndent = 2;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const item = LIST_ITEM.exec(line);
    const nested = current !== undefined && indentOf(line) >= contentIndent;
    if (item && !nested && /\d/.test(item[2] ?? '') === ordered) {
      current = { lines: [item[4] ?? ''] };
      contentIndent = (item[1] ?? '').length + (item[2] ?? '').length + 1;
      items.push(current);
      i += 1;
      continue;
    }
    if (current === undefined) break;
    if (BLANK.test(line)) {
      // A blank line continues the list only if indented content follows.
      const next = lines[i + 1] ?? '';
      if (!BLANK.test(next) && (indentOf(next) >= contentIndent || LIST_ITEM.exec(next)?.[2] !== undefined)) {
        const nextItem = LIST_ITEM.exec(next);
        if (nextItem && /\d/.test(nextItem[2] ?? '') !== ordered && indentOf(next) < contentIndent) break;
        current.lines.push('');
        i += 1;
        continue;
      }
      break;
    }
    if (indentOf(line) >= contentIndent) {
      current.lines.push(line.slice(Math.min(contentIndent, indentOf(line))));
    } else if (!startsBlock(line, lines[i + 1])) {
      current.lines.push(line.trimStart()); // a lazy continuation of the item's paragraph
    } else {
      break;
    }
    i += 1;
  }
  for (const item of items) list.appendChild(renderListItem(item, options, depth));
  parent.appendChild(list);
  return i;
}

function renderListItem(item: ListItem, options: MarkdownOptions, depth: number): HTMLLIElement {
  const li = document.createElement('li');
  const task = /^\[([ xX])\][ \t]+/.exec(item.lines[0] ?? '');
  if (task) {
    const done = task[1] !== ' ';
    li.className = 'task';
    const box = document.createElement('span');
    box.className = 'task-box';
    box.setAttribute('role', 'img');
    box.setAttribute('aria-label', done ? 'done' : 'not done');
    box.textContent = done ? '☑' : '☐';
    li.appendChild(box);
    li.appendChild(document.createTextNode(' '));
    item.lines[0] = (item.lines[0] ?? '').slice(task[0].length);
  }
  // A single-paragraph item renders without a <p>, like a tight list.
  const simple = item.lines.every((l) => !BLANK.test(l)) && !item.lines.slice(1).some((l, k) => startsBlock(l, item.lines[k + 2]));
  if (simple) renderInline(item.lines.join('\n'), li, options);
  else renderBlocks(item.lines, li, options, depth + 1);
  return li;
}

function indentOf(line: string): number {
  let n = 0;
  for (const ch of line) {
    if (ch === ' ') n += 1;
    else if (ch === '\t') n += 4 - (n % 4);
    else break;
  }
  return n;
}

function splitRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (let k = 0; k < row.length; k += 1) {
    const ch = row[k];
    if (ch === '\\' && row[k + 1] === '|') {
      cell += '|';
      k += 1;
    } else if (ch === '`') {
      inCode = !inCode;
      cell += ch;
    } else if (ch === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell.trim());
  return cells;
}

function renderTable(lines: string[], start: number, parent: Node, options: MarkdownOptions): number {
  const header = splitRow(lines[start] ?? '');
  const aligns = splitRow(lines[start + 1] ?? '').map((spec) => {
    const left = spec.startsWith(':');
    const right = spec.endsWith(':');
    return left && right ? 'center' : right ? 'right' : left ? 'left' : '';
  });
  const table = document.createElement('table');
  const head = document.createElement('thead');
  const headRow = document.createElement('tr');
  header.forEach((text, column) => headRow.appendChild(cell('th', text, aligns[column], options)));
  head.appendChild(headRow);
  table.appendChild(head);
  const body = document.createElement('tbody');
  let i = start + 2;
  while (i < lines.length && !BLANK.test(lines[i] ?? '') && (lines[i] ?? '').includes('|')) {
    const row = document.createElement('tr');
    const cells = splitRow(lines[i] ?? '');
    for (let column = 0; column < header.length; column += 1) row.appendChild(cell('td', cells[column] ?? '', aligns[column], options));
    body.appendChild(row);
    i += 1;
  }
  table.appendChild(body);
  const wrapper = document.createElement('div');
  wrapper.className = 'table-wrapper';
  wrapper.appendChild(table);
  parent.appendChild(wrapper);
  return i;
}

function cell(tag: 'th' | 'td', text: string, align: string | undefined, options: MarkdownOptions): HTMLElement {
  const element = document.createElement(tag);
  if (align) element.className = `align-${align}`;
  renderInline(text, element, options);
  return element;
}

// ---------------------------------------------------------------- inline

const ESCAPABLE = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
// Sticky (`y`) patterns match at lastIndex: no slicing of long paragraphs.
const BARE_URL = /https?:\/\/[^\s<>"]+/y;
const AUTOLINK = /<(https?:\/\/[^\s<>]+)>/y;
const WORD = /[\p{L}\p{N}]/u;

function stickyMatch(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

function runLength(text: string, at: number, ch: string): number {
  let n = 0;
  while (text[at + n] === ch) n += 1;
  return n;
}

/** Appends the inline Markdown of `text` to `parent`. */
export function renderInline(text: string, parent: Node, options: MarkdownOptions): void {
  inline(text, parent, options, 0);
}

function inline(text: string, parent: Node, options: MarkdownOptions, depth: number): void {
  const index = new InlineIndex(text);
  let plain = '';
  const flush = (): void => {
    if (plain) parent.appendChild(document.createTextNode(plain));
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;

    if (ch === '\\' && i + 1 < text.length) {
      const next = text[i + 1] as string;
      if (next === '\n') {
        flush();
        parent.appendChild(document.createElement('br'));
        i += 2;
        continue;
      }
      if (ESCAPABLE.test(next)) {
        plain += next;
        i += 2;
        continue;
      }
    }
    if (ch === '\n') {
      // Two trailing spaces make a hard break; otherwise a soft one.
      if (plain.endsWith('  ')) {
        plain = plain.replace(/ +$/, '');
        flush();
        parent.appendChild(document.createElement('br'));
      } else {
        plain += '\n';
      }
      i += 1;
      continue;
    }
    if (ch === '`') {
      const run = runLength(text, i, '`');
      const close = index.codeClose(i + run, run);
      if (close >= 0) {
        flush();
        const code = document.createElement('code');
        let body = text.slice(i + run, close).replace(/\n/g, ' ');
        if (body.length > 2 && body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '') body = body.slice(1, -1);
        code.textContent = body;
        parent.appendChild(code);
        i = close + run;
        continue;
      }
      plain += '`'.repeat(run);
      i += run;
      continue;
    }
    if (ch === '<') {
      const auto = stickyMatch(AUTOLINK, text, i);
      if (auto) {
        flush();
        parent.appendChild(link(auto[1] ?? '', null, options, depth));
        i += auto[0].length;
        continue;
      }
    }
    if ((ch === 'h' || ch === 'H') && (i === 0 || !/[\w/]/.test(text[i - 1] ?? ''))) {
      const bare = stickyMatch(BARE_URL, text, i);
      if (bare) {
        const url = trimUrl(bare[0]);
        flush();
        parent.appendChild(link(url, null, options, depth));
        i += url.length;
        continue;
      }
    }
    if (ch === '!' && text[i + 1] === '[') {
      const parsed = parseLink(text, i + 1, index);
      if (parsed) {
        flush();
        parent.appendChild(image(parsed.label, parsed.url, options));
        i = parsed.end;
        continue;
      }
    }
    if (ch === '[') {
      const parsed = parseLink(text, i, index);
      if (parsed) {
        flush();
        parent.appendChild(link(parsed.url, parsed.label, options, depth));
        i = parsed.end;
        continue;
      }
    }
    if ((ch === '*' || ch === '_' || ch === '~') && depth < MAX_DEPTH) {
      const span = emphasis(text, i, index);
      if (span) {
        flush();
        const element = document.createElement(span.tag);
        inline(text.slice(span.innerStart, span.innerEnd), element, options, depth + 1);
        parent.appendChild(element);
        i = span.end;
        continue;
      }
      const run = runLength(text, i, ch);
      plain += ch.repeat(run);
      i += run;
      continue;
    }
    plain += ch;
    i += 1;
  }
  flush();
}

/**
 * Where things close, worked out once per paragraph (lazily, by kind): the
 * matching `]` and `)` of each `[` and `(`, the start of every backtick run
 * of each length, and every position that can close each emphasis
 * delimiter. Each lookup is then a binary search, so a paragraph full of
 * unmatched delimiters renders in O(n log n), not O(n²).
 */
class InlineIndex {
  private readonly sorted = new Map<string, number[]>();
  private brackets: Map<number, number> | undefined;
  private parens: Map<number, number> | undefined;

  constructor(private readonly text: string) {}

  /** The start of the first backtick run of exactly `length` at or after `from`, or -1. */
  codeClose(from: number, length: number): number {
    return this.first(`code:${length}`, from, () => {
      const starts: number[] = [];
      for (let k = this.text.indexOf('`'); k >= 0; ) {
        const run = runLength(this.text, k, '`');
        if (run === length) starts.push(k);
        k = this.text.indexOf('`', k + run);
      }
      return starts;
    });
  }

  /** The first position ≥ `from` where `delimiter` (`*`, `**`, `_`, `__`, `~~`) can close, or -1. */
  emphasisClose(delimiter: string, from: number): number {
    return this.first(`em:${delimiter}`, from, () => {
      const ch = delimiter[0] as string;
      const size = delimiter.length;
      const closers: number[] = [];
      for (let k = this.text.indexOf(delimiter); k >= 0; k = this.text.indexOf(delimiter, k + 1)) {
        const before = this.text[k - 1] ?? ' ';
        const after = this.text[k + size];
        if (/\s/.test(before)) continue; // not right-flanking
        if (ch === '_' && after !== undefined && WORD.test(after)) continue; // inside a word
        // A single closes only a lone delimiter; a double closes at the end of its run (`***` → `*` + `**`).
        if (size === 1 ? before === ch || after === ch : after === ch) continue;
        closers.push(k);
      }
      return closers;
    });
  }

  /** The `]` matching the `[` at `open`. */
  bracketClose(open: number): number | undefined {
    this.brackets ??= matchPairs(this.text, '[', ']');
    return this.brackets.get(open);
  }

  /** The `)` matching the `(` at `open`. */
  parenClose(open: number): number | undefined {
    this.parens ??= matchPairs(this.text, '(', ')');
    return this.parens.get(open);
  }

  private first(key: string, from: number, build: () => number[]): number {
    let list = this.sorted.get(key);
    if (list === undefined) {
      list = build();
      this.sorted.set(key, list);
    }
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid] as number) < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length ? (list[lo] as number) : -1;
  }
}

/** Each `open` position mapped to its matching `close`, nesting respected, backslash-escapes skipped. */
function matchPairs(text: string, open: string, close: string): Map<number, number> {
  const pairs = new Map<number, number>();
  const stack: number[] = [];
  for (let k = 0; k < text.length; k += 1) {
    const c = text[k];
    if (c === '\\') k += 1;
    else if (c === open) stack.push(k);
    else if (c === close && stack.length > 0) pairs.set(stack.pop() as number, k);
  }
  return pairs;
}

/** Trailing punctuation belongs to the sentence, not the URL (GFM's rule, roughly). */
function trimUrl(url: string): string {
  let end = url.length;
  while (end > 0 && /[.,:;!?'*_~]/.test(url[end - 1] ?? '')) end -= 1;
  let trimmed = url.slice(0, end);
  while (trimmed.endsWith(')') && count(trimmed, '(') < count(trimmed, ')')) trimmed = trimmed.slice(0, -1);
  return trimmed;
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n += 1;
  return n;
}

interface ParsedLink {
  label: string;
  url: string;
  end: number;
}

/** `[label](url "title")` starting at `open` (the `[`). */
function parseLink(text: string, open: number, index: InlineIndex): ParsedLink | undefined {
  const close = index.bracketClose(open);
  if (close === undefined || text[close + 1] !== '(') return undefined;
  const end = index.parenClose(close + 1);
  if (end === undefined) return undefined;
  const target = text.slice(close + 2, end).trim();
  const url = (/^<([^>]*)>/.exec(target)?.[1] ?? target.split(/\s+/)[0] ?? '').trim();
  return { label: text.slice(open + 1, close), url, end: end + 1 };
}

function link(url: string, label: string | null, options: MarkdownOptions, depth: number): HTMLElement {
  if (!isWebUrl(url)) {
    // Relative, mailto:, javascript:, data: … — shown, never followed.
    const span = document.createElement('span');
    span.className = 'link-disabled';
    span.title = url;
    if (label === null) span.textContent = url;
    else inline(label, span, options, depth + 1);
    return span;
  }
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.title = url;
  anchor.rel = 'noopener noreferrer';
  if (label === null) anchor.textContent = url;
  else inline(label, anchor, options, depth + 1);
  anchor.addEventListener('click', (event) => {
    event.preventDefault();
    options.onLink(url);
  });
  return anchor;
}

/** Images are not loaded (the panel's CSP forbids it anyway): they show as a named placeholder. */
function image(alt: string, url: string, options: MarkdownOptions): HTMLElement {
  const label = `[image: ${alt || url}]`;
  if (isWebUrl(url)) {
    const anchor = link(url, null, options, MAX_DEPTH);
    anchor.className = 'md-image';
    anchor.textContent = label;
    return anchor;
  }
  const span = document.createElement('span');
  span.className = 'md-image';
  span.textContent = label;
  return span;
}

interface EmphasisSpan {
  tag: 'strong' | 'em' | 'del';
  innerStart: number;
  innerEnd: number;
  end: number;
}

/** `**strong**`, `__strong__`, `*em*`, `_em_`, `~~del~~` starting at `i`; undefined when unmatched. */
function emphasis(text: string, i: number, index: InlineIndex): EmphasisSpan | undefined {
  const ch = text[i] as string;
  const run = runLength(text, i, ch);
  if (ch === '~' && run !== 2) return undefined;
  const size = ch === '~' || run >= 2 ? 2 : 1;
  const innerStart = i + size;
  const after = text[innerStart];
  if (after === undefined || /\s/.test(after)) return undefined; // not left-flanking
  // `_` inside a word (snake_case) is not emphasis.
  if (ch === '_' && i > 0 && WORD.test(text[i - 1] ?? '')) return undefined;
  const close = index.emphasisClose(ch.repeat(size), innerStart + 1);
  if (close < 0) return undefined;
  return { tag: ch === '~' ? 'del' : size === 2 ? 'strong' : 'em', innerStart, innerEnd: close, end: close + size };
}
