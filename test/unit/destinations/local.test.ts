import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Clock } from '../../../server/src/clock';
import type { LocalDestinationConfig } from '../../../server/src/config';
import { ExportError, type ErrorCode } from '../../../server/src/errors';
import { nodeAtomicWriteFs, type AtomicWriteFs } from '../../../server/src/destinations/atomicWrite';
import { createLocalDestination } from '../../../server/src/destinations/local';
import { expectationOf, type Destination, type SaveRequest } from '../../../server/src/destinations/types';

function config(overrides: Partial<LocalDestinationConfig> = {}): LocalDestinationConfig {
  return { id: 'local', type: 'local', baseDir: './exports', onExisting: 'update', ...overrides };
}

/** A save of a new file, as a review that saw no file there asks for it. */
function request(filename: string, content: string, jobId = 'job-1'): SaveRequest {
  return { filename, content, title: 'Title', metadata: {}, jobId, expected: { exists: false } };
}

/** A save as the real flow makes it: holding to what fetchExisting (the review) sees there now. */
async function reviewed(destination: Destination, filename: string, content: string, jobId = 'job-1'): Promise<SaveRequest> {
  return { ...request(filename, content, jobId), expected: expectationOf(await destination.fetchExisting(filename)) };
}

function rejectsWith(code: ErrorCode, pattern?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ExportError, `not an ExportError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    assert.ok(!/\n\s+at /.test(error.message), 'message carries a stack');
    return true;
  };
}

function failingFs(failOn: 'open' | 'rename', code: string): AtomicWriteFs {
  const failure = () => Promise.reject(Object.assign(new Error(`${code}: simulated`), { code }));
  return {
    open: (file, flags, mode) => (failOn === 'open' && flags !== 'r' ? failure() : nodeAtomicWriteFs.open(file, flags, mode)),
    rename: (from, to) => (failOn === 'rename' ? failure() : nodeAtomicWriteFs.rename(from, to)),
    unlink: nodeAtomicWriteFs.unlink,
    // The last step of a write: a rename over the target, or the link of an exclusive create.
    link: (from, to) => (failOn === 'rename' ? failure() : nodeAtomicWriteFs.link(from, to)),
  };
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await fsp.readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(folder, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

describe('local destination', () => {
  let workspace: string;
  let exportsDir: string;
  let backups: string;
  let local: Destination;

  beforeEach(async () => {
    workspace = await fsp.mkdtemp(path.join(os.tmpdir(), 'devguide-local-'));
    exportsDir = path.join(workspace, 'exports');
    backups = path.join(workspace, 'data', 'backups');
    local = createLocalDestination(config(), { workspaceRoot: workspace, backupDir: backups });
  });
  afterEach(async () => {
    await fsp.rm(workspace, { recursive: true, force: true });
  });

  describe('validateConfig', () => {
    it('accepts a valid config', () => {
      local.validateConfig();
    });

    it('rejects an invalid config with DESTINATION_CONFIG_INVALID', () => {
      const bad = createLocalDestination({ ...config(), onExisting: 'merge' } as unknown as LocalDestinationConfig, {
        workspaceRoot: workspace,
        backupDir: backups,
      });
      assert.throws(() => bad.validateConfig(), rejectsWith('DESTINATION_CONFIG_INVALID', /onExisting/));
    });

    it('rejects a base folder with a NUL character', () => {
      const bad = createLocalDestination(config({ baseDir: 'a\0b' }), { workspaceRoot: workspace, backupDir: backups });
      assert.throws(() => bad.validateConfig(), rejectsWith('DESTINATION_CONFIG_INVALID'));
    });

    it('makes every operation fail while the config is invalid', async () => {
      const bad = createLocalDestination({ ...config(), id: '' }, { workspaceRoot: workspace, backupDir: backups });
      await assert.rejects(bad.save(request('a.md', 'x')), rejectsWith('DESTINATION_CONFIG_INVALID'));
    });
  });

  describe('save (onExisting: update)', () => {
    it('creates the file, its folders, and reports CREATE', async () => {
      const content = '# Title\r\n\nnaïve 😀\n';
      const result = await local.save(request('docs/guide.md', content));
      const location = path.join(exportsDir, 'docs', 'guide.md');
      assert.equal(result.location, location);
      assert.equal(result.url, pathToFileURL(location).href);
      assert.equal(result.action, 'CREATE');
      assert.equal(result.bytesWritten, Buffer.byteLength(content, 'utf8'));
      assert.deepEqual(await fsp.readFile(location), Buffer.from(content, 'utf8'));
      assert.equal(result.rollback.destinationId, 'local');
      assert.equal(result.rollback.action, 'CREATE');
      assert.equal(result.rollback.previous, undefined);
    });

    it('keeps a traversal attempt inside the base folder', async () => {
      const result = await local.save(request('../../outside.md', 'x'));
      assert.equal(result.location, path.join(exportsDir, 'outside.md'));
      assert.deepEqual(await listFiles(workspace), ['exports/outside.md']);
    });

    it('uses an absolute base folder as given', async () => {
      const elsewhere = path.join(workspace, 'abs-target');
      const dest = createLocalDestination(config({ baseDir: elsewhere }), { workspaceRoot: path.join(workspace, 'ws'), backupDir: backups });
      const result = await dest.save(request('a.md', 'x'));
      assert.equal(result.location, path.join(elsewhere, 'a.md'));
    });

    it('overwrites atomically, reports UPDATE and keeps the previous bytes for rollback', async () => {
      await fsp.mkdir(exportsDir);
      const previous = Buffer.from([0xff, 0xfe, 0x00, 0x41]); // not UTF-8: must survive byte for byte
      await fsp.writeFile(path.join(exportsDir, 'a.md'), previous);
      const result = await local.save(await reviewed(local, 'a.md', 'new content', 'job/42'));
      assert.equal(result.action, 'UPDATE');
      assert.equal(await fsp.readFile(result.location, 'utf8'), 'new content');
      assert.ok(result.rollback.previous);
      assert.equal(result.rollback.previous, path.join(backups, 'objects', createHash('sha256').update(previous).digest('hex')), 'content-addressed');
      assert.deepEqual(await fsp.readFile(result.rollback.previous), previous);
      assert.deepEqual(await listFiles(exportsDir), ['a.md'], 'the output folder holds only what was exported');
    });

    it('keeps the first backup when the same job saves again', async () => {
      await fsp.mkdir(exportsDir);
      await fsp.writeFile(path.join(exportsDir, 'a.md'), 'original');
      await local.save(await reviewed(local, 'a.md', 'first'));
      const again = await local.save(await reviewed(local, 'a.md', 'second'));
      assert.equal(await fsp.readFile(again.rollback.previous ?? '', 'utf8'), 'original');
      await local.rollback(again.rollback);
      assert.equal(await fsp.readFile(again.location, 'utf8'), 'original');
    });

    it('leaves the old file and no backup behind when the write fails', async () => {
      await fsp.mkdir(exportsDir);
      await fsp.writeFile(path.join(exportsDir, 'a.md'), 'original');
      const dest = createLocalDestination(config(), { workspaceRoot: workspace, backupDir: backups, fs: failingFs('rename', 'EIO') });
      await assert.rejects(dest.save(await reviewed(dest, 'a.md', 'new')), rejectsWith('WRITE_FAILED', /a\.md/));
      assert.equal(await fsp.readFile(path.join(exportsDir, 'a.md'), 'utf8'), 'original');
      assert.deepEqual(await listFiles(exportsDir), ['a.md']);
    });

    it('refuses to write through a subfolder that links outside the base', async () => {
      const outside = path.join(workspace, 'outside');
      await fsp.mkdir(outside);
      await fsp.mkdir(exportsDir);
      await fsp.symlink(outside, path.join(exportsDir, 'docs'), 'dir');
      await assert.rejects(local.save(request('docs/sub/a.md', 'x')), rejectsWith('PERMISSION_DENIED', /symbolic link/));
      assert.deepEqual(await fsp.readdir(outside), []);
    });

    it('refuses to overwrite a file that links outside the base', async () => {
      await fsp.mkdir(exportsDir);
      await fsp.writeFile(path.join(workspace, 'secret.txt'), 'secret');
      await fsp.symlink(path.join(workspace, 'secret.txt'), path.join(exportsDir, 'a.md'));
      await assert.rejects(local.save(request('a.md', 'x')), rejectsWith('PERMISSION_DENIED'));
      assert.equal(await fsp.readFile(path.join(workspace, 'secret.txt'), 'utf8'), 'secret');
    });
  });

  describe('save holds to what the review saw (issue 11 item 1)', () => {
    it('a CREATE whose file appeared after the review is a CONFLICT, and the file that appeared is kept', async () => {
      const review = await reviewed(local, 'a.md', 'mine');
      await fsp.mkdir(exportsDir, { recursive: true });
      await fsp.writeFile(path.join(exportsDir, 'a.md'), 'theirs');
      await assert.rejects(local.save(review), rejectsWith('CONFLICT', /created after the review/));
      assert.equal(await fsp.readFile(path.join(exportsDir, 'a.md'), 'utf8'), 'theirs');
      assert.deepEqual(await listFiles(exportsDir), ['a.md'], 'no temp file left');
    });

    it('an UPDATE over a file changed or removed since the review is a CONFLICT; nothing written, no backup kept', async () => {
      await fsp.mkdir(exportsDir, { recursive: true });
      await fsp.writeFile(path.join(exportsDir, 'a.md'), 'reviewed');
      const review = await reviewed(local, 'a.md', 'mine');
      await fsp.writeFile(path.join(exportsDir, 'a.md'), 'a colleague\'s edit');
      const conflict = await local.save(review).then(
        () => assert.fail('saved over a changed file'),
        (error: unknown) => error,
      );
      assert.ok(conflict instanceof ExportError && conflict.code === 'CONFLICT' && conflict.recoverable, String(conflict));
      assert.match(conflict.message, /changed after the review[\s\S]*Preview the export again/);
      assert.equal(await fsp.readFile(path.join(exportsDir, 'a.md'), 'utf8'), 'a colleague\'s edit');
      assert.equal(existsSync(path.join(backups, 'objects')), false, 'no backup of a version nobody replaced');
      await fsp.rm(path.join(exportsDir, 'a.md'));
      await assert.rejects(local.save(review), rejectsWith('CONFLICT', /removed after the review/));
      assert.equal(existsSync(path.join(exportsDir, 'a.md')), false);
    });

    it('parallel saves reviewed against the same state: one writes, every other is a CONFLICT; no version is lost', async () => {
      const reviews = await Promise.all(Array.from({ length: 12 }, (_, i) => reviewed(local, 'same.md', `version ${i}`, `job-${i}`)));
      const results = await Promise.allSettled(reviews.map((r) => local.save(r)));
      const written = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      assert.equal(written.length, 1, 'exactly one CREATE');
      for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as ExportError).code, 'CONFLICT');
      assert.equal(await fsp.readFile(path.join(exportsDir, 'same.md'), 'utf8'), `version ${written[0]}`);
    });

    it('a lock left by a writer that died is taken over at once', async () => {
      const locks = path.join(backups, 'locks');
      await fsp.mkdir(locks, { recursive: true });
      const target = path.join(exportsDir, 'a.md');
      const lock = path.join(locks, `${createHash('sha256').update(target).digest('hex')}.lock`);
      // A pid that is not running (pid_max is ≤ 4194304 on Linux).
      await fsp.writeFile(lock, JSON.stringify({ pid: 4_194_303, host: os.hostname(), at: Date.now(), token: 'dead' }));
      const started = performance.now();
      await local.save(await reviewed(local, 'a.md', 'x'));
      assert.ok(performance.now() - started < 5_000, 'did not wait for the stale lock to age');
      assert.equal(existsSync(lock), false);
    });
  });

  describe('crash leftovers (issue 11 item 11)', () => {
    it('the next export into a folder removes temp files of writers that died, and nothing else', async () => {
      await fsp.mkdir(exportsDir, { recursive: true });
      const old = new Date(Date.now() - 60_000);
      const dead = path.join(exportsDir, '.devguide-tmp-4194303-0a1b2c3d4e5f.tmp'); // a pid that is not running
      const live = path.join(exportsDir, `.devguide-tmp-${process.ppid}-0a1b2c3d4e5f.tmp`); // a writer still running
      const mine = [path.join(exportsDir, '.devguide-tmp-notes.tmp'), path.join(exportsDir, 'keep.md')]; // the user's
      for (const file of [dead, live, ...mine]) {
        await fsp.writeFile(file, 'x'.repeat(1000));
        await fsp.utimes(file, old, old);
      }
      await local.save(await reviewed(local, 'a.md', 'new'));
      assert.equal(existsSync(dead), false, 'the dead writer\'s temp file is gone');
      for (const file of [live, ...mine]) assert.ok(existsSync(file), `${path.basename(file)} is kept`);
    });
  });

  describe('save (onExisting: rename)', () => {
    let renaming: Destination;
    beforeEach(() => {
      renaming = createLocalDestination(config({ onExisting: 'rename' }), { workspaceRoot: workspace, backupDir: backups });
    });

    it('never overwrites: picks name_1, name_2 …', async () => {
      const first = await renaming.save(request('a.md', 'one'));
      const second = await renaming.save(request('a.md', 'two'));
      const third = await renaming.save(request('a.md', 'three'));
      assert.deepEqual(
        [first, second, third].map((r) => [path.basename(r.location), r.action]),
        [['a.md', 'CREATE'], ['a_1.md', 'CREATE'], ['a_2.md', 'CREATE']],
      );
      assert.equal(await fsp.readFile(first.location, 'utf8'), 'one');
      assert.equal(await fsp.readFile(third.location, 'utf8'), 'three');
    });

    it('gives 10 concurrent saves of one name 10 different complete files', async () => {
      const contents = Array.from({ length: 10 }, (_, i) => `content ${i}\n`.repeat(500));
      const results = await Promise.all(contents.map((c, i) => renaming.save(request('same.md', c, `job-${i}`))));
      const locations = new Set(results.map((r) => r.location));
      assert.equal(locations.size, 10);
      for (const [i, result] of results.entries()) {
        assert.equal(await fsp.readFile(result.location, 'utf8'), contents[i]);
      }
      assert.deepEqual(
        await listFiles(exportsDir),
        ['same.md', ...Array.from({ length: 9 }, (_, i) => `same_${i + 1}.md`)].sort(),
      );
    });

    it('removes its placeholder when the write fails', async () => {
      const dest = createLocalDestination(config({ onExisting: 'rename' }), {
        workspaceRoot: workspace,
        backupDir: backups,
        fs: { ...failingFs('rename', 'ENOSPC') },
      });
      await assert.rejects(dest.save(request('a.md', 'x')), rejectsWith('WRITE_FAILED', /no space/));
      assert.deepEqual(await listFiles(exportsDir), []);
    });
  });

  describe('errors', () => {
    it('maps EACCES to PERMISSION_DENIED naming the path', async () => {
      const dest = createLocalDestination(config(), { workspaceRoot: workspace, backupDir: backups, fs: failingFs('open', 'EACCES') });
      const location = path.join(exportsDir, 'a.md');
      await assert.rejects(dest.save(request('a.md', 'x')), (error: unknown) => {
        rejectsWith('PERMISSION_DENIED')(error);
        const e = error as ExportError;
        assert.ok(e.message.includes(location));
        assert.equal(e.recoverable, false);
        return true;
      });
    });

    it('an UPDATE in a read-only folder (EROFS on the write) is PERMISSION_DENIED at once, not recoverable (issue 11)', async () => {
      const writable = createLocalDestination(config(), { workspaceRoot: workspace, backupDir: backups });
      await writable.save(request('a.md', 'first'));
      const dest = createLocalDestination(config(), { workspaceRoot: workspace, backupDir: backups, fs: failingFs('open', 'EROFS') });
      await assert.rejects(dest.save(await reviewed(dest, 'a.md', 'second')), (error: unknown) => {
        rejectsWith('PERMISSION_DENIED', /permission denied/)(error);
        assert.equal((error as ExportError).recoverable, false);
        return true;
      });
      assert.equal(await fsp.readFile(path.join(exportsDir, 'a.md'), 'utf8'), 'first');
    });

    it('maps EPERM to PERMISSION_DENIED', async () => {
      const dest = createLocalDestination(config(), { workspaceRoot: workspace, backupDir: backups, fs: failingFs('open', 'EPERM') });
      await assert.rejects(dest.save(request('a.md', 'x')), rejectsWith('PERMISSION_DENIED'));
    });

    it('maps ENOSPC to a recoverable WRITE_FAILED', async () => {
      const dest = createLocalDestination(config(), { workspaceRoot: workspace, backupDir: backups, fs: failingFs('open', 'ENOSPC') });
      await assert.rejects(dest.save(request('a.md', 'x')), (error: unknown) => {
        rejectsWith('WRITE_FAILED', /no space left/)(error);
        assert.equal((error as ExportError).recoverable, true);
        return true;
      });
    });

    it('reports a folder in the way as WRITE_FAILED', async () => {
      await fsp.mkdir(path.join(exportsDir, 'a.md'), { recursive: true });
      await assert.rejects(local.save(request('a.md', 'x')), rejectsWith('WRITE_FAILED', /folder/));
    });
  });

  describe('fetchExisting', () => {
    it('returns undefined when the base folder or the file does not exist', async () => {
      assert.equal(await local.fetchExisting('a.md'), undefined);
      await fsp.mkdir(exportsDir);
      assert.equal(await local.fetchExisting('a.md'), undefined);
    });

    it('returns the content and location of an existing file', async () => {
      await fsp.mkdir(path.join(exportsDir, 'docs'), { recursive: true });
      await fsp.writeFile(path.join(exportsDir, 'docs', 'a.md'), 'héllo');
      assert.deepEqual(await local.fetchExisting('docs/a.md'), {
        location: path.join(exportsDir, 'docs', 'a.md'),
        content: 'héllo',
        // The version a save holds to: the SHA-256 of the file's bytes.
        version: createHash('sha256').update('héllo', 'utf8').digest('hex'),
      });
    });

    it('refuses to read through a link that leads outside the base', async () => {
      await fsp.mkdir(exportsDir);
      await fsp.writeFile(path.join(workspace, 'secret.txt'), 'secret');
      await fsp.symlink(path.join(workspace, 'secret.txt'), path.join(exportsDir, 'a.md'));
      await assert.rejects(local.fetchExisting('a.md'), rejectsWith('PERMISSION_DENIED'));
    });
  });

  describe('describeImpact', () => {
    it('describes a new file as CREATE with a workspace-relative resource', async () => {
      assert.deepEqual(await local.describeImpact('docs/a.md'), {
        resource: 'exports/docs/a.md',
        action: 'CREATE',
        warnings: [],
      });
    });

    it('describes an existing file as UPDATE', async () => {
      await fsp.mkdir(exportsDir);
      await fsp.writeFile(path.join(exportsDir, 'a.md'), 'old');
      const impact = await local.describeImpact('a.md');
      assert.equal(impact.action, 'UPDATE');
      assert.deepEqual(impact.warnings, []);
    });

    it('warns about a sanitised name', async () => {
      const impact = await local.describeImpact('../a.md');
      assert.equal(impact.resource, 'exports/a.md');
      assert.equal(impact.warnings.length, 1);
      assert.match(impact.warnings[0] ?? '', /will be saved as "a\.md"/);
    });

    it('warns when the folder is outside the workspace and gives an absolute resource', async () => {
      const outside = path.join(os.tmpdir(), 'devguide-not-in-workspace');
      const dest = createLocalDestination(config({ baseDir: outside }), { workspaceRoot: workspace, backupDir: backups });
      const impact = await dest.describeImpact('a.md');
      assert.equal(impact.resource, path.join(outside, 'a.md'));
      assert.ok(impact.warnings.some((w) => /outside the workspace/.test(w)));
    });

    it('in rename mode, an existing name is a CREATE under a numbered name', async () => {
      await fsp.mkdir(exportsDir);
      await fsp.writeFile(path.join(exportsDir, 'a.md'), 'old');
      const dest = createLocalDestination(config({ onExisting: 'rename' }), { workspaceRoot: workspace, backupDir: backups });
      const impact = await dest.describeImpact('a.md');
      assert.equal(impact.action, 'CREATE');
      assert.ok(impact.warnings.some((w) => w.includes('a_1.md')));
    });
  });

  describe('testConnection', () => {
    const clock = (): Clock => {
      let t = 100;
      return { now: () => new Date(0), monotonic: () => (t += 7) };
    };

    it('creates the base folder and reports it writable with latency', async () => {
      const dest = createLocalDestination(config(), { workspaceRoot: workspace, backupDir: backups, clock: clock() });
      const check = await dest.testConnection();
      assert.equal(check.ok, true, check.message);
      assert.equal(check.latencyMs, 7);
      assert.deepEqual(await fsp.readdir(exportsDir), []);
    });

    it('reports a base folder that is a file', async () => {
      await fsp.writeFile(exportsDir, 'not a folder');
      const check = await local.testConnection();
      assert.equal(check.ok, false);
      assert.ok(check.message.includes(exportsDir), check.message);
    });

    it('reports an unwritable base folder', async () => {
      const dest = createLocalDestination(config(), { workspaceRoot: workspace, backupDir: backups, fs: failingFs('open', 'EACCES') });
      const check = await dest.testConnection();
      assert.equal(check.ok, false);
      assert.match(check.message, /permission denied/);
    });
  });

  describe('rollback', () => {
    it('CREATE: deletes the file, and a second rollback is a no-op', async () => {
      const result = await local.save(request('docs/a.md', 'x'));
      await local.rollback(result.rollback);
      await assert.rejects(fsp.stat(result.location), { code: 'ENOENT' });
      await local.rollback(result.rollback);
    });

    it('CREATE: leaves a file that was edited after the export', async () => {
      const result = await local.save(request('a.md', 'x'));
      await fsp.writeFile(result.location, 'edited by hand');
      await assert.rejects(local.rollback(result.rollback), rejectsWith('ROLLBACK_FAILED', /changed after the export/));
      assert.equal(await fsp.readFile(result.location, 'utf8'), 'edited by hand');
    });

    it('UPDATE: restores the previous bytes and removes the backup', async () => {
      await fsp.mkdir(exportsDir);
      await fsp.writeFile(path.join(exportsDir, 'a.md'), 'original');
      const result = await local.save(await reviewed(local, 'a.md', 'changed'));
      await local.rollback(result.rollback);
      assert.equal(await fsp.readFile(result.location, 'utf8'), 'original');
      assert.deepEqual(await listFiles(exportsDir), ['a.md']);
      assert.deepEqual(await listFiles(path.join(backups, 'jobs')), [], 'the job no longer needs its backup');
      await local.rollback(result.rollback); // already rolled back: no-op
      assert.equal(await fsp.readFile(result.location, 'utf8'), 'original');
    });

    it('UPDATE: refuses when the file was edited after the export, keeping the backup', async () => {
      await fsp.mkdir(exportsDir);
      await fsp.writeFile(path.join(exportsDir, 'a.md'), 'original');
      const result = await local.save(await reviewed(local, 'a.md', 'changed'));
      await fsp.writeFile(result.location, 'edited');
      await assert.rejects(local.rollback(result.rollback), rejectsWith('ROLLBACK_FAILED'));
      assert.equal(await fsp.readFile(result.location, 'utf8'), 'edited');
      assert.equal(await fsp.readFile(result.rollback.previous ?? '', 'utf8'), 'original');
    });

    it('UPDATE: fails when the backup is gone', async () => {
      await fsp.mkdir(exportsDir);
      await fsp.writeFile(path.join(exportsDir, 'a.md'), 'original');
      const result = await local.save(await reviewed(local, 'a.md', 'changed'));
      await fsp.rm(result.rollback.previous ?? '');
      await assert.rejects(local.rollback(result.rollback), rejectsWith('ROLLBACK_FAILED', /backup/));
    });

    it('refuses rollback information that points outside its folders', async () => {
      const outsideFile = path.join(workspace, 'keep.md');
      await fsp.writeFile(outsideFile, 'keep');
      await assert.rejects(
        local.rollback({ destinationId: 'local', location: outsideFile, action: 'CREATE' }),
        rejectsWith('ROLLBACK_FAILED', /outside/),
      );
      await assert.rejects(
        local.rollback({ destinationId: 'local', location: path.join(exportsDir, 'a.md'), action: 'UPDATE', previous: outsideFile }),
        rejectsWith('ROLLBACK_FAILED', /backup folder/),
      );
      await assert.rejects(
        local.rollback({ destinationId: 'other', location: path.join(exportsDir, 'a.md'), action: 'CREATE' }),
        rejectsWith('ROLLBACK_FAILED', /belongs to/),
      );
      assert.equal(await fsp.readFile(outsideFile, 'utf8'), 'keep');
    });
  });
});
