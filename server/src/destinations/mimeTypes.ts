/**
 * The MIME type an exported file is uploaded with, by extension. The
 * templates' output kinds (markdown, yaml-frontmatter → .md, xml → .xml,
 * text → .txt) and the usual extensions of a workspace template; anything
 * else is plain text, since every export is text.
 */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.txt': 'text/plain',
  '.xml': 'application/xml',
  '.json': 'application/json',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.csv': 'text/csv',
  '.hbs': 'text/x-handlebars-template',
};

export const DEFAULT_EXPORT_MIME = 'text/plain';

export function mimeTypeOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  if (dot <= 0 || dot === filename.length - 1) return DEFAULT_EXPORT_MIME;
  return MIME_BY_EXTENSION[filename.slice(dot).toLowerCase()] ?? DEFAULT_EXPORT_MIME;
}
