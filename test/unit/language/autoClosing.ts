/**
 * A model of how VS Code's editor applies a language configuration's
 * autoClosingPairs while a user types on one line with one cursor
 * (vs/editor/common/cursor/cursorTypeEditOperations.ts and cursor.ts):
 *
 * - Typing the last character of a pair's `open` (the longest pair whose
 *   open the text before the cursor completes) inserts its `close` after the
 *   cursor, when the next character is whitespace, one of `;:.,=}])>`, a
 *   closer, or nothing.
 * - Containment: with pairs `{{`/`}}` and `{`/`}`, when the `}` of the
 *   shorter pair is already right after the cursor, only the rest (`}`) is
 *   inserted. Older editors, and `{{` typed where the first `{` was not
 *   auto-closed, insert the whole `}}`.
 * - Overtyping: typing a single-character closer on top of one the editor
 *   inserted (and still tracks) moves over it instead of inserting. Only the
 *   first character of an inserted closer is tracked as typeable-over; a
 *   pair's tracking ends when the cursor leaves its enclosing range.
 */

export interface LanguagePairs {
  autoClosingPairs: { open: string; close: string }[];
}

interface AutoClosed {
  /** Offset of the first character of the inserted closer. */
  closer: number;
  /** [start, end) from the typed open character to the end of the closer. */
  enclosing: [number, number];
}

const AUTO_CLOSE_BEFORE = new Set([...';:.,=}])> \t']);

export function typeText(config: LanguagePairs, typed: string, options: { containment: boolean; after?: string }): string {
  let text = options.after ?? '';
  let cursor = 0;
  let tracked: AutoClosed[] = [];
  const pairs = config.autoClosingPairs;
  const singleCloser = new Set(pairs.filter((p) => p.open.length === 1 && p.close.length === 1).map((p) => p.close));

  const insert = (at: number, inserted: string): void => {
    text = text.slice(0, at) + inserted + text.slice(at);
    const n = inserted.length;
    tracked = tracked.map(({ closer, enclosing: [start, end] }) => ({
      // Decorations that never grow when typing at their edges.
      closer: closer >= at ? closer + n : closer,
      enclosing: [start >= at ? start + n : start, end > at ? end + n : end],
    }));
  };

  for (const ch of typed) {
    if (singleCloser.has(ch) && text[cursor] === ch && tracked.some((t) => t.closer === cursor)) {
      tracked = tracked.filter((t) => t.closer !== cursor);
      cursor += 1;
    } else {
      const before = text.slice(0, cursor);
      const after = text.slice(cursor);
      const pair = pairs
        .filter((p) => p.open.endsWith(ch) && (before + ch).endsWith(p.open))
        .sort((a, b) => b.open.length - a.open.length)[0];
      const next = after[0];
      const closesHere = next === undefined || AUTO_CLOSE_BEFORE.has(next) || pairs.some((p) => after.startsWith(p.close));
      if (pair !== undefined && closesHere) {
        let close = pair.close;
        const contained = pairs
          .filter((p) => p !== pair && pair.open.includes(p.open) && pair.close.endsWith(p.close))
          .sort((a, b) => b.open.length - a.open.length)[0];
        if (options.containment && contained !== undefined && after.startsWith(contained.close)) {
          close = close.slice(0, close.length - contained.close.length);
        }
        insert(cursor, ch + close);
        tracked.push({ closer: cursor + 1, enclosing: [cursor, cursor + 1 + close.length] });
      } else {
        insert(cursor, ch);
      }
      cursor += 1;
    }
    // A pair stays tracked while the cursor is strictly inside it.
    tracked = tracked.filter(({ enclosing: [start, end] }) => start < cursor && cursor < end);
  }
  return text;
}
