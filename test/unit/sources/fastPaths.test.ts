import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeTranscriptBytes, parseTranscript, parseTranscriptBytes } from '../../../server/src/sources';
import { isoFromString } from '../../../server/src/sources/timestamps';

/**
 * The parsing fast paths (canonical times, NUL counting in bytes, cleaning
 * once) must give exactly what the general paths give: each is checked
 * against a plain re-statement of the general rule.
 */

const NO_ZONE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/** isoFromString without its fast path. */
function isoByDate(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const ms = Date.parse(NO_ZONE.test(trimmed) ? `${trimmed.replace(' ', 'T')}Z` : trimmed);
  return Number.isFinite(ms) ? new Date(Math.round(ms)).toISOString() : undefined;
}

/** decodeTranscriptBytes (UTF-8 input) as a charCodeAt count over the decoded text. */
function decodeByChars(bytes: Uint8Array): string {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(hasBom ? bytes.subarray(3) : bytes);
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let suspicious = 0;
  for (let i = 0; i < withoutBom.length; i++) {
    const code = withoutBom.charCodeAt(i);
    if (code === 0 || code === 0xfffd) suspicious++;
  }
  if (suspicious / Math.max(withoutBom.length, 100) > 0.05) throw new Error('binary');
  return withoutBom.replace(/\0/g, '');
}

function outcome<T>(run: () => T): { value: T } | { error: string } {
  try {
    return { value: run() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('sources: fast paths agree with the general rules', () => {
  it('reads every time the way the Date round trip does, canonical or not', () => {
    const canonicalShaped = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 999 }))
      .map(([y, mo, d, h, mi, s, ms]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`);
    const valid = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString());
    fc.assert(
      fc.property(fc.oneof(canonicalShaped, valid, fc.string()), (value) => {
        assert.equal(isoFromString(value), isoByDate(value));
      }),
      { numRuns: 3000 },
    );
    for (const rolledOver of ['2026-02-30T00:00:00.000Z', '2026-04-31T12:00:00.000Z', '2026-01-01T24:00:00.000Z', ' 2026-01-01T00:00:00.000Z']) {
      assert.equal(isoFromString(rolledOver), isoByDate(rolledOver), rolledOver);
    }
  });

  it('judges binary input from the bytes as it would from the decoded text', () => {
    const byte = fc.oneof(fc.constant(0x00), fc.constant(0x41), fc.constant(0x0a), fc.integer({ min: 0, max: 255 }));
    const chunk = fc.oneof(
      fc.uint8Array({ maxLength: 4 }),
      fc.constant(Uint8Array.from([0xef, 0xbf, 0xbd])), // U+FFFD
      fc.constant(Uint8Array.from([0xef, 0xbb, 0xbf])), // BOM
      fc.constant(Uint8Array.from([0xe2, 0x80, 0x94])), // —
      fc.array(byte, { maxLength: 30 }).map((bytes) => Uint8Array.from(bytes)),
    );
    const input = fc.array(chunk, { maxLength: 60 }).map((chunks) => Uint8Array.from(chunks.flatMap((c) => [...c])));
    fc.assert(
      fc.property(input, (bytes) => {
        const fast = outcome(() => decodeTranscriptBytes(bytes, 'x'));
        const general = outcome(() => decodeByChars(bytes));
        if ('error' in general) assert.ok('error' in fast && fast.error.includes('binary'), JSON.stringify(fast));
        else assert.deepEqual(fast, general);
      }),
      { numRuns: 3000 },
    );
  });

  it('parses bytes as parseTranscript parses their decoded text, leading BOMs included', () => {
    const row = '{"id":"m1","session_id":"s","role":"user","content":"hi","created_at":"2026-01-01T00:00:00Z"}';
    for (const prefix of ['', '\uFEFF', '\uFEFF\uFEFF', '\uFEFF\uFEFF\uFEFF', '\0', ' \n']) {
      for (const text of [`${prefix}${row}\n${row.replace('m1', 'm2')}\n`, `${prefix}[${row}]`]) {
        const bytes = Buffer.from(text, 'utf8');
        assert.deepEqual(
          outcome(() => parseTranscriptBytes(bytes, 'x.jsonl')),
          outcome(() => parseTranscript(decodeTranscriptBytes(bytes, 'x.jsonl'), 'x.jsonl')),
          JSON.stringify(prefix),
        );
      }
    }
  });
});
