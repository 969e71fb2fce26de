/**
 * The file "New Template" writes: front matter (the template's configuration,
 * DESIGN.md §5) and a Handlebars body using only built-in helpers, so it is
 * valid as created and shows what can be changed. Pure.
 */

/** Template ids are file names: lower-case letters, digits, "-" and "_". */
export const TEMPLATE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function checkTemplateName(name: string): string | undefined {
  if (name.trim() === '') return 'Enter a name, e.g. "design-note".';
  if (!TEMPLATE_NAME_PATTERN.test(name.trim())) {
    return 'Use lower-case letters, digits, "-" and "_" (up to 64), starting with a letter or digit.';
  }
  return undefined;
}

export function templateStarter(name: string): string {
  const title = name
    .split(/[-_]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
  return [
    '---',
    `name: ${title}`,
    'description: What this template is for, shown in the template picker.',
    'output: markdown',
    'extension: .md',
    'required_fields: [title]',
    '---',
    '# {{oneLine metadata.title}}',
    '',
    '{{#if metadata.tags}}',
    '_Tags: {{join metadata.tags ", "}}_',
    '{{/if}}',
    '',
    '{{{content}}}',
    '',
  ].join('\n');
}
