import { strict as assert } from 'node:assert';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { ExportError } from '../../../server/src/errors';
import {
  MAX_SEGMENT_BYTES,
  assertNoSymlinkEscape,
  resolveInside,
  sanitizeFilename,
  sanitizeSegment,
  withNumericSuffix,
} from '../../../server/src/destinations/safePath';

const NASTY_FRAGMENTS = [
  '..', '.', '/', '\\', '../', '..\\', '/etc/passwd', 'C:\\x', 'C:', '\\\\server\\share', '//', '\0', '\u0001', '\u001f',
  '\u007f', '\u0085', '\u202e', 'CON', 'con.md', 'NUL', 'aux', 'COM1', 'lpt9.txt', 'conin$', ' ', '.', '...', '. .',
  'é', 'e\u0301', '😀', '\ud800', '\udc00', 'a', 'docs', '.md', '.git', ':', '*', '?', '"', '<', '>', '|', '~', '$',
  'x'.repeat(300), '漢'.repeat(120), '😀'.repeat(70),
];

const nastyName = fc.array(fc.constantFrom(...NASTY_FRAGMENTS), { minLength: 0, maxLength: 12 }).map((parts) => parts.join(''));
const anyName = fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 100 }), nastyName);

function assertStrictlyInside(base: string, resolved: string): void {
  const relative = path.relative(base, resolved);
  assert.notEqual(relative, '', 'resolved to the base itself');
  assert.ok(!relative.startsWith('..'), `escaped: ${relative}`);
  assert.ok(!path.isAbsolute(relative), `absolute: ${relative}`);
}

