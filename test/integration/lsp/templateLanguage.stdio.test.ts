import { strict as assert } from 'node:assert';
import type { Diagnostic, MarkupContent } from 'vscode-languageserver-protocol';
import { type LspTestClient, type TempWorkspace, messageOf, startBuiltServer, tempWorkspace } from './lspClient';

/**
 * The template language features through the built server
 * (`node dist/server.js --stdio`), as the extension uses them.
 */

const BAD_TEMPLATE = [
  '---',
  'name: Bad',
  'output: html',
  '---',
  '# {{oneLine metadata.title}}',
  '{{#each messages}}',
  '- {{role}}',
  '',
].join('\n');

const UNKNOWN_HELPER_TEMPLATE = [
  '---',
  'name: Bad',
  'output: markdown',
  '---',
  '# {{oneLine metadata.title}}',
  '{{#each messages}}',
  '- {{shout role}}',
  '{{/each}}',
  '',
].join('\n');

const FIXED_TEMPLATE = [
  '---',
  'name: Fixed',
  'output: markdown',
  '---',
  '# {{oneLine metadata.title}}',
  '{{#each messages}}',
  '- {{role}}: {{truncate content 80}}',
  '{{/each}}',
  '',
].join('\n');

const MALFORMED_XML_TEMPLATE = [
  '---',
  'name: Broken XML',
  'output: xml',
  '---',
  '<doc>',
  '  <title>{{metadata.title}}</title>',
  '  <open>',
  '</doc>',
  '',
].join('\n');

const TWO_ROOTS_XML_TEMPLATE = [
  '---',
  'name: Two roots',
  'output: xml',
  '---',
  '<doc>',
  '  <title>{{metadata.title}}</title>',
  '</doc>',
  '<second-root/>',
  '',
].join('\n');

function codesAt(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);
}

