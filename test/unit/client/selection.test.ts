import assert from 'node:assert/strict';
import { selectedLines } from '../../../client/src/transcript/selection';

describe('client: selection → lines', () => {
  it('turns an editor selection into 1-based lines, dropping a last line selected only up to column 0', () => {
    assert.deepEqual(selectedLines({ start: { line: 0, character: 3 }, end: { line: 2, character: 5 } }), { startLine: 1, endLine: 3 });
    assert.deepEqual(selectedLines({ start: { line: 1, character: 0 }, end: { line: 3, character: 0 } }), { startLine: 2, endLine: 3 });
    assert.deepEqual(selectedLines({ start: { line: 4, character: 0 }, end: { line: 4, character: 9 } }), { startLine: 5, endLine: 5 });
    assert.equal(selectedLines({ start: { line: 4, character: 2 }, end: { line: 4, character: 2 } }), undefined);
  });
});
