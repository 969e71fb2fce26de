import type { JobDetails } from '../../../server/src/protocol';

/**
 * A job as a person reads it (issue 10 item 14): what was exported where,
 * its status, numbers and audit trail, as Markdown — not the raw record.
 * Pure: unit-tested.
 */

const STATUS_TEXT: Readonly<Record<JobDetails['status'], string>> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  rolled_back: 'Rolled back',
};

export function jobDetailsMarkdown(job: JobDetails): string {
  const lines = [`# ${job.title || job.filename}`, '', `**${STATUS_TEXT[job.status]}**${job.action ? ` · ${job.action === 'UPDATE' ? 'update' : 'create'}` : ''}`, ''];
  const row = (label: string, value: string | number | null | undefined) => {
    if (value !== undefined && value !== null && value !== '') lines.push(`- **${label}:** ${value}`);
  };
  row('File', job.filename);
  row('Written to', job.output_location ?? job.output_url);
  row('Destination', `${job.destination.name} (${job.destination.type})`);
  row('Template', job.template.name === job.template.id ? job.template.id : `${job.template.name} (${job.template.id})`);
  row('Source', job.source);
  row('Messages', job.message_ids.length);
  row('Started', job.started_at ?? job.created_at);
  row('Finished', job.completed_at);
  row('Duration', job.statistics.duration_ms === null ? undefined : `${job.statistics.duration_ms} ms`);
  row('Tokens', job.statistics.token_count === null ? undefined : `~${job.statistics.token_count}`);
  row('Characters', job.statistics.char_count);
  row('Risk', job.risk_level);
  row('Content hash', job.content_hash ? `\`${job.content_hash}\`` : undefined);
  row('Job id', `\`${job.job_id}\``);
  if (job.error_code) lines.push('', `## Error`, '', `\`${job.error_code}\`: ${job.error_message ?? ''}`);
  lines.push('', '## Audit trail', '');
  if (job.audit_events.length === 0) lines.push('No events.');
  for (const event of job.audit_events) lines.push(`- ${event.timestamp} — ${event.action} — ${event.status} (${event.actor})`);
  return `${lines.join('\n')}\n`;
}
