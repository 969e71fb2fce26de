import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAnalyzedTemplate, checkTemplateFiles, checkTemplateText } from '../../../server/src/templates/check';
import { createTemplateEngine } from '../../../server/src/templates/engine';
import { defaultBuiltinTemplatesDir } from '../../../server/src/templates/registry';
import { analyzeTemplateFile } from '../../../server/src/templates/templateFile';
import { BUILTIN_IDS } from './fixtures';

const origin = { id: 'mine', builtin: false };
const engine = createTemplateEngine();

describe('template check (analysis + sample render)', () => {
  it('finds nothing wrong with the built-ins', async () => {
    const results = await checkTemplateFiles(BUILTIN_IDS.map((id) => join(defaultBuiltinTemplatesDir(), `${id}.hbs`)));
    assert.deepEqual(results.map((r) => r.issues), [[], [], [], []]);
  });

  it('reports a required section the body never writes, at the header key', () => {
    const text = '---\nname: Spec\nrequired_sections: [Description, Instructions]\n---\n## Description\n{{{content}}}\n';
    const issues = checkTemplateText(text, origin, engine);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.code, 'SAMPLE_OUTPUT_INVALID');
    assert.equal(issues[0]?.severity, 'error');
    assert.match(issues[0]?.message ?? '', /"Instructions" is missing/);
    assert.deepEqual(issues[0]?.range.start, { line: 2, character: 0 });
  });

  it('reports front matter that does not hold its fields', () => {
    const text = '---\nname: FM\noutput: yaml-frontmatter\n---\n---\n{{{yaml (object title=metadata.title)}}}---\nbody\n';
    const issues = checkTemplateText(text, origin, engine);
    assert.deepEqual(issues.map((i) => i.code), ['SAMPLE_OUTPUT_INVALID']);
    assert.match(issues[0]?.message ?? '', /lacks "exported_at"/);
  });

  it('reports XML that the sample makes malformed', () => {
    const text = '---\nname: X\noutput: xml\n---\n<a>{{{content}}}</a>\n';
    const codes = checkTemplateText(text, origin, engine).map((i) => `${i.code}:${i.severity}`);
    assert.deepEqual(codes, ['HBS_UNESCAPED_XML:warning', 'SAMPLE_OUTPUT_INVALID:error']);
  });

  it('reports XML output with two root elements, which XMLValidator alone lets through', () => {
    const text = '---\nname: Two roots\noutput: xml\n---\n<doc>{{metadata.title}}</doc>\n<second-root/>\n';
    const issues = checkTemplateText(text, origin, engine);
    assert.deepEqual(issues.map((i) => `${i.code}:${i.severity}`), ['SAMPLE_OUTPUT_INVALID:error']);
    assert.match(issues[0]?.message ?? '', /second root element <second-root>.*\[XML_MALFORMED\]/);
  });

  it('reports render failures on the sample', () => {
    const text = '---\nname: R\n---\n{{#each content}}{{/each}}{{with}}\n';
    const issues = checkTemplateText(text, origin, engine);
    assert.ok(issues.some((i) => i.code === 'SAMPLE_RENDER_FAILED' && i.severity === 'error'));
  });

  it('skips the sample render when the file has errors', () => {
    const issues = checkTemplateText('---\nname: A\n---\n{{> p}}', origin, engine);
    assert.deepEqual(issues.map((i) => i.code), ['HBS_PARTIAL_REFUSED']);
  });

  it('checks an analyzed text like checkTemplateText, adding only the sample render to the analysis given', () => {
    const text = '---\nname: Spec\nrequired_sections: [Description, Instructions]\n---\n## Description\n{{{content}}} {{unknownVariable}}\n';
    const analysis = analyzeTemplateFile(text, origin);
    assert.deepEqual(checkAnalyzedTemplate(text, analysis, engine), checkTemplateText(text, origin, engine));
    const codes = checkAnalyzedTemplate(text, { ...analysis, issues: [] }, engine).map((i) => i.code);
    assert.deepEqual(codes, ['SAMPLE_OUTPUT_INVALID']);
    const broken = analyzeTemplateFile('---\nname: A\n---\n{{> p}}', origin);
    assert.equal(checkAnalyzedTemplate('---\nname: A\n---\n{{> p}}', broken, engine), broken.issues);
  });

  it('reads files and reports unreadable ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'devguide-check-'));
    try {
      const good = join(dir, 'good.hbs');
      await writeFile(good, '---\nname: Good\n---\n# {{metadata.title}}\n');
      const results = await checkTemplateFiles([good, join(dir, 'missing.hbs')]);
      assert.deepEqual(results[0], { file: good, issues: [] });
      assert.equal(results[1]?.issues[0]?.code, 'FILE_UNREADABLE');
      assert.match(results[1]?.issues[0]?.message ?? '', /file not found/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
