import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { scanForSecrets } from '../../../server/src/governance/secretScan';
import { scanDangerousPatterns } from '../../../server/src/governance/dangerousPatterns';

// The project's own committed text holds no secrets and no active content:
// every finding here is a false positive of the rules.

const ROOT = join(__dirname, '..', '..', '..');

function filesUnder(folder: string, keep: (name: string) => boolean): string[] {
  const absolute = join(ROOT, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .filter(keep)
    .map((name) => join(absolute, name))
    .sort();
}

/** The rule definitions necessarily spell out what they look for. */
const RULE_FILES = new Set(['server/src/bin/secretRules.ts', 'server/src/bin/dangerousPatterns.ts']);

const documents = [
  join(ROOT, 'test/unit/governance/fixtures/prose-corpus.md'),
  ...filesUnder('examples', () => true),
  ...(existsSync(join(ROOT, 'README.md')) ? [join(ROOT, 'README.md')] : []),
  ...filesUnder('templates', (name) => name.endsWith('.hbs')),
];
const sources = filesUnder('server/src', (name) => name.endsWith('.ts')).filter(
  (file) => !RULE_FILES.has(relative(ROOT, file).split('\\').join('/')),
);

function describeSet(files: string[]): string {
  const bytes = files.reduce((sum, file) => sum + readFileSync(file).length, 0);
  return `${files.length} files, ${Math.round(bytes / 1024)} KB`;
}

function findingsIn<F extends { line: number }>(files: string[], scan: (content: string) => F[], label: (finding: F) => string): string[] {
  return files.flatMap((file) => scan(readFileSync(file, 'utf8')).map((finding) => `${relative(ROOT, file)}:${finding.line} ${label(finding)}`));
}

describe('bin: false positives on the project’s own text', () => {
  it('has a prose corpus of realistic developer writing', () => {
    const lines = readFileSync(documents[0] ?? '', 'utf8').split('\n').length;
    assert.ok(lines >= 150, `${lines} lines`);
  });

  it(`finds no secrets in the docs, examples and templates (${describeSet(documents)})`, () => {
    assert.deepEqual(findingsIn(documents, scanForSecrets, (f) => f.ruleId), []);
  });

  it(`finds no secrets in server/src (${describeSet(sources)})`, () => {
    assert.ok(sources.length > 0);
    assert.deepEqual(findingsIn(sources, scanForSecrets, (f) => f.ruleId), []);
  });

  // Source code is left out here on purpose: sanitisers and validators
  // legitimately name the tags and schemes they neutralise.
  it(`finds no dangerous patterns in the docs, examples and templates (${describeSet(documents)})`, () => {
    assert.deepEqual(findingsIn(documents, scanDangerousPatterns, (f) => f.patternId), []);
  });
});
