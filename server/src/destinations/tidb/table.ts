import type { Sql } from '../../db/client';
import { applyMigrations } from '../../db/migrations';
import { ExportError } from '../../errors';
import type { TidbDestinationConfig } from '../tidbDescriptor';
import {
  ARTIFACT_MIGRATIONS,
  DEFAULT_COLUMNS,
  artifactSql,
  inspectSql,
  type ArtifactColumns,
  type ArtifactStatements,
  type MappableNames,
} from './artifactSql';

/**
 * The artifact table as it is: missing (the first save creates it, through
 * the versioned migrations), or present with the columns the destination
 * can use. A table of another shape is used through `columnMappings`; a
 * column it needs and does not have is a clear DESTINATION_CONFIG_INVALID.
 */

export interface ArtifactTable {
  name: string;
  exists: boolean;
  columns: ArtifactColumns;
  statements: ArtifactStatements;
  /** Whether a unique index covers the filename column alone (two exporters cannot both create a row then). */
  filenameUnique: boolean;
}

export function mappableNames(config: TidbDestinationConfig): MappableNames {
  return {
    filename: config.columnMappings?.filename ?? DEFAULT_COLUMNS.filename,
    content: config.columnMappings?.content ?? DEFAULT_COLUMNS.content,
    metadata: config.columnMappings?.metadata ?? DEFAULT_COLUMNS.metadata,
  };
}

export async function inspectArtifactTable(sql: Sql, config: TidbDestinationConfig): Promise<ArtifactTable> {
  const names = mappableNames(config);
  const rows = await sql.rows<{ name: string }>(inspectSql.columns, [config.table]);
  if (rows.length === 0) {
    // What migration 1 will create.
    const columns: ArtifactColumns = { ...DEFAULT_COLUMNS, ...names };
    return { name: config.table, exists: false, columns, statements: artifactSql(config.table, columns), filenameUnique: true };
  }
  // MySQL compares column names without regard to case; use the table's own spelling.
  const actual = new Map(rows.map((r) => [String(r.name).toLowerCase(), String(r.name)]));
  const find = (name: string) => actual.get(name.toLowerCase());
  const missing = [names.filename, names.content, ...(config.columnMappings?.metadata ? [names.metadata] : [])].filter((n) => find(n) === undefined);
  if (missing.length > 0) {
    throw new ExportError(
      'DESTINATION_CONFIG_INVALID',
      `Table ${config.database}.${config.table} has no column ${missing.map((m) => `"${m}"`).join(', ')} (its columns: ${[...actual.values()].join(', ')}). Name the columns that hold the filename, content and metadata in "columnMappings" of destination "${config.id}".`,
      { details: { table: config.table, missing, columns: [...actual.values()] }, recoverable: false },
    );
  }
  const optional = (name: string) => find(name);
  const columns: ArtifactColumns = {
    filename: find(names.filename) as string,
    content: find(names.content) as string,
  };
  const assign = (key: keyof ArtifactColumns, name: string | undefined) => {
    if (name !== undefined) columns[key] = name;
  };
  assign('metadata', optional(names.metadata));
  assign('id', optional(DEFAULT_COLUMNS.id));
  assign('contentHash', optional(DEFAULT_COLUMNS.contentHash));
  assign('jobId', optional(DEFAULT_COLUMNS.jobId));
  assign('createdAt', optional(DEFAULT_COLUMNS.createdAt));
  assign('updatedAt', optional(DEFAULT_COLUMNS.updatedAt));
  const indexes = await sql.rows<{ indexName: string; columnName: string }>(inspectSql.uniqueIndexes, [config.table]);
  const byIndex = new Map<string, string[]>();
  for (const r of indexes) byIndex.set(String(r.indexName), [...(byIndex.get(String(r.indexName)) ?? []), String(r.columnName).toLowerCase()]);
  const filenameUnique = [...byIndex.values()].some((cols) => cols.length === 1 && cols[0] === columns.filename.toLowerCase());
  return { name: config.table, exists: true, columns, statements: artifactSql(config.table, columns), filenameUnique };
}

/** Applies the migrations not yet recorded for this table; idempotent (and safe when two run at once). Returns what it applied. */
export async function migrateArtifactTable(sql: Sql, config: TidbDestinationConfig): Promise<{ version: number; description: string }[]> {
  // The ledger's scope is the artifact table's name (one database may hold several).
  const names = mappableNames(config);
  return applyMigrations(
    sql,
    config.table,
    ARTIFACT_MIGRATIONS.map((m) => ({ version: m.version, description: m.description, statements: m.statements(config.table, names) })),
  );
}
