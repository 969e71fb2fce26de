import assert from 'node:assert/strict';
import type { JobJson as JobRecord } from '../../../server/src/protocol';
import { jobLabel, outputTarget, reviewDetail } from '../../../client/src/ui/format';
import { checkTemplateName, templateStarter } from '../../../client/src/ui/templateStarter';
import { checkTemplateText } from '../../../server/src/templates/check';

const job = (overrides: Partial<JobRecord>): JobRecord => ({
  id: 'job',
  template: { id: 'markdown', name: 'Markdown' },
  destination: { id: 'local', name: 'local', type: 'local' },
  statistics: { token_count: null, char_count: null, duration_ms: null },
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

describe('client: texts of jobs', () => {
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

  it('New Template: names are file names, and the starter is a valid template', () => {
    assert.equal(checkTemplateName('design-note'), undefined);
    assert.ok(checkTemplateName('Design Note'));
    assert.ok(checkTemplateName('../x'));
    assert.ok(checkTemplateName(''));
    const issues = checkTemplateText(templateStarter('design-note'), { id: 'design-note', builtin: false });
    assert.deepEqual(issues, [], 'no errors and no warnings: diagnostics, helpers and a sample render all pass');
    assert.match(templateStarter('design-note'), /^---\nname: Design Note\n/);
  });

  it('describes a change review for the Accept dialog: risk, action, what it touches, warnings', () => {
    const review = {
      risk_level: 'critical' as const,
      action: 'CREATE' as const,
      affected_resources: ['/w/.devguide/templates/design-note.hbs'],
      warnings: [
        { code: 'SHARED_TEMPLATE', message: 'Everyone who uses this workspace will run this template.' },
        { code: 'UNKNOWN_HELPER', message: 'Unknown helper "shout".', line: 7 },
      ],
    };
    assert.equal(
      reviewDetail(review),
      [
        'Risk: critical · CREATE /w/.devguide/templates/design-note.hbs',
        '',
        '• Everyone who uses this workspace will run this template.',
        '• Unknown helper "shout". (line 7)',
      ].join('\n'),
    );
    assert.equal(reviewDetail({ ...review, warnings: [] }), 'Risk: critical · CREATE /w/.devguide/templates/design-note.hbs');
  });
});
