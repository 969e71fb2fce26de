import { descriptorOf } from '../destinations/registry';
import { ExportError } from '../errors';
import type { DestinationSummary, TemplateSummary } from '../protocol';
import { templateJson, type JobNames } from './results';
import type { AppState } from './state';

/** What can be chosen: templates and destinations, each with whether it may be used now and why not. */
export class Catalog {
  private templateNames = new Map<string, string>();

  constructor(private readonly state: AppState) {}

  async templates(): Promise<TemplateSummary[]> {
    const list = await this.state.templates.list();
    this.templateNames = new Map(list.map((t) => [t.id, t.name]));
    return list.map((t) => templateJson(t, this.state.trust.trusted));
  }

  /** The settings' destinations and the team's shared ones (read again now). */
  async destinations(): Promise<DestinationSummary[]> {
    await this.state.team.refresh();
    return this.state.destinations().map((d) => {
      const descriptor = descriptorOf(d.type);
      const reason = this.state.destinationUnavailable(d);
      const shared = this.state.sharedDestination(d.id);
      return {
        ...(shared ? { shared: true, owner: shared.owner } : {}),
        id: d.id,
        type: d.type,
        name: d.name ?? d.id,
        risk: descriptor?.risk ?? 'high',
        remote: descriptor?.remote ?? true,
        secretFields: descriptor?.secretFields ?? [],
        workspaceDefined: this.state.trust.workspaceDestinationIds.has(d.id),
        enabled: reason === undefined,
        ...(reason === undefined ? {} : { reason }),
      };
    });
  }

  async testDestination(destinationId: string, signal?: AbortSignal): Promise<{ ok: boolean; message: string; latencyMs: number }> {
    const config = this.state.destinations().find((d) => d.id === destinationId);
    if (!config) throw new ExportError('DESTINATION_NOT_FOUND', `Unknown destination "${destinationId}".`, { recoverable: false });
    const destination = await this.state.openDestination(config, signal);
    try {
      return await destination.testConnection(signal);
    } finally {
      await destination.dispose();
    }
  }

  /** Names for job results: the template names last listed, the destinations as configured now. */
  readonly names: JobNames = {
    refresh: async (templateIds) => {
      // Reading every template file for each history refresh is not needed while the names are known.
      if (templateIds.every((id) => this.templateNames.has(id))) return;
      await this.templates().catch(() => undefined);
    },
    templateName: (id) => this.templateNames.get(id),
    destination: (id) => {
      const found = this.state.destinations().find((d) => d.id === id);
      return found ? { name: found.name ?? found.id, type: found.type } : undefined;
    },
  };
}
