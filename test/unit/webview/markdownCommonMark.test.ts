import assert from 'node:assert/strict';
import { z } from 'zod';
import { renderMarkdown } from '../../../webview/src/markdown/render';
import { DomEnvironment } from './domEnvironment';

/**
 * Issue 16: the preview renders Markdown the way GitHub and VS Code will.
 * Every CommonMark spec example outside the raw-HTML, autolink and image
 * sections (their HTML is shown as text / images are named on purpose) goes
 * through the panel's renderer and is compared with the spec's HTML by
 * element structure and text: tag names (no attributes: a link keeps its
 * <a> even where the safety rule drops the href), text with whitespace runs
 * collapsed, and no whitespace around block elements.
 */
const EXCLUDED_SECTIONS = new Set(['HTML blocks', 'Raw HTML', 'Autolinks', 'Images']);
const REQUIRED_SHARE = 0.9;

const specSchema = z.object({
  tests: z.array(z.object({ markdown: z.string(), html: z.string(), section: z.string(), number: z.number().int() })),
});
type Example = z.infer<typeof specSchema>['tests'][number];

function specExamples(): Example[] {
  // commonmark-spec is CommonJS without types; its examples are checked on the way in.
  const { tests } = specSchema.parse(require('commonmark-spec'));
  // The spec writes tabs as → so they can be seen.
  return tests.filter((t) => !EXCLUDED_SECTIONS.has(t.section)).map((t) => ({ ...t, markdown: t.markdown.replace(/→/g, '\t'), html: t.html.replace(/→/g, '\t') }));
}

const BLOCK_TAGS = 'p|h[1-6]|ul|ol|li|blockquote|pre|hr|br|table|thead|tbody|tr|th|td|div';
const AROUND_BLOCK = new RegExp(` ?(</?(?:${BLOCK_TAGS})>) ?`, 'g');
const VOID_TAGS = new Set(['br', 'hr', 'img']);

/** `<tag>…</tag>` and escaped text, nothing else: the structure being compared. */
function shapeOf(node: Node): string {
  let out = '';
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === 3) {
      out += (child.textContent ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    } else if (child.nodeType === 1) {
      const tag = (child as Element).tagName.toLowerCase();
      out += VOID_TAGS.has(tag) ? `<${tag}>` : `<${tag}>${shapeOf(child)}</${tag}>`;
    }
  }
  return out;
}

function normalised(shape: string): string {
  return shape.replace(/[ \t\n\r]+/g, ' ').replace(AROUND_BLOCK, '$1').trim();
}

describe('webview markdown: CommonMark spec examples (issue 16)', () => {
  const dom = new DomEnvironment();
  before(() => dom.install());
  after(() => dom.uninstall());

  it(`matches at least ${REQUIRED_SHARE * 100} % of the examples outside raw HTML, autolinks and images`, () => {
    const bySection = new Map<string, { matched: number; total: number; missed: number[] }>();
    let matched = 0;
    const examples = specExamples();
    for (const example of examples) {
      const actual = dom.document.createElement('div');
      actual.appendChild(renderMarkdown(example.markdown, { onLink: () => undefined }));
      const expected = dom.document.createElement('div');
      expected.innerHTML = example.html; // the spec's reference HTML, parsed only to compare (never the renderer's output)
      const ok = normalised(shapeOf(actual)) === normalised(shapeOf(expected));
      const section = bySection.get(example.section) ?? { matched: 0, total: 0, missed: [] };
      section.total += 1;
      if (ok) section.matched += 1;
      else section.missed.push(example.number);
      bySection.set(example.section, section);
      if (ok) matched += 1;
    }
    const lines = [...bySection].map(([name, s]) => `      ${name}: ${s.matched}/${s.total}${s.missed.length ? ` (missed: ${s.missed.join(', ')})` : ''}`);
    console.log(`      ${matched}/${examples.length} examples match (${((100 * matched) / examples.length).toFixed(1)} %)\n${lines.join('\n')}`);
    assert.equal(examples.length, 547, 'the spec examples outside the excluded sections');
    assert.ok(matched / examples.length >= REQUIRED_SHARE, `${matched}/${examples.length} match`);
  });
});
