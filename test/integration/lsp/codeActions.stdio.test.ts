import { strict as assert } from 'node:assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { type LspTestClient, type TempWorkspace, startBuiltServer, tempWorkspace } from './lspClient';

/**
 * Quick fixes through the built server (`node dist/server.js --stdio`): for
 * each kind of problem, the editor asks for code actions at the diagnostic,
 * applies the first one's edit, and the template is then clean.
 */

interface Case {
  name: string;
  code: string;
  before: string;
  /** Title of the action to apply. */
  title: string;
  /** Other titles the diagnostic must offer, if any. */
  alsoOffered?: string[];
  after: string;
}

const HEADER = '---\nname: Fixes\noutput: markdown\n---\n';

const CASES: Case[] = [
  {
    name: 'an unknown helper becomes the closest helper',
    code: 'HBS_UNKNOWN_HELPER',
    before: `${HEADER}# {{uper metadata.title}}\n`,
    title: 'Change to "upper"',
    after: `${HEADER}# {{upper metadata.title}}\n`,
  },
  {
    name: 'an unknown block helper becomes the closest block helper',
    code: 'HBS_UNKNOWN_HELPER',
    before: `${HEADER}{{#eahc messages}}- {{role}}\n{{/eahc}}\n`,
    title: 'Change to "each"',
    after: `${HEADER}{{#each messages}}- {{role}}\n{{/eahc}}\n`,
  },
  {
    name: 'an unknown field becomes the closest field, only the segment that is wrong',
    code: 'HBS_UNKNOWN_VARIABLE',
    before: `${HEADER}# {{stats.tokn_count}} ({{template.nme}})\n`,
    title: 'Change to "token_count"',
    after: `${HEADER}# {{stats.token_count}} ({{template.nme}})\n`,
  },
  {
    name: 'an unknown top-level variable becomes a metadata field of that name',
    code: 'HBS_UNKNOWN_VARIABLE',
    before: `${HEADER}# {{titel}}\n`,
    title: 'Change to "metadata.title"',
    after: `${HEADER}# {{metadata.title}}\n`,
  },
  {
    name: 'a block field of a message becomes the closest one',
    code: 'HBS_UNKNOWN_VARIABLE',
    before: `${HEADER}{{#each messages}}{{#each blocks}}{{this.rol}}{{/each}}{{/each}}\n`,
    title: 'Change to "role"',
    after: `${HEADER}{{#each messages}}{{#each blocks}}{{this.role}}{{/each}}{{/each}}\n`,
  },
  {
    name: 'a block never closed gets its closing tag on its own line at the end',
    code: 'HBS_UNCLOSED_BLOCK',
    before: `${HEADER}{{#each messages}}\n- {{role}}\n`,
    title: 'Insert {{/each}}',
    after: `${HEADER}{{#each messages}}\n- {{role}}\n{{/each}}\n`,
  },
  {
    name: 'a block closed by an outer tag gets its closing tag before it, indented like its opening tag',
    code: 'HBS_UNCLOSED_BLOCK',
    before: `${HEADER}{{#each messages}}\n  {{#if agent_id}}\n- {{agent_id}}\n{{/each}}\n`,
    title: 'Insert {{/if}}',
    after: `${HEADER}{{#each messages}}\n  {{#if agent_id}}\n- {{agent_id}}\n  {{/if}}\n{{/each}}\n`,
  },
  {
    name: 'an inline block never closed is closed where its text ends',
    code: 'HBS_UNCLOSED_BLOCK',
    before: `${HEADER}# {{#if metadata.title}}{{metadata.title}}\n`,
    title: 'Insert {{/if}}',
    after: `${HEADER}# {{#if metadata.title}}{{metadata.title}}{{/if}}\n`,
  },
  {
    name: 'an unknown header key becomes a valid one, the closest first',
    code: 'HEADER_UNKNOWN_KEY',
    before: '---\nname: Fixes\nrequierd_fields: [title]\n---\n# {{metadata.title}}\n',
    title: 'Change to "required_fields"',
    alsoOffered: ['Change to "required_sections"', 'Change to "output"'],
    after: '---\nname: Fixes\nrequired_fields: [title]\n---\n# {{metadata.title}}\n',
  },
  {
    name: 'an unknown output kind becomes a valid one',
    code: 'HEADER_UNKNOWN_OUTPUT',
    before: '---\nname: Fixes\noutput: mardown\n---\n# {{metadata.title}}\n',
    title: 'Change to "markdown"',
    alsoOffered: ['Change to "yaml-frontmatter"', 'Change to "xml"', 'Change to "text"'],
    after: '---\nname: Fixes\noutput: markdown\n---\n# {{metadata.title}}\n',
  },
  {
    name: 'a path typed up to its "." gets a field name',
    code: 'HBS_INCOMPLETE_PATH',
    before: `${HEADER}# {{metadata.}}\n`,
    title: 'Change to "metadata.title"',
    after: `${HEADER}# {{metadata.title}}\n`,
  },
];

