import { escapeXmlAttr, escapeXmlText, metadataToXml, toJson, toText, toYaml } from './serialize';

/**
 * Template helpers: pure functions of their arguments (no I/O, no clock).
 * The engine registers them in its own Handlebars environment; the language
 * server uses the docs for completion and hover.
 */

/** Already-escaped XML: the engine's escaping passes it through unchanged. */
export class Markup {
  constructor(readonly value: string) {}
  toHTML(): string {
    return this.value;
  }
  toString(): string {
    return this.value;
  }
}

export interface HelperDoc {
  name: string;
  description: string;
  example: string;
  /** Used as `{{#name}}…{{/name}}`. */
  block: boolean;
  minArgs: number;
  maxArgs: number;
}

export interface HelperSpec extends HelperDoc {
  run(args: readonly unknown[], hash: Readonly<Record<string, unknown>>): unknown;
}

const MAX_SLUG_LENGTH = 64;

function text(value: unknown): string {
  return value instanceof Markup ? value.value : toText(value);
}

function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

function positiveInt(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : fallback;
}

/** Cuts at `max` UTF-16 units without leaving half a surrogate pair. */
function cut(value: string, max: number): string {
  let out = value.slice(0, max);
  const last = out.charCodeAt(out.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  return out;
}

export function slugify(value: string, max = MAX_SLUG_LENGTH): string {
  const slug = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, max).replace(/-+$/, '');
}

export function truncateText(value: string, max: number, suffix = '…'): string {
  if (value.length <= max) return value;
  if (max <= suffix.length) return cut(value, max);
  return cut(value, max - suffix.length) + suffix;
}

export function formatDate(value: unknown, format = 'iso'): string {
  const date =
    typeof value === 'number' ? new Date(value) : typeof value === 'string' && value !== '' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) return text(value);
  const iso = date.toISOString();
  switch (format) {
    case 'date':
      return iso.slice(0, 10);
    case 'datetime':
      return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
    default:
      return iso;
  }
}

export function blockquoteText(value: string): string {
  return value
    .split(/\r\n|\r|\n/)
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}

