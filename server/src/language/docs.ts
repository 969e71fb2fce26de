import type { MarkupContent } from 'vscode-languageserver';
import type { OutputKind } from '../model';
import type { ContextShape } from '../templates/context';
import { HEADER_KEY_DOCS, type TemplateHeader } from '../templates/header';
import type { HelperDoc } from '../templates/helpers';

/** Markdown shown by completion items and hovers, built from the template modules' own docs. */

export const OUTPUT_KIND_DOCS: Readonly<Record<OutputKind, string>> = {
  markdown: 'Markdown. Required sections are checked as headings.',
  'yaml-frontmatter': 'YAML front matter, then Markdown. The front matter must parse and hold the required fields.',
  xml: 'XML. Every `{{…}}` is XML-escaped and the output must be well-formed.',
  text: 'Plain text, no output checks beyond required sections.',
};

export function markdown(value: string): MarkupContent {
  return { kind: 'markdown', value };
}

function codeBlock(code: string): string {
  return `\`\`\`handlebars\n${code}\n\`\`\``;
}

export function helperUsage(doc: HelperDoc): string {
  return doc.block ? `{{#${doc.name} …}}…{{/${doc.name}}}` : `{{${doc.name} …}}`;
}

export function helperMarkdown(doc: HelperDoc): string {
  return `**${doc.name}** — ${doc.block ? 'block helper' : 'helper'}\n\n${doc.description}\n\nExample:\n\n${codeBlock(doc.example)}`;
}

export function helperDetail(doc: HelperDoc): string {
  const args = doc.minArgs === doc.maxArgs ? `${doc.minArgs}` : `${doc.minArgs}–${doc.maxArgs}`;
  return `${doc.block ? 'block helper' : 'helper'}, ${args} argument${doc.maxArgs === 1 ? '' : 's'}`;
}

export function describeShape(shape: ContextShape): string {
  switch (shape.kind) {
    case 'scalar':
      return 'value';
    case 'array':
      return shape.item.kind === 'object' ? 'list of objects' : 'list';
    case 'object':
      return 'object';
    case 'any':
      return 'any value';
  }
}

export function variableMarkdown(path: string, shape: ContextShape): string {
  const fields = shape.kind === 'object' ? Object.keys(shape.fields) : shape.kind === 'array' && shape.item.kind === 'object' ? Object.keys(shape.item.fields) : [];
  const fieldLine = fields.length === 0 ? '' : `\n\n${shape.kind === 'array' ? 'Each item has' : 'Fields'}: ${fields.map((f) => `\`${f}\``).join(', ')}`;
  const open = shape.kind === 'object' && shape.open === true ? ' (and any key the export gives)' : '';
  return `**${path}** — ${describeShape(shape)}\n\n${shape.description}${fieldLine}${open}`;
}

export function dataVariableMarkdown(name: string, description: string): string {
  return `**@${name}** — data variable\n\n${description}`;
}

export function isHeaderKey(key: string): key is keyof TemplateHeader {
  return Object.hasOwn(HEADER_KEY_DOCS, key);
}

export function headerKeyMarkdown(key: keyof TemplateHeader): string {
  return `**${key}** — template header\n\n${HEADER_KEY_DOCS[key]}`;
}

export function outputKindMarkdown(kind: OutputKind): string {
  return `**output: ${kind}**\n\n${OUTPUT_KIND_DOCS[kind]}`;
}
