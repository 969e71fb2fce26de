import assert from 'node:assert/strict';
import { evaluateExportRules, type ExportChange } from '../../../server/src/governance/exportRules';
import { lookupFields, scanDescriptiveFields, scanFields } from '../../../server/src/governance/fieldScan';
import { fakes, reseed } from './fakeSecrets';

// Issue 11 item 4: a secret in a field the user typed (file name, title,
// author, tags, metadata, ids, the source path) is found, named by field
// and rule, and blocks every destination; what goes on is sanitised.

describe('bin/fieldScan', () => {
  beforeEach(() => reseed(4));

  it('finds a secret in each field it is in, by field name and rule, never by value', async () => {
    const pat = fakes.githubPat();
    const npm = fakes.npm();
    const { findings, sanitised } = await scanFields([
      { field: 'title', value: `Fix push with ${pat}` },
      { field: 'author', value: 'Ada' },
      { field: 'tag 1', value: npm },
      { field: 'tag 2', value: 'deploy' },
    ]);
    assert.deepEqual(findings.map((f) => [f.field, f.ruleId]), [['title', 'secretlint-github'], ['tag 1', 'secretlint-npm']]);
    assert.deepEqual(sanitised, ['Fix push with [REDACTED:secretlint-github]', 'Ada', '[REDACTED:secretlint-npm]', 'deploy']);
    assert.ok(!JSON.stringify(findings).includes(pat.slice(4, 14)));
  });

  it('does not join one field to the next', async () => {
    const pat = fakes.githubPat();
    const { findings } = await scanFields([{ field: 'tag 1', value: pat.slice(0, 20) }, { field: 'tag 2', value: pat.slice(20) }]);
    assert.deepEqual(findings, []);
  });

  it('sanitises descriptive fields, with a file-system-safe marker in the file name', async () => {
    const pat = fakes.githubPat();
    const { request, findings } = await scanDescriptiveFields({
      filename: `notes-${pat}.md`,
      title: pat,
      author: `Ada ${pat}`,
      tags: ['ok', pat],
      meta: { ticket: pat, owner: 'ops' },
    });
    assert.deepEqual(findings.map((f) => f.field), ['file name', 'title', 'author', 'tag 2', 'meta.ticket']);
    assert.equal(request.filename, 'notes-REDACTED-secretlint-github.md');
    assert.equal(request.title, '[REDACTED:secretlint-github]');
    assert.deepEqual(request.tags, ['ok', '[REDACTED:secretlint-github]']);
    assert.deepEqual(request.meta, { ticket: '[REDACTED:secretlint-github]', owner: 'ops' });
    assert.ok(!JSON.stringify(request).includes(pat));
  });

  it('never names a metadata field by a name that holds the secret', async () => {
    const key = fakes.githubPat();
    const { findings, request } = await scanDescriptiveFields({ meta: { [key]: 'value' } });
    assert.deepEqual(findings.map((f) => f.field), ['metadata name 1']);
    assert.ok(!JSON.stringify({ findings, request }).includes(key));
  });

  it('leaves clean fields as they are (the same object)', async () => {
    const fields = { filename: 'release-notes-2026-01.md', title: 'Release notes: rate limits & retries', tags: ['ops'], meta: { ticket: 'OPS-1234' } };
    const { request, findings } = await scanDescriptiveFields(fields);
    assert.deepEqual(findings, []);
    assert.equal(request, fields);
  });

  it('lists the lookup fields: source path, session, message and block ids', () => {
    const fields = lookupFields({ source: { kind: 'file', path: 'a.jsonl' }, sessionId: 's', messageIds: ['m1', 'm2'], blockIds: ['b1'] });
    assert.deepEqual(fields.map((f) => f.field), ['source path', 'session id', 'message id 1', 'message id 2', 'block id 1']);
  });

  it('makes the Bin block every destination, the local one included', () => {
    const change = {
      type: 'CreateExportJob',
      actor: 'ada',
      trusted: true,
      destination: { id: 'local', type: 'local', workspaceDefined: false },
      template: { id: 'markdown', source: 'builtin', htmlBound: false },
      filename: 'x.md',
      content: 'clean',
      secretFindings: [],
      fieldFindings: [{ field: 'title', ruleId: 'secretlint-github', description: 'GitHub Token (secretlint)' }],
      tokenCount: 1,
      validation: { valid: true, errors: [], warnings: [], content: 'clean' },
      preview: {},
      impact: { action: 'CREATE', resource: 'x.md', warnings: [] },
    } as unknown as ExportChange;
    const outcome = evaluateExportRules(change);
    assert.equal(outcome.block?.reason, 'SECRET_IN_FIELD');
    assert.match(outcome.block?.message ?? '', /title \(secretlint-github\)/);
    assert.deepEqual(outcome.warnings.map((w) => w.code), ['SECRET_IN_FIELD']);
  });
});
