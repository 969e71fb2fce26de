import assert from 'node:assert/strict';
import { redactSecrets } from '../../../server/src/governance/redact';
import { derivedSegments } from '../../../server/src/governance/secretEvasions';
import { LineIndex, fingerprintSecret, scanForSecrets } from '../../../server/src/governance/secretScan';
import { fakes, reseed } from './fakeSecrets';

// Issue 11 item 5: a token split across two lines, base64-encoded, with a
// zero-width space inside, as HTML entities or percent-encoded is still
// found, reported where it stands in the text, and redacted there.

const TOKENS: Record<string, () => string> = {
  'GitHub token': fakes.githubPat,
  'Stripe key': fakes.stripeLive,
  'OpenAI key': fakes.openaiProject,
  'AWS key id': fakes.awsAccessKeyId,
  'npm token': fakes.npm,
};

const middle = (token: string) => Math.floor(token.length / 2);
const insertAt = (token: string, at: number, text: string) => `${token.slice(0, at)}${text}${token.slice(at)}`;
const entities = (text: string, form: (code: number) => string) => [...text].map((c) => form(c.charCodeAt(0))).join('');

const DISGUISES: Record<string, (token: string) => string> = {
  'a zero-width space inside': (t) => insertAt(t, middle(t), '\u200B'),
  'zero-width joiners and a word joiner inside': (t) => insertAt(insertAt(t, 5, '\u200D'), 12, '\u2060'),
  'bidi controls inside': (t) => insertAt(insertAt(t, 6, '\u202E'), 14, '\u202C'),
  'a soft hyphen and a byte-order mark inside': (t) => insertAt(insertAt(t, 7, '\u00AD'), 15, '\uFEFF'),
  'a Unicode tag character inside': (t) => insertAt(t, middle(t), '\uDB40\uDC20'),
  'split across two lines': (t) => insertAt(t, middle(t), '\n'),
  'split across two lines, the second indented': (t) => insertAt(t, middle(t), '\n    '),
  'split across two CRLF lines': (t) => insertAt(t, middle(t), '\r\n'),
  base64: (t) => Buffer.from(t).toString('base64'),
  'base64url without padding': (t) => Buffer.from(`token=${t}`).toString('base64url'),
  'decimal HTML entities': (t) => entities(t, (c) => `&#${c};`),
  'hexadecimal HTML entities for some characters': (t) => t.slice(0, 6) + entities(t.slice(6, 12), (c) => `&#x${c.toString(16)};`) + t.slice(12),
  'named HTML entities': (t) => t.replace(/_/g, '&lowbar;').replace(/-/g, '&hyphen;'),
  'percent-encoding of every character': (t) => entities(t, (c) => `%${c.toString(16).padStart(2, '0').toUpperCase()}`),
  'percent-encoding of a few characters': (t) => t.slice(0, 3) + entities(t.slice(3, 9), (c) => `%${c.toString(16)}`) + t.slice(9),
};

describe('bin/secretScan: disguised secrets (issue 11 item 5)', () => {
  beforeEach(() => reseed(5));

  for (const [disguise, apply] of Object.entries(DISGUISES)) {
    for (const [name, make] of Object.entries(TOKENS)) {
      it(`finds a ${name} with ${disguise}, where it stands, and redacts it there`, async () => {
        const token = make();
        const disguised = apply(token);
        const content = `Intro line.\nThe key I used: ${disguised} (do not share)\nLast line.\n`;
        const findings = await scanForSecrets(content);
        assert.equal(findings.length, 1, `${name} with ${disguise}: ${JSON.stringify(findings)}`);
        const [finding] = findings;
        assert.equal(finding?.line, 2);
        const start = new LineIndex(content).offsetOf(finding?.line ?? 0, finding?.column ?? 0) ?? -1;
        const reported = content.slice(start, start + (finding?.length ?? 0));
        assert.ok(reported.includes(disguised) || disguised.includes(reported), 'the finding spans the disguised token');
        assert.equal(finding?.fingerprint, fingerprintSecret(reported));
        assert.ok(!JSON.stringify(findings).includes(token.slice(4, 16)));

        const redacted = await redactSecrets(content);
        assert.equal(redacted.redactions, 1);
        assert.ok(!redacted.content.includes(disguised));
        assert.match(redacted.content, /^Intro line\.\nThe key I used: \[REDACTED:[a-z0-9-]+\] \(do not share\)\nLast line\.\n$/);
        assert.deepEqual(await scanForSecrets(redacted.content), []);
      });
    }
  }

  it('names the encoded rule for base64: the finding says what the run decodes to', async () => {
    const [finding] = await scanForSecrets(`blob: ${Buffer.from(fakes.githubPat()).toString('base64')}\n`);
    assert.equal(finding?.ruleId, 'base64-encoded-secret');
    assert.match(finding?.description ?? '', /^Base64-encoded GitHub/);
  });

  it('finds the shortest encoded token (28 base64 characters) wherever it starts', async () => {
    const encoded = Buffer.from(fakes.awsAccessKeyId()).toString('base64');
    assert.equal(encoded.length, 28);
    for (let offset = 0; offset < 60; offset++) {
      const content = `${'word '.repeat(20).slice(0, offset)} ${encoded} tail`;
      const findings = await scanForSecrets(content);
      assert.deepEqual(findings.map((f) => [f.ruleId, f.column, f.length]), [['base64-encoded-secret', offset + 2, 28]], `at ${offset}`);
    }
  });

  describe('leaves ordinary text alone', () => {
    const ORDINARY = [
      'See https://example.org/search?q=rate%20limits&page=2 for details.',
      '<p>Tom &amp; Jerry &lt;3 &quot;exports&quot; &#169; 2026</p>',
      'The export pipeline assembles the selected messages and renders\nthe template, then asks the Bin for a review of the output.',
      'commit 4015b57a143aec5156fd1444a017a32137a3fd0f\nAuthor: Ada Lovelace <ada@example.org>',
      'const veryLongIdentifierNameForTheExportPipeline2026 =\n  computeTheDefaultTemplateFromSettings(config);',
      `Encoded note: ${Buffer.from('The Bin reviews every export before it is written.').toString('base64')}`,
      `checksum sha512-${Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37) % 256)).toString('base64')}`,
      'Zero\u200Bwidth spaces in prose, and a right-to-left \u202Bmark\u202C, are not secrets.',
    ];
    for (const text of ORDINARY) {
      it(JSON.stringify(text.slice(0, 60)), async () => {
        assert.deepEqual(await scanForSecrets(`${text}\n`), []);
      });
    }

    it('derives nothing from plain prose and code, so the common case costs one scan', () => {
      const text = 'The watcher fires twice (case 12); debounce it:\n```ts\nwatcher.on("change", debounce(run, 150));\n```\n'.repeat(100);
      assert.deepEqual(derivedSegments(text), []);
    });
  });
});
