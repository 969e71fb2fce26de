import { z } from 'zod';
import type { OutputKind } from '../model';
import type { TemplateConfig } from './types';

export const OUTPUT_KINDS = ['markdown', 'yaml-frontmatter', 'xml', 'text'] as const satisfies readonly OutputKind[];

export const DEFAULT_EXTENSIONS: Readonly<Record<OutputKind, string>> = {
  markdown: '.md',
  'yaml-frontmatter': '.md',
  xml: '.xml',
  text: '.txt',
};

/** Fields every export carries, whatever the template says. */
export const ALWAYS_REQUIRED_FIELDS = ['title', 'exported_at'] as const;

const fieldName = z.string().trim().min(1, 'field names cannot be empty');

/** The front matter of a template file. Unknown keys are refused (typos would be silently ignored otherwise). */
export const templateHeaderSchema = z
  .object({
    name: z.string().trim().min(1, 'name cannot be empty').max(100),
    description: z.string().max(1024).optional(),
    output: z.enum(OUTPUT_KINDS).default('markdown'),
    extension: z
      .string()
      .regex(/^\.[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/, 'extension must look like ".md": a dot, then letters, digits, "_", "." or "-"')
      .optional(),
    required_fields: z.array(fieldName).default([]),
    required_sections: z.array(z.string().trim().min(1, 'section names cannot be empty')).default([]),
    frontmatter_fields: z.array(fieldName).optional(),
    html_bound: z.boolean().default(false),
  })
  .strict();

export type TemplateHeader = z.infer<typeof templateHeaderSchema>;

export const HEADER_KEYS = Object.keys(templateHeaderSchema.shape) as (keyof TemplateHeader)[];

/** One line per header key, for hover and completion in the language server. */
export const HEADER_KEY_DOCS: Readonly<Record<keyof TemplateHeader, string>> = {
  name: 'Display name shown in the template picker (required).',
  description: 'One-line description shown next to the name.',
  output: 'Output kind: markdown | yaml-frontmatter | xml | text (default markdown). Selects escaping and validation.',
  extension: 'File extension of the exported file, e.g. ".md" (default from output).',
  required_fields: 'Metadata keys an export must carry (title and exported_at always are).',
  required_sections: 'Markdown headings the rendered output must contain, e.g. [Description, Instructions].',
  frontmatter_fields: 'yaml-frontmatter only: keys the rendered front matter must hold (default: title, exported_at and required_fields).',
  html_bound: 'The output ends up rendered as HTML: risky patterns block the export instead of warning.',
};

export function toTemplateConfig(header: TemplateHeader): TemplateConfig {
  const requiredFields = unique(header.required_fields);
  const config: TemplateConfig = {
    name: header.name,
    output: header.output,
    extension: header.extension ?? DEFAULT_EXTENSIONS[header.output],
    requiredFields,
    requiredSections: unique(header.required_sections),
    frontmatterFields: unique(header.frontmatter_fields ?? [...ALWAYS_REQUIRED_FIELDS, ...requiredFields]),
    htmlBound: header.html_bound,
  };
  if (header.description !== undefined) config.description = header.description;
  return config;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
