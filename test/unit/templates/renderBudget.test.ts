import assert from 'node:assert/strict';
import { ExportError } from '../../../server/src/errors';
import { checkTemplateText } from '../../../server/src/templates/check';
import { createTemplateEngine } from '../../../server/src/templates/engine';
import { MAX_BLOCK_NESTING } from '../../../server/src/templates/nesting';
import { inlineTemplate } from './fixtures';

/** Issue 11 item 8: runaway templates are stopped, coded, in well under a second — at parse or while rendering. */

const messages = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `m${i}`, role: 'user', content: 'x'.repeat(200), blocks: [] }));

function stoppedWith(code: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ExportError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('templates: nesting bound and render budget', () => {
  it('5,000 nested {{#if}}: refused at parse with the line, never reaching the recursive parser', () => {
    const body = `# Deep\n${'{{#if a}}'.repeat(5000)}x${'{{/if}}'.repeat(5000)}\n`;
    const issues = checkTemplateText(`---\nname: Deep\noutput: markdown\n---\n${body}`, { id: 'deep', path: '/tmp/deep.hbs', builtin: false });
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.match(issues[0]?.message ?? '', new RegExp(`nest deeper than ${MAX_BLOCK_NESTING} levels`));
    assert.equal(issues[0]?.range.start.line, 5, 'the line of the body where the limit is passed (0-based file line)');
    const engine = createTemplateEngine();
    assert.throws(() => engine.render(inlineTemplate(body), { messages: [] } as never), stoppedWith('TEMPLATE_INVALID', /nest/));
  });

  it('nesting within the bound still works, and a comment holding {{# does not count', () => {
    const body = `{{!-- {{#if}}{{#if}} --}}${'{{#if messages}}'.repeat(10)}deep${'{{/if}}'.repeat(10)}`;
    assert.equal(createTemplateEngine().render(inlineTemplate(body), { messages: messages(1) } as never), 'deep');
  });

  it('three nested loops over 1,000 messages that render nothing: stopped by the step budget (TEMPLATE_RENDER_FAILED)', () => {
    const body = '{{#each messages}}{{#each ../messages}}{{#each ../../messages}}{{/each}}{{/each}}{{/each}}';
    assert.throws(() => createTemplateEngine().render(inlineTemplate(body), { messages: messages(1000) } as never), stoppedWith('TEMPLATE_RENDER_FAILED', /more than 2,000,000 block bodies/));
  });

  it('a loop inside a loop over 800 messages: stopped as its output passes the budget (CONTENT_TOO_LARGE), not gigabytes later', () => {
    const body = '{{#each messages}}{{#each ../messages}}{{content}}{{/each}}{{/each}}';
    assert.throws(() => createTemplateEngine().render(inlineTemplate(body), { messages: messages(800) } as never), stoppedWith('CONTENT_TOO_LARGE', /stopped while rendering/));
  });

  it('a time budget stops a render that is slow without being large', () => {
    const body = '{{#each messages}}{{#each ../messages}}{{/each}}{{/each}}';
    const engine = createTemplateEngine({ renderLimits: { maxMs: 0 } });
    assert.throws(() => engine.render(inlineTemplate(body), { messages: messages(200) } as never), stoppedWith('TEMPLATE_RENDER_FAILED', /longer than 0 ms/));
  });

  it('an ordinary export of 5,000 messages renders within the budgets', () => {
    const body = '{{#each messages}}- {{role}}: {{content}}\n{{#each blocks}}{{content}}{{/each}}{{/each}}';
    const out = createTemplateEngine().render(inlineTemplate(body), { messages: messages(5000) } as never);
    assert.ok(out.length > 1_000_000);
  });
});
