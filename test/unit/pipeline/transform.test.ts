import assert from 'node:assert/strict';
import type { Metadata } from '../../../server/src/model';
import { buildRenderContext, endWithOneNewline, mergeMetadata, transform } from '../../../server/src/pipeline/transform';
import { createTemplateEngine } from '../../../server/src/templates/engine';
import { assembled, builtin, fixedClock, inlineTemplate, message } from '../templates/fixtures';

describe('pipeline: transform', () => {
  const engine = createTemplateEngine();
  const clock = fixedClock('2024-05-01T12:30:00.000Z');
  const input = assembled('x'.repeat(41), [
    message({ id: 'a', surface: 'inputs', role: 'user', blocks: [{ id: 'b1', kind: 'text', content: 'q' }] }),
    message({ id: 'b', surface: 'outputs', agentId: 'agent-1', blocks: [{ id: 'b2', kind: 'text', content: 'r' }, { id: 'b3', kind: 'code', content: 'c' }] }),
  ]);

  it('merges computed metadata first, in order, then the user keys', () => {
    const metadata = mergeMetadata(input, { title: 'T', author: 'Ada', tags: ['a'], custom: { k: 1 } }, clock);
    assert.deepEqual(Object.keys(metadata), ['session_id', 'block_count', 'message_count', 'token_count', 'exported_at', 'source_surface', 'source_format', 'title', 'author', 'tags', 'custom']);
    assert.deepEqual(metadata, {
      session_id: 's1',
      block_count: 3,
      message_count: 2,
      token_count: 11,
      exported_at: '2024-05-01T12:30:00.000Z',
      source_surface: 'inputs,outputs',
      source_format: 'chat_messages',
      title: 'T',
      author: 'Ada',
      tags: ['a'],
      custom: { k: 1 },
    });
  });

  it('uses the single surface as is', () => {
    const one = assembled('t', [message({ surface: 'reasoning' })]);
    assert.equal(mergeMetadata(one, { title: 'T' }, clock)['source_surface'], 'reasoning');
  });

  it('lets user keys relabel the source but never the time or the counts', () => {
    const metadata = mergeMetadata(
      input,
      { title: 'T', session_id: 'public-id', source_format: 'curated', exported_at: 'yesterday', token_count: 1, block_count: 99, message_count: 0 },
      clock,
    );
    assert.equal(metadata['session_id'], 'public-id');
    assert.equal(metadata['source_format'], 'curated');
    assert.equal(metadata['exported_at'], '2024-05-01T12:30:00.000Z');
    assert.equal(metadata['token_count'], 11);
    assert.equal(metadata['block_count'], 3);
    assert.equal(metadata['message_count'], 2);
  });

  it('keeps a user key named __proto__ as data, not as the prototype', () => {
    const user = JSON.parse('{"title":"T","__proto__":{"polluted":true}}') as Metadata;
    const metadata = mergeMetadata(input, user, clock);
    assert.ok(Object.hasOwn(metadata, '__proto__'));
    assert.equal(Object.getPrototypeOf(metadata), Object.prototype);
    assert.equal((metadata as { polluted?: unknown }).polluted, undefined);
  });

  it('writes exported_at as ISO 8601 UTC with a single Z', () => {
    const metadata = mergeMetadata(input, { title: 'T' }, fixedClock('2024-02-29T23:59:59.999+00:00'));
    assert.equal(metadata['exported_at'], '2024-02-29T23:59:59.999Z');
  });

  it('builds the render context with snake_case messages and flattened blocks', () => {
    const template = inlineTemplate('x');
    const context = buildRenderContext(input, template, { title: 'T' });
    assert.equal(context.content, input.text);
    assert.deepEqual(context.messages[1], {
      id: 'b',
      role: 'assistant',
      agent_id: 'agent-1',
      created_at: '2024-05-01T12:00:00.000Z',
      surface: 'outputs',
      content: 'Hello',
      text: 'Hello',
      blocks: [
        { id: 'b2', kind: 'text', content: 'r', text: 'r', message_id: 'b', role: 'assistant', agent_id: 'agent-1', created_at: '2024-05-01T12:00:00.000Z', surface: 'outputs' },
        { id: 'b3', kind: 'code', content: 'c', text: 'c', message_id: 'b', role: 'assistant', agent_id: 'agent-1', created_at: '2024-05-01T12:00:00.000Z', surface: 'outputs' },
      ],
    });
    assert.equal(context.messages[0]?.agent_id, null);
    assert.deepEqual(context.blocks.map((b) => `${b.message_id}/${b.id}`), ['a/b1', 'b/b2', 'b/b3']);
    assert.deepEqual(context.blocks[0], { id: 'b1', kind: 'text', content: 'q', text: 'q', message_id: 'a', role: 'user', agent_id: null, created_at: '2024-05-01T12:00:00.000Z', surface: 'inputs' });
    assert.deepEqual(context.stats, { message_count: 2, block_count: 3, char_count: 41, token_count: 11 });
    assert.deepEqual(context.template, { id: 'test', name: 'Test', output: 'markdown', extension: '.md' });
  });

  it('renders through the template and returns the formatted content', () => {
    const template = inlineTemplate('{{#each messages}}{{@index}}:{{role}}:{{#each blocks}}[{{kind}}]{{/each}}\n{{/each}}{{template.name}}|{{stats.token_count}}');
    const formatted = transform(input, template, { title: 'T' }, clock, engine);
    assert.deepEqual(formatted, {
      templateId: 'test',
      output: 'markdown',
      extension: '.md',
      content: '0:user:[text]\n1:assistant:[text][code]\nTest|11\n',
      metadata: mergeMetadata(input, { title: 'T' }, clock),
    });
  });

  it("renders a block's provenance in {{#each blocks}}", () => {
    const template = inlineTemplate('{{#each blocks}}{{this.role}}/{{agent_id}}/{{created_at}}/{{surface}}/{{message_id}}/{{id}}\n{{/each}}');
    const formatted = transform(input, template, { title: 'T' }, clock, engine);
    assert.equal(
      formatted.content,
      [
        'user//2024-05-01T12:00:00.000Z/inputs/a/b1',
        'assistant/agent-1/2024-05-01T12:00:00.000Z/outputs/b/b2',
        'assistant/agent-1/2024-05-01T12:00:00.000Z/outputs/b/b3',
        '',
      ].join('\n'),
    );
  });

  it('ends the output with exactly one line break', () => {
    assert.equal(endWithOneNewline('a\n\n\r\n'), 'a\n');
    assert.equal(endWithOneNewline('a'), 'a\n');
    assert.equal(endWithOneNewline(''), '');
    const formatted = transform(assembled('text\n'), builtin('markdown'), { title: 'T' }, clock, engine);
    assert.ok(formatted.content.endsWith('text\n'));
    assert.ok(!formatted.content.endsWith('\n\n'));
  });

  it('uses the shared engine by default', () => {
    const formatted = transform(input, inlineTemplate('{{metadata.title}}'), { title: 'Shared' }, clock);
    assert.equal(formatted.content, 'Shared\n');
  });
});
