// The panel's Markdown renderer (markdown-it's tokens built into DOM nodes,
// webview/src/markdown/), through the panel: Markdown in, the DOM it builds
// out. Closer to the spec: test/unit/webview/markdownCommonMark.test.ts.
import assert from 'node:assert/strict';
import { DESTINATIONS, PARAMS, TEMPLATES, makePreview } from './fixtures.mjs';

/** Renders `markdown` in the panel (a new init each time) and returns the preview body's HTML, tidied. */
async function rendered(t, panel, markdown, n) {
  const preview = makePreview({ lines: markdown.split('\n'), filename: `case-${n}.md` });
  const { protocol } = t.sources;
  await panel.send({
    type: 'init',
    revision: 0,
    phase: { kind: 'review' },
    preview: protocol.toPanelPreview(preview),
    templates: TEMPLATES.map(protocol.toPanelTemplate),
    destinations: DESTINATIONS.map(protocol.toPanelDestination),
    fields: protocol.fieldsFrom(PARAMS, preview),
  });
  await panel.page.locator('#title-filename', { hasText: `case-${n}.md` }).waitFor();
  const html = await panel.page.locator('#preview-body article').evaluate((el) => el.innerHTML);
  return html.replace(/ title="[^"]*"| rel="[^"]*"/g, '');
}

const CASES = [
  ['ATX headings, closing hashes dropped', '## Title ##\n###### six', '<h2>Title</h2><h6>six</h6>'],
  ['setext headings', 'Big\n===\nSmall\n---', '<h1>Big</h1><h2>Small</h2>'],
  ['emphasis, strong, strike, code', 'a *b* __c__ ~~d~~ `e*f*`', '<p>a <em>b</em> <strong>c</strong> <del>d</del> <code>e*f*</code></p>'],
  ['snake_case is not emphasis', 'call my_var_name now', '<p>call my_var_name now</p>'],
  ['unmatched delimiters stay text', 'a * b ** c _ d', '<p>a * b ** c _ d</p>'],
  ['nested emphasis', '**bold *and italic***', '<p><strong>bold <em>and italic</em></strong></p>'],
  ['backslash escapes', '\\*not em\\* and \\<b>', '<p>*not em* and &lt;b&gt;</p>'],
  ['hard breaks', 'one  \ntwo\\\nthree', '<p>one<br>two<br>three</p>'],
  ['fenced code keeps everything literal', '~~~python\nif a < b: print("*x*")\n~~~', '<pre data-language="python"><code class="language-python">if a &lt; b: print("*x*")\n</code></pre>'],
  ['an unclosed fence runs to the end', '```\ncode\nmore', '<pre><code>code\nmore</code></pre>'],
  ['a hostile fence language is ignored', '```"><script>\nx\n```', '<pre><code>x\n</code></pre>'],
  ['nested lists', '- a\n  - b\n- c', '<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>'],
  ['loose list items are paragraphs', '- a\n\n- b', '<ul><li><p>a</p></li><li><p>b</p></li></ul>'],
  ['task list items', '- [ ] open\n- [x] done', '<ul><li class="task"><span class="task-box" role="img" aria-label="not done">☐</span> open</li><li class="task"><span class="task-box" role="img" aria-label="done">☑</span> done</li></ul>'],
  ['ordered list start', '3. c\n4. d', '<ol start="3"><li>c</li><li>d</li></ol>'],
  ['block quote with a list', '> quote\n> - item', '<blockquote><p>quote</p><ul><li>item</li></ul></blockquote>'],
  ['table with alignment and an escaped pipe', '| a | b |\n|:--|--:|\n| x \\| y | `p\\|q` |', '<div class="table-wrapper"><table><thead><tr><th class="align-left">a</th><th class="align-right">b</th></tr></thead><tbody><tr><td class="align-left">x | y</td><td class="align-right"><code>p|q</code></td></tr></tbody></table></div>'],
  ['links: http(s) only', '[ok](https://a.example/x) [rel](./b.md) <https://c.example>', '<p><a href="https://a.example/x">ok</a> <a class="link-disabled">rel</a> <a href="https://c.example">https://c.example</a></p>'],
  ['bare URLs drop trailing punctuation and unbalanced parens', '(see https://a.example/x_(y)).', '<p>(see <a href="https://a.example/x_(y)">https://a.example/x_(y)</a>).</p>'],
  ['images are named, never loaded', '![chart](https://a.example/c.png)', '<p><a href="https://a.example/c.png" class="md-image">[image: chart]</a></p>'],
  ['raw HTML is text', '<div onclick="x()">hi</div>\n<!-- note -->', '<p>&lt;div onclick="x()"&gt;hi&lt;/div&gt;\n&lt;!-- note --&gt;</p>'],
  ['rules', 'a\n\n***\n\nb', '<p>a</p><hr><p>b</p>'],
  ['indented code', '    x = 1', '<pre><code>x = 1\n</code></pre>'],
  ['entity references', '&copy; &#35; &amp;lt;', '<p>© # &amp;lt;</p>'],
  ['link reference definitions', '[docs][1]\n\n[1]: https://d.example', '<p><a href="https://d.example">docs</a></p>'],
  ['a javascript: link keeps its <a>, without href', '[x](javascript:alert(1))', '<p><a class="link-disabled">x</a></p>'],
];

export const tests = [
  {
    name: 'markdown: renders the constructs exports use, with nothing active',
    fn: async (t) => {
      const failures = [];
      const panel = await t.open();
      await panel.waitForPosted('ready');
      for (const [n, [what, markdown, expected]] of CASES.entries()) {
        const actual = await rendered(t, panel, markdown, n);
        if (actual !== expected) failures.push(`${what}\n      expected ${expected}\n      actual   ${actual}`);
      }
      assert.deepEqual(failures, []);
    },
  },
  {
    name: 'markdown: hostile paragraphs stay fast (timings logged)',
    fn: async (t) => {
      for (const [what, line] of [
        ['unmatched *', '*a '.repeat(60_000)],
        ['unmatched `', '`a '.repeat(60_000)],
        ['unmatched [', '[a '.repeat(60_000)],
        ['deep nesting', '> '.repeat(5_000) + 'x'],
      ]) {
        const panel = await t.open();
        const preview = makePreview({ lines: [line] });
        await panel.setFullContent(preview.content);
        const { protocol } = t.sources;
        await panel.init({ preview: protocol.toPanelPreview(preview), templates: [], destinations: [], fields: protocol.fieldsFrom(PARAMS, preview) });
        const ms = Number(await panel.page.evaluate(() => document.body.dataset.initRenderMs));
        t.log(`${what} (${line.length} characters in one paragraph): ${ms.toFixed(1)} ms`);
        assert.ok(ms < 5000, `${what} took ${ms} ms`);
        if (what === 'deep nesting') assert.equal(await panel.page.locator('#preview-body .md-truncated').count(), 1, 'says where the nesting limit cut the quote');
        await panel.close();
      }
    },
  },
];
