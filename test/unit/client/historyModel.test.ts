import assert from 'node:assert/strict';
import {
  dayLabel,
  filterDescription,
  filterMessage,
  groupByDay,
  isFiltered,
  jobContextValue,
  jobDescription,
  jobTooltipLines,
  listParamsOf,
  matchesFilter,
} from '../../../client/src/history/historyModel';
import { ListJobsRequest, type JobJson as JobRecord } from '../../../server/src/protocol';

/** Local-time ISO string (the view groups by the local calendar day). */
function at(year: number, month: number, day: number, hour = 12, minute = 0): string {
  return new Date(year, month - 1, day, hour, minute).toISOString();
}

let n = 0;
const job = (overrides: Partial<JobRecord>): JobRecord => ({
  id: 'job',
  template: { id: 'markdown', name: 'Markdown' },
  destination: { id: 'local', name: 'local', type: 'local' },
  statistics: { token_count: null, char_count: null, duration_ms: null },
  job_id: `job_${++n}`,
  status: 'completed',
  source: '/w/t.jsonl',
  session_id: 's',
  message_ids: [],
  template_id: 'markdown',
  destination_id: 'local',
  filename: 'plan.md',
  title: 'Plan',
  retry_count: 0,
  created_at: at(2026, 3, 10),
  ...overrides,
});

