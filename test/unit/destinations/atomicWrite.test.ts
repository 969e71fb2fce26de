import { strict as assert } from 'node:assert';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  atomicWriteFile,
  nodeAtomicWriteFs,
  type AtomicWriteFs,
  type WritableHandle,
} from '../../../server/src/destinations/atomicWrite';

/** node:fs with chosen calls replaced, to inject failures at exact points. */
function faultyFs(overrides: {
  write?: (inner: WritableHandle, ...args: Parameters<WritableHandle['write']>) => ReturnType<WritableHandle['write']>;
  sync?: () => Promise<void>;
  rename?: AtomicWriteFs['rename'];
}): AtomicWriteFs {
  return {
    async open(file, flags, mode) {
      const inner = await nodeAtomicWriteFs.open(file, flags, mode);
      return {
        write: (...args) => (overrides.write ? overrides.write(inner, ...args) : inner.write(...args)),
        sync: () => (overrides.sync && flags !== 'r' ? overrides.sync() : inner.sync()),
        close: () => inner.close(),
      };
    },
    rename: overrides.rename ?? nodeAtomicWriteFs.rename,
    unlink: nodeAtomicWriteFs.unlink,
    link: nodeAtomicWriteFs.link,
  };
}

describe('atomicWriteFile', () => {
  let folder: string;
  let target: string;

  beforeEach(async () => {
    folder = await fsp.mkdtemp(path.join(os.tmpdir(), 'devguide-atomic-'));
    target = path.join(folder, 'doc.md');
  });
  afterEach(async () => {
    await fsp.rm(folder, { recursive: true, force: true });
  });

  async function assertUntouched(expected: string | undefined): Promise<void> {
    const entries = await fsp.readdir(folder);
    if (expected === undefined) {
      assert.deepEqual(entries, [], 'leftover files');
    } else {
      assert.deepEqual(entries, ['doc.md'], 'leftover temp files');
      assert.equal(await fsp.readFile(target, 'utf8'), expected);
    }
  }

  it('creates a file with exactly the given UTF-8 content and returns the byte count', async () => {
    const content = 'héllo\r\nwörld 😀\n\u0000end';
    const written = await atomicWriteFile(target, content);
    assert.equal(written, Buffer.byteLength(content, 'utf8'));
    assert.deepEqual(await fsp.readFile(target), Buffer.from(content, 'utf8'));
    await assertUntouched(content);
  });

  it('replaces an existing file', async () => {
    await fsp.writeFile(target, 'old');
    await atomicWriteFile(target, 'new');
    await assertUntouched('new');
  });

  it('writes everything even when the OS writes in small pieces', async () => {
    const content = 'x'.repeat(100_000);
    const fs = faultyFs({ write: (inner, buffer, offset, length, position) => inner.write(buffer, offset, Math.min(length, 4096), position) });
    await atomicWriteFile(target, content, { fs });
    await assertUntouched(content);
  });

  it('leaves the target untouched and no temp file when a write fails midway', async () => {
    await fsp.writeFile(target, 'original');
    let calls = 0;
    const fs = faultyFs({
      write: async (inner, buffer, offset, length, position) => {
        calls += 1;
        if (calls === 2) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
        return inner.write(buffer, offset, Math.min(length, 1000), position);
      },
    });
    await assert.rejects(atomicWriteFile(target, 'y'.repeat(5000), { fs }), /disk full/);
    await assertUntouched('original');
  });

  it('leaves no partial new file when creating fails midway', async () => {
    const fs = faultyFs({
      write: async (inner, buffer, offset, _length, position) => {
        await inner.write(buffer, offset, 10, position);
        throw Object.assign(new Error('I/O error'), { code: 'EIO' });
      },
    });
    await assert.rejects(atomicWriteFile(target, 'z'.repeat(100), { fs }), /I\/O error/);
    await assertUntouched(undefined);
  });

  it('leaves the target untouched when fsync fails', async () => {
    await fsp.writeFile(target, 'original');
    const fs = faultyFs({ sync: () => Promise.reject(Object.assign(new Error('fsync failed'), { code: 'EIO' })) });
    await assert.rejects(atomicWriteFile(target, 'new', { fs }), /fsync failed/);
    await assertUntouched('original');
  });

  it('leaves the target untouched when the rename fails', async () => {
    await fsp.writeFile(target, 'original');
    const fs = faultyFs({ rename: () => Promise.reject(Object.assign(new Error('rename failed'), { code: 'EXDEV' })) });
    await assert.rejects(atomicWriteFile(target, 'new', { fs }), /rename failed/);
    await assertUntouched('original');
  });

  it('fails without leftovers when the folder does not exist', async () => {
    await assert.rejects(atomicWriteFile(path.join(folder, 'missing', 'a.md'), 'x'), { code: 'ENOENT' });
    await assertUntouched(undefined);
  });

  it('gives each concurrent write its own temp file; one complete version wins', async () => {
    const versions = Array.from({ length: 10 }, (_, i) => `version ${i}\n`.repeat(1000));
    await Promise.all(versions.map((v) => atomicWriteFile(target, v)));
    const final = await fsp.readFile(target, 'utf8');
    assert.ok(versions.includes(final));
    await assertUntouched(final);
  });
});
