import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { basename, extname } from 'node:path';
import { destinationsOf } from '../config';
import { descriptorOf, destinationConfigSchema, type DestinationConfig } from '../destinations/registry';
import { ExportError, toExportError } from '../errors';
import type { Bin, Verdict } from '../governance/bin';
import { destinationChangeVerdict, templateChangeVerdict } from '../governance/changeRules';
import { reviewToJson, type ReviewJson } from '../governance/review';
import { isAtLeast } from '../governance/risk';
import { ID_PATTERN } from '../protocolLimits';
import { mayAdminister, mayExport, type Permission } from '../team/access';
import { sealSecret, STORE_KEY_SECRET, type SealedValue } from '../team/crypto';
import type { SharedDestinationRecord, TeamCatalog } from '../team/teamCatalog';
import { TEMPLATE_EXTENSION } from '../templates/registry';
import { teamTemplatePath } from '../team/teamTemplates';
import { createHash } from 'node:crypto';
import { analyzeTemplateFile } from '../templates/templateFile';
import type { SharedDestinationSummary } from '../protocol';
import type { AppState } from './state';

/**
 * The team's shared templates and destinations (issue 14 part B), through
 * the Bin like every other change: `templates publish` is a CreateTemplate
 * or UpdateTemplate review at critical risk (a shared template changes what
 * everyone exports); adding or replacing a shared destination is a
 * CreateDestination/UpdateDestination review at high risk or more, its
 * credentials sealed with the member's team key when it is applied.
 * Removing, granting and revoking are for the owner and admins, audited.
 */

export type { SharedDestinationSummary };

export interface TeamChangeResult {
  kind: 'template' | 'destination';
  id: string;
  version: number;
}

type OpenTeamChange =
  | { kind: 'template'; id: string; text: string; replacesVersion?: number }
  | { kind: 'destination'; id: string; config: Record<string, unknown>; secrets: Record<string, string>; replacesVersion?: number };

/** Ids a shared destination may not take: the team store's own credential id. */
const RESERVED_IDS = new Set([STORE_KEY_SECRET.id]);

export class Team {
  private readonly open = new Map<string, OpenTeamChange>();

  constructor(
    private readonly state: AppState,
    private readonly bin: Bin,
  ) {}

  has(transactionId: string): boolean {
    return this.open.has(transactionId);
  }

