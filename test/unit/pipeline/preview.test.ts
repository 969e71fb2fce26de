import { strict as assert } from 'node:assert';
import { applyPatch, parsePatch } from 'diff';
import fc from 'fast-check';
import { estimateTokens } from '../../../server/src/model';
import { buildPreview, countLines, diffSummary } from '../../../server/src/pipeline/preview';

/** Deterministic pseudo-random lines (no Math.random: failures must reproduce). */
function randomLines(count: number, seed: number): string[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  return Array.from({ length: count }, () => `${next().toString(36)} ${next().toString(36)} ${next().toString(36)}`);
}

describe('preview', () => {
  describe('buildPreview', () => {
    it('computes statistics in UTF-8 bytes, tokens and lines', () => {
      const content = 'héllo\nwörld 😀\n';
      const preview = buildPreview(content, { title: 'T' }, undefined);
      assert.deepEqual(preview.statistics, {
        file_size_bytes: Buffer.byteLength(content, 'utf8'),
        token_count: estimateTokens(content),
        line_count: 2,
      });
      assert.equal(preview.content, content);
      assert.deepEqual(preview.previewLines, ['héllo', 'wörld 😀']);
      assert.equal(preview.moreLines, 0);
      assert.equal(preview.isUpdate, false);
      assert.equal(preview.diff, undefined);
    });

    it('shows the first 50 lines and counts the rest', () => {
      const lines = Array.from({ length: 120 }, (_, i) => `line ${i + 1}`);
      const preview = buildPreview(`${lines.join('\r\n')}\r\n`, {}, undefined);
      assert.equal(preview.previewLines.length, 50);
      assert.equal(preview.previewLines[0], 'line 1');
      assert.equal(preview.previewLines[49], 'line 50');
      assert.equal(preview.moreLines, 70);
      assert.equal(preview.statistics.line_count, 120);
    });

    it('honours a custom line limit', () => {
      const preview = buildPreview('a\nb\nc', {}, undefined, { previewLineLimit: 2 });
      assert.deepEqual(preview.previewLines, ['a', 'b']);
      assert.equal(preview.moreLines, 1);
    });

    it('handles empty content', () => {
      const preview = buildPreview('', {}, undefined);
      assert.deepEqual(preview.previewLines, []);
      assert.equal(preview.moreLines, 0);
      assert.deepEqual(preview.statistics, { file_size_bytes: 0, token_count: 0, line_count: 0 });
    });

    it('shortens long metadata values without changing their shape', () => {
      const preview = buildPreview('x', {
        title: 'short',
        summary: 'é'.repeat(500),
        tags: Array.from({ length: 25 }, (_, i) => `t${i}`),
        nested: { a: { b: { c: { d: { e: 1 } } } } },
        count: 3,
        flag: true,
        none: null,
      }, undefined);
      const summary = preview.metadataSummary;
      assert.equal(summary.title, 'short');
      assert.equal(summary.summary, `${'é'.repeat(200)}…`);
      assert.ok(Array.isArray(summary.tags));
      assert.equal(summary.tags.length, 21);
      assert.equal(summary.tags[20], '… 5 more');
      assert.deepEqual(summary.nested, { a: { b: { c: { d: '…' } } } });
      assert.equal(summary.count, 3);
      assert.equal(summary.flag, true);
      assert.equal(summary.none, null);
    });

    it('keeps a "__proto__" metadata key as a plain key', () => {
      const metadata = JSON.parse('{"__proto__": {"polluted": "yes"}}') as Record<string, string>;
      const summary = buildPreview('x', metadata, undefined).metadataSummary;
      assert.equal(Object.getPrototypeOf(summary), Object.prototype);
      assert.deepEqual(Object.keys(summary), ['__proto__']);
    });

    it('marks an update and diffs against the existing content', () => {
      const preview = buildPreview('a\nB\nc\n', {}, 'a\nb\nc\n');
      assert.equal(preview.isUpdate, true);
      assert.deepEqual(
        { additions: preview.diff?.additions, deletions: preview.diff?.deletions, truncated: preview.diff?.truncated },
        { additions: 1, deletions: 1, truncated: false },
      );
    });

    it('identical content is an update with no changes', () => {
      const preview = buildPreview('same\n', {}, 'same\n');
      assert.equal(preview.isUpdate, true);
      assert.deepEqual(preview.diff, { unified: '', additions: 0, deletions: 0, truncated: false });
    });

    it('an empty existing file is still an update', () => {
      const preview = buildPreview('a\nb\n', {}, '');
      assert.equal(preview.isUpdate, true);
      assert.equal(preview.diff?.additions, 2);
      assert.equal(preview.diff?.deletions, 0);
    });
  });

  describe('countLines', () => {
    for (const [text, expected] of [['', 0], ['a', 1], ['a\n', 1], ['a\nb', 2], ['\n', 1], ['\n\n', 2], ['a\r\nb\r\n', 2]] as const) {
      it(`${JSON.stringify(text)} has ${expected} lines`, () => assert.equal(countLines(text), expected));
    }
  });

  describe('diffSummary', () => {
    it('gives a unified diff with exact counts on a small example', () => {
      const summary = diffSummary('one\ntwo\nthree\nfour\n', 'one\n2\nthree\nfour\nfive\n');
      assert.equal(summary.additions, 2);
      assert.equal(summary.deletions, 1);
      assert.equal(summary.truncated, false);
      assert.equal(
        summary.unified,
        ['--- existing', '+++ new', '@@ -1,4 +1,5 @@', ' one', '-two', '+2', ' three', ' four', '+five', ''].join('\n'),
      );
    });

    it('reports whole-file line numbers after trimming common lines', () => {
      const before = Array.from({ length: 100 }, (_, i) => `line ${i}`);
      const after = before.slice();
      after[60] = 'changed';
      const summary = diffSummary(`${before.join('\n')}\n`, `${after.join('\n')}\n`);
      assert.match(summary.unified, /^@@ -58,7 \+58,7 @@$/m);
      assert.equal(summary.additions, 1);
      assert.equal(summary.deletions, 1);
    });

    it('counts a change of the final newline', () => {
      const summary = diffSummary('a\nb\n', 'a\nb');
      assert.deepEqual([summary.additions, summary.deletions], [1, 1]);
      assert.match(summary.unified, /No newline at end of file/);
    });

    it('uses names in the header', () => {
      const summary = diffSummary('a\n', 'b\n', {}, { oldName: 'a/doc.md', newName: 'b/doc.md' });
      assert.ok(summary.unified.startsWith('--- a/doc.md\n+++ b/doc.md\n'));
    });

    it('property: an untruncated diff applies to the old text and gives the new one', () => {
      const lines = fc.array(fc.constantFrom('a', 'b', 'c', '', 'd e', 'x\r'), { maxLength: 30 });
      const text = fc.tuple(lines, fc.boolean()).map(([ls, finalNewline]) => ls.join('\n') + (finalNewline && ls.length > 0 ? '\n' : ''));
      fc.assert(
        fc.property(text, text, (before, after) => {
          const summary = diffSummary(before, after);
          assert.equal(summary.truncated, false);
          if (before === after) return;
          assert.equal(applyPatch(before, summary.unified), after);
          assert.equal(summary.additions - summary.deletions, countLinesAsDiffDoes(after) - countLinesAsDiffDoes(before));
        }),
        { numRuns: 500 },
      );
    });

    it('property: hunks keep whole-file line numbers around long common prefixes and suffixes', () => {
      const block = fc.array(fc.constantFrom('a', 'b', 'c', '', 'x y'), { maxLength: 25 });
      fc.assert(
        fc.property(block, block, block, block, (prefix, oldMiddle, newMiddle, suffix) => {
          const before = [...prefix, ...oldMiddle, ...suffix].map((l) => `${l}\n`).join('');
          const after = [...prefix, ...newMiddle, ...suffix].map((l) => `${l}\n`).join('');
          const summary = diffSummary(before, after);
          if (before === after) return;
          assert.equal(applyPatch(before, summary.unified), after);
          assertHunksAtTheirLineNumbers(before, after, summary.unified);
        }),
        { numRuns: 500 },
      );
    });

    it('falls back to a summary past the changed-lines budget', () => {
      const before = randomLines(300, 1).join('\n');
      const after = randomLines(200, 2).join('\n');
      const summary = diffSummary(`head\n${before}\ntail\n`, `head\n${after}\ntail\n`, { maxChangedLines: 100, maxUnifiedLines: 20 });
      assert.equal(summary.truncated, true);
      assert.equal(summary.additions, 200);
      assert.equal(summary.deletions, 300);
      assert.match(summary.unified, /^@@ -2,300 \+2,200 @@$/m);
      assert.equal(summary.unified.trimEnd().split('\n').length, 2 + 1 + 20);
    });

    it('falls back when Myers exceeds its edit budget', () => {
      const before = randomLines(50, 3).join('\n');
      const after = randomLines(50, 4).join('\n');
      const summary = diffSummary(before, after, { maxEditLength: 10 });
      assert.equal(summary.truncated, true);
      assert.equal(summary.additions, 50);
      assert.equal(summary.deletions, 50);
    });

    it('cuts a long unified text and says so, keeping exact counts', () => {
      const before = Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n');
      const after = Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? `line ${i}` : `LINE ${i}`)).join('\n');
      const summary = diffSummary(before, after, { maxUnifiedLines: 100 });
      assert.equal(summary.truncated, true);
      assert.equal(summary.additions, 200);
      assert.equal(summary.deletions, 200);
      assert.equal(summary.unified.split('\n').length, 101);
    });

    it('a 1 MB complete rewrite finishes quickly (hang guard)', function () {
      this.timeout(10_000);
      const before = randomLines(60_000, 5).join('\n');
      const after = randomLines(60_000, 6).join('\n');
      assert.ok(before.length > 1_000_000 && after.length > 1_000_000);
      const started = performance.now();
      const summary = buildPreview(after, {}, before).diff;
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 3_000, `took ${Math.round(elapsed)} ms`);
      assert.equal(summary?.truncated, true);
      assert.equal(summary?.additions, 60_000);
      assert.equal(summary?.deletions, 60_000);
    });

    it('a 1 MB file with scattered edits finishes quickly (hang guard)', function () {
      this.timeout(10_000);
      const before = randomLines(60_000, 7);
      const after = before.map((line, i) => (i % 7 === 0 ? `${line}!` : line));
      assert.ok(before.join('\n').length > 1_000_000);
      const started = performance.now();
      const summary = diffSummary(before.join('\n'), after.join('\n'));
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 3_000, `took ${Math.round(elapsed)} ms`);
      assert.ok(summary.additions >= 8_572 && summary.deletions >= 8_572);
    });
  });
});

/** applyPatch searches near the stated line; this checks the stated numbers exactly. */
function assertHunksAtTheirLineNumbers(before: string, after: string, unified: string): void {
  const oldLines = before.split('\n');
  const newLines = after.split('\n');
  const [patch] = parsePatch(unified);
  assert.ok(patch);
  for (const hunk of patch.hunks) {
    const oldSide = hunk.lines.filter((l) => l[0] === ' ' || l[0] === '-').map((l) => l.slice(1));
    const newSide = hunk.lines.filter((l) => l[0] === ' ' || l[0] === '+').map((l) => l.slice(1));
    const oldFrom = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
    const newFrom = hunk.newLines === 0 ? hunk.newStart : hunk.newStart - 1;
    assert.deepEqual(oldLines.slice(oldFrom, oldFrom + oldSide.length), oldSide, `old side of ${JSON.stringify(hunk)}`);
    assert.deepEqual(newLines.slice(newFrom, newFrom + newSide.length), newSide, `new side of ${JSON.stringify(hunk)}`);
  }
}

/** jsdiff's notion: lines with terminators; a last line without one still counts. */
function countLinesAsDiffDoes(text: string): number {
  return text === '' ? 0 : text.split(/(?<=\n)/).length;
}
