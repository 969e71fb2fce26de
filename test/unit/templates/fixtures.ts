import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../../server/src/clock';
import type { AssembledContent, ChatMessage } from '../../../server/src/model';
import { type BlockDraft, withBlockProvenance } from '../../../server/src/sources/provenance';
import { defaultBuiltinTemplatesDir } from '../../../server/src/templates/registry';
import { parseTemplateFile } from '../../../server/src/templates/templateFile';
import type { TemplateDefinition } from '../../../server/src/templates/types';

export const BUILTIN_IDS = ['markdown', 'yaml-markdown', 'skill', 'xml'] as const;

export function builtin(id: (typeof BUILTIN_IDS)[number]): TemplateDefinition {
  const path = join(defaultBuiltinTemplatesDir(), `${id}.hbs`);
  return parseTemplateFile(readFileSync(path, 'utf8'), { id, path, builtin: true });
}

export function fixedClock(iso = '2024-05-01T12:30:00.000Z'): Clock {
  return { now: () => new Date(iso), monotonic: () => 0 };
}

/** A message; its blocks get its provenance, as a source parser gives them. */
export function message(overrides: Partial<Omit<ChatMessage, 'blocks'>> & { blocks?: BlockDraft[] } = {}): ChatMessage {
  return withBlockProvenance({
    id: 'm1',
    sessionId: 's1',
    surface: 'outputs',
    role: 'assistant',
    content: 'Hello',
    blocks: [{ id: 'b1', kind: 'text', content: 'Hello' }],
    createdAt: '2024-05-01T12:00:00.000Z',
    ...overrides,
  });
}

/** An AssembledContent built by hand (assembly is another module's job). */
export function assembled(text: string, messages: ChatMessage[] = [message({ content: text })]): AssembledContent {
  return {
    source: { path: 'chat.jsonl', format: 'chat_messages' },
    sessionId: 's1',
    messages,
    text,
    surfaces: [...new Set(messages.map((m) => m.surface))],
    stats: {
      messageCount: messages.length,
      blockCount: messages.reduce((n, m) => n + m.blocks.length, 0),
      charCount: text.length,
      tokenCount: Math.ceil(text.length / 4),
    },
  };
}

/** A template definition from a body, with a minimal header. */
export function inlineTemplate(body: string, header = 'name: Test\noutput: markdown', id = 'test'): TemplateDefinition {
  return parseTemplateFile(`---\n${header}\n---\n${body}`, { id, builtin: false });
}

/** fast-check options: a fixed seed so runs are repeatable; FC_SEED / FC_RUNS explore further. */
export function propertyRuns(numRuns: number): { numRuns: number; seed: number } {
  return { numRuns: Number(process.env['FC_RUNS'] ?? numRuns), seed: Number(process.env['FC_SEED'] ?? 20240501) };
}
