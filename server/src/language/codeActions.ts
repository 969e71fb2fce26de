import { type CodeAction, CodeActionKind, type CodeActionParams, type Diagnostic, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { z } from 'zod';
import type { TemplateFix } from '../templates/types';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

/**
 * Quick fixes for template diagnostics: each of ours carries its fix as
 * `data` (a TemplateFix: text to put at a range, one choice per action),
 * so this only turns the choices into edits. The data comes back from the
 * client, so it is checked, and a fix whose text has changed since the
 * diagnostic was published is not offered.
 */

const positionSchema = z.object({ line: z.number().int().min(0), character: z.number().int().min(0) });
const fixSchema = z.object({
  range: z.object({ start: positionSchema, end: positionSchema }),
  expected: z.string(),
  choices: z.array(z.string()).max(100),
}) satisfies z.ZodType<TemplateFix>;

export function templateCodeActions(document: TextDocument, params: Pick<CodeActionParams, 'context'>): CodeAction[] {
  const only = params.context.only;
  if (only !== undefined && !only.some((kind) => kind === CodeActionKind.Empty || kind === CodeActionKind.QuickFix)) return [];
  return params.context.diagnostics.flatMap((diagnostic) => fixesFor(document, diagnostic));
}

function fixesFor(document: TextDocument, diagnostic: Diagnostic): CodeAction[] {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return [];
  const parsed = fixSchema.safeParse(diagnostic.data);
  if (!parsed.success) return [];
  const { range, expected, choices } = parsed.data;
  if (document.getText(range) !== expected) return [];
  return choices.map((choice): CodeAction => ({
    title: expected === '' ? `Insert ${choice.trim()}` : `Change to "${choice}"`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: choices.length === 1,
    edit: { changes: { [document.uri]: [TextEdit.replace(range, choice)] } },
  }));
}
