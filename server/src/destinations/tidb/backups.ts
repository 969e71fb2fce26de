import { join } from 'node:path';

/** Where the TiDB destination keeps an updated row's previous content for rollback (this machine's data folder). */
export function tidbBackupDir(dataDir: string): string {
  return join(dataDir, 'backups', 'tidb');
}