function apply(text: string, action: CodeAction, uri: string): string {
  const edits = action.edit?.changes?.[uri];
  assert.ok(edits !== undefined && edits.length > 0, `"${action.title}" has no edit for ${uri}`);
  return TextDocument.applyEdits(TextDocument.create(uri, 'handlebars', 1, text), edits);
}

describe('template quick fixes over stdio (dist/server.js)', function () {
  this.timeout(30_000);
  let workspace: TempWorkspace;
  let client: LspTestClient;

  before(async () => {
    workspace = await tempWorkspace();
    client = startBuiltServer();
    const result = await client.initialize(workspace.uri);
    assert.deepEqual(result.capabilities.codeActionProvider, { codeActionKinds: ['quickfix'] });
  });

  after(async () => {
    await client?.shutdown();
    await workspace?.cleanup();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(`server log:\n${client.serverLog.join('\n')}`);
  });

  CASES.forEach((c, index) => {
    it(c.name, async () => {
      const uri = await workspace.write(`.devguide/templates/fix-${index}.hbs`, c.before);
      await client.open(uri, c.before);
      const published = await client.waitForDiagnostics(uri, (p) => p.version === 1);
      const diagnostic = published.diagnostics.find((d: Diagnostic) => d.code === c.code);
      assert.ok(diagnostic !== undefined, `no ${c.code} in ${JSON.stringify(published.diagnostics)}`);
      assert.ok(diagnostic.data !== undefined, 'the diagnostic carries the data its fix needs');

      const actions = await client.codeActions(uri, [diagnostic]);
      const titles = actions.map((a) => a.title);
      assert.equal(titles[0], c.title, `offered: ${titles.join(' | ')}`);
      for (const title of c.alsoOffered ?? []) assert.ok(titles.includes(title), `missing "${title}" in ${titles.join(' | ')}`);
      for (const action of actions) {
        assert.equal(action.kind, 'quickfix');
        assert.deepEqual(action.diagnostics, [diagnostic]);
      }
      const fixed = apply(c.before, actions[0] as CodeAction, uri);
      assert.equal(fixed, c.after);

      // The fixed text no longer has the problem.
      const version = await client.replace(uri, fixed);
      const after = await client.waitForDiagnostics(uri, (p) => p.version === version);
      assert.ok(!after.diagnostics.some((d) => d.code === c.code && d.range.start.line === diagnostic.range.start.line && d.range.start.character === diagnostic.range.start.character), JSON.stringify(after.diagnostics));
      await client.close(uri);
    });
  });

  it('offers nothing for a diagnostic whose text has changed since it was published', async () => {
    const text = `${HEADER}# {{uper metadata.title}}\n`;
    const uri = await workspace.write('.devguide/templates/stale.hbs', text);
    await client.open(uri, text);
    const published = await client.waitForDiagnostics(uri, (p) => p.version === 1);
    const diagnostic = published.diagnostics.find((d) => d.code === 'HBS_UNKNOWN_HELPER') as Diagnostic;
    await client.edit(uri, diagnostic.range, 'lower');
    assert.deepEqual(await client.codeActions(uri, [diagnostic]), []);
    await client.close(uri);
  });

  it('offers nothing for diagnostics of other sources or without data', async () => {
    const text = `${HEADER}# {{metadata.title}}\n`;
    const uri = await workspace.write('.devguide/templates/other.hbs', text);
    await client.open(uri, text);
    const range = { start: { line: 4, character: 4 }, end: { line: 4, character: 12 } };
    const foreign: Diagnostic = { range, message: 'x', source: 'eslint', code: 'HBS_UNKNOWN_HELPER', data: { range, expected: 'metadata', choices: ['upper'] } };
    const noData: Diagnostic = { range, message: 'x', source: 'devguide-export', code: 'HBS_UNKNOWN_HELPER' };
    const badData: Diagnostic = { ...noData, data: { range, expected: 'metadata', choices: 'upper' } };
    assert.deepEqual(await client.codeActions(uri, [foreign, noData, badData]), []);
    await client.close(uri);
  });
});
