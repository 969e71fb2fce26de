import assert from 'node:assert/strict';
import type { PreviewResult } from '../../../server/src/protocol';
import type { JobRecord } from '../../../server/src/store/types';
import { blockedText, jobLabel, outputTarget, parseTags, reviewText } from '../../../client/src/ui/format';
import { checkTemplateName, templateStarter } from '../../../client/src/ui/templateStarter';
import { checkTemplateText } from '../../../server/src/templates/check';

function preview(overrides: Partial<PreviewResult> = {}, review: Partial<PreviewResult['review']> = {}): PreviewResult {
  return {
    transaction_id: 'tx_1',
    filename: 'plan.md',
    template_id: 'markdown',
    destination_id: 'local',
    session_id: 's',
    output: 'markdown',
    content: '# Plan\n',
    existing_content: null,
    preview_lines: ['# Plan'],
    more_lines: 0,
    statistics: { file_size_bytes: 7, token_count: 3, line_count: 1, message_count: 2, block_count: 3, stages_ms: {} },
    metadata: {},
    is_update: false,
    diff: null,
    validation: { valid: true, errors: [], warnings: [] },
    review: {
      transaction_id: 'tx_1',
      risk_level: 'low',
      action: 'CREATE',
      affected_resources: ['exports/plan.md'],
      token_cost: 3,
      warnings: [],
      blocked: false,
      reason: null,
      reason_message: null,
      requires_accept: false,
      ...review,
    },
    ...overrides,
  };
}

const job = (overrides: Partial<JobRecord>): JobRecord => ({
  job_id: 'job_1',
  status: 'completed',
  source: '/w/t.jsonl',
  session_id: 's',
  message_ids: [],
  template_id: 'markdown',
  destination_id: 'local',
  filename: 'plan.md',
  title: 'Plan',
  retry_count: 0,
  created_at: '2026-01-02T15:29:00Z',
  ...overrides,
});

describe('client: texts of reviews and jobs', () => {
  it('the review modal: what, where, risk, size, validation, warnings', () => {
    const text = reviewText(preview({}, { warnings: [{ code: 'W', message: 'Looks like an email address' }] }), 'Local folder');
    assert.equal(text.message, 'Create "plan.md" in Local folder?');
    assert.match(text.detail, /Risk: low · CREATE · ~3 tokens · 1 line · 2 messages/);
    assert.match(text.detail, /Affected: exports\/plan\.md/);
    assert.match(text.detail, /Validation: passed/);
    assert.match(text.detail, /• Looks like an email address/);
  });

  it('an update shows its diff size and failed validation', () => {
    const text = reviewText(
      preview(
        { is_update: true, diff: { unified: '', additions: 4, deletions: 1, truncated: false }, validation: { valid: false, errors: [{ code: 'X', message: 'Missing section Usage' }], warnings: [] } },
        { action: 'UPDATE', risk_level: 'high' },
      ),
      'GitHub',
    );
    assert.equal(text.message, 'Update "plan.md" in GitHub?');
    assert.match(text.detail, /Changes: \+4 −1/);
    assert.match(text.detail, /Validation: 1 error — Missing section Usage/);
  });

  it('a blocked review names the reason and, for secrets, what redaction does', () => {
    const blocked = preview({}, { blocked: true, reason: 'SECRET_DETECTED', reason_message: 'A GitHub token was found on line 3.' });
    assert.match(blockedText(blocked, true).detail, /GitHub token was found on line 3[\s\S]*Redact replaces/);
    assert.doesNotMatch(blockedText(blocked, false).detail, /Redact/);
  });

  it('history rows: status icon, file, destination and time, the error of a failed job', () => {
    const row = jobLabel(job({ status: 'failed', error_message: 'Connection refused' }));
    assert.match(row.label, /^\$\(error\) plan\.md$/);
    assert.match(row.description, /^local · \d{4}-\d\d-\d\d \d\d:\d\d$/);
    assert.equal(row.detail, 'Plan — failed — Connection refused');
    assert.match(jobLabel(job({ status: 'rolled_back' })).detail, /rolled back/);
  });

  it('where an output opens: local files by path, remote results in the browser', () => {
    assert.deepEqual(outputTarget({ output_location: '/w/exports/plan.md', output_url: 'file:///w/exports/plan.md' }), { kind: 'file', path: '/w/exports/plan.md' });
    assert.deepEqual(outputTarget({ output_location: '/w/exports/plan.md' }), { kind: 'file', path: '/w/exports/plan.md' });
    assert.deepEqual(outputTarget({ output_location: 'exports/plan.md', output_url: 'https://github.com/o/r/pull/1' }), { kind: 'url', url: 'https://github.com/o/r/pull/1' });
    assert.equal(outputTarget({ output_location: 'exports/plan.md' }), undefined);
    assert.equal(outputTarget({}), undefined);
  });

  it('tags: comma-separated, trimmed, without blanks or repeats', () => {
    assert.deepEqual(parseTags(' rollback, github ,, rollback,'), ['rollback', 'github']);
    assert.deepEqual(parseTags(''), []);
  });

  it('New Template: names are file names, and the starter is a valid template', () => {
    assert.equal(checkTemplateName('design-note'), undefined);
    assert.ok(checkTemplateName('Design Note'));
    assert.ok(checkTemplateName('../x'));
    assert.ok(checkTemplateName(''));
    const issues = checkTemplateText(templateStarter('design-note'), { id: 'design-note', builtin: false });
    assert.deepEqual(issues, [], 'no errors and no warnings: diagnostics, helpers and a sample render all pass');
    assert.match(templateStarter('design-note'), /^---\nname: Design Note\n/);
  });
});
