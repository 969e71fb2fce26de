import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { TemplateIssue } from '../templates/types';

/** TemplateIssue (templates/check.ts) → LSP Diagnostic. */

export const DIAGNOSTIC_SOURCE = 'devguide-export';

/** Code of the one diagnostic published when checking a template crashed. */
export const INTERNAL_ERROR_CODE = 'INTERNAL_ERROR';

const SEVERITY: Readonly<Record<TemplateIssue['severity'], DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
};

export function toDiagnostic(issue: TemplateIssue): Diagnostic {
  const diagnostic: Diagnostic = {
    range: issue.range,
    severity: SEVERITY[issue.severity],
    code: issue.code,
    source: DIAGNOSTIC_SOURCE,
    message: issue.message,
  };
  // What the quick fix needs (codeActions.ts), sent back by the client with the code action request.
  if (issue.fix !== undefined) diagnostic.data = issue.fix;
  return diagnostic;
}

export function toDiagnostics(issues: readonly TemplateIssue[]): Diagnostic[] {
  return issues.map(toDiagnostic);
}

/**
 * Replaces whatever was shown when a check crashes: an empty list would look
 * like "no problems", and the previous list would be stale.
 */
export function internalErrorDiagnostic(error: unknown): Diagnostic {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Warning,
    code: INTERNAL_ERROR_CODE,
    source: DIAGNOSTIC_SOURCE,
    message: `DevGuide Export could not check this template (internal error: ${reason}). This is not a problem in the template; the server log has the details.`,
  };
}
