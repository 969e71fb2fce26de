import assert from 'node:assert/strict';
import { evaluateExportRules, type ExportChange } from '../../../server/src/governance/exportRules';
import { redactSecrets } from '../../../server/src/governance/redact';
import { scanForSecrets } from '../../../server/src/governance/secretScan';
import { mergeFindings, secretlintFindings } from '../../../server/src/governance/secretlintScan';

/** Issue 11 item 6: secretlint's maintained rules run in-process beside ours. Tokens are built at run time. */

const chars = (n: number, seed: number) => Array.from({ length: n }, (_, i) => 'aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7'[(i * 7 + seed) % 39]).join('');
const sendgrid = () => `SG.${chars(22, 1)}.${chars(43, 2)}`;
const huggingface = () => `hf_${chars(34, 3).replace(/[0-9]/g, 'x')}`;

describe('secret scan: secretlint recommended preset in-process', () => {
  it('finds formats our own rules do not have (SendGrid, Hugging Face), as rule and place, never the secret', async () => {
    const content = `# Setup\n\nmail key ${sendgrid()}\nhub token ${huggingface()}\n`;
    assert.deepEqual(scanForSecrets(content).map((f) => f.line), [], 'our rules alone miss them');
    const findings = await secretlintFindings(content);
    assert.deepEqual(findings.map((f) => [f.ruleId, f.line]), [['secretlint/sendgrid', 3], ['secretlint/huggingface', 4]]);
    assert.ok(!JSON.stringify(findings).includes('SG.'), 'no secret in a finding');
    assert.equal(redactSecrets(content, findings).redactions, 2, 'its findings redact like ours');
  });

  it('merged with ours, one finding per line; the Bin blocks a remote export for it', async () => {
    const content = `key ${sendgrid()}\n`;
    const theirs = await secretlintFindings(content);
    assert.equal(mergeFindings(scanForSecrets(content), theirs).length, 1);
    const change = {
      type: 'CreateExportJob',
      actor: 'me',
      trusted: true,
      destination: { id: 'docs', type: 'github', workspaceDefined: false },
      template: { id: 'markdown', source: 'builtin', htmlBound: false },
      filename: 'a.md',
      fields: {},
      content,
      externalSecretFindings: theirs,
      tokenCount: 10,
      validation: { valid: true, errors: [], warnings: [], content },
      preview: { lines: [], statistics: {} },
      impact: { resource: 'a.md', action: 'CREATE', warnings: [] },
    } as unknown as ExportChange;
    const outcome = evaluateExportRules(change);
    assert.equal(outcome.block?.reason, 'SECRET_DETECTED');
    assert.match(outcome.block?.message ?? '', /secretlint\/sendgrid/);
  });
});
