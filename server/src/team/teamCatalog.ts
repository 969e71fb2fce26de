import type { TidbStoreConfig } from '../config';
import type { DbClient, Sql } from '../db/client';
import { dbFailure } from '../db/errors';
import { applyMigrations, migratedOnce, type AppliedMigration } from '../db/migrations';
import { namingStoreCredential } from '../db/storeDb';
import { ExportError } from '../errors';
import { permissionSchema, type AccessGrant, type Permission } from './access';
import { sealedValueSchema, type SealedValue } from './crypto';
import { teamSql, TEAM_MIGRATION_SCOPE, TEAM_MIGRATIONS, type AccessRow, type DestinationRow, type TemplateRow } from './teamSql';

/**
 * The team's shared templates, destinations and access lists in the team
 * store's database (issue 14 part B): rows in, records out. It knows no
 * rules — who may do what is access.ts, what is sealed is crypto.ts, and
 * the Bin's review happens before any write (app/team.ts). Every write
 * names the version it replaces, so a change reviewed against an older
 * row is a CONFLICT, never a silent overwrite.
 */

export interface TeamTemplate {
  id: string;
  name: string;
  description?: string;
  output: string;
  extension: string;
  /** The whole .hbs file. */
  text: string;
  hash: string;
  version: number;
  createdBy: string;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface SharedDestinationRecord {
  id: string;
  name: string;
  type: string;
  /** The settings entry, without secrets (checked by the Bin before it was stored). */
  config: Record<string, unknown>;
  /** Sealed credentials by field; never clear values. */
  credentials: Record<string, SealedValue>;
  version: number;
  owner: string;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
  grants: AccessGrant[];
}

export interface TemplateWrite {
  id: string;
  name: string;
  description?: string;
  output: string;
  extension: string;
  text: string;
  hash: string;
  actor: string;
  /** undefined: a new template; else the version that was reviewed. */
  replacesVersion?: number;
}

export interface DestinationWrite {
  id: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  credentials: Record<string, SealedValue>;
  actor: string;
  replacesVersion?: number;
}

export class TeamCatalog {
  /** The shared tables are there (migrated at first use, as the store's records are): the team's first member need not run the CLI first. */
  private readonly tablesReady: () => Promise<void>;

  constructor(
    private readonly db: DbClient,
    /** Where the store is, for error messages (never the password). */
    private readonly where: Pick<TidbStoreConfig, 'host' | 'port' | 'user' | 'database'>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.tablesReady = migratedOnce(db, TEAM_MIGRATION_SCOPE, TEAM_MIGRATIONS);
  }

  /** The shared tables brought up to date (`devguide-export db migrate`). */
  async migrate(): Promise<AppliedMigration[]> {
    return this.call('create the team tables', (sql) => applyMigrations(sql, TEAM_MIGRATION_SCOPE, TEAM_MIGRATIONS), { tables: false });
  }

  async templates(): Promise<TeamTemplate[]> {
    const rows = await this.call('read the team templates', (sql) => sql.rows<TemplateRow>(teamSql.listTemplates));
    return rows.map(templateOf);
  }

  async template(id: string): Promise<TeamTemplate | undefined> {
    const rows = await this.call('read a team template', (sql) => sql.rows<TemplateRow>(teamSql.getTemplate, [id]));
    return rows[0] === undefined ? undefined : templateOf(rows[0]);
  }

  async saveTemplate(write: TemplateWrite): Promise<TeamTemplate> {
    const at = this.now();
    await this.call('publish a team template', async (sql) => {
      if (write.replacesVersion === undefined) {
        await insertOnce(() => sql.run(teamSql.insertTemplate, [write.id, write.name, write.description ?? null, write.output, write.extension, write.text, write.hash, write.actor, write.actor, at, at]), `template "${write.id}"`);
        return;
      }
      const result = await sql.run(teamSql.updateTemplate, [write.name, write.description ?? null, write.output, write.extension, write.text, write.hash, write.actor, at, write.id, write.replacesVersion]);
      if (result.affectedRows !== 1) throw changedSinceReview(`template "${write.id}"`);
    });
    const saved = await this.template(write.id);
    if (!saved) throw changedSinceReview(`template "${write.id}"`);
    return saved;
  }

  async destinations(): Promise<SharedDestinationRecord[]> {
    return this.call('read the shared destinations', async (sql) => {
      const [rows, access] = [await sql.rows<DestinationRow>(teamSql.listDestinations), await sql.rows<AccessRow>(teamSql.listAccess)];
      return rows.map((row) => destinationOf(row, access.filter((a) => a.destination_id === row.destination_id)));
    });
  }

