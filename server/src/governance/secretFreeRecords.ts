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
export function withoutSecrets<T>(value: T): T {
  if (typeof value === 'string') {
    const findings = scanForSecrets(value);
    return (findings.length === 0 ? value : redactSecrets(value, findings).content) as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => withoutSecrets(item)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutSecrets(item)])) as T;
  }
  return value;
}

export function secretFreeRecords(store: Store): Store {
  return {
    createJob: (job: JobRecord) => store.createJob(withoutSecrets(job)),
    updateJob: (jobId, patch) => store.updateJob(jobId, withoutSecrets(patch)),
    getJob: (jobId) => store.getJob(jobId),
    listJobs: (query) => store.listJobs(query),
    appendAudit: (event: AuditEvent) => store.appendAudit(withoutSecrets(event)),
    listAudit: (filter) => store.listAudit(filter),
    appendSecurity: (event: SecurityEvent) => store.appendSecurity(withoutSecrets(event)),
    listSecurity: () => store.listSecurity(),
    recoverInterrupted: () => store.recoverInterrupted(),
    close: () => store.close(),
  };
}
