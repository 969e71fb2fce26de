import type { Block } from '../model';
import type { ToolOutputMode } from '../protocolLimits';

/**
 * How tool calls and results read in an export (issue 10 item 9). What a
 * reader wants from a session is the reasoning, not file dumps: by default
 * a tool call is its name and a one-line input summary, and a tool result
 * its first lines with "… N more lines". Templates still get every block's
 * full content in the context; only the readable text is summarised.
 */

export { TOOL_OUTPUT_MODES, type ToolOutputMode } from '../protocolLimits';

export interface ToolOutputOptions {
  mode: ToolOutputMode;
  /** Lines of a tool result kept in summary mode. */
  maxLines: number;
  /** Characters of a tool call's input summary. */
  maxInputChars: number;
}

export const DEFAULT_TOOL_OUTPUT: ToolOutputOptions = { mode: 'summary', maxLines: 8, maxInputChars: 200 };

/** A block as the readable text shows it: undefined when left out. */
export interface ShownBlock {
  text: string | undefined;
  /** Lines of the block not shown. */
  omittedLines: number;
  omittedChars: number;
}

export interface ToolOutputReport {
  mode: ToolOutputMode;
  /** Tool blocks shown shortened, and left out entirely. */
  summarizedBlocks: number;
  omittedBlocks: number;
  omittedLines: number;
  omittedChars: number;
}

const isTool = (block: Block) => block.kind === 'tool_use' || block.kind === 'tool_result';

export function showBlock(block: Block, options: ToolOutputOptions): ShownBlock {
  const full = block.content;
  if (!isTool(block) || options.mode === 'full') return { text: full, omittedLines: 0, omittedChars: 0 };
  if (options.mode === 'none') return { text: undefined, omittedLines: lineCount(full), omittedChars: full.length };
  const text = block.kind === 'tool_use' ? callSummary(full, options.maxInputChars) : resultSummary(full, options.maxLines);
  const omittedChars = Math.max(0, full.length - text.length);
  return { text, omittedLines: Math.max(0, lineCount(full) - lineCount(text)), omittedChars };
}

/** `name` on the first line, the input folded onto one line and cut. */
function callSummary(content: string, maxInputChars: number): string {
  const newline = content.indexOf('\n');
  if (newline === -1) return content;
  const name = content.slice(0, newline);
  const input = content.slice(newline + 1).replace(/\s*\n\s*/g, ' ').trim();
  return input === '' ? name : `${name} ${input.length > maxInputChars ? `${input.slice(0, maxInputChars - 1)}…` : input}`;
}

/** The first lines, and how many more there were. */
function resultSummary(content: string, maxLines: number): string {
  const lines = content.split('\n');
  if (lines.length <= maxLines) return content;
  const more = lines.length - maxLines;
  return `${lines.slice(0, maxLines).join('\n')}\n… ${more.toLocaleString('en-US')} more line${more === 1 ? '' : 's'}`;
}

function lineCount(text: string): number {
  if (text === '') return 0;
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function emptyReport(mode: ToolOutputMode): ToolOutputReport {
  return { mode, summarizedBlocks: 0, omittedBlocks: 0, omittedLines: 0, omittedChars: 0 };
}

/** Adds a shown block to the report. */
export function count(report: ToolOutputReport, block: Block, shown: ShownBlock): void {
  if (!isTool(block) || report.mode === 'full') return;
  if (shown.text === undefined) report.omittedBlocks += 1;
  else if (shown.omittedChars > 0) report.summarizedBlocks += 1;
  report.omittedLines += shown.omittedLines;
  report.omittedChars += shown.omittedChars;
}
