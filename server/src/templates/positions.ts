import type { TemplatePosition, TemplateRange } from './types';

/** Line breaks as editors (and the Handlebars lexer) count them. */
const LINE_BREAK = /\r\n|\r|\n/g;

/** Maps string offsets to 0-based line/character positions. */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    this.lineStarts = [0];
    for (const match of text.matchAll(LINE_BREAK)) {
      this.lineStarts.push((match.index ?? 0) + match[0].length);
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.min(Math.max(line, 0), this.lineStarts.length - 1)] ?? 0;
  }

  /** The line's text without its line break. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const next = line + 1 < this.lineStarts.length ? this.lineStart(line + 1) : this.text.length;
    return this.text.slice(start, next).replace(/(\r\n|\r|\n)$/, '');
  }

  positionAt(offset: number): TemplatePosition {
    const clamped = Math.min(Math.max(offset, 0), this.text.length);
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - (this.lineStarts[low] ?? 0) };
  }

  offsetAt(position: TemplatePosition): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    return Math.min(this.lineStart(position.line) + Math.max(0, position.character), this.text.length);
  }

  textAt(range: TemplateRange): string {
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  rangeAt(start: number, end: number): TemplateRange {
    return { start: this.positionAt(start), end: this.positionAt(Math.max(start, end)) };
  }

  /** The whole of one line (for issues that belong to a line, not a token). */
  lineRange(line: number): TemplateRange {
    return { start: { line, character: 0 }, end: { line, character: this.lineText(line).length } };
  }
}
