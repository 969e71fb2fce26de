import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pickBlocks } from '../../../server/src/pipeline/assemble';
import { decodeTranscriptBytes, parseTranscript, parseTranscriptBytes } from '../../../server/src/sources';
import { chatMessageRowSchema, messageFromRow, parseChatMessageRows } from '../../../server/src/sources/canonical';
import { withBlockProvenance } from '../../../server/src/sources/provenance';
import { parseRecord } from '../../../server/src/sources/schemaError';
import { isoFromString } from '../../../server/src/sources/timestamps';

/**
 * The parsing fast paths (canonical times, NUL counting in bytes, cleaning
 * once) must give exactly what the general paths give: each is checked
 * against a plain re-statement of the general rule.
 */

const NO_ZONE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/** isoFromString without its fast path. */
/** The oracle: a calendar field that does not exist (Feb 30, month 13, minute 60) is no time at all (issue 11 item 15). */
function impossibleCalendar(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value);
  if (!match) return false;
  const [y, mo, d, h = 0, mi = 0, s = 0] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  const lastDay = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
  return mo! < 1 || mo! > 12 || d! < 1 || d! > lastDay || h > 24 || mi > 59 || s > 60;
}

function isoByDate(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '' || impossibleCalendar(trimmed)) return undefined;
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

/** Values of a chat_messages row's fields, valid and not, as JSON can carry them. */
function rowValues() {
  const junk = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}), fc.string({ maxLength: 3 }));
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, junk);
  const name = fc.oneof(fc.constantFrom('m1', 'a b', 'é'), fc.constant(''), fc.integer({ min: -3, max: 3 }));
  const time = fc.oneof(
    fc.constantFrom('2026-01-02T15:29:00.000Z', '2026-01-02T15:29:00Z', '2026-01-02 15:29:00', '2026-02-30T00:00:00.000Z', ' 2026-01-02T15:29:00.000Z', 'yesterday', ''),
    fc.integer({ min: 0, max: 2e12 }),
  );
  const block = fc.record(
    {
      id: maybe(fc.constantFrom('b1', 'b2', '')),
      kind: maybe(fc.constantFrom('text', 'code', 'thinking', 'tool_use', 'tool_result', 'image')),
      content: maybe(fc.constantFrom('x', '', ' \n')),
      extra: fc.string({ maxLength: 2 }),
    },
    { requiredKeys: [] },
  );
  const metadata = fc.oneof(
    fc.record({ blocks: maybe(fc.array(fc.oneof(block, junk), { maxLength: 3 })), other: fc.string({ maxLength: 2 }) }, { requiredKeys: [] }),
    fc.constantFrom('{"blocks":[{"content":"from text"}]}', '', '  ', 'not json'),
    junk,
  );
  return fc.record(
    {
      id: name,
      session_id: name,
      surface: maybe(fc.constantFrom('inputs', 'reasoning', 'outputs', 'editor', 'Outputs')),
      agent_id: maybe(fc.constantFrom('planner', '')),
      role: maybe(fc.constantFrom('user', 'assistant', 'system', 'tool', 'robot')),
      content: maybe(fc.constantFrom('hi', '', ' ')),
      metadata,
      created_at: maybe(time),
      unknown_column: fc.string({ maxLength: 2 }),
    },
    { requiredKeys: ['id', 'session_id', 'role', 'created_at'] },
  );
}

describe('sources: fast paths agree with the general rules', () => {
  it('reads every time the way the Date round trip does, canonical or not, except impossible calendar fields', () => {
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
    for (const rolledOver of ['2026-02-30T00:00:00.000Z', '2026-04-31T12:00:00.000Z']) {
      assert.equal(isoFromString(rolledOver), undefined, `${rolledOver} is not a day, not a later one`);
    }
    for (const value of ['2026-01-01T24:00:00.000Z', ' 2026-01-01T00:00:00.000Z']) assert.equal(isoFromString(value), isoByDate(value), value);
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

  it('reads chat_messages rows as the zod schema does, plain rows and all others', () => {
    const where = { path: 'x.jsonl', line: 1 };
    fc.assert(
      fc.property(fc.oneof(rowValues(), fc.anything()), (value) => {
        const fast = outcome(() => parseChatMessageRows([{ line: 1, value }], 'x.jsonl').sessions[0]?.messages[0]);
        const general = outcome(() => messageFromRow(parseRecord(chatMessageRowSchema, value, where), 'x.jsonl:1'));
        assert.deepEqual(fast, general);
      }),
      { numRuns: 4000 },
    );
  });

  it('keeps the blocks String#trim calls non-blank', () => {
    const text = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\ufeff', '\u2028', '\u3000', '\u200b', 'a', '#', '\u00e9') });
    fc.assert(
      fc.property(fc.array(text, { maxLength: 4 }), (contents) => {
        const message = withBlockProvenance({
          id: 'm',
          sessionId: 's',
          surface: 'reasoning',
          role: 'user',
          content: contents.join('\n\n'),
          blocks: contents.map((content, i) => ({ id: `b${i}`, kind: 'text' as const, content })),
          createdAt: '2026-01-01T00:00:00.000Z',
        });
        const kept = pickBlocks([message], 's', undefined).flatMap((m) => m.blocks.map((b) => b.content));
        assert.deepEqual(kept, contents.filter((c) => c.trim() !== ''));
      }),
      { numRuns: 2000 },
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
