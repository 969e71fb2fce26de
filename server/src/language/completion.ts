import { type CompletionItem, CompletionItemKind, type Position, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import YAML from 'yaml';
import { type ContextShape, DATA_VARIABLES } from '../templates/context';
import { HEADER_KEYS, HEADER_KEY_DOCS, OUTPUT_KINDS } from '../templates/header';
import { HELPER_DOCS, type HelperDoc } from '../templates/helpers';
import { type Scope, openBlockNamesAt, resolvePath, scopesAt } from './blockScope';
import {
  OUTPUT_KIND_DOCS,
  dataVariableMarkdown,
  describeShape,
  helperDetail,
  helperMarkdown,
  markdown,
  variableMarkdown,
} from './docs';
import {
  type FrontMatter,
  type MustacheAt,
  frontMatterOf,
  headerKeysIn,
  insideStringLiteral,
  isHeaderLine,
  mustacheAt,
  tokenBefore,
  tokenRole,
} from './templateSyntax';

/**
 * Completion in a template file: header keys and `output:` values in the
 * YAML header; in the body, inside a mustache, helpers where a helper can
 * be called and variables of the current scope where a value can go.
 */

/** sortText groups: the current scope's values first, helpers after. */
const ORDER = { field: '0', nested: '1', data: '2', helper: '3', keyword: '4' } as const;

export function templateCompletions(document: TextDocument, position: Position): CompletionItem[] {
  const text = document.getText();
  const offset = document.offsetAt(position);
  const frontMatter = frontMatterOf(text);
  if (isHeaderLine(frontMatter, position.line)) {
    const lineStart = document.offsetAt({ line: position.line, character: 0 });
    return headerCompletions(text.slice(lineStart, offset), position, headerKeysIn(text, frontMatter));
  }
  if (offset < frontMatter.bodyOffset) return [];
  const mustache = mustacheAt(text, offset, frontMatter.bodyOffset);
  if (mustache === undefined || mustache.refused) return [];
  return mustacheCompletions({ text, offset, position, frontMatter, mustache });
}

// ---- header ----------------------------------------------------------------

function headerCompletions(beforeCursor: string, position: Position, presentKeys: readonly string[]): CompletionItem[] {
  const partialKey = /^[A-Za-z_][\w-]*$|^$/.exec(beforeCursor)?.[0];
  if (partialKey !== undefined) {
    const range = rangeBack(position, partialKey.length);
    return HEADER_KEYS.filter((key) => !presentKeys.includes(key) || key === partialKey).map((key) => ({
      label: key,
      kind: CompletionItemKind.Property,
      detail: 'template header key',
      documentation: markdown(HEADER_KEY_DOCS[key]),
      textEdit: { range, newText: `${key}: ` },
    }));
  }
  const value = /^([A-Za-z_][\w-]*)[ \t]*:([ \t]*)([\w-]*)$/.exec(beforeCursor);
  if (value === null) return [];
  const [, key, spacing = '', partial = ''] = value;
  const range = rangeBack(position, partial.length);
  // `output:markdown` (no space) would be one YAML string, not a key and a value.
  const lead = spacing === '' ? ' ' : '';
  if (key === 'output') {
    return OUTPUT_KINDS.map((kind) => ({
      label: kind,
      kind: CompletionItemKind.EnumMember,
      documentation: markdown(OUTPUT_KIND_DOCS[kind]),
      textEdit: { range, newText: lead + kind },
      filterText: kind,
    }));
  }
  if (key === 'html_bound') {
    return ['true', 'false'].map((bool) => ({ label: bool, kind: CompletionItemKind.Value, textEdit: { range, newText: lead + bool }, filterText: bool }));
  }
  return [];
}

// ---- body ------------------------------------------------------------------

interface BodyCursor {
  text: string;
  offset: number;
  position: Position;
  frontMatter: FrontMatter;
  mustache: MustacheAt;
}

function mustacheCompletions(cursor: BodyCursor): CompletionItem[] {
  const { text, offset, position, frontMatter, mustache } = cursor;
  if (mustache.sigil === '!' || mustache.sigil === '>' || mustache.sigil === '*') return [];
  const before = text.slice(mustache.contentStart, offset);
  if (insideStringLiteral(before)) return [];
  const { start, token } = tokenBefore(text, offset, mustache.contentStart);
  const role = tokenRole(text.slice(mustache.contentStart, start));
  const range = rangeBack(position, offset - start);
  const scopes = scopesAt(text, frontMatter.bodyOffset, mustache.open);

  if (role === 'head' && mustache.sigil === '/') {
    return openBlockNamesAt(text, frontMatter.bodyOffset, mustache.open)
      .filter((name) => name !== '')
      .slice(0, 1)
      .map((name) => ({ label: name, kind: CompletionItemKind.Keyword, detail: 'close the open block', textEdit: { range, newText: name } }));
  }
  if (/[./]/.test(token) && !/^\.\.?$/.test(token)) return memberCompletions(token, position, scopes, text, frontMatter);
  if (token.startsWith('@')) return dataVariableItems(scopes, range);

  if (role === 'subexpression-head') return helperItems((doc) => !doc.block, range);
  if (role === 'head' && mustache.sigil === '#') return helperItems((doc) => doc.block, range);
  const values = valueItems(scopes, range);
  // `{{` and `{{{` (sigil '') call helpers or print values; `{{^`, `{{&` and arguments take values.
  if (role !== 'head' || mustache.sigil !== '') return values;
  const insideBlock = scopes.length > 1;
  const elseKeyword: CompletionItem[] =
    insideBlock && !mustache.triple
      ? [{ label: 'else', kind: CompletionItemKind.Keyword, detail: 'the inverse branch of the block', sortText: `${ORDER.keyword}else`, textEdit: { range, newText: 'else' } }]
      : [];
  return [...values, ...helperItems((doc) => !doc.block, range), ...elseKeyword];
}

function helperItems(accept: (doc: HelperDoc) => boolean, range: Range): CompletionItem[] {
  return HELPER_DOCS.filter(accept).map((doc) => ({
    label: doc.name,
    kind: CompletionItemKind.Function,
    detail: helperDetail(doc),
    documentation: markdown(helperMarkdown(doc)),
    sortText: `${ORDER.helper}${doc.name}`,
    textEdit: { range, newText: doc.name },
  }));
}

/** Values of the current scope: its fields, block parameters, data variables; at the top level also `metadata.title`-style paths. */
function valueItems(scopes: readonly Scope[], range: Range): CompletionItem[] {
  const scope = scopes.at(-1);
  if (scope === undefined) return [];
  const items: CompletionItem[] = [];
  const add = (label: string, shape: ContextShape, order: string, kind: CompletionItemKind): void => {
    items.push({
      label,
      kind,
      detail: describeShape(shape),
      documentation: markdown(variableMarkdown(label, shape)),
      sortText: `${order}${label}`,
      textEdit: { range, newText: label },
    });
  };
  const topLevel = scopes.every((s, i) => i === 0 || s.sameContext);
  for (const [name, shape] of fieldsOf(scope.shape)) {
    add(name, shape, ORDER.field, topLevel ? CompletionItemKind.Variable : CompletionItemKind.Field);
    if (topLevel) for (const [child, childShape] of fieldsOf(shape)) add(`${name}.${child}`, childShape, ORDER.nested, CompletionItemKind.Field);
  }
  for (const s of scopes) for (const [name, shape] of s.blockParams) add(name, shape, ORDER.field, CompletionItemKind.Variable);
  if (!topLevel) add('this', scope.shape, ORDER.nested, CompletionItemKind.Keyword);
  return [...items, ...dataVariableItems(scopes, range)];
}

function dataVariableItems(scopes: readonly Scope[], range: Range): CompletionItem[] {
  const iterating = scopes.at(-1)?.iterating === true;
  return Object.entries(DATA_VARIABLES)
    .filter(([name]) => name === 'root' || iterating)
    .map(([name, description]) => ({
      label: `@${name}`,
      kind: CompletionItemKind.Variable,
      detail: 'data variable',
      documentation: markdown(dataVariableMarkdown(name, description)),
      sortText: `${ORDER.data}${name}`,
      textEdit: { range, newText: `@${name}` },
    }));
}

/** After `metadata.`, `@root.`, `../`, `this.`: the fields of what comes before the last separator. */
function memberCompletions(token: string, position: Position, scopes: readonly Scope[], text: string, frontMatter: FrontMatter): CompletionItem[] {
  const separator = Math.max(token.lastIndexOf('.'), token.lastIndexOf('/'));
  const base = token.slice(0, separator + 1);
  const partial = token.slice(separator + 1);
  const range = rangeBack(position, partial.length);
  // `../` names the outer context itself; otherwise drop the trailing separator.
  const shape = resolvePath(base.endsWith('../') ? base : base.slice(0, -1), scopes);
  if (shape === undefined) return [];
  const fields = fieldsOf(shape);
  const known = new Set(fields.map(([name]) => name));
  const items: CompletionItem[] = fields.map(([name, child]) => ({
    label: name,
    kind: CompletionItemKind.Field,
    detail: describeShape(child),
    documentation: markdown(variableMarkdown(`${base}${name}`, child)),
    textEdit: { range, newText: name },
  }));
  // Open objects (metadata) also hold the fields this template requires.
  if (shape.kind === 'object' && shape.open === true) {
    for (const field of requiredFieldsOf(text, frontMatter)) {
      if (known.has(field) || !/^[A-Za-z_][\w-]*$/.test(field)) continue;
      items.push({ label: field, kind: CompletionItemKind.Field, detail: 'required field of this template', textEdit: { range, newText: field } });
    }
  }
  if (shape.kind === 'array' || shape.kind === 'scalar') {
    items.push({ label: 'length', kind: CompletionItemKind.Property, detail: 'number', textEdit: { range, newText: 'length' } });
  }
  return items;
}

function fieldsOf(shape: ContextShape): [string, ContextShape][] {
  return shape.kind === 'object' ? Object.entries(shape.fields) : [];
}

function requiredFieldsOf(text: string, frontMatter: FrontMatter): string[] {
  if (!frontMatter.hasHeader || frontMatter.closingLine === undefined) return [];
  try {
    const header: unknown = YAML.parse(text.slice(text.indexOf('\n') + 1, frontMatter.bodyOffset).replace(/---[ \t]*\r?\n?$/, ''));
    const fields = typeof header === 'object' && header !== null ? (header as { required_fields?: unknown }).required_fields : undefined;
    return Array.isArray(fields) ? fields.filter((field): field is string => typeof field === 'string') : [];
  } catch {
    return []; // a header being typed: no extra fields
  }
}

function rangeBack(position: Position, length: number): Range {
  return { start: { line: position.line, character: position.character - length }, end: position };
}
