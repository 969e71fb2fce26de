import { systemClock, type Clock } from '../clock';
import { ExportError } from '../errors';
import { applyJobPatch, filterAudit, interruptedPatch, isUnfinished, jobMatches, jobNotFound, jobStatsOf, queryJobs, sortByTimestamp, splitPatch } from './jobRecords';
import { currentOwner, ownerIsGone } from './processOwner';
import type { JobPatch } from './recordSchemas';
import type { AuditEvent, JobQuery, JobRecord, SecurityEvent, Store } from './types';

/**
 * A Store in memory, for unit tests of the modules that use one. Same
 * semantics as the file store (owner stamping, JOB_NOT_FOUND, ordering,
 * clearing fields with `undefined`), no persistence, no validation.
 */
export function createMemoryStore(options: { clock?: Clock } = {}): Store {
  const clock = options.clock ?? systemClock;
  const jobs = new Map<string, JobRecord>();
  const audit: AuditEvent[] = [];
  const security: SecurityEvent[] = [];

  return {
    async createJob(job) {
      if (jobs.has(job.job_id)) {
        throw new ExportError('INVALID_INPUT', `A job with id "${job.job_id}" already exists.`, { recoverable: false });
      }
      jobs.set(job.job_id, structuredClone({ ...job, owner: job.owner ?? currentOwner() }));
    },
    async updateJob(jobId: string, patch: JobPatch) {
      const job = jobs.get(jobId);
      if (job === undefined) throw jobNotFound(jobId);
      const { set, unset } = splitPatch(structuredClone(patch));
      if ((set.status === 'queued' || set.status === 'running') && !('owner' in patch)) set.owner = currentOwner();
      const updated = applyJobPatch(job, set, unset);
      jobs.set(jobId, updated);
      return structuredClone(updated);
    },
    async getJob(jobId) {
      const job = jobs.get(jobId);
      return job === undefined ? undefined : structuredClone(job);
    },
    async listJobs(query: JobQuery = {}) {
      return queryJobs([...jobs.values()], query).map((job) => structuredClone(job));
    },
    async countJobs(filter = {}) {
      return [...jobs.values()].filter((job) => jobMatches(job, filter)).length;
    },
    async jobStats(filter = {}) {
      return jobStatsOf([...jobs.values()], filter);
    },
    async appendAudit(event) {
      audit.push(structuredClone(event));
    },
    async listAudit(filter = {}) {
      return filterAudit(audit, filter).map((event) => structuredClone(event));
    },
    async appendSecurity(event) {
      security.push(structuredClone(event));
    },
    async listSecurity() {
      return sortByTimestamp(security).map((event) => structuredClone(event));
    },
    async recoverInterrupted() {
      let count = 0;
      for (const job of jobs.values()) {
        if (!isUnfinished(job) || !ownerIsGone(job.owner)) continue;
        jobs.set(job.job_id, applyJobPatch(job, interruptedPatch(job, clock.now())));
        count += 1;
      }
      return count;
    },
    async close() {},
  };
}
