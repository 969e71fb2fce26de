import { createHash } from 'node:crypto';
import YAML, { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { ExportError } from '../errors';
import type { OutputKind } from '../model';
import { analyzeBody } from './analyzer';
import { HEADER_KEYS, OUTPUT_KINDS, templateHeaderSchema, toTemplateConfig } from './header';
import { LineIndex } from './positions';
import { byCloseness } from './suggest';
import type { TemplateAnalysis, TemplateDefinition, TemplateIssue, TemplateOrigin, TemplateRange } from './types';

/**
 * A template file: YAML front matter between `---` lines, then a Handlebars
 * body (DESIGN.md §5). analyzeTemplateFile never throws and reports every
 * problem with its position in the whole file; parseTemplateFile throws
 * TEMPLATE_INVALID when there is any error.
 */

interface FileParts {
  lines: LineIndex;
  headerText: string;
  headerOffset: number;
  body: string;
  bodyStartLine: number;
}

const DELIMITER = /^---[ \t]*$/;

export function analyzeTemplateFile(fileText: string, origin: TemplateOrigin = { id: 'template', builtin: false }): TemplateAnalysis {
  // Editors do not count a byte-order mark as a character.
  const text = fileText.startsWith('\uFEFF') ? fileText.slice(1) : fileText;
  const lines = new LineIndex(text);

  if (!DELIMITER.test(lines.lineText(0))) {
    const issue = headerIssue('HEADER_MISSING', 'A template starts with a YAML header between "---" lines (name, output, …), then the Handlebars body.', lines.lineRange(0));
    return { issues: [issue, ...analyzeBody(text, { bodyStartLine: 0, output: 'markdown' }).issues] };
  }
  let closing = -1;
  for (let line = 1; line < lines.lineCount; line += 1) {
    if (DELIMITER.test(lines.lineText(line))) {
      closing = line;
      break;
    }
  }
  if (closing < 0) {
    return { issues: [headerIssue('HEADER_UNTERMINATED', 'The header is never closed: add a line with "---" after it.', lines.lineRange(0))] };
  }

  const bodyStartLine = closing + 1;
  const bodyOffset = bodyStartLine < lines.lineCount ? lines.lineStart(bodyStartLine) : text.length;
  const parts: FileParts = {
    lines,
    headerOffset: lines.lineStart(1),
    headerText: text.slice(lines.lineStart(1), lines.lineStart(closing)),
    body: text.slice(bodyOffset),
    bodyStartLine,
  };

  const header = analyzeHeader(parts);
  const output: OutputKind = header.config?.output ?? guessOutput(header.raw);
  const body = analyzeBody(parts.body, { bodyStartLine, output });
  const issues = [...header.issues, ...body.issues];
  if (header.config === undefined || issues.some((i) => i.severity === 'error')) return { issues };

  const definition: TemplateDefinition = {
    ...header.config,
    id: origin.id,
    builtin: origin.builtin,
    body: parts.body,
    bodyStartLine,
    hash: createHash('sha256').update(fileText).digest('hex'),
  };
  if (origin.path !== undefined) definition.path = origin.path;
  return { definition, issues };
}

export function parseTemplateFile(text: string, origin: TemplateOrigin): TemplateDefinition {
  const analysis = analyzeTemplateFile(text, origin);
  if (analysis.definition !== undefined) return analysis.definition;
  throw invalidTemplateError(origin, analysis.issues);
}

export function invalidTemplateError(origin: TemplateOrigin, issues: TemplateIssue[]): ExportError {
  const errors = issues.filter((i) => i.severity === 'error');
  const first = errors[0];
  const where = origin.path ?? origin.id;
  const summary =
    first === undefined
      ? 'it has errors'
      : `line ${first.range.start.line + 1}:${first.range.start.character + 1}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`;
  return new ExportError('TEMPLATE_INVALID', `Template "${origin.id}" (${where}) is invalid: ${summary}`, {
    details: { templateId: origin.id, path: origin.path, issues },
    recoverable: false,
  });
}

function headerIssue(code: TemplateIssue['code'], message: string, range: TemplateRange): TemplateIssue {
  return { code, message, severity: 'error', range };
}

function guessOutput(raw: unknown): OutputKind {
  const value = typeof raw === 'object' && raw !== null ? (raw as { output?: unknown }).output : undefined;
  return OUTPUT_KINDS.find((kind) => kind === value) ?? 'markdown';
}

// ---- header ----------------------------------------------------------------

interface HeaderAnalysis {
  config?: ReturnType<typeof toTemplateConfig>;
  raw?: unknown;
  issues: TemplateIssue[];
}

function analyzeHeader(parts: FileParts): HeaderAnalysis {
  const { lines, headerOffset, headerText } = parts;
  const rangeOf = (start: number, end: number): TemplateRange => lines.rangeAt(headerOffset + start, headerOffset + end);
  const openingLine = lines.lineRange(0);

  const doc = YAML.parseDocument(headerText, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((error) =>
        headerIssue('HEADER_YAML_SYNTAX', `YAML error in the header: ${error.message}`, rangeOf(error.pos[0], error.pos[1])),
      ),
    };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 20 }) ?? {};
  } catch (error) {
    return { issues: [headerIssue('HEADER_YAML_SYNTAX', `YAML error in the header: ${(error as Error).message}`, openingLine)] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { raw, issues: [headerIssue('HEADER_NOT_MAPPING', 'The header must be a YAML mapping of keys (name: …, output: …).', rangeOf(0, headerText.length))] };
  }

  const parsed = templateHeaderSchema.safeParse(raw);
  if (parsed.success) return { raw, config: toTemplateConfig(parsed.data), issues: [] };

  const record = raw as Record<string, unknown>;
  const locate = (path: readonly PropertyKey[], part: 'key' | 'value'): TemplateRange => {
    const span = yamlSpan(doc.contents, path, part);
    return span === undefined ? openingLine : rangeOf(span[0], span[1]);
  };
  const issues = parsed.error.issues.flatMap((issue) => describeHeaderIssue(issue, record, locate, openingLine));
  for (const issue of issues) addHeaderFix(issue, record, lines);
  return { raw, issues };
}

