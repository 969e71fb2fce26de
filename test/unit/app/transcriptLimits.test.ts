import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transcripts } from '../../../server/src/app/transcripts';
import { DEFAULT_MAX_INPUT_BYTES } from '../../../server/src/config';
import { ExportError } from '../../../server/src/errors';

/** Issue 11 item 9: what a transcript file may be, checked before it is read, and a cache that stays bounded. */

const row = (id: string, session: string) =>
  JSON.stringify({ id, session_id: session, surface: 'reasoning', agent_id: null, role: 'user', content: `message ${id}`, metadata: {}, created_at: '2026-01-01T00:00:00Z' });

function rejectsWith(code: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ExportError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('app: transcript files — regular files only, a size limit before reading, a bounded cache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'devguide-transcripts-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses a file over the input limit (default 64 MiB) with CONTENT_TOO_LARGE, without reading it', async () => {
    const big = join(dir, 'big.jsonl');
    // Sparse: 65 MiB on paper, nothing on disk; reading it would take the memory the limit is there to spare.
    const handle = await open(big, 'w');
    await handle.truncate(DEFAULT_MAX_INPUT_BYTES + 1024 * 1024);
    await handle.close();
    const transcripts = new Transcripts(dir, () => DEFAULT_MAX_INPUT_BYTES);
    await assert.rejects(transcripts.listSessions(big), rejectsWith('CONTENT_TOO_LARGE', /68,157,440 bytes; transcripts up to 67,108,864 bytes/));
    const small = new Transcripts(dir, () => 100);
    await writeFile(join(dir, 'rows.jsonl'), [row('m1', 's'), row('m2', 's')].join('\n'));
    await assert.rejects(small.listSessions('rows.jsonl'), rejectsWith('CONTENT_TOO_LARGE', /limits\.maxInputBytes/));
  });

  it('refuses devices, FIFOs and folders as "not a regular file" at once', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const transcripts = new Transcripts(dir, () => DEFAULT_MAX_INPUT_BYTES);
    for (const path of ['/dev/zero', fifo, dir]) {
      await assert.rejects(transcripts.listSessions(path), rejectsWith('INVALID_INPUT', /not a regular file/));
    }
  });

  it('keeps parses of at most its byte budget, dropping the least recently used', async () => {
    const files = ['a', 'b', 'c'].map((name) => join(dir, `${name}.jsonl`));
    for (const [i, file] of files.entries()) await writeFile(file, Array.from({ length: 8 }, (_, n) => row(`m${i}-${n}`, `s${i}`)).join('\n'));
    const transcripts = new Transcripts(dir, () => DEFAULT_MAX_INPUT_BYTES, 2_000);
    for (const file of files) await transcripts.listSessions(file);
    assert.ok(transcripts.cachedBytes() <= 2_000, `${transcripts.cachedBytes()} bytes cached`);
    assert.ok(transcripts.cachedBytes() > 0, 'the most recent parse is kept');
  });
});
