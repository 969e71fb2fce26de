import type { Bin } from '../governance/bin';
import type { DestinationConfig } from '../config';
import { DESTINATION_TYPES, descriptorOf } from '../destinations/registry';
import { ExportError } from '../errors';
import { rollbackJob } from '../pipeline/rollback';
import { exportRequestOfJob, type JobDetails, type JobJson, type JobList, type PreviewResult } from '../protocol';
import { currentOwner } from '../store/processOwner';
import type { AuditEvent, JobFilter, JobQuery, JobRecord, JobStat } from '../store/types';
import type { Exports } from './exports';
import { jobDetailsJson, jobJson, type JobNames } from './results';
import type { AppState } from './state';

/** Export jobs: list, show (with the audit trail), retry a failed one, roll back a completed one. */
export class Jobs {
  constructor(
    private readonly state: AppState,
    private readonly bin: Bin,
    private readonly exports: Exports,
    private readonly names: JobNames,
  ) {}

  async list(query: JobQuery = {}): Promise<JobList> {
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    const { limit: _l, offset: _o, ...filter } = query;
    // One page from the store and its count: a team store holds the whole team's history.
    const [page, total] = await Promise.all([this.state.store.listJobs({ ...filter, limit, offset }), this.state.store.countJobs(filter)]);
    await this.names.refresh(page.map((job) => job.template_id));
    return {
      jobs: page.map((job) => jobJson(job, this.names)),
      pagination: { total, limit, offset, has_more: offset + page.length < total },
    };
  }

  /** Counts by destination type and status (`jobs list --stats`). */
  stats(filter: JobFilter = {}): Promise<JobStat[]> {
    return this.state.store.jobStats(filter);
  }

  async get(jobId: string): Promise<JobDetails> {
    const job = await this.record(jobId);
    await this.names.refresh([job.template_id]);
    return jobDetailsJson(job, await this.auditOf(job), this.names);
  }

  /** A failed export previewed again from its record; editor text is not kept, so its exports cannot be retried. */
  async retry(jobId: string): Promise<PreviewResult> {
    const job = await this.record(jobId);
    if (job.status !== 'failed') {
      throw new ExportError('INVALID_INPUT', `Job ${jobId} is ${job.status}; only failed exports can be retried.`, { recoverable: false });
    }
    const fromEditor = job.source_type === 'editor' || (job.source_type === undefined && job.session_id.startsWith('editor-'));
    if (fromEditor) {
      throw new ExportError('INVALID_INPUT', 'An export of an editor selection cannot be retried; select the text and export again.', {
        recoverable: false,
      });
    }
    return this.exports.preview(exportRequestOfJob(job));
  }

  /** Undoes a completed export at the destination it was written to, as it was configured then. */
  async rollback(jobId: string, signal?: AbortSignal): Promise<JobJson> {
    // A shared destination's credentials are the team's: read its record first.
    await this.state.team.refresh();
    const rolled = await rollbackJob(jobId, {
      store: this.state.store,
      bin: this.bin,
      clock: this.state.env.clock,
      destinationFor: (job) => {
        const config = this.destinationOfJob(job);
        // Only a shared store holds other machines' jobs (a local store's host name may drift: not checked there).
        if (this.state.config.store.type === 'tidb') refuseAnotherMachinesFile(job, config);
        return this.state.openDestination(config, signal);
      },
      ...(signal ? { signal } : {}),
    });
    this.state.env.onJobChanged?.({ jobId: rolled.job_id, status: rolled.status });
    await this.pruneRollbackData();
    return jobJson(rolled, this.names);
  }

  /** Rollback data that no completed job can use any more is removed from the data folder (and the team store). */
  private async pruneRollbackData(): Promise<void> {
    const completed = await this.state.store.listJobs({ status: 'completed' });
    const keep = new Set(completed.flatMap((j) => (j.rollback?.previous ? [j.rollback.previous] : [])));
    for (const descriptor of DESTINATION_TYPES) await descriptor.pruneRollbackData?.(this.state.dataDir, keep);
    await this.state.store.rollbackData?.prune(keep);
  }

  private destinationOfJob(job: JobRecord): DestinationConfig {
    const recorded = job.destination_config;
    if (recorded && typeof recorded['type'] === 'string') return recorded as DestinationConfig;
    return this.state.destinationConfig(job.destination_id);
  }

  private async record(jobId: string): Promise<JobRecord> {
    const job = await this.state.store.getJob(jobId);
    if (!job) throw new ExportError('JOB_NOT_FOUND', `No export job with id ${jobId}.`, { recoverable: false });
    return job;
  }

  /** The job's audit events and its transaction's, once each, oldest first. */
  private async auditOf(job: JobRecord): Promise<AuditEvent[]> {
    const { store } = this.state;
    const byJob = await store.listAudit({ jobId: job.job_id });
    const byTx = job.transaction_id ? await store.listAudit({ transactionId: job.transaction_id }) : [];
    const seen = new Set<string>();
    return [...byTx, ...byJob]
      .filter((e) => (seen.has(e.event_id) ? false : (seen.add(e.event_id), true)))
      .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  }
}

/**
 * A file a destination wrote on its machine's disk (local) is rolled back
 * there: from another machine sharing the team store, the same path would
 * name that machine's own file, not the one the export wrote.
 */
function refuseAnotherMachinesFile(job: JobRecord, config: DestinationConfig): void {
  const host = job.owner?.host;
  const here = currentOwner().host;
  if (host === undefined || descriptorOf(config.type)?.remote !== false || host === here) return;
  throw new ExportError(
    'ROLLBACK_FAILED',
    `Could not roll back ${job.output_location ?? job.filename}: it was written to the disk of ${host}; roll it back there (this is ${here}).`,
    { details: { host }, recoverable: false },
  );
}
