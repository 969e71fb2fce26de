import assert from 'node:assert/strict';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import YAML from 'yaml';
import { knownVariables } from '../../../server/src/templates/context';
import {
  HELPERS,
  HELPER_DOCS,
  Markup,
  blockquoteText,
  fenceCode,
  formatDate,
  knownHelpersOption,
  slugify,
  truncateText,
} from '../../../server/src/templates/helpers';
import { escapeXmlAttr, escapeXmlText, metadataToXml, stripXmlInvalidChars, toYaml } from '../../../server/src/templates/serialize';
import { markdownHeadings } from '../../../server/src/templates/validators';
import { propertyRuns } from './fixtures';

function helper(name: string): (args: unknown[], hash?: Record<string, unknown>) => unknown {
  const spec = HELPERS.find((h) => h.name === name);
  assert.ok(spec, name);
  return (args, hash = {}) => spec.run(args, hash);
}

const attrParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, processEntities: true, htmlEntities: true });
const textParser = new XMLParser({ parseTagValue: false, trimValues: false, processEntities: true, htmlEntities: true });

describe('helpers: documentation', () => {
  it('documents every helper with a description and an example', () => {
    assert.ok(HELPER_DOCS.length >= 20);
    for (const doc of HELPER_DOCS) {
      assert.ok(doc.description.length > 10, doc.name);
      assert.ok(doc.example.includes(doc.name), `${doc.name}: ${doc.example}`);
    }
    const names = HELPER_DOCS.map((d) => d.name);
    for (const required of ['yaml', 'json', 'xml', 'xmlMetadata', 'date', 'slug', 'upper', 'lower', 'join', 'truncate', 'eq', 'default', 'blockquote', 'codeFence', 'if', 'each', 'with', 'lookup', 'unless']) {
      assert.ok(names.includes(required), required);
    }
    assert.equal(knownHelpersOption()['log'], false);
  });

  it('documents the known variables', () => {
    const paths = knownVariables().map((v) => v.path);
    for (const path of ['content', 'messages', 'messages.[].role', 'messages.[].blocks.[].kind', 'blocks.[].message_id', 'metadata.title', 'metadata.exported_at', 'stats.token_count', 'template.output']) {
      assert.ok(paths.includes(path), path);
    }
  });
});