/** A Markdown code fence longer than any backtick run inside the code. */
export function fenceCode(code: string, language = ''): string {
  let longest = 0;
  for (const run of code.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const body = code.endsWith('\n') ? code : `${code}\n`;
  return `${fence}${language.replace(/[`\s]/g, '')}\n${body}${fence}`;
}

export const HELPERS: readonly HelperSpec[] = [
  {
    name: 'yaml',
    description: 'The value as YAML (the only way to write front matter: every string round-trips).',
    example: '---\n{{{yaml metadata}}}---',
    block: false,
    minArgs: 1,
    maxArgs: 1,
    run: ([value]) => toYaml(value),
  },
  {
    name: 'json',
    description: 'The value as JSON; indent=N sets the indentation (default 2, 0 for one line).',
    example: '{{{json metadata indent=0}}}',
    block: false,
    minArgs: 1,
    maxArgs: 1,
    run: ([value], hash) => toJson(value, positiveInt(hash['indent'], 2)),
  },
  {
    name: 'xml',
    description: 'The value as escaped XML text (& < > " \' escaped, characters XML cannot hold removed).',
    example: '<title>{{xml metadata.title}}</title>',
    block: false,
    minArgs: 1,
    maxArgs: 1,
    run: ([value]) => (value instanceof Markup ? value : new Markup(escapeXmlText(toText(value)))),
  },
  {
    name: 'xmlAttr',
    description: 'The value escaped for an XML attribute (also tabs and newlines).',
    example: '<message id="{{xmlAttr id}}">',
    block: false,
    minArgs: 1,
    maxArgs: 1,
    run: ([value]) => new Markup(escapeXmlAttr(text(value))),
  },
  {
    name: 'xmlMetadata',
    description: 'An object as <field name="key">value</field> elements, whatever its keys; indent=N indents them.',
    example: '<metadata>\n{{xmlMetadata metadata indent=4}}\n</metadata>',
    block: false,
    minArgs: 1,
    maxArgs: 1,
    run: ([value], hash) => new Markup(metadataToXml(value, { baseIndent: positiveInt(hash['indent'], 0) })),
  },
  {
    name: 'date',
    description: 'Formats an ISO date or epoch milliseconds: "iso" (default), "date" (YYYY-MM-DD) or "datetime".',
    example: '{{date metadata.exported_at "date"}}',
    block: false,
    minArgs: 1,
    maxArgs: 2,
    run: ([value, format]) => formatDate(value, typeof format === 'string' ? format : 'iso'),
  },
  {
    name: 'slug',
    description: `Lowercase-hyphen slug (a-z, 0-9, -); max=N caps the length (default ${MAX_SLUG_LENGTH}).`,
    example: '{{slug metadata.title}}',
    block: false,
    minArgs: 1,
    maxArgs: 1,
    run: ([value], hash) => slugify(text(value), positiveInt(hash['max'], MAX_SLUG_LENGTH)),
  },
  {
    name: 'upper',
    description: 'Upper-cases the text.',
    example: '{{upper metadata.title}}',
    block: false,
    minArgs: 1,
    maxArgs: 1,
    run: ([value]) => text(value).toUpperCase(),
  },
  {
    name: 'lower',
    description: 'Lower-cases the text.',
    example: '{{lower role}}',
    block: false,
    minArgs: 1,
    maxArgs: 1,
    run: ([value]) => text(value).toLowerCase(),
  },
  {
    name: 'oneLine',
    description: 'Collapses line breaks and runs of whitespace into single spaces (for headings and list items).',
    example: '# {{oneLine metadata.title}}',
    block: false,
    minArgs: 1,
    maxArgs: 1,
    run: ([value]) => text(value).replace(/\s+/g, ' ').trim(),
  },
  {
    name: 'stripTags',
    description: 'Removes <tag>-like markup from text (e.g. for a SKILL.md description, where XML tags are not allowed).',
    example: '{{stripTags metadata.description}}',
    block: false,
    minArgs: 1,
    maxArgs: 1,
    run: ([value]) => text(value).replace(/<\/?[A-Za-z][^<>]*>/g, ''),
  },
  {
    name: 'join',
    description: 'Joins an array with a separator (default ", ").',
    example: '{{join metadata.tags ", "}}',
    block: false,
    minArgs: 1,
    maxArgs: 2,
    run: ([value, separator]) =>
      Array.isArray(value) ? value.map(text).join(typeof separator === 'string' ? separator : ', ') : text(value),
  },
  {
    name: 'truncate',
    description: 'Shortens text to at most N characters, ending with "…" (suffix="" to change it).',
    example: '{{truncate content 200}}',
    block: false,
    minArgs: 2,
    maxArgs: 2,
    run: ([value, length], hash) =>
      truncateText(text(value), positiveInt(length, 0), typeof hash['suffix'] === 'string' ? hash['suffix'] : '…'),
  },
  {
    name: 'plural',
    description: 'A count with its noun, singular for 1: "1 message", "3 messages" (plural="…" for an irregular plural).',
    example: '{{plural metadata.message_count "message"}}',
    block: false,
    minArgs: 2,
    maxArgs: 2,
    run: ([count, noun], hash) => {
      const n = typeof count === 'number' ? count : Number(text(count));
      const one = text(noun);
      const many = typeof hash['plural'] === 'string' ? hash['plural'] : `${one}s`;
      return `${Number.isFinite(n) ? n.toLocaleString('en-US') : text(count)} ${n === 1 ? one : many}`;
    },
  },
  {
    name: 'eq',
    description: 'True when both values are strictly equal (use inside #if).',
    example: '{{#if (eq role "assistant")}}…{{/if}}',
    block: false,
    minArgs: 2,
    maxArgs: 2,
    run: ([a, b]) => a === b,
  },
  {
    name: 'default',
    description: 'The first value that is not empty (null, missing, "" or []).',
    example: '{{default metadata.author "unknown"}}',
    block: false,
    minArgs: 2,
    maxArgs: 8,
    run: (args) => args.find((value) => !isEmptyValue(value)) ?? '',
  },
  {
    name: 'blockquote',
    description: 'Prefixes every line with "> " (a Markdown quote).',
    example: '{{blockquote content}}',
    block: false,
    minArgs: 1,
    maxArgs: 1,
    run: ([value]) => blockquoteText(text(value)),
  },
  {
    name: 'codeFence',
    description: 'Wraps code in a Markdown fence longer than any backtick run inside it, with an optional language.',
    example: '{{codeFence content "ts"}}',
    block: false,
    minArgs: 1,
    maxArgs: 2,
    run: ([value, language]) => fenceCode(text(value), typeof language === 'string' ? language : ''),
  },
  {
    name: 'object',
    description: 'Builds an object from its named arguments (e.g. to give yaml a chosen shape).',
    example: '{{{yaml (object name=(slug metadata.title) description=metadata.description)}}}',
    block: false,
    minArgs: 0,
    maxArgs: 0,
    run: (_args, hash) => {
      const out: Record<string, unknown> = {};
      // Handlebars fills the hash last argument first: reverse to keep the template's order.
      for (const [key, value] of Object.entries(hash).reverse()) if (value !== undefined) out[key] = value;
      return out;
    },
  },
];

/** Handlebars' own helpers that templates may use (`log` is left out: it writes to the console). */
export const BUILTIN_HELPERS: readonly HelperDoc[] = [
  { name: 'if', description: 'Renders the block when the value is truthy (not false, null, "", 0 or []).', example: '{{#if metadata.author}}By {{metadata.author}}{{/if}}', block: true, minArgs: 1, maxArgs: 1 },
  { name: 'unless', description: 'Renders the block when the value is falsy.', example: '{{#unless metadata.tags}}(no tags){{/unless}}', block: true, minArgs: 1, maxArgs: 1 },
  { name: 'each', description: 'Renders the block for every item; inside, `this`, @index, @key, @first, @last.', example: '{{#each messages}}- {{role}}: {{content}}\n{{/each}}', block: true, minArgs: 1, maxArgs: 1 },
  { name: 'with', description: 'Renders the block with the value as context.', example: '{{#with stats}}{{message_count}} messages{{/with}}', block: true, minArgs: 1, maxArgs: 1 },
  { name: 'lookup', description: 'Looks up a key or index dynamically.', example: '{{lookup metadata "my key"}}', block: false, minArgs: 2, maxArgs: 2 },
];

export const HELPER_DOCS: readonly HelperDoc[] = [
  ...BUILTIN_HELPERS,
  ...HELPERS.map(({ name, description, example, block, minArgs, maxArgs }) => ({ name, description, example, block, minArgs, maxArgs })),
];

const HELPER_DOCS_BY_NAME: ReadonlyMap<string, HelperDoc> = new Map(HELPER_DOCS.map((doc) => [doc.name, doc]));

export function helperDoc(name: string): HelperDoc | undefined {
  return HELPER_DOCS_BY_NAME.get(name);
}

export function isKnownHelper(name: string): boolean {
  return HELPER_DOCS_BY_NAME.has(name);
}

/** Handlebars `knownHelpers` compile option: ours plus the allowed built-ins, `log` off. */
export function knownHelpersOption(): Record<string, boolean> {
  const known: Record<string, boolean> = { log: false };
  for (const doc of HELPER_DOCS) known[doc.name] = true;
  return known;
}

