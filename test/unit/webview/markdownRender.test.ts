import assert from 'node:assert/strict';
import { MAX_NESTING, markdownParser } from '../../../webview/src/markdown/parser';
import { renderMarkdown } from '../../../webview/src/markdown/render';
import { DomEnvironment } from './domEnvironment';

/**
 * The preview renderer's own rules on top of markdown-it (issue 16): what
 * the CommonMark comparison does not look at — attributes, the safety
 * rules, task lists, and the bounds on nesting.
 */
describe('webview markdown: the renderer rules', () => {
  const dom = new DomEnvironment();
  before(() => dom.install());
  after(() => dom.uninstall());

  function render(markdown: string, onLink: (url: string) => void = () => undefined): HTMLElement {
    const root = dom.document.createElement('article');
    root.appendChild(renderMarkdown(markdown, { onLink }));
    return root;
  }

  /** The deepest element under `root` and its depth. */
  function depthOf(root: Element): number {
    let depth = 0;
    for (let element: Element | null = root; element; element = element.firstElementChild) depth += 1;
    return depth;
  }

  it('shows raw HTML as text and builds no element from it', () => {
    const root = render('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)"> and <b>bold</b>');
    assert.equal(root.querySelectorAll('script, img, b').length, 0);
    assert.equal(root.textContent, '<script>alert(1)</script><img src=x onerror="alert(1)"> and <b>bold</b>');
  });

  it('gives only http(s) links an href; the others keep their <a> without one', () => {
    const root = render('[a](https://a.example/x) [b](javascript:alert(1)) [c](data:text/html,x) [d](./rel.md) [e](mailto:x@y.example) <http://e.example>');
    const anchors = [...root.querySelectorAll('a')];
    assert.deepEqual(
      anchors.map((a) => [a.textContent, a.getAttribute('href'), a.className]),
      [
        ['a', 'https://a.example/x', ''],
        ['b', null, 'link-disabled'],
        ['c', null, 'link-disabled'],
        ['d', null, 'link-disabled'],
        ['e', null, 'link-disabled'],
        ['http://e.example', 'http://e.example', ''],
      ],
    );
    assert.equal(anchors[1]?.title, 'javascript:alert(1)', 'the target is shown on hover');
  });

  it('asks the host to open a web link and does not navigate', () => {
    const opened: string[] = [];
    const root = render('[docs](https://docs.example/a?b=1)', (url) => opened.push(url));
    const anchor = root.querySelector('a');
    const click = new dom.window.MouseEvent('click', { bubbles: true, cancelable: true });
    anchor?.dispatchEvent(click as unknown as Event);
    assert.deepEqual(opened, ['https://docs.example/a?b=1']);
    assert.equal(click.defaultPrevented, true);
  });

  describe('bare URLs', () => {
    const hrefs = (markdown: string): (string | null)[] => [...render(markdown).querySelectorAll('a')].map((a) => a.getAttribute('href'));

    it('links URLs with a scheme, not file names', () => {
      assert.deepEqual(hrefs('Edited auth.py and notes.md, see github.com.'), []);
      assert.deepEqual(hrefs('See http://localhost:3000/x and HTTPS://a.example/b'), ['http://localhost:3000/x', 'HTTPS://a.example/b']);
    });

    it('leaves trailing punctuation and an unbalanced ) to the sentence', () => {
      assert.deepEqual(hrefs('(see https://a.example/x_(y)).'), ['https://a.example/x_(y)']);
      assert.deepEqual(hrefs('https://a.example/p?q=1, then "https://a.example/q"; and https://a.example/r!'), [
        'https://a.example/p?q=1',
        'https://a.example/q',
        'https://a.example/r',
      ]);
      assert.deepEqual(hrefs('https:// and https://.'), []);
    });

    it('ends before emphasis, code and a link around it; underscores inside stay', () => {
      const root = render('**https://a.example/b** https://a.example/x_y_z _em_ `https://a.example/code` [text https://a.example/in](https://b.example)');
      assert.deepEqual(
        [...root.querySelectorAll('a')].map((a) => [a.parentElement?.tagName, a.getAttribute('href'), a.textContent]),
        [
          ['STRONG', 'https://a.example/b', 'https://a.example/b'],
          ['P', 'https://a.example/x_y_z', 'https://a.example/x_y_z'],
          ['P', 'https://b.example', 'text https://a.example/in'],
        ],
      );
      assert.equal(root.querySelector('em')?.textContent, 'em');
    });

    it('shows an international domain as written and links its ASCII form', () => {
      const anchor = render('https://bücher.example/a').querySelector('a');
      assert.equal(anchor?.getAttribute('href'), 'https://xn--bcher-kva.example/a');
      assert.equal(anchor?.textContent, 'https://bücher.example/a');
    });

    it('stays linear on hostile input (parsing; the browser tests time the DOM)', () => {
      const started = performance.now();
      const tokens = markdownParser().parse(`https://a.example/${')'.repeat(100_000)} ${'http://a '.repeat(20_000)}`, {});
      const links = tokens.flatMap((t) => t.children ?? []).filter((t) => t.type === 'link_open').length;
      assert.equal(links, 20_001);
      assert.ok(performance.now() - started < 2_000, `${performance.now() - started} ms`);
    });
  });

  it('names images and never loads them; an image inside a link is no second link', () => {
    const root = render('![chart](https://a.example/c.png) ![local](./c.png) [![moon](https://a.example/m.png)](https://a.example/moon)');
    assert.equal(root.querySelectorAll('img').length, 0);
    assert.deepEqual(
      [...root.querySelectorAll('.md-image')].map((e) => [e.tagName, e.textContent, e.getAttribute('href')]),
      [
        ['A', '[image: chart]', 'https://a.example/c.png'],
        ['SPAN', '[image: local]', null],
        ['SPAN', '[image: moon]', null],
      ],
    );
    assert.equal(root.querySelectorAll('a a').length, 0);
  });

  it('renders task list items with a named box', () => {
    const root = render('- [ ] open\n- [x] done\n- [X] also\n- [y] not a task\n- plain');
    assert.deepEqual(
      [...root.querySelectorAll('li')].map((li) => [li.className, li.querySelector('.task-box')?.getAttribute('aria-label') ?? null, li.textContent]),
      [
        ['task', 'not done', '☐ open'],
        ['task', 'done', '☑ done'],
        ['task', 'done', '☑ also'],
        ['', null, '[y] not a task'],
        ['', null, 'plain'],
      ],
    );
  });

  it('aligns table cells with classes, never a style attribute (the CSP allows none)', () => {
    const root = render('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |');
    assert.equal(root.querySelector('.table-wrapper > table > thead > tr > th')?.className, 'align-left');
    assert.deepEqual([...root.querySelectorAll('td')].map((td) => td.className), ['align-left', 'align-center', 'align-right']);
    assert.equal(root.querySelectorAll('[style]').length, 0);
  });

  it('marks a fence with its language only when that is a plain name', () => {
    const root = render('```ts\nlet a = 1;\n```\n\n```"><script>\nx\n```');
    const [plain, hostile] = [...root.querySelectorAll('pre')];
    assert.equal(plain?.getAttribute('data-language'), 'ts');
    assert.equal(plain?.querySelector('code')?.className, 'language-ts');
    assert.equal(hostile?.getAttribute('data-language'), null);
    assert.equal(hostile?.querySelector('code')?.className, '');
  });

  it('says where nesting beyond the limit is not rendered', () => {
    const root = render(`${'> '.repeat(200)}hidden\n\nafter`);
    assert.equal(root.querySelectorAll('blockquote').length, MAX_NESTING);
    assert.match(root.querySelector('.md-truncated')?.textContent ?? '', /Raw view/);
    assert.equal(root.lastElementChild?.textContent, 'after', 'content after the deep block is rendered');
    assert.equal(render('> > > three levels').querySelector('.md-truncated'), null);
  });

  it('caps the element depth of nested emphasis', () => {
    const root = render(`${'*a '.repeat(2_000)}b${' c*'.repeat(2_000)}`);
    assert.ok(depthOf(root) <= 70, `depth ${depthOf(root)}`);
    assert.ok(root.textContent?.includes('b'), 'the innermost text is still there');
  });
});
