import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { systemClock } from '../clock';
import { isExportError } from '../errors';
import { transform } from '../pipeline/transform';
import { validate } from '../pipeline/validate';
import { type TemplateEngine, sharedTemplateEngine } from './engine';
import { LineIndex } from './positions';
import { SAMPLE_ASSEMBLED, SAMPLE_EXPORTED_AT, sampleMetadata } from './sample';
import { analyzeTemplateFile } from './templateFile';
import type { TemplateAnalysis, TemplateDefinition, TemplateIssue, TemplateOrigin, TemplateRange } from './types';

/**
 * Full check of a template file, as `templates check` and the language
 * server run it: header and body analysis, then a render of a sample
 * selection through the output validators.
 */

export interface TemplateFileCheck {
  file: string;
  issues: TemplateIssue[];
}

export function checkTemplateText(text: string, origin: TemplateOrigin, engine: TemplateEngine = sharedTemplateEngine()): TemplateIssue[] {
  return checkAnalyzedTemplate(text, analyzeTemplateFile(text, origin), engine);
}

/**
 * checkTemplateText for a text whose analysis (`analyzeTemplateFile(text, …)`)
 * is at hand: adds only the sample render. The language server's slow pass
 * uses it with the quick pass's analysis instead of analyzing the text twice.
 */
export function checkAnalyzedTemplate(
  text: string,
  analysis: TemplateAnalysis,
  engine: TemplateEngine = sharedTemplateEngine(),
): TemplateIssue[] {
  if (analysis.definition === undefined) return analysis.issues;
  return [...analysis.issues, ...sampleRenderIssues(analysis.definition, new LineIndex(text), engine)];
}

export async function checkTemplateFiles(files: readonly string[]): Promise<TemplateFileCheck[]> {
  return Promise.all(
    files.map(async (file): Promise<TemplateFileCheck> => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        const reason = (error as { code?: unknown }).code === 'ENOENT' ? 'file not found' : (error as Error).message;
        const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        return { file, issues: [{ code: 'FILE_UNREADABLE', message: `Cannot read the template: ${reason}`, severity: 'error', range }] };
      }
      return { file, issues: checkTemplateText(text, { id: basename(file).replace(/\.hbs$/, ''), path: file, builtin: false }) };
    }),
  );
}

function sampleRenderIssues(template: TemplateDefinition, lines: LineIndex, engine: TemplateEngine): TemplateIssue[] {
  const clock = { now: () => SAMPLE_EXPORTED_AT, monotonic: () => systemClock.monotonic() };
  const bodyRange = lines.lineRange(Math.min(template.bodyStartLine, lines.lineCount - 1));
  let formatted;
  try {
    formatted = transform(SAMPLE_ASSEMBLED, template, sampleMetadata(template), clock, engine);
  } catch (error) {
    const message = isExportError(error) || error instanceof Error ? error.message : String(error);
    return [{ code: 'SAMPLE_RENDER_FAILED', severity: 'error', message: `Rendering a sample selection failed: ${message}`, range: bodyRange }];
  }
  const result = validate(formatted, template, { maxContentLength: Number.MAX_SAFE_INTEGER });
  const toIssue = (severity: 'error' | 'warning') => (problem: { code: string; message: string; field?: string }): TemplateIssue => ({
    code: 'SAMPLE_OUTPUT_INVALID',
    severity,
    message: `On a sample selection: ${problem.message} [${problem.code}]`,
    range: rangeForProblem(problem.code, lines, bodyRange),
  });
  return [...result.errors.map(toIssue('error')), ...result.warnings.map(toIssue('warning'))];
}

/** Points a sample-output problem at the header key that asked for it, when there is one. */
function rangeForProblem(code: string, lines: LineIndex, fallback: TemplateRange): TemplateRange {
  const key = code === 'SECTION_MISSING' ? 'required_sections' : code === 'SCHEMA_INVALID' ? 'frontmatter_fields' : undefined;
  if (key === undefined) return fallback;
  for (let line = 1; line < lines.lineCount; line += 1) {
    const text = lines.lineText(line);
    if (/^---[ \t]*$/.test(text)) break;
    if (text.startsWith(`${key}:`)) return { start: { line, character: 0 }, end: { line, character: key.length } };
  }
  return fallback;
}
