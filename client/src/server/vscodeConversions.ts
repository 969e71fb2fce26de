import * as vscode from 'vscode';
import type { CompletionItem, CompletionList, Diagnostic, Hover, Position, Range } from 'vscode-languageserver-protocol';
import {
  completionInsert,
  completionItemsOf,
  diagnosticCode,
  diagnosticMessage,
  documentationOf,
  hoverParts,
  toVsCompletionKind,
  toVsCompletionTags,
  toVsDiagnosticTags,
  toVsSeverity,
  type MarkdownPart,
} from './lspConversions';

/**
 * LSP results → VS Code objects. The decisions are in lspConversions.ts
 * (unit-tested); this module only builds the objects. Markdown from the
 * server is never trusted: no command links, no HTML.
 */

export function toVsPosition(position: Position): vscode.Position {
  return new vscode.Position(position.line, position.character);
}

export function toVsRange(range: Range): vscode.Range {
  return new vscode.Range(toVsPosition(range.start), toVsPosition(range.end));
}

function markdownString(parts: readonly MarkdownPart[]): vscode.MarkdownString {
  const result = new vscode.MarkdownString();
  result.isTrusted = false;
  result.supportHtml = false;
  parts.forEach((part, index) => {
    if (index > 0) result.appendMarkdown('\n\n');
    if ('markdown' in part) result.appendMarkdown(part.markdown);
    else if ('text' in part) result.appendText(part.text);
    else result.appendCodeblock(part.code, part.language);
  });
  return result;
}

export function toVsDiagnostic(diagnostic: Diagnostic): vscode.Diagnostic {
  const result = new vscode.Diagnostic(toVsRange(diagnostic.range), diagnosticMessage(diagnostic.message), toVsSeverity(diagnostic.severity));
  const code = diagnosticCode(diagnostic);
  if (code !== undefined) result.code = typeof code === 'object' ? { value: code.value, target: vscode.Uri.parse(code.target) } : code;
  if (diagnostic.source !== undefined) result.source = diagnostic.source;
  const tags = toVsDiagnosticTags(diagnostic.tags);
  if (tags) result.tags = tags;
  if (diagnostic.relatedInformation) {
    result.relatedInformation = diagnostic.relatedInformation.map(
      (info) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.parse(info.location.uri), toVsRange(info.location.range)), info.message),
    );
  }
  return result;
}

export function toVsCompletionItem(item: CompletionItem): vscode.CompletionItem {
  const label = item.labelDetails ? { label: item.label, detail: item.labelDetails.detail, description: item.labelDetails.description } : item.label;
  const result = new vscode.CompletionItem(label);
  const kind = toVsCompletionKind(item.kind);
  if (kind !== undefined) result.kind = kind;
  if (item.detail !== undefined) result.detail = item.detail;
  const documentation = documentationOf(item.documentation);
  if (documentation !== undefined) result.documentation = typeof documentation === 'string' ? documentation : markdownString([documentation]);
  const insert = completionInsert(item);
  if (insert.text !== undefined) result.insertText = insert.snippet ? new vscode.SnippetString(insert.text) : insert.text;
  if (insert.range !== undefined) {
    result.range = 'inserting' in insert.range ? { inserting: toVsRange(insert.range.inserting), replacing: toVsRange(insert.range.replacing) } : toVsRange(insert.range);
  }
  if (item.sortText !== undefined) result.sortText = item.sortText;
  if (item.filterText !== undefined) result.filterText = item.filterText;
  if (item.preselect !== undefined) result.preselect = item.preselect;
  if (item.commitCharacters !== undefined) result.commitCharacters = item.commitCharacters;
  const tags = toVsCompletionTags(item);
  if (tags) result.tags = tags;
  if (item.additionalTextEdits) result.additionalTextEdits = item.additionalTextEdits.map((edit) => new vscode.TextEdit(toVsRange(edit.range), edit.newText));
  return result;
}

export function toVsCompletionList(result: CompletionItem[] | CompletionList | null | undefined): vscode.CompletionList {
  const { items, isIncomplete } = completionItemsOf(result);
  return new vscode.CompletionList(items.map(toVsCompletionItem), isIncomplete);
}

export function toVsHover(hover: Hover): vscode.Hover {
  const contents = markdownString(hoverParts(hover.contents));
  return hover.range ? new vscode.Hover(contents, toVsRange(hover.range)) : new vscode.Hover(contents);
}
