import assert from 'node:assert/strict';
import { jobDetailsMarkdown } from '../../../client/src/history/jobDetailsText';
import type { JobDetails } from '../../../server/src/protocol';

const details = (overrides: Partial<JobDetails> = {}): JobDetails => ({
  id: 'job_1',
  job_id: 'job_1',
  status: 'completed',
  source: '/w/chat.jsonl',
  session_id: 's',
  message_ids: ['m1', 'm2'],
  template_id: 'markdown',
  destination_id: 'local',
  destination_type: 'local',
  filename: 'plan.md',
  title: 'Rollback plan',
  output_location: '/w/exports/plan.md',
  action: 'CREATE',
  content_hash: 'sha256:abc',
  retry_count: 0,
  created_at: '2026-01-02T15:29:00.000Z',
  completed_at: '2026-01-02T15:29:01.000Z',
  template: { id: 'markdown', name: 'Markdown' },
  destination: { id: 'local', name: 'local', type: 'local' },
  statistics: { token_count: 120, char_count: 480, duration_ms: 12 },
  audit_events: [{ event_id: 'e1', timestamp: '2026-01-02T15:29:00.500Z', action: 'CreateExportJob.commit', resource: 'plan.md', status: 'success', actor: 'me', metadata: {} }],
  ...overrides,
});

describe('client: job details as a person reads them (issue 10 item 14)', () => {
  it('says what was exported where, its status, numbers and audit trail — not the raw record', () => {
    const text = jobDetailsMarkdown(details());
    assert.match(text, /^# Rollback plan\n\n\*\*Completed\*\* · create\n/);
    assert.match(text, /- \*\*Written to:\*\* \/w\/exports\/plan\.md/);
    assert.match(text, /- \*\*Template:\*\* Markdown \(markdown\)/);
    assert.match(text, /- \*\*Tokens:\*\* ~120/);
    assert.match(text, /## Audit trail\n\n- 2026-01-02T15:29:00\.500Z — CreateExportJob\.commit — success \(me\)/);
    assert.doesNotMatch(text, /^\{/, 'not JSON');
  });

  it('shows a rolled-back or failed job as such, with its error', () => {
    assert.match(jobDetailsMarkdown(details({ status: 'rolled_back' })), /\*\*Rolled back\*\*/);
    const failed = jobDetailsMarkdown(details({ status: 'failed', error_code: 'WRITE_FAILED', error_message: 'disk full' }));
    assert.match(failed, /## Error\n\n`WRITE_FAILED`: disk full/);
  });
});
