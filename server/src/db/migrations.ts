import { quoteIdentifier as q } from './identifiers';
import type { Sql } from './client';
import { errnoOf } from './errors';

/**
 * Versioned, idempotent migrations. Every applied version is recorded in
 * one ledger table, keyed by a scope (an artifact table's name, or a part
 * of the team store), so a run applies only what is missing and a second
 * run applies nothing. A change of shape is a new version, never an edit.
 * Plain MySQL syntax that TiDB and MariaDB accept.
 */

/** Where applied migrations are recorded, per scope. */
export const MIGRATIONS_TABLE = 'devguide_export_migrations';

export interface VersionedMigration {
  version: number;
  description: string;
  /** Statements run in order, each idempotent on its own (CREATE … IF NOT EXISTS and the like). */
  statements: readonly string[];
}

export interface AppliedMigration {
  version: number;
  description: string;
}

export const ledgerSql = {
  create: `CREATE TABLE IF NOT EXISTS ${q(MIGRATIONS_TABLE)} (
  ${q('table_name')} VARCHAR(64) NOT NULL,
  ${q('version')} INT NOT NULL,
  ${q('description')} VARCHAR(255) NOT NULL,
  ${q('applied_at')} DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (${q('table_name')}, ${q('version')})
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`,
  appliedVersions: `SELECT ${q('version')} AS version FROM ${q(MIGRATIONS_TABLE)} WHERE ${q('table_name')} = ?`,
  recordVersion: `INSERT IGNORE INTO ${q(MIGRATIONS_TABLE)} (${q('table_name')}, ${q('version')}, ${q('description')}) VALUES (?, ?, ?)`,
};

/** Applies the scope's missing migrations, oldest first; returns what it applied (empty when up to date). */
export async function applyMigrations(sql: Sql, scope: string, migrations: readonly VersionedMigration[]): Promise<AppliedMigration[]> {
  await sql.run(ledgerSql.create);
  const done = new Set((await sql.rows<{ version: number | string }>(ledgerSql.appliedVersions, [scope])).map((r) => Number(r.version)));
  const applied: AppliedMigration[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(migration.version)) continue;
    for (const statement of migration.statements) await sql.run(statement);
    await sql.run(ledgerSql.recordVersion, [scope, migration.version, migration.description]);
    applied.push({ version: migration.version, description: migration.description });
  }
  return applied;
}

/**
 * A check that the scope's tables are there and up to date, for a store to
 * run before its first statement: the ledger is read once per process and
 * missing versions are applied then (idempotent, so two processes starting
 * at once do no harm). A success is remembered; a failure is not.
 */
export function migratedOnce(sql: Sql, scope: string, migrations: readonly VersionedMigration[]): () => Promise<void> {
  const latest = Math.max(...migrations.map((m) => m.version));
  let ready: Promise<void> | undefined;
  return async () => {
    ready ??= (async () => {
      const applied = await sql.rows<{ version: unknown }>(ledgerSql.appliedVersions, [scope]).catch((error: unknown) => {
        // 1146: no ledger yet.
        if (errnoOf(error) === 1146) return [];
        throw error;
      });
      if (!applied.some((row) => Number(row.version) === latest)) await applyMigrations(sql, scope, migrations);
    })();
    try {
      await ready;
    } catch (error) {
      ready = undefined;
      throw error;
    }
  };
}
