import type { AssembledContent, Metadata } from '../model';
import { withBlockProvenance } from '../sources/provenance';
import type { TemplateDefinition } from './types';

/**
 * A small, tricky selection to render a template against when checking it
 * (language server diagnostics, `templates check`): quotes, markup, a
 * backtick fence and non-ASCII text, so escaping mistakes show up.
 */
export const SAMPLE_ASSEMBLED: AssembledContent = {
  source: { path: 'sample.jsonl', format: 'chat_messages' },
  sessionId: 'sample-session',
  sessionTitle: 'Sample session',
  messages: [
    withBlockProvenance({
      id: 'm1',
      sessionId: 'sample-session',
      surface: 'inputs',
      role: 'user',
      content: 'How do I escape <b> & "quotes" in café names?',
      blocks: [{ id: 'm1-b1', kind: 'text', content: 'How do I escape <b> & "quotes" in café names?' }],
      createdAt: '2024-05-01T12:00:00.000Z',
    }),
    withBlockProvenance({
      id: 'm2',
      sessionId: 'sample-session',
      surface: 'outputs',
      agentId: 'assistant-1',
      role: 'assistant',
      content: 'Use a helper:\n\n```ts\nconst x = `a`;\n```',
      blocks: [
        { id: 'm2-b1', kind: 'text', content: 'Use a helper:' },
        { id: 'm2-b2', kind: 'code', content: 'const x = `a`;' },
      ],
      createdAt: '2024-05-01T12:00:05.000Z',
    }),
  ],
  text: '**user**: How do I escape <b> & "quotes" in café names?\n\n**assistant**: Use a helper:\n\n```ts\nconst x = `a`;\n```\n',
  surfaces: ['inputs', 'outputs'],
  stats: { messageCount: 2, blockCount: 3, charCount: 118, tokenCount: 30 },
};

/** User metadata for the sample, with every field the template requires filled in. */
export function sampleMetadata(template: Pick<TemplateDefinition, 'requiredFields'>): Metadata {
  const metadata: Metadata = {
    title: 'Sample: "escaping" <tags> & more',
    author: 'Sample Author',
    tags: ['sample', 'escaping'],
  };
  for (const field of template.requiredFields) {
    if (!Object.hasOwn(metadata, field)) metadata[field] = `sample ${field}`;
  }
  return metadata;
}

export const SAMPLE_EXPORTED_AT = new Date('2024-05-01T12:30:00.000Z');