describe('client: Export History model', () => {
  const now = new Date(2026, 2, 10, 9, 30); // Tue 10 Mar 2026, 09:30 local

  it('names days Today, Yesterday, then by date', () => {
    assert.equal(dayLabel(new Date(2026, 2, 10, 0, 1), now), 'Today');
    assert.equal(dayLabel(new Date(2026, 2, 9, 23, 59), now), 'Yesterday');
    assert.equal(dayLabel(new Date(2026, 2, 8, 12), now), 'Sun, 8 Mar 2026');
    // Across a month and a year boundary.
    assert.equal(dayLabel(new Date(2026, 1, 28), new Date(2026, 2, 1, 8)), 'Yesterday');
    assert.equal(dayLabel(new Date(2025, 11, 31), new Date(2026, 0, 1, 8)), 'Yesterday');
  });

  it('groups jobs by local day, newest day and newest job first', () => {
    const jobs = [
      job({ filename: 'a.md', created_at: at(2026, 3, 8, 10) }),
      job({ filename: 'b.md', created_at: at(2026, 3, 10, 8) }),
      job({ filename: 'c.md', created_at: at(2026, 3, 9, 17) }),
      job({ filename: 'd.md', created_at: at(2026, 3, 10, 9, 15) }),
      job({ filename: 'e.md', created_at: at(2026, 3, 8, 18) }),
    ];
    const groups = groupByDay(jobs, now);
    assert.deepEqual(
      groups.map((g) => [g.label, g.jobs.map((j) => j.filename)]),
      [
        ['Today', ['d.md', 'b.md']],
        ['Yesterday', ['c.md']],
        ['Sun, 8 Mar 2026', ['e.md', 'a.md']],
      ],
    );
    assert.deepEqual(groups.map((g) => g.key), ['2026-03-10', '2026-03-09', '2026-03-08']);
    assert.deepEqual(groupByDay([], now), []);
  });

  it('describes a job by destination and time; the tooltip has the details, the error of a failed one', () => {
    const failed = job({ status: 'failed', destination_id: 'github', created_at: at(2026, 3, 10, 7, 5), error_code: 'NETWORK_ERROR', error_message: 'Connection refused' });
    assert.equal(jobDescription(failed), 'github · 07:05');
    assert.equal(jobDescription(job({ created_at: at(2026, 3, 10, 7, 5), action: 'UPDATE' })), 'local · 07:05 · update');
    const lines = jobTooltipLines(failed);
    assert.equal(lines[0], 'plan.md — Failed');
    assert.ok(lines.includes('Error: NETWORK_ERROR — Connection refused'), lines.join('\n'));
    const done = jobTooltipLines(job({ output_location: '/w/exports/plan.md', content_hash: 'sha256:abc', action: 'UPDATE' }));
    assert.ok(done.includes('Output: /w/exports/plan.md'));
    assert.ok(done.includes('Content hash: sha256:abc'));
    assert.ok(done.includes('Destination: local (UPDATE)'));
    assert.ok(!done.some((line) => line.startsWith('By:')), 'no actor recorded: no line');
    assert.ok(jobTooltipLines(job({ actor: 'ana' })).includes('By: ana'), 'a team store shows who exported');
  });

  it('flags in contextValue decide the actions: open and roll back when completed, retry when failed, copy when hashed', () => {
    assert.equal(jobContextValue(job({ output_location: '/w/exports/plan.md', content_hash: 'sha256:1' })), 'job status-completed openable hashed');
    assert.equal(jobContextValue(job({ output_location: 'exports/plan.md' })), 'job status-completed', 'a relative location cannot be opened');
    assert.equal(jobContextValue(job({ status: 'failed' })), 'job status-failed');
    assert.equal(jobContextValue(job({ status: 'rolled_back', output_location: '/w/x.md' })), 'job status-rolled_back', 'a rolled-back output is gone');
  });

  it('filters by status and destination; the description names the active filter', () => {
    const jobs = [job({ status: 'failed', destination_id: 'github' }), job({ status: 'completed', destination_id: 'github' }), job({ status: 'failed', destination_id: 'local' })];
    assert.equal(jobs.filter((j) => matchesFilter(j, {})).length, 3);
    assert.equal(jobs.filter((j) => matchesFilter(j, { status: 'failed' })).length, 2);
    assert.equal(jobs.filter((j) => matchesFilter(j, { status: 'failed', destinationId: 'github' })).length, 1);
    assert.equal(filterDescription({}), undefined);
    assert.equal(filterDescription({ status: 'rolled_back' }), 'Filter: Rolled back');
    assert.equal(filterDescription({ status: 'failed', destinationId: 'github' }), 'Filter: Failed · github');
    assert.equal(filterMessage({}), undefined);
    assert.equal(filterMessage({ status: 'failed', destinationId: 'github' }), 'Showing failed exports to github.');
    assert.equal(filterMessage({ destinationId: 'local' }), 'Showing exports to local.');
    assert.equal(filterMessage({ status: 'rolled_back' }), 'Showing rolled back exports.');
    assert.equal(isFiltered({}), false);
    assert.equal(isFiltered({ destinationId: 'local' }), true);
  });

  it('a time range: the request asks the store for jobs since then, and the description says so', () => {
    const now = new Date('2026-03-10T12:00:00.000Z');
    const params = listParamsOf({ status: 'failed', destinationId: 'github', range: '24h' }, now);
    assert.deepEqual(params, { limit: 500, status: 'failed', destinationId: 'github', since: '2026-03-09T12:00:00.000Z' });
    assert.equal(ListJobsRequest.params.safeParse(params).success, true, 'what the server accepts');
    assert.deepEqual(listParamsOf({}, now), { limit: 500 }, 'unfiltered: one page, nothing else');
    assert.equal(listParamsOf({ range: '7d' }, now).since, '2026-03-03T12:00:00.000Z');
    assert.equal(listParamsOf({ range: '30d' }, now).since, '2026-02-08T12:00:00.000Z');
    assert.equal(filterDescription({ range: '7d' }), 'Filter: Last 7 days');
    assert.equal(filterDescription({ status: 'failed', destinationId: 'github', range: '24h' }), 'Filter: Failed · github · Last 24 hours');
    assert.equal(filterMessage({ status: 'failed', range: '24h' }), 'Showing failed exports in the last 24 hours.');
    assert.equal(isFiltered({ range: '30d' }), true);
    const recent = job({ created_at: '2026-03-10T01:00:00.000Z' });
    const old = job({ created_at: '2026-03-01T01:00:00.000Z' });
    assert.deepEqual([recent, old].filter((j) => matchesFilter(j, { range: '24h' }, now)), [recent]);
  });
});
