import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { ExportError, toExportError } from '../errors';
import type { Bin } from '../governance/bin';
import { openFileStore, STORE_FILES } from '../store/fileStore';
import type { AppState } from './state';

/**
 * `devguide-export store import --from DIR`: a person's file store (jobs,
 * audit and security events) copied into the team store. Idempotent: a
 * record whose id the team store has is left alone, so a second run copies
 * nothing. The file store is read, never changed. Audited.
 */

export interface StoreImportResult {
  from: string;
  /** How many of each were new to the team store (the rest were there already). */
  imported: { jobs: number; audit: number; security: number };
  read: { jobs: number; audit: number; security: number };
}

export class StoreImport {
  constructor(
    private readonly state: AppState,
    private readonly bin: Bin,
  ) {}

  async fromFileStore(dir: string): Promise<StoreImportResult> {
    const store = this.state.store;
    if (this.state.config.store.type !== 'tidb' || !store.importRecords) {
      throw new ExportError('INVALID_INPUT', 'store import copies a file store into the team store: configure store {type: "tidb", …} first (devguideExport.store or --config).', {
        recoverable: false,
      });
    }
    const from = isAbsolute(dir) ? dir : resolve(this.state.env.workspaceRoot, dir);
    if (!(await isFileStore(from))) {
      throw new ExportError('INVALID_INPUT', `${from} is not a DevGuide Export store folder (no ${STORE_FILES.jobs} in it).`, { details: { path: from }, recoverable: false });
    }
    const source = await openFileStore(from);
    try {
      const records = { jobs: await source.listJobs(), audit: await source.listAudit(), security: await source.listSecurity() };
      const imported = await store.importRecords.call(store, records);
      const read = { jobs: records.jobs.length, audit: records.audit.length, security: records.security.length };
      await this.bin.auditAction('ImportStore', from, 'success', { imported, read });
      return { from, imported, read };
    } catch (thrown) {
      const error = toExportError(thrown);
      await this.bin.auditAction('ImportStore', from, 'failure', { error_code: error.code }).catch(() => undefined);
      throw error;
    } finally {
      await source.close();
    }
  }
}

async function isFileStore(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, STORE_FILES.jobs))).isFile();
  } catch {
    return false;
  }
}
