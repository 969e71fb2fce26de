import type {
  CompletionItem,
  CompletionList,
  ConfigurationItem,
  Diagnostic,
  Hover,
  InsertReplaceEdit,
  MarkupContent,
  MessageType,
  Range,
  ServerCapabilities,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';

/**
 * The decisions of the LSP ↔ VS Code conversions, as plain data. No `vscode`
 * import (unit tests load this module); vscodeConversions.ts builds the
 * VS Code objects from what these return. VS Code's enums are used by value:
 * they are part of its stable API.
 */

// ---- enums -------------------------------------------------------------------

/** vscode.DiagnosticSeverity: Error 0, Warning 1, Information 2, Hint 3. LSP counts from 1; absent means Error. */
export function toVsSeverity(severity: number | undefined): 0 | 1 | 2 | 3 {
  switch (severity) {
    case 2:
      return 1;
    case 3:
      return 2;
    case 4:
      return 3;
    default:
      return 0;
  }
}

/** vscode.CompletionItemKind is LSP's kind − 1 (Text 0 … TypeParameter 24); an unknown kind shows as Text. */
export function toVsCompletionKind(kind: number | undefined): number | undefined {
  if (kind === undefined) return undefined;
  return Number.isInteger(kind) && kind >= 1 && kind <= 25 ? kind - 1 : 0;
}

/** Diagnostic tags (Unnecessary 1, Deprecated 2) have the same values in both; unknown ones are dropped. */
export function toVsDiagnosticTags(tags: readonly number[] | undefined): number[] | undefined {
  const known = tags?.filter((tag) => tag === 1 || tag === 2);
  return known && known.length > 0 ? known : undefined;
}

/** Completion item tags: Deprecated 1 in both; `deprecated: true` (the older field) means the same. */
export function toVsCompletionTags(item: Pick<CompletionItem, 'tags' | 'deprecated'>): number[] | undefined {
  return item.tags?.includes(1) || item.deprecated === true ? [1] : undefined;
}

/** vscode.CompletionTriggerKind counts from 0 (Invoke), LSP's from 1 (Invoked). */
export function toLspTriggerKind(vsKind: number): 1 | 2 | 3 {
  return vsKind === 1 ? 2 : vsKind === 2 ? 3 : 1;
}

/** window/logMessage's type → the Logger's level (Log 4 is ordinary output). */
export function logLevelOf(type: MessageType | number): 'error' | 'warn' | 'info' | 'debug' {
  return type === 1 ? 'error' : type === 2 ? 'warn' : type === 5 ? 'debug' : 'info';
}

/** window/showMessage's type → which vscode.window.show…Message to call. */
export function messageSeverityOf(type: MessageType | number): 'error' | 'warning' | 'information' {
  return type === 1 ? 'error' : type === 2 ? 'warning' : 'information';
}

// ---- diagnostics ---------------------------------------------------------------

/** A diagnostic's code; with a codeDescription VS Code wants `{value, target}` (target: a URI, parsed by the caller). */
export type DiagnosticCode = string | number | { value: string | number; target: string } | undefined;

export function diagnosticCode(diagnostic: Pick<Diagnostic, 'code' | 'codeDescription'>): DiagnosticCode {
  const { code, codeDescription } = diagnostic;
  if (code === undefined) return undefined;
  return codeDescription?.href ? { value: code, target: codeDescription.href } : code;
}

/** LSP 3.18 allows a Markdown message; VS Code 1.91 shows plain text, so its source text is shown. */
export function diagnosticMessage(message: Diagnostic['message']): string {
  return typeof message === 'string' ? message : message.value;
}

// ---- markdown ------------------------------------------------------------------

/** One piece of a hover or documentation: Markdown as is, plain text (escaped by VS Code) or a code block. */
export type MarkdownPart = { markdown: string } | { text: string } | { code: string; language: string };

function isMarkupContent(value: unknown): value is MarkupContent {
  return typeof value === 'object' && value !== null && 'kind' in value && 'value' in value;
}

/** Hover contents: MarkupContent, a MarkedString or an array of MarkedStrings. */
export function hoverParts(contents: Hover['contents']): MarkdownPart[] {
  if (isMarkupContent(contents)) return [contents.kind === 'markdown' ? { markdown: contents.value } : { text: contents.value }];
  const list = Array.isArray(contents) ? contents : [contents];
  // A MarkedString is Markdown, or `{language, value}`: a code block.
  return list.map((part) => (typeof part === 'string' ? { markdown: part } : { code: part.value, language: part.language }));
}

/** Completion documentation: a plain string (or plaintext MarkupContent) stays a string, Markdown becomes a part. */
export function documentationOf(documentation: string | MarkupContent | undefined): string | { markdown: string } | undefined {
  if (documentation === undefined || typeof documentation === 'string') return documentation;
  return documentation.kind === 'markdown' ? { markdown: documentation.value } : documentation.value;
}

// ---- completion ----------------------------------------------------------------

/** Both result shapes, with a list's itemDefaults applied to each item (LSP 3.17). */
export function completionItemsOf(result: CompletionItem[] | CompletionList | null | undefined): { items: CompletionItem[]; isIncomplete: boolean } {
  if (!result) return { items: [], isIncomplete: false };
  if (Array.isArray(result)) return { items: result, isIncomplete: false };
  const defaults = result.itemDefaults;
  if (!defaults) return { items: result.items, isIncomplete: result.isIncomplete };
  const items = result.items.map((item): CompletionItem => {
    const merged: CompletionItem = { ...item };
    if (merged.commitCharacters === undefined && defaults.commitCharacters) merged.commitCharacters = defaults.commitCharacters;
    if (merged.insertTextFormat === undefined && defaults.insertTextFormat !== undefined) merged.insertTextFormat = defaults.insertTextFormat;
    if (merged.insertTextMode === undefined && defaults.insertTextMode !== undefined) merged.insertTextMode = defaults.insertTextMode;
    if (merged.data === undefined && defaults.data !== undefined) merged.data = defaults.data;
    if (merged.textEdit === undefined && defaults.editRange) {
      const newText = merged.textEditText ?? merged.insertText ?? merged.label;
      merged.textEdit = 'insert' in defaults.editRange ? { newText, insert: defaults.editRange.insert, replace: defaults.editRange.replace } : { newText, range: defaults.editRange };
    }
    return merged;
  });
  return { items, isIncomplete: result.isIncomplete };
}

/** What an item inserts and where: `range` is one range, or VS Code's `{inserting, replacing}` for an InsertReplaceEdit. */
export interface CompletionInsert {
  text: string | undefined;
  snippet: boolean;
  range: Range | { inserting: Range; replacing: Range } | undefined;
}

export function completionInsert(item: Pick<CompletionItem, 'textEdit' | 'insertText' | 'insertTextFormat'>): CompletionInsert {
  const snippet = item.insertTextFormat === 2;
  const edit = item.textEdit;
  if (edit === undefined) return { text: item.insertText, snippet, range: undefined };
  if (isInsertReplaceEdit(edit)) return { text: edit.newText, snippet, range: { inserting: edit.insert, replacing: edit.replace } };
  return { text: edit.newText, snippet, range: edit.range };
}

function isInsertReplaceEdit(edit: NonNullable<CompletionItem['textEdit']>): edit is InsertReplaceEdit {
  return 'insert' in edit;
}

// ---- documents -----------------------------------------------------------------

/** A document filter of the kind this extension uses: both fields must match. */
export interface DocumentFilter {
  scheme: string;
  language: string;
}

export function matchesSelector(document: { uri: { scheme: string }; languageId: string }, selector: readonly DocumentFilter[]): boolean {
  return selector.some((filter) => filter.scheme === document.uri.scheme && filter.language === document.languageId);
}

/** What the server wants synced: open/close notifications, and changes as None 0, Full 1 or Incremental 2. */
export function syncOptionsOf(sync: ServerCapabilities['textDocumentSync']): { openClose: boolean; change: 0 | 1 | 2 } {
  if (sync === undefined) return { openClose: false, change: 0 };
  if (typeof sync === 'number') return { openClose: sync !== 0, change: sync };
  return { openClose: sync.openClose === true, change: sync.change ?? 0 };
}

interface PositionLike {
  readonly line: number;
  readonly character: number;
}
interface RangeLike {
  readonly start: PositionLike;
  readonly end: PositionLike;
}

/** A vscode.Range as LSP data (vscode.Range serialises to an array, so it is copied field by field). */
export function toLspRange(range: RangeLike): Range {
  return { start: { line: range.start.line, character: range.start.character }, end: { line: range.end.line, character: range.end.character } };
}

/**
 * VS Code's content changes of one event, as incremental LSP changes. VS
 * Code orders them so that applying them one after the other is right,
 * which is what LSP asks for.
 */
export function toLspContentChanges(changes: readonly { range: RangeLike; rangeLength: number; text: string }[]): TextDocumentContentChangeEvent[] {
  return changes.map((change) => ({ range: toLspRange(change.range), rangeLength: change.rangeLength, text: change.text }));
}

// ---- configuration ---------------------------------------------------------------

/**
 * The answer to workspace/configuration: for each item with a section, that
 * setting's value as plain JSON (what vscode-languageclient answers), else null.
 */
export function configurationValues(items: readonly ConfigurationItem[], get: (section: string, scopeUri: string | undefined) => unknown): unknown[] {
  return items.map((item) => (item.section ? (toPlainJson(get(item.section, item.scopeUri)) ?? null) : null));
}

/** A deep copy with only JSON values (settings objects from VS Code are proxies). */
export function toPlainJson(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((entry) => toPlainJson(entry) ?? null);
  if (typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      const plain = toPlainJson(entry);
      if (plain !== undefined) copy[key] = plain;
    }
    return copy;
  }
  return undefined;
}
