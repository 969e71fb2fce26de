import type { Hover, Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DATA_VARIABLES } from '../templates/context';
import { OUTPUT_KINDS } from '../templates/header';
import { helperDoc } from '../templates/helpers';
import { resolvePath, scopesAt, splitPath } from './blockScope';
import { dataVariableMarkdown, headerKeyMarkdown, helperMarkdown, isHeaderKey, markdown, outputKindMarkdown, variableMarkdown } from './docs';
import { HEADER_KEY_LINE, frontMatterOf, isHeaderLine, mustacheAt, tokenAround, tokenRole } from './templateSyntax';

/** Hover in a template file: a header key (or `output:` value), a helper name, or a variable path. */
export function templateHover(document: TextDocument, position: Position): Hover | null {
  const text = document.getText();
  const frontMatter = frontMatterOf(text);
  if (isHeaderLine(frontMatter, position.line)) {
    const lineStart = document.offsetAt({ line: position.line, character: 0 });
    const lineEnd = document.offsetAt({ line: position.line + 1, character: 0 });
    return headerHover(text.slice(lineStart, lineEnd).replace(/\r?\n$/, ''), position);
  }
  const offset = document.offsetAt(position);
  // Hovering the first character of a name is "after" nothing: look from just after it.
  const mustache = mustacheAt(text, offset + 1, frontMatter.bodyOffset) ?? mustacheAt(text, offset, frontMatter.bodyOffset);
  if (mustache === undefined || mustache.refused || mustache.sigil === '!' || mustache.sigil === '>') return null;
  const end = mustache.close ?? text.length;
  if (offset < mustache.contentStart || offset > end) return null;
  const { start, end: tokenEnd, token } = tokenAround(text, offset, mustache.contentStart, end);
  if (token === '' || text[tokenEnd] === '=') return null; // hash keys (indent=2) have no docs
  const rangeOf = (length: number) => ({ start: document.positionAt(start), end: document.positionAt(start + length) });
  const range = rangeOf(tokenEnd - start);

  const role = tokenRole(text.slice(mustache.contentStart, start));
  const doc = role === 'argument' ? undefined : helperDoc(token);
  if (doc !== undefined) return { contents: markdown(helperMarkdown(doc)), range };

  const hovered = pathUpToCursor(token, offset - start);
  if (hovered.startsWith('@') && !hovered.startsWith('@root')) {
    const name = hovered.slice(1);
    const description = DATA_VARIABLES[name];
    return description === undefined ? null : { contents: markdown(dataVariableMarkdown(name, description)), range };
  }
  const shape = resolvePath(hovered, scopesAt(text, frontMatter.bodyOffset, mustache.open));
  if (shape === undefined) return null;
  const shown = splitPath(hovered.replace(/^(\.\.\/)+/, '')).join('.') || 'this';
  return { contents: markdown(variableMarkdown(shown, shape)), range: rangeOf(hovered.length) };
}

function headerHover(line: string, position: Position): Hover | null {
  const key = HEADER_KEY_LINE.exec(line)?.[1];
  if (key === undefined || !isHeaderKey(key)) return null;
  const lineRange = (start: number, end: number) => ({ start: { line: position.line, character: start }, end: { line: position.line, character: end } });
  if (position.character <= key.length) return { contents: markdown(headerKeyMarkdown(key)), range: lineRange(0, key.length) };
  if (key !== 'output') return null;
  const value = /:[ \t]*([\w-]+)/.exec(line);
  const kind = OUTPUT_KINDS.find((k) => k === value?.[1]);
  if (kind === undefined || value === null) return null;
  const valueStart = value.index + value[0].length - kind.length;
  if (position.character < valueStart || position.character > valueStart + kind.length) return null;
  return { contents: markdown(outputKindMarkdown(kind)), range: lineRange(valueStart, valueStart + kind.length) };
}

/** `metadata.title` hovered on `metadata` → `metadata`; on `title` → `metadata.title`. */
function pathUpToCursor(token: string, cursor: number): string {
  const next = token.slice(cursor).search(/[./]/);
  if (next === -1) return token;
  const cut = cursor + next;
  // Keep `../` and `@root`-style prefixes whole.
  return token.slice(0, cut) === '..' || token.slice(0, cut).endsWith('/..') ? token : token.slice(0, cut);
}
