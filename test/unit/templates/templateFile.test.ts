import assert from 'node:assert/strict';
import { ExportError } from '../../../server/src/errors';
import { analyzeTemplateFile, parseTemplateFile } from '../../../server/src/templates/templateFile';
import type { TemplateIssue } from '../../../server/src/templates/types';

const origin = { id: 'spec', builtin: false };

function issuesOf(text: string): TemplateIssue[] {
  return analyzeTemplateFile(text, origin).issues;
}

function only(text: string, code: string): TemplateIssue {
  const found = issuesOf(text).filter((i) => i.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(issuesOf(text), null, 1)}`);
  return found[0] as TemplateIssue;
}

/** The text a range covers, to assert positions without counting by hand. */
function covered(text: string, issue: TemplateIssue): string {
  const lines = text.split('\n');
  const { start, end } = issue.range;
  if (start.line === end.line) return (lines[start.line] ?? '').slice(start.character, end.character);
  return [(lines[start.line] ?? '').slice(start.character), ...lines.slice(start.line + 1, end.line), (lines[end.line] ?? '').slice(0, end.character)].join('\n');
}

describe('template file: parsing', () => {
  it('parses the header into a definition with defaults', () => {
    const text = '---\nname: Technical Spec\ndescription: specs\noutput: markdown\nextension: .md\nrequired_fields: [title, owner]\nrequired_sections: []\n---\n# {{metadata.title}}\n{{{content}}}\n';
    const definition = parseTemplateFile(text, { id: 'spec', path: '/t/spec.hbs', builtin: false });
    assert.equal(definition.id, 'spec');
    assert.equal(definition.path, '/t/spec.hbs');
    assert.equal(definition.name, 'Technical Spec');
    assert.equal(definition.output, 'markdown');
    assert.deepEqual(definition.requiredFields, ['title', 'owner']);
    assert.deepEqual(definition.frontmatterFields, ['title', 'exported_at', 'owner']);
    assert.equal(definition.htmlBound, false);
    assert.equal(definition.bodyStartLine, 8);
    assert.equal(definition.body, '# {{metadata.title}}\n{{{content}}}\n');
    assert.match(definition.hash, /^[0-9a-f]{64}$/);
  });

  it('defaults output to markdown and the extension to the output kind', () => {
    assert.equal(parseTemplateFile('---\nname: A\n---\nx', origin).extension, '.md');
    assert.equal(parseTemplateFile('---\nname: A\noutput: xml\n---\n<a/>', origin).extension, '.xml');
    assert.equal(parseTemplateFile('---\nname: A\noutput: text\n---\nx', origin).extension, '.txt');
  });

  it('accepts CRLF line endings and a byte-order mark', () => {
    const definition = parseTemplateFile('\uFEFF---\r\nname: A\r\n---\r\nbody {{content}}\r\n', origin);
    assert.equal(definition.body, 'body {{content}}\r\n');
    assert.equal(definition.bodyStartLine, 3);
  });

  it('throws TEMPLATE_INVALID with every issue in details', () => {
    try {
      parseTemplateFile('---\nname: A\nbogus: 1\n---\n{{> p}}', origin);
      assert.fail('should throw');
    } catch (error) {
      assert.ok(error instanceof ExportError);
      assert.equal(error.code, 'TEMPLATE_INVALID');
      assert.match(error.message, /line 3:1: Unknown header key "bogus"/);
      const issues = (error.details?.['issues'] ?? []) as TemplateIssue[];
      assert.deepEqual(issues.map((i) => i.code).sort(), ['HBS_PARTIAL_REFUSED', 'HEADER_UNKNOWN_KEY']);
    }
  });
});

describe('template file: header issues and positions', () => {
  it('reports a missing header at line 0', () => {
    const issue = only('# just a body\n', 'HEADER_MISSING');
    assert.deepEqual(issue.range.start, { line: 0, character: 0 });
    assert.equal(issue.severity, 'error');
  });

  it('reports an unterminated header', () => {
    only('---\nname: A\n# body', 'HEADER_UNTERMINATED');
  });

  it('reports YAML syntax errors inside the header, at file positions', () => {
    const text = '---\nname: A\noutput: [markdown\n---\nbody';
    const issue = issuesOf(text).find((i) => i.code === 'HEADER_YAML_SYNTAX');
    assert.ok(issue);
    assert.ok(issue.range.start.line >= 1 && issue.range.start.line <= 3, JSON.stringify(issue.range));
  });

  it('reports duplicate keys as YAML errors on the duplicate', () => {
    const text = '---\nname: A\nname: B\n---\nbody';
    const issue = only(text, 'HEADER_YAML_SYNTAX');
    assert.equal(issue.range.start.line, 2);
  });

  it('reports an unknown key at the key, with a suggestion', () => {
    const text = '---\nname: A\nrequiredFields: [title]\n---\nbody';
    const issue = only(text, 'HEADER_UNKNOWN_KEY');
    assert.deepEqual(issue.range.start, { line: 2, character: 0 });
    assert.equal(covered(text, issue), 'requiredFields');
    assert.match(issue.message, /Did you mean "required_fields"/);
  });

  it('reports a wrong type at the value', () => {
    const text = '---\nname: A\nrequired_fields: title\nhtml_bound: "yes"\n---\nbody';
    const issues = issuesOf(text).filter((i) => i.code === 'HEADER_WRONG_TYPE');
    assert.equal(issues.length, 2);
    assert.equal(covered(text, issues[0] as TemplateIssue), 'title');
    assert.match((issues[0] as TemplateIssue).message, /"required_fields" must be a list of strings/);
    assert.equal(covered(text, issues[1] as TemplateIssue), '"yes"');
    assert.match((issues[1] as TemplateIssue).message, /true or false/);
  });

  it('reports a wrong item type inside a list at the item', () => {
    const text = '---\nname: A\nrequired_sections: [Intro, 42]\n---\nbody';
    const issue = only(text, 'HEADER_WRONG_TYPE');
    assert.equal(covered(text, issue), '42');
    assert.deepEqual(issue.range.start, { line: 2, character: 27 });
  });

  it('reports an unknown output kind at the value', () => {
    const text = '---\nname: A\noutput: html\n---\nbody';
    const issue = only(text, 'HEADER_UNKNOWN_OUTPUT');
    assert.deepEqual(issue.range, { start: { line: 2, character: 8 }, end: { line: 2, character: 12 } });
    assert.match(issue.message, /markdown, yaml-frontmatter, xml, text/);
  });

  it('reports a missing name', () => {
    const issue = only('---\noutput: text\n---\nbody', 'HEADER_MISSING_KEY');
    assert.match(issue.message, /"name"/);
    assert.equal(issue.range.start.line, 0);
  });

  it('reports an invalid extension value', () => {
    const text = '---\nname: A\nextension: md\n---\nbody';
    const issue = only(text, 'HEADER_INVALID_VALUE');
    assert.equal(covered(text, issue), 'md');
  });

  it('reports a header that is not a mapping', () => {
    only('---\n- a\n- b\n---\nbody', 'HEADER_NOT_MAPPING');
  });

  it('reports several header problems at once', () => {
    const codes = issuesOf('---\nname: A\noutput: pdf\nfoo: 1\nhtml_bound: 3\n---\nbody').map((i) => i.code).sort();
    assert.deepEqual(codes, ['HEADER_UNKNOWN_KEY', 'HEADER_UNKNOWN_OUTPUT', 'HEADER_WRONG_TYPE']);
  });
});

describe('template file: body issues and positions', () => {
  const header = '---\nname: A\n---\n'; // body starts at line 3

  it('reports an unknown helper at its name, in whole-file coordinates', () => {
    const text = `${header}# Title\n\nSome {{shout metadata.title}} text`;
    const issue = only(text, 'HBS_UNKNOWN_HELPER');
    assert.equal(issue.severity, 'error');
    assert.deepEqual(issue.range, { start: { line: 5, character: 7 }, end: { line: 5, character: 12 } });
    assert.equal(covered(text, issue), 'shout');
    assert.match(issue.message, /Unknown helper "shout"/);
  });

  it('suggests a close helper name', () => {
    const issue = only(`${header}{{uper metadata.title}}`, 'HBS_UNKNOWN_HELPER');
    assert.match(issue.message, /Did you mean "upper"/);
  });

  it('reports unknown helpers in subexpressions and block helpers', () => {
    const text = `${header}{{#if (isBig stats.token_count)}}x{{/if}}\n{{#repeat 3}}y{{/repeat}}`;
    const issues = issuesOf(text).filter((i) => i.code === 'HBS_UNKNOWN_HELPER');
    assert.deepEqual(issues.map((i) => covered(text, i)), ['isBig', 'repeat']);
  });

  it('refuses partials and decorators with their positions', () => {
    const text = `${header}a\n  {{> footer}}\n{{* deco}}\n{{#> layout}}x{{/layout}}\n{{#*inline "p"}}y{{/inline}}`;
    const issues = issuesOf(text);
    const partials = issues.filter((i) => i.code === 'HBS_PARTIAL_REFUSED');
    const decorators = issues.filter((i) => i.code === 'HBS_DECORATOR_REFUSED');
    assert.equal(partials.length, 2);
    assert.equal(decorators.length, 2);
    assert.deepEqual(partials[0]?.range.start, { line: 4, character: 2 });
    assert.equal(covered(text, partials[0] as TemplateIssue), '{{> footer}}');
    assert.deepEqual(decorators[0]?.range.start, { line: 5, character: 0 });
    assert.ok(issues.every((i) => i.severity === 'error'));
  });

  it('reports a syntax error at the offending token', () => {
    const text = `${header}line one\nline {{ }} two`;
    const issue = only(text, 'HBS_SYNTAX');
    assert.deepEqual(issue.range.start, { line: 4, character: 8 });
    assert.equal(covered(text, issue), '}}');
    assert.match(issue.message, /unexpected "}}"/);
  });

  it('reports an unterminated mustache on its line', () => {
    const text = `${header}ok\n{{metadata.title`;
    const issue = only(text, 'HBS_SYNTAX');
    assert.equal(issue.range.start.line, 4);
  });

  it('reports an unclosed block at its opening tag', () => {
    const text = `${header}intro\n  {{#each messages}}\n{{role}}\n`;
    const issue = only(text, 'HBS_UNCLOSED_BLOCK');
    assert.equal(covered(text, issue), 'each');
    assert.deepEqual(issue.range.start, { line: 4, character: 5 });
    assert.match(issue.message, /never closed/);
  });

  it('reports a block closed by the wrong tag at the opening block', () => {
    const text = `${header}{{#each messages}}\n{{/if}}`;
    const issue = only(text, 'HBS_UNCLOSED_BLOCK');
    assert.equal(issue.range.start.line, 3);
    assert.match(issue.message, /\{\{#each\}\} is closed by \{\{\/if\}\}/);
  });

  it('warns about unknown variables but accepts the known context', () => {
    const text = [
      header.trimEnd(),
      '{{metadata.title}} {{metadata.anything.at.all}} {{content}} {{stats.token_count}} {{template.name}} {{template.output}}',
      '{{#each messages}}{{role}} {{agent_id}} {{created_at}} {{surface}} {{content}} {{this.id}} {{@index}} {{../metadata.title}} {{@root.stats.block_count}}',
      '{{#each blocks}}{{kind}} {{content}} {{id}}{{/each}}{{/each}}',
      '{{#each blocks}}{{message_id}}{{/each}}{{#with stats}}{{message_count}}{{/with}}{{#each messages as |m i|}}{{m.role}}{{i}}{{/each}}',
      '{{messages.length}} {{messages.[0].role}} {{lookup metadata "my key"}} {{#each metadata.tags}}{{this}}{{/each}}',
    ].join('\n');
    assert.deepEqual(issuesOf(text), []);
  });

  it('knows the provenance every block carries, in {{#each blocks}} and in a message\'s blocks', () => {
    const fields = '{{this.role}} {{agent_id}} {{created_at}} {{surface}} {{message_id}} {{this.kind}}';
    const text = `${header}{{#each blocks}}${fields}{{/each}}\n{{#each messages}}{{#each blocks}}${fields}{{/each}}{{/each}}\n`;
    assert.deepEqual(issuesOf(text), []);
  });

  it('warns about unknown variables with their positions and hints', () => {
    const text = `${header}{{titel}}\n{{stats.tokens}}\n{{#each messages}}{{metadata.title}}{{/each}}`;
    const issues = issuesOf(text).filter((i) => i.code === 'HBS_UNKNOWN_VARIABLE');
    assert.equal(issues.length, 3);
    assert.ok(issues.every((i) => i.severity === 'warning'));
    assert.equal(covered(text, issues[0] as TemplateIssue), 'titel');
    assert.match((issues[0] as TemplateIssue).message, /the template context has content, messages, blocks, metadata, stats, template/);
    assert.equal(covered(text, issues[1] as TemplateIssue), 'stats.tokens');
    assert.match((issues[1] as TemplateIssue).message, /"stats" has no field "tokens"/);
    assert.deepEqual((issues[2] as TemplateIssue).range.start, { line: 5, character: 20 });
    assert.match((issues[2] as TemplateIssue).message, /not a field of a message.*@root\.metadata\.title/);
  });

  it('counts ../ over #if correctly (if does not change the context)', () => {
    const text = `${header}{{#each messages}}{{#if content}}{{../metadata.title}}{{/if}}{{/each}}`;
    assert.deepEqual(issuesOf(text), []);
  });

  it('warns about helper misuse without failing', () => {
    const issues = issuesOf(`${header}{{truncate content}} {{#upper content}}x{{/upper}} {{if content}}`);
    assert.deepEqual(issues.map((i) => [i.code, i.severity]), [
      ['HBS_HELPER_USAGE', 'warning'],
      ['HBS_HELPER_USAGE', 'warning'],
      ['HBS_HELPER_USAGE', 'warning'],
    ]);
  });

  it('warns about triple braces in XML templates except for XML helpers', () => {
    const text = '---\nname: X\noutput: xml\n---\n<a>{{{content}}}</a><b>{{{xml content}}}</b>';
    const issue = only(text, 'HBS_UNESCAPED_XML');
    assert.equal(covered(text, issue), '{{{content}}}');
    assert.ok(analyzeTemplateFile(text, origin).definition, 'a warning does not make the template invalid');
  });

  it('analyzes the body even when the header is missing', () => {
    const codes = issuesOf('{{> p}}').map((i) => i.code);
    assert.deepEqual(codes, ['HEADER_MISSING', 'HBS_PARTIAL_REFUSED']);
  });

  it('reports the log helper as unknown (it writes to the console)', () => {
    only(`${header}{{log content}}`, 'HBS_UNKNOWN_HELPER');
  });

  // Handlebars reads `metadata.` before `}}` as `metadata .`: a call of helper "metadata" on `this`.
  for (const [typed, path] of [
    ['{{metadata.}}', 'metadata.'],
    ['x {{metadata. }}', 'metadata.'],
    ['{{#each messages}}{{this.}}{{/each}}', 'this.'],
    ['{{@root.}}', '@root.'],
    ['{{metadata.title.}}', 'metadata.title.'],
    ['{{join metadata. ", "}}', 'metadata.'],
    ['{{#each messages.}}x{{/each}}', 'messages.'],
  ] as const) {
    it(`reports ${typed} as a path missing its field name, not as an unknown helper`, () => {
      const text = `${header}${typed}`;
      const issues = issuesOf(text);
      assert.deepEqual(issues.map((i) => i.code), ['HBS_INCOMPLETE_PATH'], JSON.stringify(issues, null, 1));
      const issue = issues[0] as TemplateIssue;
      assert.equal(issue.severity, 'error');
      assert.equal(covered(text, issue), path);
      assert.match(issue.message, new RegExp(`^Expected a field name after "${path.replace(/[.$]/g, '\\$&')}"`));
    });
  }

  it('still reads a helper applied to `.` (this), written with a space, as a call', () => {
    only(`${header}{{shout .}}`, 'HBS_UNKNOWN_HELPER');
  });
});
