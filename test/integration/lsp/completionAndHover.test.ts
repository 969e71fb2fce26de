import { strict as assert } from 'node:assert';
import type { CompletionItem, MarkupContent, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { templateCompletions } from '../../../server/src/language/completion';
import { templateHover } from '../../../server/src/language/hover';

/**
 * Completion and hover on template text. `‸` marks the cursor; it is
 * removed from the document.
 */

const CURSOR = '‸';
const HEADER = '---\nname: T\noutput: markdown\nrequired_fields: [title, ticket]\n---\n';

function at(textWithCursor: string): { document: TextDocument; position: { line: number; character: number } } {
  const offset = textWithCursor.indexOf(CURSOR);
  assert.ok(offset >= 0, `mark the cursor with ${CURSOR}`);
  const document = TextDocument.create('file:///w/.devguide/templates/t.hbs', 'handlebars', 1, textWithCursor.replace(CURSOR, ''));
  return { document, position: document.positionAt(offset) };
}

function complete(textWithCursor: string): CompletionItem[] {
  const { document, position } = at(textWithCursor);
  return templateCompletions(document, position);
}

function labels(textWithCursor: string): string[] {
  return complete(textWithCursor).map((i) => i.label);
}

function hoverText(textWithCursor: string): string | undefined {
  const { document, position } = at(textWithCursor);
  return (templateHover(document, position)?.contents as MarkupContent | undefined)?.value;
}

describe('template completion', () => {
  it('offers only block helpers after "{{#"', () => {
    assert.deepEqual(labels(`${HEADER}{{#‸`).sort(), ['each', 'if', 'unless', 'with']);
  });

  it('offers the fields of the current item inside {{#each messages}}, with @index, this and else', () => {
    const items = labels(`${HEADER}{{#each messages}}\n- {{‸\n{{/each}}`);
    for (const expected of ['role', 'content', 'created_at', 'blocks', '@index', '@first', '@root', 'this', 'else', 'upper']) {
      assert.ok(items.includes(expected), `missing ${expected}`);
    }
    assert.ok(!items.includes('metadata'), 'top-level values need @root inside a block');
  });

  it('follows nested blocks and block parameters', () => {
    assert.ok(labels(`${HEADER}{{#each messages}}{{#each blocks}}{{‸`).includes('kind'));
    assert.ok(labels(`${HEADER}{{#each messages}}{{#if content}}{{/if}}{{#each blocks}}{{/each}}{{‸`).includes('role'));
    assert.deepEqual(labels(`${HEADER}{{#each messages as |m i|}}{{m.‸`).slice(0, 3), ['id', 'role', 'agent_id']);
    assert.ok(labels(`${HEADER}{{#with stats}}{{‸`).includes('token_count'));
    assert.ok(labels(`${HEADER}{{#each messages}}{{else}}{{‸`).includes('metadata'), 'the else branch is in the outer context');
  });

  it("offers a block's provenance inside {{#each blocks}}, at the top level and in a message", () => {
    for (const text of [`${HEADER}{{#each blocks}}{{‸`, `${HEADER}{{#each messages}}{{#each blocks}}{{this.‸`]) {
      const items = labels(text);
      for (const expected of ['id', 'kind', 'content', 'message_id', 'role', 'created_at', 'agent_id', 'surface']) {
        assert.ok(items.includes(expected), `missing ${expected} in ${items.join(', ')}`);
      }
    }
  });

  it('offers metadata keys after "metadata.", including the fields the header requires', () => {
    const items = complete(`${HEADER}# {{metadata.ti‸}}`);
    const names = items.map((i) => i.label);
    for (const expected of ['title', 'author', 'tags', 'exported_at', 'ticket']) assert.ok(names.includes(expected), `missing ${expected}`);
    const title = items.find((i) => i.label === 'title');
    // Replaces only the segment being typed.
    assert.deepEqual((title?.textEdit as TextEdit | undefined)?.range, { start: { line: 5, character: 13 }, end: { line: 5, character: 15 } });
    assert.match((title?.documentation as MarkupContent | undefined)?.value ?? '', /Export title/);
  });

  it('resolves @root. and ../ to the top-level context', () => {
    assert.ok(labels(`${HEADER}{{#each messages}}{{@root.‸`).includes('metadata'));
    assert.ok(labels(`${HEADER}{{#each messages}}{{../‸`).includes('stats'));
    assert.ok(labels(`${HEADER}{{#each messages}}{{@root.metadata.‸`).includes('title'));
  });

  it('offers helpers and values after "{{{", without else', () => {
    const items = labels(`${HEADER}{{#each messages}}{{{‸`);
    assert.ok(items.includes('yaml') && items.includes('content') && !items.includes('else') && !items.includes('each'));
  });

  it('offers values, not helpers, as arguments; helpers after "("', () => {
    const args = labels(`${HEADER}{{join ‸`);
    assert.ok(args.includes('metadata.tags') && !args.includes('join'));
    const sub = labels(`${HEADER}{{#if (‸`);
    assert.ok(sub.includes('eq') && !sub.includes('each') && !sub.includes('content'));
  });

  it('closes the innermost open block after "{{/"', () => {
    assert.deepEqual(labels(`${HEADER}{{#each messages}}{{#if role}}x{{/‸`), ['if']);
  });

  it('offers @ variables from the "@", replacing it', () => {
    const items = complete(`${HEADER}{{#each messages}}{{@‸`);
    assert.deepEqual(items.map((i) => i.label).sort(), ['@first', '@index', '@key', '@last', '@root']);
    assert.equal((items[0]?.textEdit as TextEdit | undefined)?.range.start.character, 20);
  });

  it('offers nothing in plain text, comments, string literals, partials, or after a closed mustache', () => {
    assert.deepEqual(labels(`${HEADER}Plain text ‸`), []);
    assert.deepEqual(labels(`${HEADER}{{! note ‸`), []);
    assert.deepEqual(labels(`${HEADER}{{date metadata.exported_at "da‸`), []);
    assert.deepEqual(labels(`${HEADER}{{> partial ‸`), []);
    assert.deepEqual(labels(`${HEADER}{{content}} ‸`), []);
    assert.deepEqual(labels(`${HEADER}{‸`), []);
  });

  it('completes header keys not yet written, and output values with the space YAML needs', () => {
    const keys = labels(`${HEADER.replace('---\n', '---\n‸\n')}`);
    assert.ok(keys.includes('description') && keys.includes('html_bound'));
    assert.ok(!keys.includes('name') && !keys.includes('output'));

    const values = complete('---\nname: T\noutput:‸\n---\n');
    assert.deepEqual(values.map((i) => i.label), ['markdown', 'yaml-frontmatter', 'xml', 'text']);
    assert.equal((values[0]?.textEdit as TextEdit | undefined)?.newText, ' markdown');
    assert.equal((complete('---\nname: T\noutput: x‸\n---\n')[2]?.textEdit as TextEdit | undefined)?.newText, 'xml');
    assert.deepEqual(labels('---\nname: T\nhtml_bound: ‸\n---\n'), ['true', 'false']);
  });

  it('completes keys while the header is still open', () => {
    assert.ok(labels('---\nna‸').includes('name'));
  });
});

describe('template hover', () => {
  it('documents helpers in mustaches, blocks, closing tags and subexpressions', () => {
    assert.match(hoverText(`${HEADER}{{up‸per metadata.title}}`) ?? '', /\*\*upper\*\*.*\n\nUpper-cases/);
    assert.match(hoverText(`${HEADER}{{#ea‸ch messages}}{{/each}}`) ?? '', /block helper/);
    assert.match(hoverText(`${HEADER}{{#each messages}}{{/ea‸ch}}`) ?? '', /\*\*each\*\*/);
    assert.match(hoverText(`${HEADER}{{#if (e‸q role "user")}}x{{/if}}`) ?? '', /strictly equal/);
  });

  it('documents variables with their scope, up to the hovered segment', () => {
    assert.match(hoverText(`${HEADER}{{#each messages}}{{ro‸le}}{{/each}}`) ?? '', /\*\*role\*\*.*\n\nuser \| assistant/);
    assert.match(hoverText(`${HEADER}{{meta‸data.title}}`) ?? '', /\*\*metadata\*\* — object/);
    assert.match(hoverText(`${HEADER}{{metadata.ti‸tle}}`) ?? '', /\*\*metadata\.title\*\*.*Export title/s);
    assert.match(hoverText(`${HEADER}{{#each messages}}{{@ind‸ex}}{{/each}}`) ?? '', /\*\*@index\*\*/);
    assert.match(hoverText(`${HEADER}{{#each messages}}{{@root.st‸ats.token_count}}{{/each}}`) ?? '', /Counts of the selection/);
  });

  it("documents a block's provenance", () => {
    assert.match(hoverText(`${HEADER}{{#each blocks}}{{this.ro‸le}}{{/each}}`) ?? '', /\*\*this\.role\*\*.*role of the message/s);
    assert.match(hoverText(`${HEADER}{{#each messages}}{{#each blocks}}{{agent‸_id}}{{/each}}{{/each}}`) ?? '', /\*\*agent_id\*\*.*agent that wrote its message/s);
  });

  it('returns null for unknown names, hash keys and plain text', () => {
    assert.equal(hoverText(`${HEADER}{{col‸our}}`), undefined);
    assert.equal(hoverText(`${HEADER}{{json metadata ind‸ent=0}}`), undefined);
    assert.equal(hoverText(`${HEADER}Plain te‸xt`), undefined);
  });

  it('documents header keys and output kinds', () => {
    assert.match(hoverText('---\nrequired_sec‸tions: [A]\n---\n') ?? '', /Markdown headings the rendered output must contain/);
    assert.match(hoverText('---\noutput: x‸ml\n---\n') ?? '', /\*\*output: xml\*\*/);
    assert.equal(hoverText('---\nunknown_k‸ey: 1\n---\n'), undefined);
  });
});
