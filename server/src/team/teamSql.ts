import { quoteIdentifier as q } from '../db/identifiers';
import type { VersionedMigration } from '../db/migrations';

/**
 * The team store's shared part, as SQL (issue 14 part B): the templates a
 * team published, the destinations it shares (their credentials sealed,
 * team/crypto.ts) and who may use them (seed §9.2). Plain MySQL that TiDB
 * and MariaDB accept; no foreign keys (TiDB enforces them only in recent
 * versions), so removing a destination removes its access rows in the same
 * transaction. Every statement with values is a prepared statement.
 *
 * The seed's Appendix A was not at hand; these shapes follow its names
 * (export_templates, export_destinations, destination_access) and what the
 * features need.
 */

export const TEAM_MIGRATION_SCOPE = 'team_shared';
export const TEMPLATES_TABLE = 'export_templates';
export const DESTINATIONS_TABLE = 'export_destinations';
export const ACCESS_TABLE = 'destination_access';
export const TEAM_TABLES = [TEMPLATES_TABLE, DESTINATIONS_TABLE, ACCESS_TABLE] as const;

const T = q(TEMPLATES_TABLE);
const D = q(DESTINATIONS_TABLE);
const A = q(ACCESS_TABLE);

export const TEAM_MIGRATIONS: readonly VersionedMigration[] = [
  {
    version: 1,
    description: 'export_templates, export_destinations, destination_access',
    statements: [
      `CREATE TABLE IF NOT EXISTS ${T} (
  template_id VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NULL,
  type VARCHAR(16) NOT NULL DEFAULT 'custom',
  output_format VARCHAR(32) NOT NULL,
  file_extension VARCHAR(32) NOT NULL,
  content MEDIUMTEXT NOT NULL,
  content_hash CHAR(64) NOT NULL,
  version INT NOT NULL DEFAULT 1,
  created_by VARCHAR(128) NOT NULL,
  updated_by VARCHAR(128) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (template_id),
  KEY idx_export_templates_created_by (created_by)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`,
      `CREATE TABLE IF NOT EXISTS ${D} (
  destination_id VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL,
  type VARCHAR(32) NOT NULL,
  config JSON NOT NULL,
  encrypted_credentials JSON NULL,
  version INT NOT NULL DEFAULT 1,
  created_by VARCHAR(128) NOT NULL,
  updated_by VARCHAR(128) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (destination_id),
  KEY idx_export_destinations_created_by (created_by)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`,
      `CREATE TABLE IF NOT EXISTS ${A} (
  destination_id VARCHAR(64) NOT NULL,
  user_id VARCHAR(128) NOT NULL,
  permission VARCHAR(8) NOT NULL,
  granted_by VARCHAR(128) NOT NULL,
  granted_at DATETIME(3) NOT NULL,
  PRIMARY KEY (destination_id, user_id),
  KEY idx_destination_access_user (user_id)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`,
    ],
  },
];

export const teamSql = {
  listTemplates: `SELECT template_id, name, description, type, output_format, file_extension, content, content_hash, version, created_by, updated_by, created_at, updated_at FROM ${T} ORDER BY template_id`,
  getTemplate: `SELECT template_id, name, description, type, output_format, file_extension, content, content_hash, version, created_by, updated_by, created_at, updated_at FROM ${T} WHERE template_id = ?`,
  insertTemplate: `INSERT INTO ${T} (template_id, name, description, type, output_format, file_extension, content, content_hash, version, created_by, updated_by, created_at, updated_at) VALUES (?, ?, ?, 'custom', ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
  /** Optimistic: only the version that was reviewed is replaced. */
  updateTemplate: `UPDATE ${T} SET name = ?, description = ?, output_format = ?, file_extension = ?, content = ?, content_hash = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE template_id = ? AND version = ?`,

  listDestinations: `SELECT destination_id, name, type, config, encrypted_credentials, version, created_by, updated_by, created_at, updated_at FROM ${D} ORDER BY destination_id`,
  getDestination: `SELECT destination_id, name, type, config, encrypted_credentials, version, created_by, updated_by, created_at, updated_at FROM ${D} WHERE destination_id = ?`,
  insertDestination: `INSERT INTO ${D} (destination_id, name, type, config, encrypted_credentials, version, created_by, updated_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
  updateDestination: `UPDATE ${D} SET name = ?, type = ?, config = ?, encrypted_credentials = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE destination_id = ? AND version = ?`,
  deleteDestination: `DELETE FROM ${D} WHERE destination_id = ?`,

  listAccess: `SELECT destination_id, user_id, permission, granted_by, granted_at FROM ${A} ORDER BY destination_id, user_id`,
  accessOf: `SELECT destination_id, user_id, permission, granted_by, granted_at FROM ${A} WHERE destination_id = ? ORDER BY user_id`,
  upsertAccess: `INSERT INTO ${A} (destination_id, user_id, permission, granted_by, granted_at) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE permission = VALUES(permission), granted_by = VALUES(granted_by), granted_at = VALUES(granted_at)`,
  deleteAccess: `DELETE FROM ${A} WHERE destination_id = ? AND user_id = ?`,
  deleteAccessOf: `DELETE FROM ${A} WHERE destination_id = ?`,
};

export interface TemplateRow {
  template_id: string;
  name: string;
  description: string | null;
  type: string;
  output_format: string;
  file_extension: string;
  content: string;
  content_hash: string;
  version: number | string;
  created_by: string;
  updated_by: string;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface DestinationRow {
  destination_id: string;
  name: string;
  type: string;
  /** mysql2 parses JSON columns on MySQL/TiDB; MariaDB's JSON is LONGTEXT and comes back as text. */
  config: unknown;
  encrypted_credentials: unknown;
  version: number | string;
  created_by: string;
  updated_by: string;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface AccessRow {
  destination_id: string;
  user_id: string;
  permission: string;
  granted_by: string;
  granted_at: Date | string;
}