  /** Step 1 of `templates publish FILE`: the Bin's review of the template as the team would get it. */
  async reviewTemplateFile(path: string): Promise<ReviewJson> {
    if (extname(path) !== TEMPLATE_EXTENSION) throw new ExportError('INVALID_INPUT', `A template file ends in ${TEMPLATE_EXTENSION}: ${path}`, { recoverable: false });
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw new ExportError('TEMPLATE_NOT_FOUND', `Cannot read template file ${path}.`, { recoverable: false });
    }
    return this.reviewTemplate(basename(path, TEMPLATE_EXTENSION), text);
  }

  async reviewTemplate(id: string, text: string): Promise<ReviewJson> {
    const catalog = await this.state.team.requireCatalog('Publishing a template');
    if (!ID_PATTERN.test(id)) throw new ExportError('INVALID_INPUT', `"${id}" is not a template id (letters, digits, "-", "_", ".").`, { recoverable: false });
    const existing = await catalog.template(id);
    const verdict = templateChangeVerdict({
      type: existing ? 'UpdateTemplate' : 'CreateTemplate',
      id,
      path: teamTemplatePath(id),
      text,
      shared: true,
      existingIds: existing ? [id] : [],
      trusted: this.state.trust.trusted,
    });
    verdict.warnings = verdict.warnings.map((w) => (w.code === 'SHARED_TEMPLATE' ? { ...w, message: 'Published to the team store: everyone who uses it will export with this template.' } : w));
    verdict.impact.details = { ...verdict.impact.details, team: true, ...(existing ? { replaces_version: existing.version, created_by: existing.createdBy } : {}) };
    const review = await this.bin.preflight(verdict);
    if (!review.blocked) this.open.set(review.transaction_id, { kind: 'template', id, text, ...(existing ? { replacesVersion: existing.version } : {}) });
    return reviewToJson(review);
  }

  /**
   * Step 1 of `destinations add`: the Bin's review of a settings entry to
   * share, and the credentials to seal with it (from the environment or
   * the client's prompt; never shown, never stored in clear).
   */
  async reviewDestination(rawConfig: unknown, secrets: Record<string, string>, replace: boolean): Promise<ReviewJson> {
    await this.state.team.requireCatalog('Sharing a destination');
    const records = await this.state.team.refresh();
    const id = typeof rawConfig === 'object' && rawConfig !== null ? String((rawConfig as { id?: unknown }).id ?? '') : '';
    const existing = records.find((r) => r.id === id);
    if (replace && existing && !mayAdminister(existing, this.state.env.actor)) await this.refuse(existing, 'replace');
    const local = destinationsOf(this.state.config);
    // Sharing one of your own settings' entries as it is (Manage Destinations offers exactly those) is fine;
    // another entry under an id your settings use would be shadowed by yours on this machine: refused.
    const ownEntry = sameEntry(local.find((d) => d.id === id), rawConfig);
    const localIds = local.map((d) => d.id).filter((localId) => !(ownEntry && localId === id));
    const { config, ...verdict } = await destinationChangeVerdict({
      type: replace ? 'UpdateDestination' : 'CreateDestination',
      config: rawConfig,
      existingIds: replace ? records.map((r) => r.id) : [...localIds, ...records.map((r) => r.id), ...RESERVED_IDS],
      workspaceDefined: false,
      trusted: this.state.trust.trusted,
    });
    const shared = sharedVerdict(verdict, existing, Object.keys(secrets));
    if (ownEntry) {
      shared.warnings.push({
        code: 'OWN_SETTINGS_ENTRY',
        message: `Your settings define "${id}" too: on this machine you keep exporting with that entry and your own credential; the other members get the shared one.`,
      });
    }
    if (config && !shared.block) {
      const fields = descriptorOf(config.type)?.secretFields.map((f) => f.field) ?? [];
      const unknown = Object.keys(secrets).filter((f) => !fields.includes(f));
      if (unknown.length > 0) {
        shared.block = { reason: 'DESTINATION_CONFIG_INVALID', message: `A ${config.type} destination has no credential ${unknown.map((f) => `"${f}"`).join(', ')} (it has: ${fields.join(', ') || 'none'}).` };
      }
    }
    // The key is checked now, so a member without it learns before accepting, not after.
    if (Object.keys(secrets).length > 0 && !shared.block) await this.state.team.masterKey();
    const review = await this.bin.preflight(shared);
    if (!review.blocked && config) {
      // The access list is the team's (destination_access), not a settings key.
      const { allowedUsers: _ignored, ...entry } = config as Record<string, unknown> & { allowedUsers?: unknown };
      this.open.set(review.transaction_id, { kind: 'destination', id: config.id, config: entry, secrets: { ...secrets }, ...(existing ? { replacesVersion: existing.version } : {}) });
    }
    return reviewToJson(review);
  }

  /**
   * The language server's share: the credentials are the member's own for
   * this id (SecretStorage, asked for with devguide/getSecret), as the CLI's
   * are its DEVGUIDE_SECRET_<ID>_<FIELD>; they never travel in a request.
   */
  async reviewSharedFromOwnCredentials(rawConfig: unknown, replace: boolean): Promise<ReviewJson> {
    const { id, type } = (typeof rawConfig === 'object' && rawConfig !== null ? rawConfig : {}) as { id?: unknown; type?: unknown };
    const secrets: Record<string, string> = {};
    if (typeof id === 'string' && typeof type === 'string') {
      for (const { field } of descriptorOf(type)?.secretFields ?? []) {
        const value = await this.state.env.getSecret(id, field);
        if (value !== undefined && value !== '') secrets[field] = value;
      }
    }
    return this.reviewDestination(rawConfig, secrets, replace);
  }

  /** Step 2: an accepted change is written to the team store and committed (or rolled back when the write fails). */
  async apply(transactionId: string, explicit: boolean): Promise<TeamChangeResult> {
    const change = this.open.get(transactionId);
    if (!change) throw new ExportError('INVALID_INPUT', `No open team change with transaction id ${transactionId}.`, { recoverable: false });
    await this.bin.accept(transactionId, explicit);
    this.open.delete(transactionId);
    try {
      const catalog = await this.state.team.requireCatalog('Applying a team change');
      const result = change.kind === 'template' ? await this.writeTemplate(catalog, change) : await this.writeDestination(catalog, change);
      await this.bin.commit(transactionId, { [change.kind]: change.id, version: result.version });
      if (change.kind === 'destination') {
        await this.bin.security(change.replacesVersion === undefined ? 'destination_created' : 'destination_updated', 'info', `destination:${change.id}`, { shared: true, credential_fields: Object.keys(change.secrets) });
        await this.state.team.refresh();
      }
      return result;
    } catch (thrown) {
      await this.bin.rollback(transactionId, { error_code: toExportError(thrown).code }).catch(() => undefined);
      throw toExportError(thrown);
    }
  }

  async reject(transactionId: string, reason?: string): Promise<null> {
    this.open.delete(transactionId);
    await this.bin.reject(transactionId, reason);
    return null;
  }

  async listDestinations(): Promise<SharedDestinationSummary[]> {
    await this.state.team.requireCatalog('Listing shared destinations');
    const records = await this.state.team.refresh();
    const localIds = new Set(destinationsOf(this.state.config).map((d) => d.id));
    const actor = this.state.env.actor;
    return records.map((r) => ({
      id: r.id,
      name: r.name,
      type: r.type,
      owner: r.owner,
      version: r.version,
      updated_by: r.updatedBy,
      updated_at: r.updatedAt,
      credential_fields: Object.keys(r.credentials).sort(),
      access: r.grants.map((g) => ({ user: g.userId, permission: g.permission, granted_by: g.grantedBy })),
      can_export: mayExport(r, actor),
      can_administer: mayAdminister(r, actor),
      shadowed: localIds.has(r.id),
    }));
  }

  /** Removes a shared destination (owner or admin); the caller has confirmed it (`--yes`, a modal). */
  async removeDestination(id: string): Promise<null> {
    const record = await this.record(id);
    if (!mayAdminister(record, this.state.env.actor)) await this.refuse(record, 'remove');
    const catalog = await this.state.team.requireCatalog('Removing a shared destination');
    await catalog.removeDestination(id);
    await this.bin.auditAction('RemoveSharedDestination', `destination:${id}`, 'success', { destination: id, destination_type: record.type });
    await this.bin.security('destination_updated', 'info', `destination:${id}`, { shared: true, removed: true });
    await this.state.team.refresh();
    return null;
  }

  async grant(id: string, user: string, permission: Permission): Promise<null> {
    const record = await this.record(id);
    if (!mayAdminister(record, this.state.env.actor)) await this.refuse(record, 'grant');
    const catalog = await this.state.team.requireCatalog('Granting access');
    await catalog.grant(id, user, permission, this.state.env.actor);
    await this.bin.auditAction('GrantDestinationAccess', `destination:${id}`, 'success', { destination: id, user, permission });
    await this.state.team.refresh();
    return null;
  }

  async revoke(id: string, user: string): Promise<{ revoked: boolean }> {
    const record = await this.record(id);
    if (!mayAdminister(record, this.state.env.actor)) await this.refuse(record, 'revoke');
    const catalog = await this.state.team.requireCatalog('Revoking access');
    const revoked = await catalog.revoke(id, user);
    await this.bin.auditAction('RevokeDestinationAccess', `destination:${id}`, 'success', { destination: id, user, revoked });
    await this.state.team.refresh();
    return { revoked };
  }

  async dispose(): Promise<void> {
    this.open.clear();
    await this.state.team.close();
  }

  private async record(id: string): Promise<SharedDestinationRecord> {
    await this.state.team.requireCatalog('Changing a shared destination');
    const records = await this.state.team.refresh();
    const record = records.find((r) => r.id === id);
    if (record) return record;
    throw new ExportError('DESTINATION_NOT_FOUND', `The team store has no shared destination "${id}". Shared: ${records.map((r) => r.id).join(', ') || 'none'}.`, { recoverable: false });
  }

  private async refuse(record: SharedDestinationRecord, what: string): Promise<never> {
    const actor = this.state.env.actor;
    await this.bin.security('access_denied', 'warning', `destination:${record.id}`, { destination: record.id, use: what, owner: record.owner });
    throw new ExportError('PERMISSION_DENIED', `User "${actor}" may not ${what} the shared destination "${record.id}": only its owner (${record.owner}) and admins may.`, {
      details: { destination: record.id, actor, owner: record.owner },
      recoverable: false,
    });
  }

  private async writeTemplate(catalog: TeamCatalog, change: Extract<OpenTeamChange, { kind: 'template' }>): Promise<TeamChangeResult> {
    const definition = analyzeTemplateFile(change.text, { id: change.id, path: teamTemplatePath(change.id), builtin: false }).definition;
    if (!definition) throw new ExportError('TEMPLATE_INVALID', `Template "${change.id}" does not compile.`, { recoverable: false });
    const saved = await catalog.saveTemplate({
      id: change.id,
      name: definition.name,
      ...(definition.description === undefined ? {} : { description: definition.description }),
      output: definition.output,
      extension: definition.extension,
      text: change.text,
      hash: createHash('sha256').update(change.text).digest('hex'),
      actor: this.state.env.actor,
      ...(change.replacesVersion === undefined ? {} : { replacesVersion: change.replacesVersion }),
    });
    return { kind: 'template', id: saved.id, version: saved.version };
  }

  private async writeDestination(catalog: TeamCatalog, change: Extract<OpenTeamChange, { kind: 'destination' }>): Promise<TeamChangeResult> {
    const credentials: Record<string, SealedValue> = {};
    const fields = Object.entries(change.secrets);
    if (fields.length > 0) {
      const key = await this.state.team.masterKey();
      for (const [field, value] of fields) credentials[field] = sealSecret(key, change.id, field, value);
    }
    const type = String(change.config['type']);
    await catalog.saveDestination({
      id: change.id,
      name: typeof change.config['name'] === 'string' ? change.config['name'] : change.id,
      type,
      config: change.config,
      credentials,
      actor: this.state.env.actor,
      ...(change.replacesVersion === undefined ? {} : { replacesVersion: change.replacesVersion }),
    });
    const saved = await catalog.destination(change.id);
    return { kind: 'destination', id: change.id, version: saved?.version ?? 1 };
  }
}

