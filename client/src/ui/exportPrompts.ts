import * as vscode from 'vscode';
import { ListDestinationsRequest, ListTemplatesRequest, type DestinationSummary, type TemplateSummary } from '../../../server/src/protocol';
import type { Ctx } from '../context';
import { destinationsInWorkspaceFiles } from '../restrictedSettings';
import { settings } from '../settings';
import { explainRestrictedMode } from '../workspaceTrust';

/**
 * The choices of an export that the review panel does not start without:
 * the defaults (template, destination), and the pickers asked only where a
 * default is missing or unusable. Each picker returns undefined when the
 * person cancels (Escape).
 */

const TITLE = 'DevGuide Export';

const DESTINATION_ICON: Readonly<Record<string, string>> = {
  local: '$(folder)',
  github: '$(github)',
  tidb: '$(database)',
  drive: '$(cloud)',
};

export function listTemplates(ctx: Ctx): Promise<TemplateSummary[]> {
  return ctx.server.request(ListTemplatesRequest.type, {});
}

export async function pickTemplate(ctx: Ctx, listed?: readonly TemplateSummary[]): Promise<string | undefined> {
  const templates = listed ?? (await listTemplates(ctx));
  const preferred = settings.defaultTemplate();
  const ordered = [...templates].sort((a, b) => Number(b.id === preferred) - Number(a.id === preferred));
  type Item = vscode.QuickPickItem & { templateId: string; path: string; problem?: string; disabledReason?: string };
  const items: Item[] = ordered.map((t) => {
    const icon = !t.enabled ? '$(circle-slash)' : !t.valid ? '$(error)' : t.source === 'workspace' ? '$(file-code)' : t.source === 'team' ? '$(organization)' : '$(file)';
    const detail = !t.enabled ? `Disabled: ${t.reason ?? 'not available'}` : !t.valid ? `Cannot be used: ${t.problem ?? 'the template has errors'}` : t.description;
    return {
      label: `${icon} ${t.name}`,
      description: [t.id, t.output, t.source === 'workspace' ? 'workspace' : t.source === 'team' ? `team${t.created_by ? ` (${t.created_by})` : ''}` : 'built-in', t.id === preferred ? 'default' : ''].filter(Boolean).join(' · '),
      ...(detail ? { detail } : {}),
      templateId: t.id,
      path: t.path,
      ...(t.valid ? {} : { problem: t.problem ?? 'The template has errors.' }),
      // Listed like a disabled destination (Restricted Mode), not hidden.
      ...(t.enabled ? {} : { disabledReason: t.reason ?? 'not available' }),
    };
  });
  const restricted = !ctx.trust.trusted;
  // A template that cannot be used says why (with Open Template for a broken one) and the choice is offered again.
  for (;;) {
    const picked = await vscode.window.showQuickPick(items, {
      title: `${TITLE}: Template`,
      placeHolder: restricted ? 'Choose a template (Restricted Mode: workspace templates are disabled)' : 'Choose a template',
      matchOnDescription: true,
      matchOnDetail: true,
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    if (picked.disabledReason) {
      void explainRestrictedMode(`Template "${picked.templateId}" is disabled: ${picked.disabledReason}`);
      continue;
    }
    if (!picked.problem) return picked.templateId;
    void offerToOpenTemplate(picked.templateId, picked.path, picked.problem);
  }
}

async function offerToOpenTemplate(id: string, path: string, problem: string): Promise<void> {
  const open = 'Open Template';
  const choice = await vscode.window.showErrorMessage(`Template "${id}" cannot be used: ${problem}. Choose another one, or fix it.`, open);
  if (choice === open) await vscode.window.showTextDocument(vscode.Uri.file(path));
}

/**
 * A destination as the pickers list it: the server's summary, or one of the
 * workspace's own that Restricted Mode hides from the server — disabled, and
 * with nothing known about its risk or credentials.
 */
export type ListedDestination = Omit<DestinationSummary, 'risk' | 'remote' | 'secretFields'> & Partial<Pick<DestinationSummary, 'risk' | 'remote' | 'secretFields'>>;

/**
 * Destinations from the server, plus — in Restricted Mode — the workspace's
 * own, which VS Code hides from the server (and from the settings API):
 * listed as disabled, with why.
 */
export async function listDestinations(ctx: Ctx): Promise<ListedDestination[]> {
  const fromServer = await ctx.server.request(ListDestinationsRequest.type, {});
  if (ctx.trust.trusted) return fromServer;
  const known = new Set(fromServer.map((d) => d.id));
  const hidden = (await destinationsInWorkspaceFiles())
    .filter((d) => !known.has(d.id))
    .map<ListedDestination>((d) => ({
      id: d.id,
      type: d.type,
      name: d.name,
      // Shown disabled only: the server has not seen it, so its risk and credentials are not known here (ListedDestination).
      workspaceDefined: true,
      enabled: false,
      reason: 'Defined in this workspace\'s settings, which are not applied in Restricted Mode.',
    }));
  return [...fromServer, ...hidden];
}

export async function pickDestination(ctx: Ctx, placeHolder = 'Choose a destination', listed?: readonly ListedDestination[]): Promise<ListedDestination | undefined> {
  const destinations = listed ?? (await listDestinations(ctx));
  const preferred = settings.defaultDestination();
  const ordered = [...destinations].sort((a, b) => Number(b.id === preferred) - Number(a.id === preferred));
  type Item = vscode.QuickPickItem & { destination: ListedDestination };
  const items: Item[] = ordered.map((d) => ({
    label: `${d.enabled ? (DESTINATION_ICON[d.type] ?? '$(export)') : '$(circle-slash)'} ${d.name}`,
    description: [d.name !== d.id ? d.id : '', d.type, d.workspaceDefined ? 'workspace' : '', d.id === preferred ? 'default' : ''].filter(Boolean).join(' · '),
    ...(d.enabled ? {} : { detail: `Disabled: ${d.reason ?? 'not available'}` }),
    destination: d,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `${TITLE}: Destination`,
    placeHolder,
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  return ensureEnabled(picked.destination) ? picked.destination : undefined;
}

/** The destination named by id; refuses (and says why) when it is unknown or disabled. */
export async function findDestination(ctx: Ctx, destinationId: string, listed?: readonly ListedDestination[]): Promise<ListedDestination | undefined> {
  const found = (listed ?? (await listDestinations(ctx))).find((d) => d.id === destinationId);
  if (!found) {
    void vscode.window.showErrorMessage(`There is no destination "${destinationId}". Add it to the devguideExport.destinations setting.`);
    return undefined;
  }
  return ensureEnabled(found) ? found : undefined;
}

function ensureEnabled(destination: ListedDestination): boolean {
  if (destination.enabled) return true;
  void explainRestrictedMode(`Destination "${destination.name}" is disabled: ${destination.reason ?? 'not available'}`);
  return false;
}

/** Only when there is no title to suggest (the panel edits it otherwise). */
export async function askTitle(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `${TITLE}: Title`,
    prompt: 'The title of the exported document',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'Enter a title.' : value.length > 1000 ? 'Keep the title under 1000 characters.' : undefined),
  });
}
