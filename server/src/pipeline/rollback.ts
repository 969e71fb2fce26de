import type { Bin } from '../governance/bin';
import type { Clock } from '../clock';
import type { Destination } from '../destinations/types';
import { ExportError, toExportError } from '../errors';
import type { JobRecord, Store } from '../store/types';

/** A user-requested rollback of a completed job. */
export async function rollbackJob(
  jobId: string,
  deps: { store: Store; bin: Bin; clock: Clock; destinationFor: (job: JobRecord) => Promise<Destination> },
): Promise<JobRecord> {
  const job = await deps.store.getJob(jobId);
  if (!job) throw new ExportError('JOB_NOT_FOUND', `No export job with id ${jobId}.`, { recoverable: false });
  if (job.status !== 'completed' || !job.rollback) {
    throw new ExportError('INVALID_INPUT', `Job ${jobId} is ${job.status}; only completed exports can be rolled back.`, {
      recoverable: false,
    });
  }
  const destination = await deps.destinationFor(job);
  try {
    await destination.rollback({ destinationId: job.destination_id, ...job.rollback });
  } catch (thrown) {
    await destination.dispose();
    const error = toExportError(thrown);
    await deps.bin.auditAction('CreateExportJob.rollback', job.output_location ?? job.filename, 'failure', {
      error_code: error.code,
      destination: job.destination_id,
    }, { jobId, ...(job.transaction_id ? { transactionId: job.transaction_id } : {}) });
    throw new ExportError('ROLLBACK_FAILED', `Could not roll back ${job.output_location ?? job.filename}: ${error.message}`, {
      recoverable: error.recoverable,
      cause: error,
    });
  }
  await destination.dispose();
  const updated = await deps.store.updateJob(jobId, { status: 'rolled_back', completed_at: deps.clock.now().toISOString() });
  await deps.bin.auditAction('CreateExportJob.rollback', job.output_location ?? job.filename, 'success', {
    destination: job.destination_id,
    requested_by: 'user',
    content_hash: job.content_hash,
  }, { jobId, ...(job.transaction_id ? { transactionId: job.transaction_id } : {}) });
  return updated;
}