function describeHeaderIssue(
  issue: z.core.$ZodIssue,
  record: Record<string, unknown>,
  locate: (path: readonly PropertyKey[], part: 'key' | 'value') => TemplateRange,
  openingLine: TemplateRange,
): TemplateIssue[] {
  const path = issue.path;
  const key = String(path[0] ?? '');
  const shown = path.map(String).join('.');

  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((unknown) => {
      const near = HEADER_KEYS.find((k) => k.replace(/_/g, '') === unknown.toLowerCase().replace(/[-_\s]/g, ''));
      const hint = near === undefined ? '' : ` Did you mean "${near}"?`;
      return headerIssue('HEADER_UNKNOWN_KEY', `Unknown header key "${unknown}".${hint} Known keys: ${HEADER_KEYS.join(', ')}.`, locate([unknown], 'key'));
    });
  }
  if (path.length >= 1 && !Object.hasOwn(record, key)) {
    return [headerIssue('HEADER_MISSING_KEY', `The header needs "${key}".`, openingLine)];
  }
  const actual = valueAt(record, path);
  if (issue.code === 'invalid_value' && key === 'output' && path.length === 1) {
    return [headerIssue('HEADER_UNKNOWN_OUTPUT', `Unknown output "${String(actual)}": use ${OUTPUT_KINDS.join(', ')}.`, locate(path, 'value'))];
  }
  if (issue.code === 'invalid_type') {
    return [headerIssue('HEADER_WRONG_TYPE', `"${shown}" must be ${describeExpected(key, issue.expected)}, not ${describeValue(actual)}.`, locate(path, 'value'))];
  }
  return [headerIssue('HEADER_INVALID_VALUE', `"${shown}": ${issue.message}`, locate(path, 'value'))];
}

/** Unknown keys and output kinds: the valid ones as fixes, the closest first (keys already written are not offered). */
function addHeaderFix(issue: TemplateIssue, record: Record<string, unknown>, lines: LineIndex): void {
  const written = lines.textAt(issue.range);
  if (written === '') return;
  if (issue.code === 'HEADER_UNKNOWN_KEY') {
    const free = HEADER_KEYS.filter((key) => !Object.hasOwn(record, key));
    issue.fix = { range: issue.range, expected: written, choices: byCloseness(written.replace(/^["']|["']$/g, ''), free) };
  } else if (issue.code === 'HEADER_UNKNOWN_OUTPUT') {
    issue.fix = { range: issue.range, expected: written, choices: byCloseness(String(record['output']), OUTPUT_KINDS) };
  }
}

function describeExpected(key: string, expected: string): string {
  if (key === 'required_fields' || key === 'required_sections' || key === 'frontmatter_fields') {
    return expected === 'array' ? 'a list of strings, e.g. [title]' : `a ${expected}`;
  }
  return expected === 'boolean' ? 'true or false' : `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `the ${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** Offsets [start, end) in the header of the key or value at `path`. */
function yamlSpan(node: unknown, path: readonly PropertyKey[], part: 'key' | 'value'): [number, number] | undefined {
  let current: unknown = node;
  let keyNode: YamlNode | undefined;
  for (const step of path) {
    keyNode = undefined;
    if (isMap(current)) {
      const pair = current.items.find((item) => isScalar(item.key) && String(item.key.value) === String(step));
      if (pair === undefined) return undefined;
      keyNode = isScalar(pair.key) ? pair.key : undefined;
      current = pair.value ?? undefined;
    } else if (isSeq(current) && typeof step === 'number') {
      current = current.items[step];
    } else {
      return undefined;
    }
  }
  const target = part === 'key' && keyNode !== undefined ? keyNode : current;
  const range = (target as { range?: unknown } | undefined)?.range;
  if (Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number') {
    return range[1] > range[0] ? [range[0], range[1]] : keyNode?.range ? [keyNode.range[0], keyNode.range[1]] : undefined;
  }
  return keyNode?.range ? [keyNode.range[0], keyNode.range[1]] : undefined;
}
