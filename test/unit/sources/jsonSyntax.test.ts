import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lineColumnAt, linesAt, scanJson } from '../../../server/src/sources/jsonSyntax';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('sources: JSON syntax scanner', () => {
  it('agrees with JSON.parse on valid documents and their truncations', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), (text, cut) => {
        assert.equal(scanJson(text).problem, undefined);
        const truncated = text.slice(0, cut % (text.length + 1));
        assert.equal(scanJson(truncated).problem === undefined, parses(truncated), JSON.stringify(truncated));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with JSON.parse on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ', '\n', '1', '-', '.', 'e', 't', 'r', 'u', '\\', 'n', 'a') }), (text) => {
        assert.equal(scanJson(text).problem === undefined, parses(text), JSON.stringify(text));
      }),
      { numRuns: 500 },
    );
  });

  it('finds the offsets of top-level array elements and their lines', () => {
    const text = '[\n  {"a": [1, 2]},\n  "x",\n\n  3\n]';
    const scan = scanJson(text);
    assert.deepEqual(linesAt(text, scan.topLevelElementOffsets), [2, 3, 5]);
    assert.deepEqual(lineColumnAt(text, text.indexOf('"x"')), { line: 3, column: 3 });
  });
});