describe('template language features over stdio (dist/server.js)', function () {
  this.timeout(30_000);
  let workspace: TempWorkspace;
  let client: LspTestClient;

  before(async () => {
    workspace = await tempWorkspace();
    client = startBuiltServer();
    const result = await client.initialize(workspace.uri);
    assert.equal(result.capabilities.hoverProvider, true);
    assert.ok(result.capabilities.completionProvider?.triggerCharacters?.includes('{'));
  });

  after(async () => {
    await client?.shutdown();
    await workspace?.cleanup();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(`server log:\n${client.serverLog.join('\n')}`);
  });

  it('reports header and syntax errors of a broken template with codes at their positions, then clears them when fixed and on close', async () => {
    const uri = await workspace.write('.devguide/templates/bad.hbs', BAD_TEMPLATE);
    await client.open(uri, BAD_TEMPLATE);
    const broken = await client.waitForDiagnostics(uri, (p) => p.version === 1);
    assert.deepEqual(codesAt(broken.diagnostics), ['HEADER_UNKNOWN_OUTPUT@2:8-2:12', 'HBS_UNCLOSED_BLOCK@5:3-5:7']);
    assert.ok(broken.diagnostics.every((d) => d.source === 'devguide-export' && d.severity === 1));

    const v2 = await client.replace(uri, UNKNOWN_HELPER_TEMPLATE);
    const unknownHelper = await client.waitForDiagnostics(uri, (p) => p.version === v2);
    assert.deepEqual(codesAt(unknownHelper.diagnostics), ['HBS_UNKNOWN_HELPER@6:4-6:9']);
    assert.match(messageOf(unknownHelper.diagnostics[0]), /Unknown helper "shout"/);

    const v3 = await client.replace(uri, FIXED_TEMPLATE);
    const fixed = await client.waitForDiagnostics(uri, (p) => p.version === v3);
    assert.deepEqual(fixed.diagnostics, []);

    const beforeClose = client.published.length;
    await client.close(uri);
    const closed = await client.waitForDiagnostics(uri, () => true, { sinceIndex: beforeClose });
    assert.deepEqual(closed.diagnostics, []);
    assert.equal(closed.version, undefined);
  });

  it('applies incremental edits: a typo typed into the fixed template is reported at its new position', async () => {
    const uri = await workspace.write('.devguide/templates/edited.hbs', FIXED_TEMPLATE);
    await client.open(uri, FIXED_TEMPLATE);
    await client.waitForDiagnostics(uri, (p) => p.version === 1);
    // "{{role}}" → "{{rolee}}" on line 6.
    const version = await client.edit(uri, { start: { line: 6, character: 7 }, end: { line: 6, character: 7 } }, 'e');
    const published = await client.waitForDiagnostics(uri, (p) => p.version === version);
    assert.deepEqual(codesAt(published.diagnostics), ['HBS_UNKNOWN_VARIABLE@6:4-6:9']);
    await client.close(uri);
  });

  it('reports an xml template whose sample render is not well-formed', async () => {
    const uri = await workspace.write('.devguide/templates/broken-xml.hbs', MALFORMED_XML_TEMPLATE);
    await client.open(uri, MALFORMED_XML_TEMPLATE);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'SAMPLE_OUTPUT_INVALID'));
    const [diagnostic] = published.diagnostics;
    assert.equal(diagnostic?.code, 'SAMPLE_OUTPUT_INVALID');
    assert.equal(diagnostic?.severity, 1);
    assert.deepEqual(diagnostic?.range.start, { line: 4, character: 0 }); // the first body line
    assert.match(messageOf(diagnostic), /not well-formed.*XML_MALFORMED/);
    await client.close(uri);
  });

  it('reports an xml template whose sample render has two root elements', async () => {
    const uri = await workspace.write('.devguide/templates/two-roots.hbs', TWO_ROOTS_XML_TEMPLATE);
    await client.open(uri, TWO_ROOTS_XML_TEMPLATE);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'SAMPLE_OUTPUT_INVALID'));
    assert.deepEqual(codesAt(published.diagnostics), ['SAMPLE_OUTPUT_INVALID@4:0-4:5']);
    assert.match(messageOf(published.diagnostics[0]), /line 4, column 1\): a second root element <second-root>/);
    await client.close(uri);
  });

  it('gives no diagnostics to .hbs files outside the template folders', async () => {
    const other = await workspace.write('notes/other.hbs', BAD_TEMPLATE);
    const template = await workspace.write('.devguide/templates/probe.hbs', BAD_TEMPLATE);
    await client.open(other, BAD_TEMPLATE);
    await client.open(template, BAD_TEMPLATE);
    // Messages are handled in order: once the later template is answered, the first had its chance.
    await client.waitForDiagnostics(template, (p) => p.version === 1);
    assert.equal(client.published.filter((p) => p.uri === other).length, 0);
    await client.close(other);
    await client.close(template);
  });

  it('completes helpers and variables after "{{"', async () => {
    const text = '---\nname: Completion\n---\n# {{\n';
    const uri = await workspace.write('.devguide/templates/complete.hbs', text);
    await client.open(uri, text);
    const items = await client.completion(uri, { line: 3, character: 4 });
    const labels = items.map((i) => i.label);
    for (const expected of ['oneLine', 'join', 'date', 'content', 'messages', 'metadata', 'metadata.title', 'stats']) {
      assert.ok(labels.includes(expected), `missing ${expected} in ${labels.join(', ')}`);
    }
    assert.ok(!labels.includes('each'), 'block helpers need {{#');
    const join = items.find((i) => i.label === 'join');
    assert.match((join?.documentation as MarkupContent | undefined)?.value ?? '', /Joins an array/);
    await client.close(uri);
  });

  it('completes header keys and output kinds in the front matter', async () => {
    const text = '---\nname: Header\noutput: \n\n---\nbody\n';
    const uri = await workspace.write('.devguide/templates/header.hbs', text);
    await client.open(uri, text);
    const outputs = await client.completion(uri, { line: 2, character: 8 });
    assert.deepEqual(outputs.map((i) => i.label), ['markdown', 'yaml-frontmatter', 'xml', 'text']);
    const keys = (await client.completion(uri, { line: 3, character: 0 })).map((i) => i.label);
    assert.ok(keys.includes('required_sections') && keys.includes('extension'));
    assert.ok(!keys.includes('name'), 'keys already present are not offered again');
    await client.close(uri);
  });

  it('hovers a helper with its documentation, and a header key', async () => {
    const text = '---\nname: Hover\noutput: markdown\n---\n- {{join metadata.tags ", "}}\n';
    const uri = await workspace.write('.devguide/templates/hover.hbs', text);
    await client.open(uri, text);
    const helper = await client.hover(uri, { line: 4, character: 5 });
    const helperDoc = (helper?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(helperDoc, /\*\*join\*\*/);
    assert.match(helperDoc, /Joins an array with a separator/);
    assert.deepEqual(helper?.range, { start: { line: 4, character: 4 }, end: { line: 4, character: 8 } });

    const key = await client.hover(uri, { line: 2, character: 2 });
    assert.match((key?.contents as MarkupContent | undefined)?.value ?? '', /Output kind/);
    await client.close(uri);
  });
});
