import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkAnalyzedTemplate } from '../templates/check';
import { analyzeTemplateFile } from '../templates/templateFile';
import { MAX_TEMPLATE_BYTES } from '../templates/registry';
import type { TemplateAnalysis, TemplateIssue, TemplateOrigin } from '../templates/types';

/**
 * The two passes of template diagnostics. `quick` is the static analysis
 * (header, Handlebars syntax, helpers, variables): tens of milliseconds on a
 * 500-line template. `full` adds the render of a sample selection through
 * the output validators, several times slower, because it compiles and runs
 * the template.
 */

export interface QuickCheck {
  issues: TemplateIssue[];
  /** True when `full` would find nothing more (static errors stop the sample render, or it is not allowed). */
  complete: boolean;
}

export interface TemplateChecks {
  quick(text: string, uri: string): QuickCheck | Promise<QuickCheck>;
  full(text: string, uri: string): TemplateIssue[] | Promise<TemplateIssue[]>;
  /** The document closed: drop what is kept of it. */
  forget(uri: string): void;
}

/**
 * A template over the size limit is not analysed at all (issue 11 item 7:
 * a 23 MB document once took the server's heap): one issue says so, at
 * the top, and nothing of the text is parsed or kept.
 */
export function tooLargeToAnalyse(text: string): TemplateIssue | undefined {
  if (text.length <= MAX_TEMPLATE_BYTES) return undefined;
  return {
    code: 'TEMPLATE_TOO_LARGE',
    severity: 'error',
    message: `This template has ${text.length.toLocaleString('en-US')} characters; templates up to ${(MAX_TEMPLATE_BYTES / 1024).toFixed(0)} KiB are used and checked. It is not analysed.`,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}

/**
 * `canRenderSample`: the sample render compiles and runs the template, and
 * workspace templates are code (DESIGN.md §5): pass the workspace trust, so
 * an untrusted workspace gets static checks only.
 */
export function templateChecks(canRenderSample: (uri: string) => boolean = () => true): TemplateChecks {
  // The last analysis: `full` of the text `quick` has just analyzed starts from it.
  let last: { uri: string; text: string; analysis: TemplateAnalysis } | undefined;
  const analyze = (text: string, uri: string): TemplateAnalysis => {
    if (last !== undefined && last.uri === uri && last.text === text) return last.analysis;
    const analysis = analyzeTemplateFile(text, templateOrigin(uri));
    last = { uri, text, analysis };
    return analysis;
  };
  return {
    quick(text, uri) {
      const tooLarge = tooLargeToAnalyse(text);
      if (tooLarge) return { issues: [tooLarge], complete: true };
      const analysis = analyze(text, uri);
      return { issues: analysis.issues, complete: analysis.definition === undefined || !canRenderSample(uri) };
    },
    full(text, uri) {
      const tooLarge = tooLargeToAnalyse(text);
      if (tooLarge) return [tooLarge];
      const analysis = analyze(text, uri);
      return canRenderSample(uri) ? checkAnalyzedTemplate(text, analysis) : analysis.issues;
    },
    forget(uri) {
      if (last?.uri === uri) last = undefined;
    },
  };
}

export function templateOrigin(uri: string): TemplateOrigin {
  const path = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  return { id: basename(path).replace(/\.hbs$/i, ''), path, builtin: false };
}
