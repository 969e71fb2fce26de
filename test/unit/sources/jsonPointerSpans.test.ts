import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lineSpansOf } from '../../../server/src/sources/jsonPointerSpans';

describe('sources: lines of JSON values by pointer', () => {
  it('finds objects, arrays and scalars, with escaped keys and strings holding brackets, quotes and commas', () => {
    const value = { requests: [{ message: { text: 'a "}],{[" b\\', parts: [1, 2] }, response: [{ value: 'x' }, { value: 'y' }] }], 'a/b': { '~k': [true, null] } };
    const text = JSON.stringify(value, null, 2);
    const line = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const spans = lineSpansOf(text, new Set(['/requests/0/message', '/requests/0/response/1', '/a~1b/~0k/1', '/missing']));
    assert.deepEqual(spans.get('/requests/0/message'), { first: line('"message"'), last: line('"response"') - 1 });
    assert.deepEqual(spans.get('/requests/0/response/1'), { first: line('"y"') - 1, last: line('"y"') + 1 });
    assert.deepEqual(spans.get('/a~1b/~0k/1'), { first: line('null'), last: line('null') });
    assert.equal(spans.has('/missing'), false);
  });

  it('agrees with JSON.parse on where every top-level element is (any JSON, any indentation)', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 3 }), (values, indent) => {
        const text = JSON.stringify(values, null, indent);
        const wanted = new Set(values.map((_, i) => `/${i}`));
        const spans = lineSpansOf(text, wanted);
        const lines = text.split('\n');
        for (const [pointer, span] of spans) {
          const index = Number(pointer.slice(1));
          const slice = lines.slice(span.first - 1, span.last).join('\n');
          // The value's own text lies within its lines.
          assert.ok(slice.includes(JSON.stringify(values[index], null, indent).split('\n')[0]!.trim()), pointer);
        }
        assert.equal(spans.size, values.length);
      }),
      { numRuns: 200 },
    );
  });
});
