import type { BlockKind, Metadata, OutputKind, Role, Surface } from '../model';

/**
 * What a template body sees. Keys are snake_case like the metadata a user
 * writes in front matter; built by pipeline/transform.ts.
 */
/** A block with its message's provenance, named like the message's own fields. */
export interface RenderBlock {
  id: string;
  kind: BlockKind;
  content: string;
  /** As the export shows it: a tool call or result summarised (or empty) as the tool-output setting says. */
  text: string;
  message_id: string;
  role: Role;
  agent_id: string | null;
  created_at: string;
  surface: Surface;
}

export interface RenderMessage {
  id: string;
  role: Role;
  agent_id: string | null;
  created_at: string;
  surface: Surface;
  content: string;
  /** As the export shows it: its blocks' `text`, tool output summarised. */
  text: string;
  blocks: RenderBlock[];
}

export interface RenderContext {
  content: string;
  messages: RenderMessage[];
  blocks: RenderBlock[];
  metadata: Metadata;
  stats: { message_count: number; block_count: number; char_count: number; token_count: number };
  template: { id: string; name: string; output: OutputKind; extension: string };
}

/**
 * The shape of the render context, for the analyzer (unknown-variable
 * warnings) and the language server (completion, hover).
 */
export type ContextShape =
  | { kind: 'scalar'; description: string }
  | { kind: 'array'; description: string; item: ContextShape }
  | { kind: 'object'; description: string; fields: Readonly<Record<string, ContextShape>>; open?: boolean }
  | { kind: 'any'; description: string };

const scalar = (description: string): ContextShape => ({ kind: 'scalar', description });

const blockShape: ContextShape = {
  kind: 'object',
  description: 'A block of a message, with the provenance of its message.',
  fields: {
    id: scalar('Block id.'),
    kind: scalar('text | code | thinking | tool_use | tool_result'),
    content: scalar('The block text, in full.'),
    text: scalar('The block as the export shows it: a tool call or result summarised (or empty) as the tool-output setting says.'),
    message_id: scalar('Id of the message holding this block.'),
    role: scalar('The role of the message holding this block: user | assistant | system | tool'),
    agent_id: scalar('The agent that wrote its message, or null.'),
    created_at: scalar('When its message was written (ISO 8601 UTC).'),
    surface: scalar('The surface of its message: inputs | reasoning | outputs | editor'),
  },
};

const messageShape: ContextShape = {
  kind: 'object',
  description: 'A selected chat message.',
  fields: {
    id: scalar('Message id.'),
    role: scalar('user | assistant | system | tool'),
    agent_id: scalar('The agent that wrote it, or null.'),
    created_at: scalar('When it was written (ISO 8601 UTC).'),
    surface: scalar('inputs | reasoning | outputs | editor'),
    content: scalar('The message text, in full (tool results included).'),
    text: scalar('The message as the export shows it: tool output summarised as the tool-output setting says.'),
    blocks: { kind: 'array', description: 'The selected blocks of this message.', item: blockShape },
  },
};

const metadataShape: ContextShape = {
  kind: 'object',
  open: true,
  description: 'Export metadata: computed keys plus every key the user gave.',
  fields: {
    title: scalar('Export title (required).'),
    author: scalar('Author, when given.'),
    tags: { kind: 'array', description: 'Tags, when given.', item: scalar('A tag.') },
    session_id: scalar('Id of the exported session.'),
    block_count: scalar('Number of selected blocks.'),
    message_count: scalar('Number of selected messages.'),
    token_count: scalar('Estimated tokens (characters / 4) of the assembled text.'),
    exported_at: scalar('Export time, ISO 8601 UTC.'),
    source_surface: scalar('Surfaces of the selection, comma-separated.'),
    source_format: scalar('Transcript format of the source.'),
  },
};

export const RENDER_CONTEXT_SHAPE: ContextShape = {
  kind: 'object',
  description: 'The template context.',
  fields: {
    content: scalar('The assembled selection as Markdown-ish text, in time order.'),
    messages: { kind: 'array', description: 'The selected messages, in time order.', item: messageShape },
    blocks: { kind: 'array', description: 'Every selected block of every message, in order.', item: blockShape },
    metadata: metadataShape,
    stats: {
      kind: 'object',
      description: 'Counts of the selection.',
      fields: {
        message_count: scalar('Number of selected messages.'),
        block_count: scalar('Number of selected blocks.'),
        char_count: scalar('Characters of the assembled text.'),
        token_count: scalar('Estimated tokens of the assembled text.'),
      },
    },
    template: {
      kind: 'object',
      description: 'The template being rendered.',
      fields: {
        id: scalar('Template id (file name without .hbs).'),
        name: scalar('Template name from its header.'),
        output: scalar('Output kind.'),
        extension: scalar('File extension.'),
      },
    },
  },
};

/** `@` variables Handlebars provides. */
export const DATA_VARIABLES: Readonly<Record<string, string>> = {
  index: 'Position of the current item inside {{#each}} (0-based).',
  key: 'Key of the current item inside {{#each}} over an object.',
  first: 'True for the first item inside {{#each}}.',
  last: 'True for the last item inside {{#each}}.',
  root: 'The top-level template context, e.g. @root.metadata.title.',
};

export interface KnownVariable {
  /** Dotted path; `[]` marks an array item, e.g. `messages.[].role`. */
  path: string;
  description: string;
}

/** Every documented path of the render context, flattened. */
export function knownVariables(shape: ContextShape = RENDER_CONTEXT_SHAPE, prefix = ''): KnownVariable[] {
  const out: KnownVariable[] = [];
  if (shape.kind === 'object') {
    for (const [key, child] of Object.entries(shape.fields)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      out.push({ path, description: child.description });
      out.push(...knownVariables(child, path));
    }
  } else if (shape.kind === 'array') {
    out.push(...knownVariables(shape.item, `${prefix}.[]`));
  }
  return out;
}

export type PathResolution = { ok: true; shape: ContextShape } | { ok: false; failedAt: number; parent: ContextShape };

/** Follows `parts` through a shape. Open objects and `any` accept every key. */
export function resolveShapePath(shape: ContextShape, parts: readonly string[]): PathResolution {
  let current = shape;
  for (const [index, part] of parts.entries()) {
    const next = childShape(current, part);
    if (next === undefined) return { ok: false, failedAt: index, parent: current };
    current = next;
  }
  return { ok: true, shape: current };
}

function childShape(shape: ContextShape, part: string): ContextShape | undefined {
  switch (shape.kind) {
    case 'any':
      return shape;
    case 'object':
      return Object.hasOwn(shape.fields, part)
        ? shape.fields[part]
        : shape.open === true
          ? { kind: 'any', description: 'A metadata value.' }
          : undefined;
    case 'array':
      if (part === 'length') return scalar('Number of items.');
      return /^\d+$/.test(part) ? shape.item : undefined;
    case 'scalar':
      return part === 'length' ? scalar('Length of the text.') : undefined;
  }
}

/** What `{{#each x}}` iterates over: array items, or anything for objects. */
export function itemShape(shape: ContextShape): ContextShape {
  if (shape.kind === 'array') return shape.item;
  return { kind: 'any', description: 'An item.' };
}

export function fieldNames(shape: ContextShape): string[] {
  return shape.kind === 'object' ? Object.keys(shape.fields) : [];
}
