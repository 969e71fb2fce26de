import { FILE_HEADERS_ONLY, formatPatch, structuredPatch, type StructuredPatch } from 'diff';
import type { DiffSummary } from '../model';

/**
 * A line diff whose cost is bounded, so previewing a 1 MB rewrite cannot
 * hang the language server. Common leading and trailing lines are trimmed
 * first (linear); only the changed middle goes to Myers' algorithm, itself
 * capped by edit length and time. Past the budget the summary is cheap:
 * additions / deletions are the middle's line counts (upper bounds), the
 * unified text is an abbreviated hunk, and `truncated` is true.
 */

export interface DiffBudget {
  /** Changed-middle lines (old + new) above which Myers is not attempted. */
  maxChangedLines: number;
  /** Edit distance at which Myers gives up. */
  maxEditLength: number;
  /** Wall-clock cap for Myers, in ms. */
  timeoutMs: number;
  /** Lines of unified text kept; more is cut (and `truncated` set). */
  maxUnifiedLines: number;
  /** Context lines around each hunk. */
  context: number;
}

export const DEFAULT_DIFF_BUDGET: DiffBudget = {
  maxChangedLines: 20_000,
  maxEditLength: 1_500,
  timeoutMs: 250,
  maxUnifiedLines: 2_000,
  context: 3,
};

export interface DiffNames {
  oldName?: string;
  newName?: string;
}

/** Lines with their terminators, as `diff` tokenises them ('' → no lines). */
function splitLines(text: string): string[] {
  // An indexOf loop: splitting with a lookbehind regex costs several times more on a megabyte.
  const lines: string[] = [];
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    lines.push(text.slice(start, end + 1));
    start = end + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

interface TrimmedRegion {
  prefix: number;
  oldMiddle: string[];
  newMiddle: string[];
}

function trimCommonLines(oldLines: string[], newLines: string[]): TrimmedRegion {
  const shorter = Math.min(oldLines.length, newLines.length);
  let prefix = 0;
  while (prefix < shorter && oldLines[prefix] === newLines[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]
  ) {
    suffix++;
  }
  return {
    prefix,
    oldMiddle: oldLines.slice(prefix, oldLines.length - suffix),
    newMiddle: newLines.slice(prefix, newLines.length - suffix),
  };
}

function countChanges(patch: StructuredPatch): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) additions++;
      else if (line.startsWith('-')) deletions++;
    }
  }
  return { additions, deletions };
}

function stripTerminator(line: string): string {
  return line.replace(/\r?\n$/, '');
}

function cutLines(text: string, maxLines: number): { text: string; cut: boolean } {
  let seen = 0;
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) === 10 && ++seen === maxLines) {
      const cut = index + 1 < text.length;
      return { text: text.slice(0, index + 1), cut };
    }
  }
  return { text, cut: false };
}

function fileHeader(names: Required<DiffNames>): string {
  return `--- ${names.oldName}\n+++ ${names.newName}\n`;
}

/** Hunk start as unified diff writes it (0 for an empty side). */
function hunkStart(prefix: number, count: number): number {
  return count === 0 ? prefix : prefix + 1;
}

/** The cheap summary: the whole middle as one replaced block, abbreviated. */
function cheapSummary(region: TrimmedRegion, budget: DiffBudget, names: Required<DiffNames>): DiffSummary {
  const { prefix, oldMiddle, newMiddle } = region;
  const shownEach = Math.max(1, Math.floor(budget.maxUnifiedLines / 2));
  const header = `@@ -${hunkStart(prefix, oldMiddle.length)},${oldMiddle.length} +${hunkStart(prefix, newMiddle.length)},${newMiddle.length} @@\n`;
  const removed = oldMiddle.slice(0, shownEach).map((l) => `-${stripTerminator(l)}\n`);
  const added = newMiddle.slice(0, shownEach).map((l) => `+${stripTerminator(l)}\n`);
  return {
    unified: fileHeader(names) + header + removed.join('') + added.join(''),
    additions: newMiddle.length,
    deletions: oldMiddle.length,
    truncated: true,
  };
}

/**
 * Diffs only the changed middle plus `context` equal lines each side, then
 * shifts the hunks back to whole-file line numbers.
 */
function myersOnRegion(
  oldLines: string[],
  newLines: string[],
  region: TrimmedRegion,
  budget: DiffBudget,
  names: Required<DiffNames>,
): StructuredPatch | undefined {
  const from = Math.max(0, region.prefix - budget.context);
  const oldEnd = Math.min(oldLines.length, region.prefix + region.oldMiddle.length + budget.context);
  const newEnd = Math.min(newLines.length, region.prefix + region.newMiddle.length + budget.context);
  const patch = structuredPatch(
    names.oldName,
    names.newName,
    oldLines.slice(from, oldEnd).join(''),
    newLines.slice(from, newEnd).join(''),
    undefined,
    undefined,
    { context: budget.context, maxEditLength: budget.maxEditLength, timeout: budget.timeoutMs },
  );
  if (patch === undefined) return undefined;
  for (const hunk of patch.hunks) {
    // An empty side's start is the line before the hunk; shift it the same way.
    hunk.oldStart += from;
    hunk.newStart += from;
  }
  return patch;
}

/** Unified diff of `existing` → `next` with exact counts, or a bounded summary. */
export function diffSummary(
  existing: string,
  next: string,
  budget: Partial<DiffBudget> = {},
  names: DiffNames = {},
): DiffSummary {
  const limits: DiffBudget = { ...DEFAULT_DIFF_BUDGET, ...budget };
  const fileNames = { oldName: names.oldName ?? 'existing', newName: names.newName ?? 'new' };
  if (existing === next) return { unified: '', additions: 0, deletions: 0, truncated: false };

  const oldLines = splitLines(existing);
  const newLines = splitLines(next);
  const region = trimCommonLines(oldLines, newLines);
  if (region.oldMiddle.length + region.newMiddle.length > limits.maxChangedLines) {
    return cheapSummary(region, limits, fileNames);
  }
  const patch = myersOnRegion(oldLines, newLines, region, limits, fileNames);
  if (patch === undefined) return cheapSummary(region, limits, fileNames);

  const { additions, deletions } = countChanges(patch);
  const full = formatPatch(patch, FILE_HEADERS_ONLY);
  const { text, cut } = cutLines(full, limits.maxUnifiedLines);
  return { unified: text, additions, deletions, truncated: cut };
}
