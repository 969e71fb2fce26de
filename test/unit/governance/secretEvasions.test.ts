import assert from 'node:assert/strict';
import { scanForSecrets } from '../../../server/src/governance/secretScan';

/** Issue 11 item 5: tokens written so that a plain scan misses them. */

// Built at run time so this file holds no token-shaped literal.
const token = () => 'ghp_' + 'Qw1Er2Ty3Ui4Op5As6Df7Gh8Jk9Lz0Xc1Vb2'.slice(0, 36);

describe('secret scan: evasions are undone before matching', () => {
  const secret = token();
  const evasions: Record<string, string> = {
    'a zero-width space inside': `deploy with ${secret.slice(0, 12)}\u200b${secret.slice(12)} please`,
    'a bidi control inside': `deploy with ${secret.slice(0, 12)}\u202e${secret.slice(12)} please`,
    'HTML entities (decimal)': `deploy with ${[...secret].map((c) => `&#${c.charCodeAt(0)};`).join('')} please`,
    'HTML entities (hex and named)': `deploy with ${secret.slice(0, 3)}&lowbar;${[...secret.slice(4)].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join('')}`,
    'percent-encoded': `https://example.test/?t=${[...secret].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`,
    'hard-wrapped across two lines': `deploy with ${secret.slice(0, 22)}\n    ${secret.slice(22)} please`,
    'base64-encoded': `config: ${Buffer.from(`token=${secret}`).toString('base64')}`,
  };
  for (const [how, text] of Object.entries(evasions)) {
    it(`finds a token with ${how}, naming rule and line, never the token`, () => {
      const findings = scanForSecrets(`# Notes\n\n${text}\n`);
      const finding = findings.find((f) => f.ruleId === 'github-pat');
      assert.ok(finding, JSON.stringify(findings));
      assert.equal(finding.line, 3);
      assert.ok(!JSON.stringify(findings).includes(secret));
    });
  }

  it('the known limits: reversed or spaced-out tokens are not found as that token (README)', () => {
    assert.equal(scanForSecrets([...secret].reverse().join('')).some((f) => f.ruleId === 'github-pat'), false);
    assert.equal(scanForSecrets([...secret].join(' ')).some((f) => f.ruleId === 'github-pat'), false);
  });

  it('ordinary text that looks encoded is not a finding (entities, percent, hashes, wrapped prose)', () => {
    const text = [
      'Fish &amp; chips &lt;3 — 100% sure, 50%20 off',
      'sha256: 9f2c1d7a8b6e5f4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918070605040',
      'a sentence that wraps at the end of a very long line of ordinary words and then',
      '    continues on the next line as prose does in Markdown paragraphs.',
    ].join('\n');
    assert.deepEqual(scanForSecrets(text), []);
  });
});
