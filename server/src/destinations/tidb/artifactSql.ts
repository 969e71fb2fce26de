import { quoteIdentifier as q } from '../../db/identifiers';

/**
 * Every SQL statement of the TiDB destination, in one place, to be read
 * against TiDB's MySQL compatibility list: plain MySQL 5.7/8.0 syntax that
 * TiDB (≥ 6.x) and MariaDB accept — no stored procedures, triggers,
 * foreign keys or vendor-only types. Table and column names come in checked
 * (db/identifiers.ts) and backquoted; every value is a `?` parameter.
 */

/** The artifact table's columns as the destination uses them; optional ones are used when the table has them. */
export interface ArtifactColumns {
  filename: string;
  content: string;
  metadata?: string;
  id?: string;
  contentHash?: string;
  jobId?: string;
  createdAt?: string;
  updatedAt?: string;
}

/** The default names (a table created by migration 1 has them all). */
export const DEFAULT_COLUMNS: Required<ArtifactColumns> = {
  id: 'id',
  filename: 'filename',
  content: 'content',
  metadata: 'metadata',
  contentHash: 'content_hash',
  jobId: 'job_id',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

/** The columns `columnMappings` may rename. */
export interface MappableNames {
  filename: string;
  content: string;
  metadata: string;
}

export interface Migration {
  version: number;
  description: string;
  /** Statements, run in order; each idempotent. `names`: the configured names of the mappable columns. */
  statements(table: string, names: MappableNames): string[];
}

/**
 * The artifact table's migrations, oldest first. Version 1 creates the
 * table; a later change to its shape is a new entry here, never an edit.
 */
export const ARTIFACT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'create the artifact table',
    statements: (table, names) => [
      `CREATE TABLE IF NOT EXISTS ${q(table)} (
  ${q('id')} BIGINT NOT NULL AUTO_INCREMENT,
  ${q(names.filename)} VARCHAR(512) NOT NULL,
  ${q(names.content)} LONGTEXT NOT NULL,
  ${q(names.metadata)} JSON NULL,
  ${q('content_hash')} VARCHAR(80) NOT NULL,
  ${q('job_id')} VARCHAR(128) NULL,
  ${q('created_at')} DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  ${q('updated_at')} DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (${q('id')}),
  UNIQUE KEY ${q('uq_filename')} (${q(names.filename)})
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`,
    ],
  },
];

/** Reading the table's shape (information_schema, in the connection's database). */
export const inspectSql = {
  ping: 'SELECT 1 AS ok',
  columns: 'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
  uniqueIndexes:
    'SELECT INDEX_NAME AS indexName, COLUMN_NAME AS columnName FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND NON_UNIQUE = 0',
};

/** A row as read for a save, a review or a rollback. */
export interface ArtifactRow {
  row_id: string | number | null;
  content: string;
  metadata: unknown;
  job_id: string | null;
}

/** The data statements of one artifact table, with the values each takes in order. */
export function artifactSql(table: string, columns: ArtifactColumns) {
  const t = q(table);
  const c = (name: string | undefined) => (name === undefined ? 'NULL' : q(name));
  const selected = `${c(columns.id)} AS row_id, ${q(columns.content)} AS content, ${c(columns.metadata)} AS metadata, ${c(columns.jobId)} AS job_id`;
  const where = `${q(columns.filename)} = ?`;

  /** Written on every save: content, then the optional columns the table has. */
  const written: { column: string; value: (v: WrittenValues) => unknown }[] = [
    { column: columns.content, value: (v) => v.content },
    ...(columns.metadata ? [{ column: columns.metadata, value: (v: WrittenValues) => v.metadataJson }] : []),
    ...(columns.contentHash ? [{ column: columns.contentHash, value: (v: WrittenValues) => v.contentHash }] : []),
    ...(columns.jobId ? [{ column: columns.jobId, value: (v: WrittenValues) => v.jobId }] : []),
  ];
  const now = 'CURRENT_TIMESTAMP(3)';
  const insertColumns = [q(columns.filename), ...written.map((w) => q(w.column))];
  const insertValues = ['?', ...written.map(() => '?')];
  for (const stamp of [columns.createdAt, columns.updatedAt]) {
    if (stamp === undefined) continue;
    insertColumns.push(q(stamp));
    insertValues.push(now);
  }
  const updateSet = [...written.map((w) => `${q(w.column)} = ?`), ...(columns.updatedAt ? [`${q(columns.updatedAt)} = ${now}`] : [])];

  return {
    /** The row of a filename, locked until the transaction ends (TiDB: pessimistic lock, or checked at commit when optimistic). */
    lockByFilename: { sql: `SELECT ${selected} FROM ${t} WHERE ${where} FOR UPDATE`, values: (filename: string) => [filename] },
    /** The row of a filename, for the review's diff (no lock). */
    readByFilename: { sql: `SELECT ${selected} FROM ${t} WHERE ${where}`, values: (filename: string) => [filename] },
    insert: {
      sql: `INSERT INTO ${t} (${insertColumns.join(', ')}) VALUES (${insertValues.join(', ')})`,
      values: (filename: string, v: WrittenValues) => [filename, ...written.map((w) => w.value(v))],
    },
    update: {
      sql: `UPDATE ${t} SET ${updateSet.join(', ')} WHERE ${where}`,
      values: (filename: string, v: WrittenValues) => [...written.map((w) => w.value(v)), filename],
    },
    delete: { sql: `DELETE FROM ${t} WHERE ${where}`, values: (filename: string) => [filename] },
    /** Privilege probes for Test Destination: each touches no row. */
    probes: {
      select: `SELECT ${q(columns.filename)} FROM ${t} WHERE 1 = 0`,
      // The columns a save writes: a strict server checks their defaults even for no rows.
      insert: `INSERT INTO ${t} (${insertColumns.join(', ')}) SELECT ${insertColumns.join(', ')} FROM ${t} WHERE 1 = 0`,
      update: `UPDATE ${t} SET ${q(columns.content)} = ${q(columns.content)} WHERE 1 = 0`,
      delete: `DELETE FROM ${t} WHERE 1 = 0`,
    },
  };
}

export interface WrittenValues {
  content: string;
  /** The metadata as JSON text (a JSON column takes it as a string value). */
  metadataJson: string | null;
  contentHash: string;
  jobId: string | null;
}

export type ArtifactStatements = ReturnType<typeof artifactSql>;