describe('safePath', () => {
  describe('sanitizeFilename', () => {
    const cases: Array<[string, string]> = [
      ['report.md', 'report.md'],
      ['docs/a.md', 'docs/a.md'],
      ['docs\\a.md', 'docs/a.md'],
      ['../../etc/passwd', 'etc/passwd'],
      ['..\\..\\windows\\system32', 'windows/system32'],
      ['/etc/passwd', 'etc/passwd'],
      ['C:\\x', 'C_/x'],
      ['\\\\server\\share\\f.md', 'server/share/f.md'],
      ['a/./b/../c.md', 'a/b/c.md'],
      ['na\0me\u0007.md', 'name.md'],
      ['CON', '_CON'],
      ['con.md', '_con.md'],
      ['docs/Lpt1.txt', 'docs/_Lpt1.txt'],
      ['COM9', '_COM9'],
      ['console.md', 'console.md'],
      ['trailing. . ', 'trailing'],
      ['  spaced name.md  ', 'spaced name.md'],
      ['', 'untitled'],
      ['...', 'untitled'],
      ['./../', 'untitled'],
      ['.hidden', 'hidden'],
      ['.git/hooks/pre-commit', 'git/hooks/pre-commit'],
      ['a<b>c:d"e|f?g*h.md', 'a_b_c_d_e_f_g_h.md'],
      ['e\u0301t\u00e9.md', '\u00e9t\u00e9.md'],
      ['evil\u202egnp.md', 'evilgnp.md'],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
        assert.equal(sanitizeFilename(input), expected);
      });
    }

    it('caps each segment at 255 UTF-8 bytes on a code-point boundary, keeping the extension', () => {
      const name = `${'😀'.repeat(100)}.md`; // 402 bytes
      const result = sanitizeFilename(name);
      assert.ok(Buffer.byteLength(result) <= MAX_SEGMENT_BYTES);
      assert.ok(result.endsWith('.md'));
      assert.ok(!result.includes('\ufffd'), 'cut inside a code point');
      assert.equal(result, `${'😀'.repeat(63)}.md`);
    });

    it('cuts an over-long name with a too-long "extension" as a whole', () => {
      const result = sanitizeSegment(`a.${'b'.repeat(400)}`);
      assert.equal(Buffer.byteLength(result), MAX_SEGMENT_BYTES);
    });

    it('does not let a cut expose a device name', () => {
      assert.equal(sanitizeSegment(`CON${' '.repeat(300)}x`), '_CON');
    });

    it('property: every segment is non-empty, ≤ 255 bytes, well-formed, with no dot-only or reserved name', () => {
      fc.assert(
        fc.property(anyName, (name) => {
          const result = sanitizeFilename(name);
          assert.ok(result.length > 0);
          assert.ok(!result.startsWith('/'));
          for (const segment of result.split('/')) {
            assert.ok(segment.length > 0);
            assert.ok(Buffer.byteLength(segment) <= MAX_SEGMENT_BYTES, `too long: ${Buffer.byteLength(segment)}`);
            assert.ok(!segment.startsWith('.'));
            assert.ok(!/[.\s]$/u.test(segment));
            assert.ok(!/[\u0000-\u001f\u007f\\<>:"|?*]/.test(segment));
            assert.ok(!/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(segment));
            assert.equal(segment, segment.normalize('NFC'));
            assert.equal(Buffer.from(segment, 'utf8').toString('utf8'), segment, 'not well-formed UTF-16');
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('property: a single segment never contains a separator, ".." or "."', () => {
      fc.assert(
        fc.property(anyName, (name) => {
          const segment = sanitizeSegment(name);
          assert.ok(!/[/\\]/.test(segment));
          assert.ok(segment !== '.' && segment !== '..');
        }),
        { numRuns: 1000 },
      );
      assert.equal(sanitizeSegment('job/../../x'), 'job_.._.._x');
    });

    it('property: sanitising is idempotent', () => {
      fc.assert(
        fc.property(anyName, (name) => {
          const once = sanitizeFilename(name);
          assert.equal(sanitizeFilename(once), once);
        }),
        { numRuns: 2000 },
      );
    });
  });

  describe('resolveInside', () => {
    const base = path.resolve(os.tmpdir(), 'devguide-base');

    it('property: the result is strictly inside the base for any name', () => {
      fc.assert(
        fc.property(anyName, (name) => {
          assertStrictlyInside(base, resolveInside(base, name));
        }),
        { numRuns: 3000 },
      );
    });

    it('resolves a relative base to an absolute path', () => {
      const resolved = resolveInside('exports', 'a.md');
      assert.ok(path.isAbsolute(resolved));
      assert.equal(resolved, path.resolve('exports', 'a.md'));
    });

    it('keeps subfolders', () => {
      assert.equal(resolveInside(base, 'docs/guide/a.md'), path.join(base, 'docs', 'guide', 'a.md'));
    });
  });

  describe('withNumericSuffix', () => {
    it('inserts the counter before the extension', () => {
      assert.equal(withNumericSuffix('name.md', 1), 'name_1.md');
      assert.equal(withNumericSuffix('name', 12), 'name_12');
    });
    it('stays within 255 bytes', () => {
      const long = sanitizeSegment(`${'é'.repeat(200)}.md`);
      const numbered = withNumericSuffix(long, 123);
      assert.ok(Buffer.byteLength(numbered) <= MAX_SEGMENT_BYTES);
      assert.ok(numbered.endsWith('_123.md'));
    });
  });

  describe('assertNoSymlinkEscape', () => {
    let root: string;
    beforeEach(async () => {
      root = await fsp.mkdtemp(path.join(os.tmpdir(), 'devguide-safepath-'));
    });
    afterEach(async () => {
      await fsp.rm(root, { recursive: true, force: true });
    });

    it('accepts real folders and paths that do not exist yet', async () => {
      const base = path.join(root, 'base');
      await fsp.mkdir(path.join(base, 'docs'), { recursive: true });
      await assertNoSymlinkEscape(base, path.join(base, 'docs', 'new', 'deeper', 'a.md'));
    });

    it('accepts a symlink that stays inside the base', async () => {
      const base = path.join(root, 'base');
      await fsp.mkdir(path.join(base, 'real'), { recursive: true });
      await fsp.symlink(path.join(base, 'real'), path.join(base, 'alias'), 'dir');
      await assertNoSymlinkEscape(base, path.join(base, 'alias', 'a.md'));
    });

    it('refuses a parent folder that links outside the base', async () => {
      const base = path.join(root, 'base');
      const outside = path.join(root, 'outside');
      await fsp.mkdir(base);
      await fsp.mkdir(outside);
      await fsp.symlink(outside, path.join(base, 'docs'), 'dir');
      await assert.rejects(
        assertNoSymlinkEscape(base, path.join(base, 'docs', 'sub', 'a.md')),
        (error: unknown) => error instanceof ExportError && error.code === 'PERMISSION_DENIED',
      );
    });

    it('refuses a target file that links outside the base', async () => {
      const base = path.join(root, 'base');
      await fsp.mkdir(base);
      await fsp.writeFile(path.join(root, 'secret.txt'), 'secret');
      await fsp.symlink(path.join(root, 'secret.txt'), path.join(base, 'a.md'));
      await assert.rejects(
        assertNoSymlinkEscape(base, path.join(base, 'a.md')),
        (error: unknown) => error instanceof ExportError && error.code === 'PERMISSION_DENIED',
      );
    });

    it('allows the base itself to be a symlink', async () => {
      const real = path.join(root, 'real-base');
      await fsp.mkdir(real);
      await fsp.symlink(real, path.join(root, 'base'), 'dir');
      await assertNoSymlinkEscape(path.join(root, 'base'), path.join(root, 'base', 'a.md'));
    });
  });
});
