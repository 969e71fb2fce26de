import * as vscode from 'vscode';
import { destinationRefsOf, driveTokenUrlOf, workspaceDestinationIdsOf, type DestinationRef } from './settingsValues';
import { databaseSourcesOf, type DatabaseSourceRef } from './transcript/databaseSources';

/**
 * Typed getters for the `devguideExport.*` settings the client itself needs.
 * The language server reads the whole section through workspace/configuration
 * (the client owns settings; server/configurationSync.ts answers those requests).
 */

export const SETTINGS_SECTION = 'devguideExport';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION);
}

export const settings = {
  defaultTemplate: (): string => section().get<string>('defaultTemplate') || 'yaml-markdown',
  defaultDestination: (): string => section().get<string>('defaultDestination') || 'local',
  templatesDir: (): string => section().get<string>('templatesDir') || '.devguide/templates',
  /** Destinations in effect (in Restricted Mode VS Code leaves out the workspace's). */
  destinations: (): DestinationRef[] => destinationRefsOf(section().get('destinations')),
  /** Databases whose chat_messages tables Export Transcript… offers (Restricted Mode hides the workspace's). */
  sources: (): DatabaseSourceRef[] => databaseSourcesOf(section().get('sources')),
  /** Ids the workspace defines; empty in Restricted Mode, where VS Code hides them (see restrictedSettings.ts). */
  workspaceDestinationIds: (): string[] => workspaceDestinationIdsOf(section().inspect('destinations')),
  /** The OAuth client of "Sign in to Google Drive": user settings only (application scope), never a workspace's. */
  googleDriveClient: (): { clientId?: string; clientSecret?: string } => {
    const clientId = section().inspect<string>('googleDrive.clientId')?.globalValue;
    const clientSecret = section().inspect<string>('googleDrive.clientSecret')?.globalValue;
    return { ...(clientId ? { clientId } : {}), ...(clientSecret ? { clientSecret } : {}) };
  },
  /** The team store's address (`user@host:port/database`) when `devguideExport.store` is a TiDB store; user settings only. */
  teamStore: (): string | undefined => {
    const store = section().inspect<unknown>('store')?.globalValue;
    if (typeof store !== 'object' || store === null) return undefined;
    const { type, host, port, user, database } = store as Record<string, unknown>;
    if (type !== 'tidb' || typeof host !== 'string' || typeof user !== 'string' || typeof database !== 'string') return undefined;
    return `${user}@${host}:${typeof port === 'number' ? port : 4000}/${database}`;
  },
  /** A Drive destination's tokenUrl, as the settings in effect define it. */
  driveTokenUrl: (destinationId: string): string | undefined => driveTokenUrlOf(section().get('destinations'), destinationId),
};

export function affectsDestinations(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${SETTINGS_SECTION}.destinations`);
}
