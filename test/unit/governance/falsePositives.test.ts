import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { scanForSecrets } from '../../../server/src/governance/secretScan';
import { scanDangerousPatterns } from '../../../server/src/governance/dangerousPatterns';

// The project's own committed text holds no secrets and no active content:
// every finding here is a false positive of the rules (secretlint's preset
// and ours, over the text and over its undisguised parts).

const ROOT = join(__dirname, '..', '..', '..');

function filesUnder(folder: string, keep: (name: string) => boolean): string[] {
  const absolute = join(ROOT, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .filter((name) => !name.split(/[\\/]/).includes('node_modules'))
    .filter(keep)
    .map((name) => join(absolute, name))
    .sort();
}

const isSource = (name: string) => /\.(?:ts|mjs|cjs|js|json|css|html|hbs|md)$/.test(name) && !name.endsWith('.d.ts');

const documents = [
  join(ROOT, 'test/unit/governance/fixtures/prose-corpus.md'),
  ...filesUnder('examples', () => true),
  ...(existsSync(join(ROOT, 'README.md')) ? [join(ROOT, 'README.md')] : []),
  ...filesUnder('templates', (name) => name.endsWith('.hbs')),
  // The fixtures shared with the other checkouts, when this one sits beside them.
  ...filesUnder('../shared/fixtures', () => true),
  ...filesUnder('../../shared/fixtures', () => true),
];
const sources = [...filesUnder('server/src', isSource), ...filesUnder('client', isSource), ...filesUnder('webview', isSource)];

function describeSet(files: string[]): string {
  const bytes = files.reduce((sum, file) => sum + readFileSync(file).length, 0);
  return `${files.length} files, ${Math.round(bytes / 1024)} KB`;
}

async function findingsIn<F extends { line: number }>(
  files: string[],
  scan: (content: string) => F[] | Promise<F[]>,
  label: (finding: F) => string,
): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    for (const finding of await scan(readFileSync(file, 'utf8'))) found.push(`${relative(ROOT, file)}:${finding.line} ${label(finding)}`);
  }
  return found;
}

describe('bin: false positives on the project’s own text', () => {
  it('has a prose corpus of realistic developer writing', () => {
    const lines = readFileSync(documents[0] ?? '', 'utf8').split('\n').length;
    assert.ok(lines >= 150, `${lines} lines`);
  });

  it(`finds no secrets in the docs, examples, templates and shared fixtures (${describeSet(documents)})`, async () => {
    assert.deepEqual(await findingsIn(documents, scanForSecrets, (f) => f.ruleId), []);
  });

  it(`finds no secrets in the server, client and webview sources, the rule files included (${describeSet(sources)})`, async () => {
    assert.ok(sources.some((file) => file.endsWith('secretRules.ts')));
    assert.ok(sources.some((file) => file.includes(`${join('client', 'src')}`)));
    assert.ok(sources.some((file) => file.includes(`${join('webview', 'src')}`)));
    assert.deepEqual(await findingsIn(sources, scanForSecrets, (f) => f.ruleId), []);
  });

  // Source code is left out here on purpose: sanitisers and validators
  // legitimately name the tags and schemes they neutralise.
  it(`finds no dangerous patterns in the docs, examples and templates (${describeSet(documents)})`, async () => {
    assert.deepEqual(await findingsIn(documents, scanDangerousPatterns, (f) => f.patternId), []);
  });
});
