import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Clock } from '../../clock';
import type { DbClient } from '../../db/client';
import { STORE_ROLLBACK_PREFIX, isStoreRollbackReference, type RollbackData } from '../rollbackData';
import { storeSql, toSqlTime } from './storeSql';

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/** Runs database work the way the team store does: tables migrated, failures as coded errors. */
export type GuardedWork = <T>(what: string, work: () => Promise<T>) => Promise<T>;

/**
 * The team store's rollback data: the content an update replaced, in the
 * team's database (rollback_objects, content-addressed; rollback_markers,
 * one per job and target), so a rollback works from any member's machine —
 * the same contract as LocalBackups in the data folder. The content is
 * stored gzipped: a row near TiDB's 6 MiB entry limit, kept with its
 * metadata as JSON (escapes make it longer), must still fit one entry.
 */
export class TidbRollbackData implements RollbackData {
  constructor(
    private readonly db: DbClient,
    private readonly guard: GuardedWork,
    private readonly clock: Clock,
  ) {}

  keep(jobId: string, target: string, previous: Buffer): Promise<{ path: string; undo(): Promise<void> }> {
    const targetHash = sha256(target);
    return this.guard('keep rollback data in', () =>
      this.db.transaction(async (sql) => {
        const [marker] = await sql.rows<{ object_hash: unknown }>(storeSql.rollbackMarker, [jobId, targetHash]);
        // An earlier attempt of this job kept the true original: that one stays.
        if (marker) return { path: referenceOf(String(marker.object_hash)), undo: async () => undefined };
        const hash = sha256(previous);
        const now = toSqlTime(this.clock.now().toISOString());
        const createdObject = (await sql.run(storeSql.insertRollbackObject, [hash, gzipSync(previous), now])).affectedRows > 0;
        await sql.run(storeSql.insertRollbackMarker, [jobId, targetHash, hash, now]);
        return {
          path: referenceOf(hash),
          undo: () =>
            this.guard('remove rollback data from', async () => {
              await this.db.run(storeSql.deleteRollbackMarker, [jobId, targetHash]);
              if (createdObject) await this.db.run(storeSql.deleteUnmarkedRollbackObject, [hash, hash]);
            }),
        };
      }),
    );
  }

  async read(reference: string): Promise<Buffer | undefined> {
    const hash = hashOf(reference);
    if (hash === undefined) throw new Error(`not a team store rollback reference: ${reference}`);
    const [row] = await this.guard('read rollback data from', () => this.db.rows<{ content: unknown }>(storeSql.rollbackObject, [hash]));
    if (row === undefined || !Buffer.isBuffer(row.content)) return undefined;
    return gunzipSync(row.content);
  }

  async release(jobId: string): Promise<void> {
    await this.guard('release rollback data in', () => this.db.run(storeSql.deleteRollbackMarkers, [jobId]));
  }

  async prune(referenced: ReadonlySet<string>): Promise<number> {
    const keep = new Set([...referenced].flatMap((r) => hashOf(r) ?? []));
    return this.guard('prune rollback data in', async () => {
      const unmarked = await this.db.rows<{ hash: unknown }>(storeSql.unmarkedRollbackObjects);
      let removed = 0;
      for (const { hash } of unmarked) {
        const value = String(hash);
        if (keep.has(value)) continue;
        removed += (await this.db.run(storeSql.deleteUnmarkedRollbackObject, [value, value])).affectedRows;
      }
      return removed;
    });
  }
}

function referenceOf(hash: string): string {
  return `${STORE_ROLLBACK_PREFIX}${hash}`;
}

function hashOf(reference: string): string | undefined {
  if (!isStoreRollbackReference(reference)) return undefined;
  const hash = reference.slice(STORE_ROLLBACK_PREFIX.length);
  return /^[0-9a-f]{64}$/.test(hash) ? hash : undefined;
}
