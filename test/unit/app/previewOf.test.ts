import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { previewOf } from '../../../server/src/app/results';

/** The message picker's one-line previews: the faster form gives what the plain one did. */
describe('app: previewOf', () => {
  const plain = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text).replace(/\s+/g, ' ');

  it('equals "cut to 79 + …, whitespace runs as one space" for any text', () => {
    const whitespace = fc.constantFrom(' ', '  ', '\n', '\t', '\r\n', '\u00a0', '\u2028', 'a', 'é', '😀', 'x y');
    fc.assert(fc.property(fc.array(fc.oneof(whitespace, fc.string()), { maxLength: 60 }).map((parts) => parts.join('')), (text) => previewOf(text) === plain(text)), { numRuns: 2000 });
  });

  it('examples', () => {
    assert.equal(previewOf('a\n\nb  c'), 'a b c');
    assert.equal(previewOf('x'.repeat(81)), `${'x'.repeat(79)}…`);
    assert.equal(previewOf('x'.repeat(80)), 'x'.repeat(80));
  });
});
