import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ExportError } from '../../../server/src/errors';
import { decodeTranscriptBytes, parseTranscript } from '../../../server/src/sources';
import { expectExportError } from './expectExportError';

const row = '{"id":"m1","session_id":"s","role":"user","content":"hi","created_at":"2026-01-01T00:00:00Z"}';

describe('sources: bad input', () => {
  it('refuses an empty or whitespace-only file', () => {
    expectExportError(() => parseTranscript('', 'e.json'), 'INVALID_INPUT', 'empty');
    expectExportError(() => parseTranscript(' \n\t\r\n ', 'e.json'), 'INVALID_INPUT', 'The file is empty: e.json');
    expectExportError(() => parseTranscript('\uFEFF\0\0', 'e.json'), 'INVALID_INPUT', 'empty');
  });

  it('refuses binary-looking text', () => {
    const binary = `PNG${'\0'.repeat(40)}${'\uFFFD'.repeat(40)}IHDR`;
    expectExportError(() => parseTranscript(binary, 'img.json'), 'INVALID_INPUT', 'binary');
  });

  it('names the line and column of truncated JSON', () => {
    const text = '{\n  "requests": [\n    {"requestId": "r1", "message": {"text": "hi"';
    const error = expectExportError(() => parseTranscript(text, 'chat.json'), 'INVALID_INPUT', /chat\.json at line 3, column \d+: unexpected end of input/);
    assert.equal(error.details?.['line'], 3);
    expectExportError(() => parseTranscript('[{"a": 1,}]', 'x.json'), 'INVALID_INPUT', 'line 1, column 10: expected a property name');
    expectExportError(() => parseTranscript('{"a": "unterminated', 'x.json'), 'INVALID_INPUT', 'unterminated string');
  });

  it('an impossible date (2026-02-30) is INVALID_INPUT at its line, not March 2nd (issue 11 item 15)', () => {
    const row = (id: string, time: string) => JSON.stringify({ id, session_id: 's', surface: 'reasoning', agent_id: null, role: 'user', content: 'x', metadata: {}, created_at: time });
    for (const time of ['2026-02-30T10:00:00Z', '2026-13-01 10:00:00', '2026-04-31', '2026-01-01T25:00:00Z']) {
      const error = expectExportError(() => parseTranscript([row('m1', '2026-01-01T00:00:00Z'), row('m2', time)].join('\n'), 'rows.jsonl'), 'INVALID_INPUT', /line 2/);
      assert.match(error.message, /created_at/, time);
    }
    const leap = parseTranscript(row('m1', '2028-02-29T12:00:00Z'), 'rows.jsonl');
    assert.equal(leap.sessions[0]?.messages[0]?.createdAt, '2028-02-29T12:00:00.000Z', 'a leap day exists');
  });

  it('lists the supported formats for JSON of an unknown shape, and for non-JSON text', () => {
    const error = expectExportError(() => parseTranscript('{"hello": "world"}', 'x.json'), 'UNKNOWN_FORMAT', 'Supported formats:');
    assert.ok(error.message.includes('ChatGPT conversations.json'));
    assert.ok(Array.isArray(error.details?.['supported']));
    expectExportError(() => parseTranscript('[1, 2, 3]', 'x.json'), 'UNKNOWN_FORMAT');
    expectExportError(() => parseTranscript('{"a":1}\n{"b":2}\n', 'x.jsonl'), 'UNKNOWN_FORMAT');
    expectExportError(() => parseTranscript('# Notes\nnot json', 'notes.md'), 'UNKNOWN_FORMAT', 'is not JSON');
    expectExportError(() => parseTranscript('[]', 'x.json'), 'INVALID_INPUT', 'empty list');
  });

  it('detects by content, whatever the extension', () => {
    assert.equal(parseTranscript(`${row}\n`, 'transcript.txt').format, 'chat_messages');
    assert.equal(parseTranscript(row, 'one-row.json').format, 'chat_messages');
  });

  it('handles CRLF line endings', () => {
    const parsed = parseTranscript(`${row}\r\n${row.replace('m1', 'm2')}\r\n`, 'r.jsonl');
    assert.deepEqual(parsed.sessions[0]?.messages.map((m) => m.id), ['m1', 'm2']);
  });

  it('strips a BOM and stray NULs from text', () => {
    const parsed = parseTranscript(`\uFEFF${row.replace('"hi"', '"h\0i"')}`, 'r.jsonl');
    assert.equal(parsed.sessions[0]?.messages[0]?.content, 'hi');
  });
});

describe('sources: decodeTranscriptBytes', () => {
  const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

  it('strips a UTF-8 BOM and stray NUL bytes', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('{"a":'), 0, ...utf8('"é"}')]);
    assert.equal(decodeTranscriptBytes(bytes), '{"a":"é"}');
  });

  it('decodes UTF-16 with a BOM', () => {
    const le = Buffer.from('\uFEFF{"x":"ü"}', 'utf16le');
    assert.equal(decodeTranscriptBytes(le), '{"x":"ü"}');
    const be = Buffer.from(le);
    be.swap16();
    assert.equal(decodeTranscriptBytes(be), '{"x":"ü"}');
  });

  it('refuses binary content with INVALID_INPUT naming the file', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array<number>(200).fill(0), 0xff, 0xfe, 0x00]);
    expectExportError(() => decodeTranscriptBytes(png, 'logo.png'), 'INVALID_INPUT', 'logo.png looks like a binary file');
    let seed = 7;
    const random = Uint8Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff);
    expectExportError(() => decodeTranscriptBytes(random, 'blob.gz'), 'INVALID_INPUT', 'binary');
  });

  it('keeps text with a few invalid bytes (they become U+FFFD)', () => {
    const text = decodeTranscriptBytes(new Uint8Array([...utf8('{"a":"caf'), 0xe9, ...utf8('"}'), ...utf8(' '.repeat(100))]));
    assert.ok(text.startsWith('{"a":"caf\uFFFD"}'));
  });
});

describe('sources: never crashes', () => {
  it('returns a transcript or throws an ExportError for any text', () => {
    const dir = join(__dirname, '..', '..', '..', 'examples');
    const samples = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8'));
    const mutated = fc
      .tuple(fc.constantFrom(...samples), fc.nat(), fc.nat(), fc.string({ maxLength: 8 }))
      .map(([text, at, drop, insert]) => {
        const start = at % (text.length + 1);
        return text.slice(0, start) + insert + text.slice(start + (drop % 12));
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.json(), fc.string()), (text) => {
        try {
          parseTranscript(text, 'fuzz.json');
        } catch (error) {
          assert.ok(error instanceof ExportError, `unexpected ${String(error)}`);
          assert.ok(['INVALID_INPUT', 'UNKNOWN_FORMAT'].includes(error.code), error.code);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