describe('helpers: behaviour', () => {
  it('plural says "1 message", never "1 messages" (issue 10 item 17)', () => {
    assert.equal(helper('plural')([1, 'message']), '1 message');
    assert.equal(helper('plural')([0, 'message']), '0 messages');
    assert.equal(helper('plural')([1200, 'block']), '1,200 blocks');
    assert.equal(helper('plural')([2, 'entry'], { plural: 'entries' }), '2 entries');
  });

  it('yaml and json serialise values', () => {
    assert.equal(helper('yaml')([{ a: 'b: c', count: 1 }]), 'a: "b: c"\ncount: 1\n');
    assert.equal(helper('json')([{ a: 1 }], { indent: 0 }), '{"a":1}');
    assert.equal(helper('json')([{ a: 1 }]), '{\n  "a": 1\n}');
  });

  it('yaml quotes strings other YAML readers would retype', () => {
    assert.equal(toYaml({ a: 'yes', b: '2024-01-01', c: 'on', d: '0777' }), 'a: "yes"\nb: "2024-01-01"\nc: "on"\nd: "0777"\n');
  });

  it('xml escapes text and returns markup; xmlAttr also escapes whitespace', () => {
    const escaped = helper('xml')([`a<b>&"'\r`]);
    assert.ok(escaped instanceof Markup);
    assert.equal(String(escaped), 'a&lt;b&gt;&amp;&quot;&apos;&#xD;');
    assert.equal(String(helper('xml')([escaped])), String(escaped), 'markup is not escaped twice');
    assert.equal(String(helper('xmlAttr')(['a\tb\nc'])), 'a&#x9;b&#xA;c');
    assert.equal(String(helper('xml')([null])), '');
    assert.equal(String(helper('xml')([42])), '42');
  });

  it('xmlMetadata writes any keys as attributes, nested values as elements', () => {
    const xml = metadataToXml({ 'my key': 'v', '1st': 1, '<x>': true, '': null, tags: ['a', 'b'], nested: { k: [] }, empty: {} });
    assert.equal(
      xml,
      [
        '<field name="my key">v</field>',
        '<field name="1st" type="number">1</field>',
        '<field name="&lt;x&gt;" type="boolean">true</field>',
        '<field name="" type="null"/>',
        '<field name="tags" type="array">',
        '  <item>a</item>',
        '  <item>b</item>',
        '</field>',
        '<field name="nested" type="object">',
        '  <field name="k" type="array"/>',
        '</field>',
        '<field name="empty" type="object"/>',
      ].join('\n'),
    );
    assert.equal(XMLValidator.validate(`<m>${xml}</m>`), true);
    assert.equal(String(helper('xmlMetadata')([{ a: 'b' }], { indent: 4 })), '    <field name="a">b</field>');
  });

  it('date formats ISO strings and epoch milliseconds, and leaves other text alone', () => {
    assert.equal(formatDate('2024-05-01T12:30:45.000Z'), '2024-05-01T12:30:45.000Z');
    assert.equal(formatDate('2024-05-01T12:30:45.000Z', 'date'), '2024-05-01');
    assert.equal(formatDate(0, 'datetime'), '1970-01-01 00:00 UTC');
    assert.equal(formatDate('not a date'), 'not a date');
    assert.equal(formatDate(undefined), '');
  });

  it('slug makes lowercase-hyphen ids of at most max characters', () => {
    assert.equal(slugify('  Héllo, Wörld! — Ünïcode 2.0 '), 'hello-world-unicode-2-0');
    assert.equal(slugify('a'.repeat(100)).length, 64);
    assert.equal(slugify('one two three', 7), 'one-two');
    assert.equal(helper('slug')(['Hello World'], { max: 5 }), 'hello');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const slug = slugify(text);
        assert.ok(slug.length <= 64);
        assert.match(slug, /^([a-z0-9]+(-[a-z0-9]+)*)?$/);
      }),
      propertyRuns(200),
    );
  });

  it('upper, lower, oneLine, join, stripTags', () => {
    assert.equal(helper('upper')(['abc']), 'ABC');
    assert.equal(helper('lower')(['ABC']), 'abc');
    assert.equal(helper('oneLine')(['  a\n\n b\tc ']), 'a b c');
    assert.equal(helper('join')([['a', 'b', 3]]), 'a, b, 3');
    assert.equal(helper('join')([['a', 'b'], ' | ']), 'a | b');
    assert.equal(helper('join')(['solo']), 'solo');
    assert.equal(helper('stripTags')(['Use <b>bold</b> when a < b']), 'Use bold when a < b');
  });

  it('truncate cuts to the length including the suffix, never inside a surrogate pair', () => {
    assert.equal(truncateText('abcdef', 10), 'abcdef');
    assert.equal(truncateText('abcdef', 4), 'abc…');
    assert.equal(helper('truncate')(['abcdef', 4], { suffix: '' }), 'abcd');
    assert.equal(truncateText('ab😀cd', 4), 'ab…');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), fc.nat(60), (text, max) => {
        const out = truncateText(text, max);
        assert.ok(out.length <= Math.max(max, 0));
        assert.doesNotMatch(out, /[\uD800-\uDBFF]$/);
      }),
      propertyRuns(200),
    );
  });

  it('eq and default', () => {
    assert.equal(helper('eq')(['a', 'a']), true);
    assert.equal(helper('eq')([1, '1']), false);
    assert.equal(helper('default')([undefined, '', [], 'x']), 'x');
    assert.equal(helper('default')([0, 'x']), 0);
    assert.equal(helper('default')([null, undefined]), '');
  });

  it('blockquote prefixes every line', () => {
    assert.equal(blockquoteText('a\n\nb\r\nc'), '> a\n>\n> b\n> c');
  });

  it('codeFence uses a fence longer than any backtick run inside', () => {
    assert.equal(fenceCode('x = 1', 'ts'), '```ts\nx = 1\n```');
    assert.equal(fenceCode('a ```` b\n'), '`````\na ```` b\n`````');
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('`', '``', '```', '````', '\n', '# h', '~~~'), fc.string({ maxLength: 4 })), { maxLength: 12 }), (parts) => {
        const code = parts.join('');
        const fenced = fenceCode(code, 'md');
        const fence = /^`+/.exec(fenced)?.[0] ?? '';
        for (const run of code.match(/`+/g) ?? []) assert.ok(run.length < fence.length);
        assert.ok(fenced.endsWith(`\n${fence}`));
        assert.deepEqual(markdownHeadings(`${fenced}\n`), [], 'nothing inside the fence is a heading');
      }),
      propertyRuns(200),
    );
  });

  it('object builds a value from named arguments, in their order', () => {
    // Handlebars hands the hash over last key first; the helper restores the order.
    assert.deepEqual(Object.keys(helper('object')([], { b: 2, a: 1 }) as object), ['a', 'b']);
  });
});

describe('serialize: properties', () => {
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }));

  it('escaped XML text parses back to the text without forbidden characters', () => {
    fc.assert(
      fc.property(text, (value) => {
        const xml = `<a>${escapeXmlText(value)}</a>`;
        assert.equal(XMLValidator.validate(xml), true);
        const parsed = textParser.parse(xml) as { a?: unknown };
        assert.equal(parsed.a ?? '', stripXmlInvalidChars(value));
      }),
      propertyRuns(300),
    );
  });

  it('escaped XML attributes parse back exactly, whitespace included', () => {
    fc.assert(
      fc.property(text, (value) => {
        const xml = `<a v="${escapeXmlAttr(value)}"/>`;
        assert.equal(XMLValidator.validate(xml), true);
        const parsed = attrParser.parse(xml) as { a: { v: string } };
        assert.equal(parsed.a.v, stripXmlInvalidChars(value));
      }),
      propertyRuns(300),
    );
  });

  it('stripXmlInvalidChars removes only what XML 1.0 forbids', () => {
    assert.equal(stripXmlInvalidChars('a\u0000\u0001\t\n\r\u000b\u001f\u007f😀\ud800\udc00x\udfff\ufffe'), 'a\t\n\r\u007f😀\ud800\udc00x');
  });

  it('YAML of any JSON-like value reads back identically', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assert.deepStrictEqual(YAML.parse(toYaml(value)), JSON.parse(JSON.stringify(value)));
      }),
      propertyRuns(300),
    );
  });
});
