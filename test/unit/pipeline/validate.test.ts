import assert from 'node:assert/strict';
import { ExportError } from '../../../server/src/errors';
import type { FormattedContent, Metadata, OutputKind } from '../../../server/src/model';
import { assertValid, cleanContent, isIsoUtc, validate, validationError } from '../../../server/src/pipeline/validate';
import { inlineTemplate } from '../templates/fixtures';

const goodMetadata: Metadata = { title: 'T', exported_at: '2024-05-01T12:30:00.000Z' };

function formatted(content: string, output: OutputKind = 'markdown', metadata: Metadata = goodMetadata): FormattedContent {
  return { templateId: 'test', output, extension: '.md', content, metadata };
}

const limits = { maxContentLength: 1000 };

describe('pipeline: validate', () => {
  it('passes good Markdown and returns the cleaned content', () => {
    const result = validate(formatted('# T\n\ncafe\u0301\u0000!\n'), inlineTemplate('x'), limits);
    assert.equal(result.valid, true);
    assert.equal(result.content, '# T\n\ncafé!\n');
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings.map((w) => w.code), ['CONTENT_CLEANED']);
  });

  it('warns CONTENT_CLEANED when the source had invalid UTF-8 (read as U+FFFD) rather than passing it silently (issue 11 item 15)', () => {
    const result = validate(formatted('# T\n\nna\ufffdve and caf\ufffd\n'), inlineTemplate('x'), limits);
    assert.equal(result.valid, true);
    const warning = result.warnings.find((w) => w.code === 'CONTENT_CLEANED');
    assert.ok(warning, JSON.stringify(result.warnings));
    assert.match(warning.message, /2 character\(s\) of the source were not valid UTF-8/);
  });

  it('collects every error at once', () => {
    const template = inlineTemplate('x', 'name: T\noutput: markdown\nrequired_fields: [owner]\nrequired_sections: [Description, Instructions]');
    const result = validate(formatted(`## Description\n${'x'.repeat(1200)}`, 'markdown', { exported_at: 'May 1st' }), template, limits);
    assert.equal(result.valid, false);
    assert.deepEqual(
      result.errors.map((e) => [e.code, e.field]),
      [
        ['CONTENT_TOO_LARGE', 'content'],
        ['SCHEMA_INVALID', 'title'],
        ['SCHEMA_INVALID', 'owner'],
        ['SCHEMA_INVALID', 'exported_at'],
        ['SECTION_MISSING', 'Instructions'],
      ],
    );
  });

  it('treats empty values as missing required fields', () => {
    const result = validate(formatted('x', 'markdown', { title: '  ', exported_at: '2024-05-01T12:30:00Z', tags: [] }), inlineTemplate('x', 'name: T\nrequired_fields: [tags]'), limits);
    assert.deepEqual(result.errors.map((e) => e.field), ['title', 'tags']);
  });

  it('checks exported_at is a real ISO 8601 UTC time', () => {
    assert.equal(isIsoUtc('2024-05-01T12:30:00Z'), true);
    assert.equal(isIsoUtc('2024-05-01T12:30:00.123456Z'), true);
    assert.equal(isIsoUtc('2024-02-30T12:30:00Z'), false);
    assert.equal(isIsoUtc('2024-05-01T24:00:00Z'), false);
    assert.equal(isIsoUtc('2024-05-01T12:30:00+00:00'), false);
    assert.equal(isIsoUtc('2024-05-01T12:30:00.000+00:00Z'), false);
    assert.equal(isIsoUtc('2024-05-01'), false);
    assert.equal(isIsoUtc(1714566600000), false);
  });

  it('warns (only) on empty Markdown', () => {
    const result = validate(formatted(' \n'), inlineTemplate('x'), limits);
    assert.equal(result.valid, true);
    assert.deepEqual(result.warnings.map((w) => w.code), ['CONTENT_EMPTY']);
  });

  describe('yaml-frontmatter', () => {
    const template = inlineTemplate('x', 'name: T\noutput: yaml-frontmatter\nrequired_fields: [owner]');
    const metadata = { ...goodMetadata, owner: 'me' };

    it('accepts front matter holding the required fields', () => {
      const result = validate(formatted('---\ntitle: T\nexported_at: "2024-05-01T12:30:00.000Z"\nowner: me\n---\n\n# T\n', 'yaml-frontmatter', metadata), template, limits);
      assert.deepEqual(result.errors, []);
    });

    it('requires the output to start with ---', () => {
      const result = validate(formatted('# T\n---\ntitle: T\n---\n', 'yaml-frontmatter', metadata), template, limits);
      assert.deepEqual(result.errors.map((e) => e.code), ['FRONTMATTER_MISSING']);
    });

    it('reports unterminated, unparsable and non-mapping front matter', () => {
      assert.deepEqual(validate(formatted('---\ntitle: T\n', 'yaml-frontmatter', metadata), template, limits).errors.map((e) => e.code), ['FRONTMATTER_INVALID']);
      assert.deepEqual(validate(formatted('---\ntitle: [T\n---\nx', 'yaml-frontmatter', metadata), template, limits).errors.map((e) => e.code), ['FRONTMATTER_INVALID']);
      assert.deepEqual(validate(formatted('---\n- a\n---\nx', 'yaml-frontmatter', metadata), template, limits).errors.map((e) => e.code), ['FRONTMATTER_INVALID']);
    });

    it('lists every field the front matter lacks', () => {
      const result = validate(formatted('---\ntitle: T\n---\nbody', 'yaml-frontmatter', metadata), template, limits);
      assert.deepEqual(result.errors.map((e) => [e.code, e.field]), [
        ['SCHEMA_INVALID', 'exported_at'],
        ['SCHEMA_INVALID', 'owner'],
      ]);
    });

    it('uses frontmatter_fields when the template gives them', () => {
      const skillLike = inlineTemplate('x', 'name: S\noutput: yaml-frontmatter\nfrontmatter_fields: [name, description]');
      const ok = validate(formatted('---\nname: a\ndescription: b\n---\nbody', 'yaml-frontmatter'), skillLike, limits);
      assert.deepEqual(ok.errors, []);
      const missing = validate(formatted('---\nname: a\n---\nbody', 'yaml-frontmatter'), skillLike, limits);
      assert.deepEqual(missing.errors.map((e) => e.field), ['description']);
    });

    it('warns when nothing follows the front matter', () => {
      const result = validate(formatted('---\ntitle: T\nexported_at: x\nowner: y\n---\n', 'yaml-frontmatter', metadata), template, limits);
      assert.deepEqual(result.warnings.map((w) => w.code), ['CONTENT_EMPTY']);
    });
  });

  describe('xml', () => {
    const template = inlineTemplate('x', 'name: X\noutput: xml');

    it('accepts well-formed XML', () => {
      assert.deepEqual(validate(formatted('<?xml version="1.0"?>\n<a b="1">&amp;</a>\n', 'xml'), template, limits).errors, []);
    });

    it('reports malformed XML with its position', () => {
      const result = validate(formatted('<a>\n<b></a>', 'xml'), template, limits);
      assert.equal(result.errors.length, 1);
      assert.equal(result.errors[0]?.code, 'XML_MALFORMED');
      assert.match(result.errors[0]?.message ?? '', /line 2/);
    });

    it('reports output with a second root element, so the export is not written', () => {
      const result = validate(formatted('<doc>one</doc><second-root/>\n', 'xml'), template, limits);
      assert.equal(result.valid, false);
      assert.deepEqual(result.errors.map((e) => e.code), ['XML_MALFORMED']);
      assert.match(result.errors[0]?.message ?? '', /second root element <second-root>/);
    });

    it('reports characters XML 1.0 forbids', () => {
      const result = validate(formatted('<a>\u0001</a>', 'xml'), template, limits);
      assert.deepEqual(result.errors.map((e) => e.code), ['XML_MALFORMED']);
      assert.match(result.errors[0]?.message ?? '', /U\+0001/);
    });
  });

  describe('required sections', () => {
    const template = inlineTemplate('x', 'name: T\nrequired_sections: [Description, Instructions, Metadata]');

    it('finds ATX and setext headings, case-insensitively', () => {
      const result = validate(formatted('## description\n\nInstructions\n------------\n\n### Metadata ###\n'), template, limits);
      assert.deepEqual(result.errors, []);
    });

    it('ignores headings inside fenced code', () => {
      const result = validate(formatted('## Description\n```md\n## Instructions\n```\n~~~\n# Metadata\n~~~\n'), template, limits);
      assert.deepEqual(result.errors.map((e) => e.field), ['Instructions', 'Metadata']);
    });
  });

  describe('errors for callers', () => {
    it('throws VALIDATION_FAILED listing every error', () => {
      const result = validate(formatted('x', 'markdown', {}), inlineTemplate('x'), limits);
      try {
        assertValid(result);
        assert.fail('should throw');
      } catch (error) {
        assert.ok(error instanceof ExportError);
        assert.equal(error.code, 'VALIDATION_FAILED');
        assert.equal(error.recoverable, false);
        assert.match(error.message, /"title" is required.*"exported_at" is required/);
        assert.equal((error.details?.['errors'] as unknown[]).length, 2);
      }
    });

    it('uses CONTENT_TOO_LARGE when size is the only problem', () => {
      const result = validate(formatted('x'.repeat(2000)), inlineTemplate('x'), limits);
      const error = validationError(result);
      assert.equal(error.code, 'CONTENT_TOO_LARGE');
      assert.match(error.message, /2,000 characters; the limit is 1,000/);
    });

    it('does not throw for a valid result', () => {
      assertValid(validate(formatted('# T\n'), inlineTemplate('x'), limits));
    });
  });

  it('cleanContent counts removed NUL characters', () => {
    assert.deepEqual(cleanContent('a\u0000b\u0000'), { content: 'ab', removedNul: 2 });
    assert.deepEqual(cleanContent('A\u030A'), { content: '\u00C5', removedNul: 0 });
  });
});
