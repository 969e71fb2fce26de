import type { AuditEvent, JobRecord, SecurityEvent, Store } from '../store/types';
import { redactSecrets } from './redact';
import { scanForSecrets } from './secretScan';

/**
 * No record ever holds a secret (issue 11 item 4): every job, audit and
 * security record is written with any secret the scanner finds in its text
 * — a title, a file name, a message id, a source path, an error message —
 * replaced by `[REDACTED:<rule>]`. The store the app uses is wrapped once
 * (store/factory.ts), so every writer is covered, present and future.
 */

/** Strings of a record (deeply), each with detected secrets redacted; other values as they are. */
export async function withoutSecrets<T>(value: T): Promise<T> {
  if (typeof value === 'string') {
    const findings = await scanForSecrets(value);
    return (findings.length === 0 ? value : (await redactSecrets(value, findings)).content) as T;
  }
  if (Array.isArray(value)) return (await Promise.all(value.map((item: unknown) => withoutSecrets(item)))) as T;
  if (typeof value === 'object' && value !== null) {
    const entries = await Promise.all(Object.entries(value).map(async ([key, item]) => [key, await withoutSecrets(item)] as const));
    return Object.fromEntries(entries) as T;
  }
  return value;
}

export function secretFreeRecords(store: Store): Store {
  return {
    createJob: async (job: JobRecord) => store.createJob(await withoutSecrets(job)),
    updateJob: async (jobId, patch) => store.updateJob(jobId, await withoutSecrets(patch)),
    getJob: (jobId) => store.getJob(jobId),
    listJobs: (query) => store.listJobs(query),
    countJobs: (filter) => store.countJobs(filter),
    ...(store.importRecords
      ? { importRecords: async (records) => (store.importRecords as NonNullable<Store['importRecords']>).call(store, await withoutSecrets(records)) }
      : {}),
    ...(store.migrate ? { migrate: () => (store.migrate as NonNullable<Store['migrate']>).call(store) } : {}),
    // Content an update replaced (what was at the destination already), not a record of ours: kept as it was.
    ...(store.rollbackData ? { rollbackData: store.rollbackData } : {}),
    jobStats: (filter) => store.jobStats(filter),
    appendAudit: async (event: AuditEvent) => store.appendAudit(await withoutSecrets(event)),
    listAudit: (filter) => store.listAudit(filter),
    appendSecurity: async (event: SecurityEvent) => store.appendSecurity(await withoutSecrets(event)),
    listSecurity: () => store.listSecurity(),
    recoverInterrupted: () => store.recoverInterrupted(),
    close: () => store.close(),
  };
}
