import { XMLValidator } from 'fast-xml-parser';
import YAML from 'yaml';
import type { ValidationIssue } from '../model';
import { findXmlInvalidChar } from './serialize';
import type { TemplateConfig } from './types';
import { xmlDocumentProblem } from './xmlDocument';

/**
 * Output validators per output kind (DESIGN.md §5): front matter parses and
 * holds its fields, XML is well-formed, required sections are present. Used
 * by pipeline/validate.ts and by template checks on a sample render.
 */

/** Validation issue codes (errors and warnings) beyond the ExportError codes. */
export type OutputIssueCode =
  | 'FRONTMATTER_MISSING'
  | 'FRONTMATTER_INVALID'
  | 'SCHEMA_INVALID'
  | 'XML_MALFORMED'
  | 'SECTION_MISSING'
  | 'CONTENT_EMPTY';

export interface OutputCheck {
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
}

export type OutputRules = Pick<TemplateConfig, 'output' | 'requiredSections' | 'frontmatterFields'>;

export function checkOutput(content: string, rules: OutputRules): OutputCheck {
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  let markdownPart: string | undefined = content;

  if (rules.output === 'yaml-frontmatter') {
    const split = splitFrontMatter(content);
    if (split.kind === 'missing') {
      errors.push(issue('FRONTMATTER_MISSING', 'The output must start with YAML front matter: a "---" line, the YAML, then another "---" line.'));
      markdownPart = undefined;
    } else if (split.kind === 'unterminated') {
      errors.push(issue('FRONTMATTER_INVALID', 'The front matter is never closed: no "---" line after it.'));
      markdownPart = undefined;
    } else {
      errors.push(...checkFrontMatter(split.yaml, rules.frontmatterFields));
      markdownPart = split.body;
    }
  }

  if (rules.output === 'xml') {
    errors.push(...checkXml(content));
  } else if (markdownPart !== undefined) {
    if (markdownPart.trim() === '') {
      warnings.push(issue('CONTENT_EMPTY', rules.output === 'yaml-frontmatter' ? 'Nothing follows the front matter.' : 'The output is empty.'));
    }
    // Headings are collected only when some are required: a long export has thousands.
    const headings = rules.requiredSections.length === 0 ? new Set<string>() : new Set(markdownHeadings(markdownPart).map(normalizeHeading));
    for (const section of rules.requiredSections) {
      if (!headings.has(normalizeHeading(section))) {
        errors.push(issue('SECTION_MISSING', `Required section "${section}" is missing: add a heading such as "## ${section}".`, section));
      }
    }
  }
  return { errors, warnings };
}

type FrontMatterSplit = { kind: 'missing' } | { kind: 'unterminated' } | { kind: 'ok'; yaml: string; body: string };

export function splitFrontMatter(content: string): FrontMatterSplit {
  const opening = /^---[ \t]*(\r\n|\r|\n)/.exec(content);
  if (opening === null) return { kind: 'missing' };
  const rest = content.slice(opening[0].length);
  const closing = /^(---|\.\.\.)[ \t]*(\r\n|\r|\n|$)/m.exec(rest);
  if (closing === null) return { kind: 'unterminated' };
  return { kind: 'ok', yaml: rest.slice(0, closing.index), body: rest.slice(closing.index + closing[0].length) };
}

function checkFrontMatter(yamlText: string, fields: readonly string[]): ValidationIssue[] {
  const doc = YAML.parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    return [issue('FRONTMATTER_INVALID', `The front matter is not valid YAML: ${first.message}`)];
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return [issue('FRONTMATTER_INVALID', `The front matter is not valid YAML: ${(error as Error).message}`)];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [issue('FRONTMATTER_INVALID', 'The front matter must be a YAML mapping (key: value lines).')];
  }
  const record = value as Record<string, unknown>;
  return fields
    .filter((field) => isMissing(Object.hasOwn(record, field) ? record[field] : undefined))
    .map((field) => issue('SCHEMA_INVALID', `The front matter lacks "${field}".`, field));
}

function checkXml(content: string): ValidationIssue[] {
  const errors: ValidationIssue[] = [];
  const result = XMLValidator.validate(content, { allowBooleanAttributes: false });
  if (result !== true) {
    const { line, col, msg } = result.err;
    errors.push(issue('XML_MALFORMED', `The XML is not well-formed (line ${line}, column ${col}): ${msg}`));
  } else {
    // XMLValidator checks tags, not the document: one root, nothing but comments, PIs and whitespace around it.
    const problem = xmlDocumentProblem(content);
    if (problem !== undefined) {
      const { line, column } = lineAndColumn(content, problem.index);
      errors.push(issue('XML_MALFORMED', `The XML is not well-formed (line ${line}, column ${column}): ${problem.message}.`));
    }
  }
  const bad = findXmlInvalidChar(content);
  if (bad !== undefined) {
    const line = content.slice(0, bad.index).split(/\r\n|\r|\n/).length;
    errors.push(issue('XML_MALFORMED', `The XML contains a character XML 1.0 forbids (U+${bad.codeUnit}) on line ${line}.`));
  }
  return errors;
}

/** 1-based line and column (UTF-16 units) of an offset; CR, LF and CRLF end lines. */
function lineAndColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

// ---- Markdown headings -----------------------------------------------------

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;

/** ATX and setext headings outside fenced code blocks, in order. */
export function markdownHeadings(markdown: string): string[] {
  const headings: string[] = [];
  let fence: string | undefined;
  let previous = '';
  for (const line of splitLines(markdown)) {
    if (!mayBeMarkup(line)) {
      // Neither fence, heading nor underline: the regexes below cannot match.
      previous = fence === undefined ? line : '';
      continue;
    }
    const fenceMatch = FENCE.exec(line);
    if (fence !== undefined) {
      if (fenceMatch?.[1] !== undefined && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length && line.trim() === fenceMatch[1]) {
        fence = undefined;
      }
      previous = '';
      continue;
    }
    if (fenceMatch?.[1] !== undefined && !(fenceMatch[1][0] === '`' && line.slice(line.indexOf(fenceMatch[1]) + fenceMatch[1].length).includes('`'))) {
      fence = fenceMatch[1];
      previous = '';
      continue;
    }
    const atx = ATX.exec(line);
    if (atx !== null) {
      headings.push((atx[1] ?? '').trim());
      previous = '';
      continue;
    }
    if (SETEXT_UNDERLINE.test(line) && previous.trim() !== '' && !/^ {0,3}([-*+]|\d+[.)])\s/.test(previous)) {
      headings.push(previous.trim());
      previous = '';
      continue;
    }
    previous = line;
  }
  return headings;
}

function splitLines(text: string): string[] {
  return text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
}

/** After at most three spaces, the first character could start a fence (` ~), an ATX heading (#) or a setext underline (= -). */
function mayBeMarkup(line: string): boolean {
  let i = 0;
  while (i < 3 && line.charCodeAt(i) === 32) i++;
  const c = line.charCodeAt(i);
  return c === 96 || c === 126 || c === 35 || c === 61 || c === 45;
}

function normalizeHeading(text: string): string {
  // Collapsing whitespace is a no-op (and skipped) without tabs, odd spaces or double spaces.
  const collapsed = /[^\S ]| {2}/.test(text) ? text.replace(/\s+/g, ' ') : text;
  return collapsed.replace(/:$/, '').trim().toLowerCase();
}

function issue(code: OutputIssueCode, message: string, field?: string): ValidationIssue {
  return field === undefined ? { code, message } : { code, message, field };
}

