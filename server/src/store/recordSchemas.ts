import { z } from 'zod';
import { auditEventSchema as protocolAuditEventSchema, jobRecordFields } from '../protocol';
import type { AuditEvent, JobOwner, JobRecord, SecurityEvent } from './types';

/**
 * The shapes of the records the embedded store writes and reads back.
 * Objects are not strict: a line written by a newer version with extra
 * fields is still read (the extra fields are dropped) rather than skipped.
 */

const timestamp = z.iso.datetime({ offset: true });
const id = z.string().min(1).max(256);
const action = z.enum(['CREATE', 'UPDATE']);

export const jobStatusSchema = jobRecordFields.status;

export const jobOwnerSchema: z.ZodType<JobOwner> = z.object({
  pid: z.number().int().positive(),
  host: z.string().min(1),
  started_at: timestamp,
});

const jobFields = { ...jobRecordFields, owner: jobOwnerSchema.optional() };

export const jobRecordSchema: z.ZodType<JobRecord> = z.object({ job_id: id, ...jobFields });

export type JobPatch = Partial<Omit<JobRecord, 'job_id'>>;

export const jobPatchSchema: z.ZodType<JobPatch> = z.object(jobFields).partial();

/** Fields a patch may clear (by passing them as `undefined`); required fields cannot be cleared. */
export const CLEARABLE_JOB_FIELDS = [
  'block_ids',
  'content_hash',
  'token_count',
  'output_location',
  'output_url',
  'action',
  'rollback',
  'transaction_id',
  'batch_id',
  'risk_level',
  'error_code',
  'error_message',
  'started_at',
  'completed_at',
  'duration_ms',
  'stages_ms',
  'owner',
] as const satisfies readonly (keyof JobPatch)[];

export type ClearableJobField = (typeof CLEARABLE_JOB_FIELDS)[number];

const clearableFieldSchema = z.enum(CLEARABLE_JOB_FIELDS);

/** One line of jobs.jsonl: a job's first full record, or a later change to it. */
export const jobLogLineSchema = z.discriminatedUnion('op', [
  z
    .object({ op: z.literal('create'), job_id: id, at: timestamp, job: jobRecordSchema })
    .refine((line) => line.job.job_id === line.job_id, { message: 'job_id differs from job.job_id' }),
  z.object({
    op: z.literal('update'),
    job_id: id,
    at: timestamp,
    patch: jobPatchSchema,
    unset: z.array(clearableFieldSchema).optional(),
  }),
]);

export type JobLogLine = z.infer<typeof jobLogLineSchema>;

export const auditEventSchema: z.ZodType<AuditEvent> = protocolAuditEventSchema;

export const securityEventSchema: z.ZodType<SecurityEvent> = z.object({
  event_id: id,
  timestamp,
  type: z.enum([
    'destination_created',
    'destination_updated',
    'credential_accessed',
    'export_to_external',
    'template_executed',
    'access_denied',
    'secret_detected',
  ]),
  severity: z.enum(['info', 'warning', 'critical']),
  actor: z.string(),
  resource: z.string(),
  metadata: z.record(z.string(), z.unknown()),
});
