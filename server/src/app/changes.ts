import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Bin } from '../governance/bin';
import { destinationChangeVerdict, templateChangeVerdict } from '../governance/changeRules';
import { reviewToJson } from '../governance/review';
import type { DestinationConfig } from '../config';
import { atomicWriteFile } from '../destinations/atomicWrite';
import { ExportError, toExportError } from '../errors';
import type { ChangeParams, ReviewJson } from '../protocol';
import type { AppState } from './state';

/**
 * Template and destination changes through the Bin (seed §5.1): review,
 * then apply — a template is written here; a destination's settings are
 * written by the client, which then reports back (finish) so the Bin can
 * commit or roll back. Open changes live for the process, like export reviews.
 */

type OpenChange =
  | { kind: 'template'; path: string; text: string }
  | { kind: 'destination'; config: DestinationConfig; type: 'CreateDestination' | 'UpdateDestination'; accepted: boolean };

export type AppliedChange = { kind: 'template'; path: string } | { kind: 'destination'; config: Record<string, unknown> };

export class Changes {
  private readonly open = new Map<string, OpenChange>();

  constructor(
    private readonly state: AppState,
    private readonly bin: Bin,
  ) {}

  async review(change: ChangeParams): Promise<ReviewJson> {
    return change.kind === 'template' ? this.reviewTemplate(change) : this.reviewDestination(change);
  }

  async apply(transactionId: string, explicit: boolean): Promise<AppliedChange> {
    const change = this.open.get(transactionId);
    if (!change || (change.kind === 'destination' && change.accepted)) {
      throw new ExportError('INVALID_INPUT', `No open change with transaction id ${transactionId}.`, { recoverable: false });
    }
    await this.bin.accept(transactionId, explicit);
    if (change.kind === 'destination') {
      change.accepted = true;
      return { kind: 'destination', config: { ...change.config } };
    }
    this.open.delete(transactionId);
    try {
      await mkdir(dirname(change.path), { recursive: true });
      await atomicWriteFile(change.path, change.text);
      await this.bin.commit(transactionId, { path: change.path });
    } catch (thrown) {
      await this.bin.rollback(transactionId, { error_code: toExportError(thrown).code }).catch(() => undefined);
      throw toExportError(thrown);
    }
    return { kind: 'template', path: change.path };
  }

  /** True when the transaction is an open change of this kind. */
  has(transactionId: string): boolean {
    return this.open.has(transactionId);
  }

  /** A person declined the change. */
  async reject(transactionId: string, reason?: string): Promise<null> {
    this.open.delete(transactionId);
    await this.bin.reject(transactionId, reason);
    return null;
  }

  /** The client saved (ok) or could not save an accepted destination change. */
  async finish(transactionId: string, ok: boolean, message?: string): Promise<null> {
    const change = this.open.get(transactionId);
    if (!change || change.kind !== 'destination' || !change.accepted) {
      throw new ExportError('INVALID_INPUT', `No accepted destination change with transaction id ${transactionId}.`, { recoverable: false });
    }
    this.open.delete(transactionId);
    if (!ok) {
      await this.bin.rollback(transactionId, { reason: message ?? 'settings not saved' });
      return null;
    }
    await this.bin.commit(transactionId, { destination: change.config.id });
    const event = change.type === 'CreateDestination' ? 'destination_created' : 'destination_updated';
    await this.bin.security(event, 'info', `destination:${change.config.id}`, { destination_type: change.config.type });
    return null;
  }

  private async reviewTemplate(change: Extract<ChangeParams, { kind: 'template' }>): Promise<ReviewJson> {
    const { workspaceRoot } = this.state.env;
    const path = join(resolve(workspaceRoot, this.state.config.templatesDir), `${change.id}.hbs`);
    const listed = (await this.state.templates.list()).filter((t) => t.source === 'workspace').map((t) => t.id);
    // A team template of this id hides the workspace file from the list; the file is still there to overwrite.
    const existingIds = existsSync(path) && !listed.includes(change.id) ? [...listed, change.id] : listed;
    const review = await this.bin.preflight(
      templateChangeVerdict({ ...change, path, shared: isInside(workspaceRoot, path), existingIds, trusted: this.state.trust.trusted }),
    );
    if (!review.blocked) this.open.set(review.transaction_id, { kind: 'template', path, text: change.text });
    return reviewToJson(review);
  }

  private async reviewDestination(change: Extract<ChangeParams, { kind: 'destination' }>): Promise<ReviewJson> {
    const { config, ...verdict } = await destinationChangeVerdict({
      type: change.type,
      config: change.config ?? null,
      existingIds: this.state.destinations().map((d) => d.id),
      workspaceDefined: change.workspaceDefined,
      trusted: this.state.trust.trusted,
    });
    const review = await this.bin.preflight(verdict);
    if (!review.blocked && config) this.open.set(review.transaction_id, { kind: 'destination', config, type: change.type, accepted: false });
    return reviewToJson(review);
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