/** Whether a destination entry to share is the settings' entry of that id as it stands (both read by the same schema, so defaults match). */
function sameEntry(settingsEntry: DestinationConfig | undefined, rawConfig: unknown): boolean {
  if (!settingsEntry) return false;
  const parsed = destinationConfigSchema.safeParse(rawConfig);
  if (!parsed.success) return false;
  const { allowedUsers: _a, ...mine } = settingsEntry as DestinationConfig & { allowedUsers?: unknown };
  const { allowedUsers: _b, ...theirs } = parsed.data as DestinationConfig & { allowedUsers?: unknown };
  return isDeepStrictEqual(mine, theirs);
}

/** A shared destination changes every member's exports: high risk at least, always an explicit Accept. */
function sharedVerdict(verdict: Verdict, existing: SharedDestinationRecord | undefined, sealedFields: string[]): Verdict {
  const risk = isAtLeast(verdict.impact.risk_level, 'high') ? verdict.impact.risk_level : 'high';
  return {
    ...verdict,
    impact: { ...verdict.impact, risk_level: risk, affected_users: 2, details: { ...verdict.impact.details, shared: true, ...(existing ? { replaces_version: existing.version, owner: existing.owner } : {}) } },
    warnings: [
      ...verdict.warnings,
      { code: 'SHARED_DESTINATION', message: 'Stored in the team store: its owner and everyone granted write or admin export with it.' },
      sealedFields.length > 0
        ? { code: 'SHARED_CREDENTIALS', message: `Your credential(s) ${sealedFields.join(', ')} will be sealed with the team key and used by everyone allowed to export there.` }
        : { code: 'NO_SHARED_CREDENTIALS', message: 'No credential is shared: each member uses their own.' },
    ],
    forceAccept: true,
  };
}