  async destination(id: string): Promise<SharedDestinationRecord | undefined> {
    return this.call('read a shared destination', async (sql) => {
      const [row] = await sql.rows<DestinationRow>(teamSql.getDestination, [id]);
      return row === undefined ? undefined : destinationOf(row, await sql.rows<AccessRow>(teamSql.accessOf, [id]));
    });
  }

  async saveDestination(write: DestinationWrite): Promise<void> {
    const at = this.now();
    const config = JSON.stringify(write.config);
    const credentials = Object.keys(write.credentials).length === 0 ? null : JSON.stringify(write.credentials);
    await this.call('store a shared destination', async (sql) => {
      if (write.replacesVersion === undefined) {
        await insertOnce(() => sql.run(teamSql.insertDestination, [write.id, write.name, write.type, config, credentials, write.actor, write.actor, at, at]), `destination "${write.id}"`);
        return;
      }
      const result = await sql.run(teamSql.updateDestination, [write.name, write.type, config, credentials, write.actor, at, write.id, write.replacesVersion]);
      if (result.affectedRows !== 1) throw changedSinceReview(`destination "${write.id}"`);
    });
  }

  /** Removes the destination and its access list together. */
  async removeDestination(id: string): Promise<boolean> {
    return this.call('remove a shared destination', async () =>
      this.db.transaction(async (sql) => {
        await sql.run(teamSql.deleteAccessOf, [id]);
        return (await sql.run(teamSql.deleteDestination, [id])).affectedRows === 1;
      }),
    );
  }

  async grant(destinationId: string, userId: string, permission: Permission, grantedBy: string): Promise<void> {
    await this.call('grant access to a shared destination', (sql) => sql.run(teamSql.upsertAccess, [destinationId, userId, permission, grantedBy, this.now()]));
  }

  async revoke(destinationId: string, userId: string): Promise<boolean> {
    return this.call('revoke access to a shared destination', async (sql) => (await sql.run(teamSql.deleteAccess, [destinationId, userId])).affectedRows > 0);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  private async call<T>(what: string, work: (sql: Sql) => Promise<T>, options: { tables?: boolean } = {}): Promise<T> {
    try {
      if (options.tables !== false) await this.tablesReady();
      return await work(this.db);
    } catch (thrown) {
      const error = dbFailure(thrown, {
        what,
        ...this.where,
        passwordHint: 'Set the team store password: "Set Destination Credential" for "store" in VS Code, DEVGUIDE_SECRET_STORE_PASSWORD for the CLI.',
        missingTable: (message) =>
          new ExportError('STORE_FAILED', `The team store has no shared tables yet: run "devguide-export db migrate" with the team store's config (${message}).`, {
            recoverable: false,
          }),
      });
      throw namingStoreCredential(error);
    }
  }
}

async function insertOnce(insert: () => Promise<unknown>, what: string): Promise<void> {
  try {
    await insert();
  } catch (thrown) {
    // 1062: someone else created it since the review.
    if ((thrown as { errno?: unknown } | null)?.errno === 1062) throw changedSinceReview(what);
    throw thrown;
  }
}

function changedSinceReview(what: string): ExportError {
  return new ExportError('CONFLICT', `The team's ${what} was changed by someone else since this review. Review it again.`, { recoverable: true });
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(`${value.replace(' ', 'T')}Z`).toISOString();
}

/** MariaDB returns JSON columns as text, MySQL/TiDB as parsed values. */
function json(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

function templateOf(row: TemplateRow): TeamTemplate {
  return {
    id: row.template_id,
    name: row.name,
    ...(row.description ? { description: row.description } : {}),
    output: row.output_format,
    extension: row.file_extension,
    text: row.content,
    hash: row.content_hash,
    version: Number(row.version),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function destinationOf(row: DestinationRow, access: AccessRow[]): SharedDestinationRecord {
  const config = json(row.config);
  const sealed = json(row.encrypted_credentials);
  const credentials: Record<string, SealedValue> = {};
  if (sealed && typeof sealed === 'object') {
    for (const [field, value] of Object.entries(sealed as Record<string, unknown>)) {
      // A value that is not even shaped like a sealed one is kept as is: opening it is refused with a coded error (crypto.ts).
      credentials[field] = (sealedValueSchema.safeParse(value).success ? value : { broken: value }) as SealedValue;
    }
  }
  return {
    id: row.destination_id,
    name: row.name,
    type: row.type,
    config: config && typeof config === 'object' && !Array.isArray(config) ? (config as Record<string, unknown>) : {},
    credentials,
    version: Number(row.version),
    owner: row.created_by,
    updatedBy: row.updated_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    grants: access.flatMap((a) => {
      const permission = permissionSchema.safeParse(a.permission);
      return permission.success ? [{ userId: a.user_id, permission: permission.data, grantedBy: a.granted_by, grantedAt: iso(a.granted_at) }] : [];
    }),
  };
}
