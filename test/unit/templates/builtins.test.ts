import assert from 'node:assert/strict';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import YAML from 'yaml';
import type { Metadata, MetadataValue } from '../../../server/src/model';
import { transform } from '../../../server/src/pipeline/transform';
import { validate } from '../../../server/src/pipeline/validate';
import { createTemplateEngine } from '../../../server/src/templates/engine';
import { stripXmlInvalidChars } from '../../../server/src/templates/serialize';
import { splitFrontMatter } from '../../../server/src/templates/validators';
import { BUILTIN_IDS, assembled, builtin, fixedClock, message, propertyRuns } from './fixtures';

const engine = createTemplateEngine();
const clock = fixedClock();
const sampleText = '**user**: Why <b> & "x"?\n\n**assistant**: Because:\n\n```ts\nconst a = `b`;\n```\n';
const sampleMessages = [
  message({ id: 'm1', role: 'user', surface: 'inputs', content: 'Why <b> & "x"?' }),
  message({ id: 'm2', role: 'assistant', agentId: 'agent-7', content: 'Because:\n\n```ts\nconst a = `b`;\n```' }),
];
const sample = assembled(sampleText, sampleMessages);
const userMetadata: Metadata = { title: 'Escaping: "quotes" & <tags>', author: 'Ada', tags: ['xml', 'yaml'] };

describe('built-in templates', () => {
  for (const id of BUILTIN_IDS) {
    it(`${id} renders the sample and passes validation`, () => {
      const template = builtin(id);
      const formatted = transform(sample, template, userMetadata, clock, engine);
      const result = validate(formatted, template, { maxContentLength: 1_000_000 });
      assert.deepEqual(result.errors, []);
      assert.deepEqual(result.warnings, []);
      assert.equal(formatted.templateId, id);
    });
  }

  it('markdown: title heading, metadata list, raw content', () => {
    const formatted = transform(sample, builtin('markdown'), userMetadata, clock, engine);
    assert.equal(
      formatted.content,
      [
        '# Escaping: "quotes" & <tags>',
        '',
        '- **Author:** Ada',
        '- **Exported:** 2024-05-01 12:30 UTC',
        '- **Source:** chat_messages session s1 (2 messages, ~19 tokens)',
        '- **Tags:** xml, yaml',
        '',
        sampleText,
      ].join('\n'),
    );
  });

  it('markdown: leaves optional lines out when author and tags are missing', () => {
    const formatted = transform(sample, builtin('markdown'), { title: 'T' }, clock, engine);
    assert.doesNotMatch(formatted.content, /Author|Tags/);
  });

  it('yaml-markdown: front matter with every metadata field, then the document', () => {
    const formatted = transform(sample, builtin('yaml-markdown'), userMetadata, clock, engine);
    assert.ok(formatted.content.startsWith('---\nsession_id: s1\n'));
    const split = splitFrontMatter(formatted.content);
    assert.equal(split.kind, 'ok');
    if (split.kind !== 'ok') return;
    assert.deepEqual(YAML.parse(split.yaml), formatted.metadata);
    assert.equal(split.body, `\n# Escaping: "quotes" & <tags>\n\n${sampleText}`);
  });

  it('skill: name slug and description front matter, three sections', () => {
    const formatted = transform(sample, builtin('skill'), { ...userMetadata, description: 'Use when <b>escaping</b> XML.' }, clock, engine);
    const split = splitFrontMatter(formatted.content);
    assert.equal(split.kind, 'ok');
    if (split.kind !== 'ok') return;
    assert.deepEqual(YAML.parse(split.yaml), { name: 'escaping-quotes-tags', description: 'Use when escaping XML.' });
    const headings = split.body.split('\n').filter((line) => line.startsWith('#'));
    assert.deepEqual(headings, ['# Escaping: "quotes" & <tags>', '## Description', '## Instructions', '## Metadata']);
  });

  it('skill: name ≤ 64 lowercase-hyphen characters and description ≤ 1024, whatever the title', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 3000 }), (title, description) => {
        const formatted = transform(sample, builtin('skill'), { title: title.trim() === '' ? 'x' : title, description }, clock, engine);
        const split = splitFrontMatter(formatted.content);
        assert.equal(split.kind, 'ok');
        if (split.kind !== 'ok') return;
        const front = YAML.parse(split.yaml) as { name: string; description: string };
        assert.match(front.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
        assert.ok(front.name.length <= 64);
        assert.ok(front.description.length > 0 && front.description.length <= 1024);
      }),
      propertyRuns(60),
    );
  });

  it('xml: declaration, root, escaped metadata, messages and content', () => {
    const formatted = transform(sample, builtin('xml'), userMetadata, clock, engine);
    assert.ok(formatted.content.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<devguide-export template="xml">\n  <metadata>\n'));
    assert.equal(XMLValidator.validate(formatted.content), true);
    assert.match(formatted.content, /<field name="title">Escaping: &quot;quotes&quot; &amp; &lt;tags&gt;<\/field>/);
    assert.match(formatted.content, /<message id="m2" role="assistant" surface="outputs" created_at="[^"]+" agent_id="agent-7">Because:/);
    assert.match(formatted.content, /<content>\*\*user\*\*: Why &lt;b&gt; &amp; &quot;x&quot;\?/);
  });
});

