import type { LineRange } from '../../../server/src/protocol';

/**
 * The lines an editor selection covers — what devguide/findMessagesAtLines
 * maps to the messages under them. Pure: positions come in as plain numbers.
 */

/** 0-based, like vscode.Position. */
export interface EditorPosition {
  line: number;
  character: number;
}

export interface EditorSelection {
  start: EditorPosition;
  end: EditorPosition;
}

export type { LineRange };

/**
 * The lines a selection covers, 1-based. A selection that ends at column 0
 * of a line does not cover that line (it is how a whole-line selection ends).
 * Empty selections cover nothing.
 */
export function selectedLines(selection: EditorSelection): LineRange | undefined {
  const { start, end } = selection;
  if (start.line === end.line && start.character === end.character) return undefined;
  const lastLine = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
  return { startLine: start.line + 1, endLine: lastLine + 1 };
}
