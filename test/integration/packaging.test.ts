import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { COMMAND_IDS } from '../../client/src/commands/commandIds';

/**
 * `npm run package` (production bundles + @vscode/vsce, offline) and what
 * the .vsix holds: the bundles and the files they read, nothing else. The
 * built-in templates must be found from the installed layout
 * (extension/dist → extension/templates).
 */

const ROOT = join(__dirname, '..', '..');
const MAX_VSIX_BYTES = 5 * 1024 * 1024;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** The entries of a zip's central directory (no zip64: a .vsix is small). */
function zipEntries(zip: Buffer): ZipEntry[] {
  const EOCD = 0x06054b50;
  let eocd = -1;
  // The end record is in the last 64 KiB + 22 bytes (its comment is at most 64 KiB).
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 65_557); at--) {
    if (zip.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  assert.ok(eocd >= 0, 'not a zip file: no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, `central directory entry ${i} has a bad signature`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localHeaderOffset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function zipRead(zip: Buffer, entry: ZipEntry): Buffer {
  const local = entry.localHeaderOffset;
  assert.equal(zip.readUInt32LE(local), 0x04034b50, `${entry.name}: bad local header`);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data;
  assert.equal(entry.method, 8, `${entry.name}: unexpected compression method ${entry.method}`);
  return inflateRawSync(data);
}

describe('packaging: npm run package → .vsix', function () {
  this.timeout(240_000);
  let scratch: string;
  let vsix: string;
  let zip: Buffer;
  let entries: ZipEntry[];

  /** `npm test` packages once (test/run.mjs) and names the .vsix here; run alone, this suite packages itself. */
  const prebuilt = process.env['DEVGUIDE_VSIX'];

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'devguide-vsix-'));
    vsix = prebuilt ?? join(scratch, 'devguide-export.vsix');
    if (!prebuilt) {
      const run = spawnSync('npm', ['run', 'package', '--', '--out', vsix], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(run.status, 0, `npm run package failed:\n${run.stdout}\n${run.stderr}`);
    }
    zip = readFileSync(vsix);
    entries = zipEntries(zip);
  });

  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    if (prebuilt) return;
    // The package step left production bundles (minified, no source maps) in dist/: rebuild the usual ones.
    const rebuilt = spawnSync(process.execPath, ['build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(rebuilt.status, 0, `node build.mjs failed:\n${rebuilt.stderr}`);
  });

  it('is at most 5 MB', () => {
    const size = statSync(vsix).size;
    assert.ok(size <= MAX_VSIX_BYTES, `${size} bytes`);
  });

  it('holds the bundles, the templates and the files the manifest points at — no sources, tests, maps or node_modules', () => {
    const files = entries.map((e) => e.name).filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
    for (const file of files) {
      assert.doesNotMatch(file, /\.tsx?$/, `a TypeScript source: ${file}`);
      assert.doesNotMatch(file, /(^|\/)(test|tests)\//, `a test: ${file}`);
      assert.doesNotMatch(file, /(^|\/)node_modules\//, `node_modules: ${file}`);
      assert.doesNotMatch(file, /\.map$/, `a source map: ${file}`);
      assert.doesNotMatch(file, /^(server|webview|client\/src)\//, `a source folder: ${file}`);
    }
    for (const needed of [
      'package.json',
      'dist/client.js',
      'dist/server.js',
      'dist/cli.js',
      'dist/webview.js',
      'dist/webview.css',
      'templates/markdown.hbs',
      'templates/yaml-markdown.hbs',
      'templates/skill.hbs',
      'templates/xml.hbs',
      'client/language-configuration.json',
      'client/syntaxes/devguide-template.tmLanguage.json',
      'client/media/devguide-export.svg',
    ]) {
      assert.ok(files.includes(needed), `missing ${needed} (has: ${files.join(', ')})`);
    }
  });

  it('carries the manifest: commands, the history view, settings, Restricted Mode support', () => {
    const entry = entries.find((e) => e.name === 'extension/package.json');
    assert.ok(entry);
    const manifest = JSON.parse(zipRead(zip, entry).toString('utf8')) as {
      main: string;
      capabilities: { untrustedWorkspaces: { supported: string } };
      contributes: {
        commands: { command: string }[];
        views: Record<string, { id: string }[]>;
        viewsContainers: { activitybar: { id: string; icon: string }[] };
        viewsWelcome: { view: string }[];
        configuration: { properties: Record<string, unknown> }[];
      };
    };
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.equal(manifest.main, './dist/client.js');
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), [...COMMAND_IDS].sort());
    assert.deepEqual(manifest.contributes.viewsContainers.activitybar.map((c) => c.id), ['devguideExport']);
    assert.deepEqual(manifest.contributes.views['devguideExport']?.map((v) => v.id), ['devguideExport.history']);
    assert.ok(manifest.contributes.viewsWelcome.some((w) => w.view === 'devguideExport.history'));
    assert.ok(manifest.contributes.configuration.some((section) => 'devguideExport.destinations' in section.properties));
    const icon = manifest.contributes.viewsContainers.activitybar[0]?.icon ?? '';
    assert.ok(entries.some((e) => e.name === `extension/${icon}`), `the container icon ${icon} is in the package`);
  });

  it('finds its built-in templates from the installed layout (the CLI bundle, run from the unpacked .vsix)', () => {
    const unpacked = join(scratch, 'unpacked');
    for (const entry of entries) {
      if (entry.name.endsWith('/')) continue;
      const target = join(unpacked, entry.name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, zipRead(zip, entry));
    }
    // From another folder, so nothing can come from the repository's templates/.
    const run = spawnSync(process.execPath, [join(unpacked, 'extension', 'dist', 'cli.js'), 'templates', 'list', '--json'], { cwd: scratch, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const { templates } = JSON.parse(run.stdout) as { templates: { id: string; source: string; path: string; valid: boolean }[] };
    const builtins = templates.filter((t) => t.source === 'builtin');
    assert.deepEqual(builtins.map((t) => t.id).sort(), ['markdown', 'skill', 'xml', 'yaml-markdown']);
    for (const t of builtins) {
      assert.ok(t.valid, t.id);
      assert.ok(t.path.startsWith(join(unpacked, 'extension', 'templates')), t.path);
    }
  });
});