// ---- property tests ---------------------------------------------------------

const tricky = fc.constantFrom(
  '---', '...', '"', "'", ': ', '- x', '? ', '*a', '&b', '!c', '#', '%', '@', '`', '|', '>', '{', '}', '[', ']', ',',
  'yes', 'No', 'null', '~', '0777', '0x1F', '1e3', '.5', '2024-01-01', '2024-01-01T00:00:00Z', '<<',
  '\n', '\r\n', '\r', '\t', ' ', '\u00a0', '\u2028', '\u0085', '\ufeff', 'é', '😀', '<x>', '&amp;', ']]>',
);
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.array(fc.oneof(tricky, fc.string({ maxLength: 3 })), { maxLength: 6 }).map((parts) => parts.join('')),
);
const anyKey = fc.oneof(anyString, fc.constantFrom('my key', '1st', '<x>', '', 'title', 'exported_at', '__proto__', 'a.b', '- k', '? q'));
const scalarValue: fc.Arbitrary<MetadataValue> = fc.oneof(
  anyString,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  fc.boolean(),
  fc.constant(null),
);
const metadataValue: fc.Arbitrary<MetadataValue> = fc.oneof(
  { weight: 4, arbitrary: scalarValue },
  { weight: 1, arbitrary: fc.array(scalarValue, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(anyKey, scalarValue, { maxKeys: 3, noNullPrototype: true }) },
);
const userMetadataArb: fc.Arbitrary<Metadata> = fc
  .tuple(anyString, fc.dictionary(anyKey, metadataValue, { maxKeys: 6, noNullPrototype: true }))
  .map(([title, rest]) => {
    const metadata: Metadata = {};
    for (const [key, value] of Object.entries(rest)) Object.defineProperty(metadata, key, { value, enumerable: true, writable: true, configurable: true });
    if (!Object.hasOwn(metadata, 'title')) metadata['title'] = title;
    return metadata;
  });

describe('built-in templates: properties', () => {
  it('yaml-markdown: any metadata reads back from the front matter unchanged', () => {
    const template = builtin('yaml-markdown');
    fc.assert(
      fc.property(userMetadataArb, (metadata) => {
        const formatted = transform(sample, template, metadata, clock, engine);
        const split = splitFrontMatter(formatted.content);
        assert.equal(split.kind, 'ok', formatted.content);
        if (split.kind !== 'ok') return;
        assert.deepStrictEqual(YAML.parse(split.yaml), formatted.metadata);
        assert.ok(split.body.startsWith('\n# '));
      }),
      propertyRuns(300),
    );
  });

  it('xml: any content and metadata give well-formed XML that round-trips (after removing characters XML forbids)', () => {
    const template = builtin('xml');
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      processEntities: true,
      htmlEntities: true,
      isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
    });
    fc.assert(
      fc.property(anyString, userMetadataArb, anyString, (content, metadata, messageId) => {
        const input = assembled(content, [message({ id: messageId, content })]);
        const formatted = transform(input, template, metadata, clock, engine);
        assert.equal(XMLValidator.validate(formatted.content), true, formatted.content);

        const root = firstOf(parser.parse(formatted.content)['devguide-export']);
        assert.equal(textOf(firstOf(root['content'])), stripXmlInvalidChars(content));
        const messageElement = firstOf(firstOf(root['messages'])['message']);
        assert.equal(messageElement['@_id'], stripXmlInvalidChars(messageId));
        assert.equal(textOf(messageElement), stripXmlInvalidChars(content));
        const fields = asArray(firstOf(root['metadata'])['field']);
        assert.deepStrictEqual(fields.map(decodeField), Object.entries(formatted.metadata).map(([k, v]) => [stripXmlInvalidChars(k), expectedXmlValue(v)]));
      }),
      propertyRuns(300),
    );
  });
});

// ---- XML decoding helpers for the property ------------------------------------

type XmlElement = Record<string, unknown>;

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function firstOf(value: unknown): XmlElement {
  const first = asArray(value)[0];
  return typeof first === 'object' && first !== null ? (first as XmlElement) : { '#text': first ?? '' };
}

function textOf(element: XmlElement): string {
  const text = element['#text'];
  return typeof text === 'string' ? text : '';
}

type Decoded = [string, unknown];

function decodeValue(element: XmlElement): unknown {
  switch (element['@_type']) {
    case 'null':
      return null;
    case 'array':
      return asArray(element['item']).map((item) => decodeValue(firstOf(item)));
    case 'object':
      return asArray(element['field']).map(decodeField);
    case 'number':
      return Number(textOf(element));
    case 'boolean':
      return textOf(element) === 'true';
    default:
      return textOf(element);
  }
}

function decodeField(field: unknown): Decoded {
  const element = firstOf(field);
  return [String(element['@_name'] ?? ''), decodeValue(element)];
}

/** What XML can carry of a metadata value: strings without forbidden characters; objects as entry lists. */
function expectedXmlValue(value: MetadataValue): unknown {
  if (typeof value === 'string') return stripXmlInvalidChars(value);
  if (Array.isArray(value)) return value.map(expectedXmlValue);
  if (value !== null && typeof value === 'object') return Object.entries(value).map(([k, v]) => [stripXmlInvalidChars(k), expectedXmlValue(v)]);
  return value;
}
