import * as vscode from 'vscode';
import { TestDestinationRequest } from '../../../server/src/protocol';
import type { CmdFactory, Ctx } from '../context';
import { findDestination, listDestinations, pickDestination, type ListedDestination } from '../ui/exportPrompts';
import { showError } from '../ui/notify';
import { destinationArgs, parseArgs } from './args';
import { listShared, removeShared, shareDestination, sharedDetail } from './teamStore';

/** Manage Destinations (list, status, actions) and Test Destination. */

export type TestOutcome = { status: 'tested'; ok: boolean; message: string; latencyMs: number } | { status: 'cancelled' } | { status: 'failed'; code: string; message: string };

export const testDestination: CmdFactory = (ctx) => async (arg?: unknown): Promise<TestOutcome> => {
  const args = parseArgs(destinationArgs, arg, 'Test Destination');
  const destination = args.destinationId ? await findDestination(ctx, args.destinationId) : await pickDestination(ctx, 'Choose the destination to test');
  if (!destination) return { status: 'cancelled' };
  return runTest(ctx, destination);
};

async function runTest(ctx: Ctx, destination: ListedDestination): Promise<TestOutcome> {
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Testing ${destination.name}…` },
      () => ctx.server.request(TestDestinationRequest.type, { destinationId: destination.id }),
    );
    ctx.logger.info(`Test of ${destination.id}: ${result.ok ? 'ok' : 'failed'} — ${result.message} (${result.latencyMs} ms)`);
    const text = `${destination.name}: ${result.message} (${Math.round(result.latencyMs)} ms)`;
    if (result.ok) void vscode.window.showInformationMessage(text);
    else void vscode.window.showWarningMessage(text);
    return { status: 'tested', ...result };
  } catch (thrown) {
    const error = showError(ctx, thrown, { prefix: `Test of ${destination.name} failed` });
    return { status: 'failed', code: error.code, message: error.message };
  }
}

export const manageDestinations: CmdFactory = (ctx) => async (): Promise<unknown> => {
  const [destinations, shared] = await Promise.all([listDestinations(ctx), listShared(ctx)]);
  type Item = vscode.QuickPickItem & { destination?: ListedDestination; team?: 'share' | 'key' };
  const items: Item[] = [];
  for (const d of destinations) {
    // The team's entry of this id: the one in use (d.shared), or one you shared whose settings entry stays in use here.
    const teamEntry = shared?.find((s) => s.id === d.id);
    items.push({
      label: `${d.enabled ? '$(export)' : '$(circle-slash)'} ${d.name}`,
      description: [d.id, d.type, d.shared ? 'team' : `${d.workspaceDefined ? 'workspace' : 'user'}${teamEntry ? ', shared with the team' : ''}`].join(' · '),
      detail: !d.enabled ? `Disabled: ${d.reason ?? 'not available'}` : teamEntry ? sharedDetail(teamEntry, !d.shared) : await credentialStatus(ctx, d),
      destination: d,
    });
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(settings-gear) Edit destinations in Settings', detail: 'devguideExport.destinations — ids, types, folders, repositories; never secrets' });
  // With a team store (store.type tidb): share one of yours, and the key that opens the team's credentials.
  if (shared) {
    items.push(
      { label: '$(cloud-upload) Share a destination with the team…', detail: 'Stores one of your destinations in the team store, its credential sealed with the team key', team: 'share' },
      { label: '$(key) Set Team Store Key…', detail: 'The key every member keeps in SecretStorage', team: 'key' },
    );
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'DevGuide Export: Destinations', placeHolder: 'Choose a destination', matchOnDescription: true });
  if (!picked) return { status: 'cancelled' };
  if (picked.team === 'share') return shareDestination(ctx);
  if (picked.team === 'key') return vscode.commands.executeCommand('devguideExport.setTeamStoreKey');
  if (!picked.destination) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'devguideExport.destinations');
    return { status: 'cancelled' };
  }
  const destination = picked.destination;
  const stored = await storedFields(ctx, destination);
  const teamEntry = shared?.find((s) => s.id === destination.id);
  type Action = 'test' | 'set' | 'clear' | 'unshare';
  const actions: (vscode.QuickPickItem & { action: Action })[] = [
    { label: '$(debug-start) Test Connection', action: 'test' },
    ...(teamEntry?.can_administer ? [{ label: '$(trash) Remove from the team store', description: `shared by ${teamEntry.owner}`, action: 'unshare' as const }] : []),
    ...(secretFieldsOf(destination).length > 0 ? [{ label: '$(key) Set Credential…', description: 'stored in SecretStorage', action: 'set' as const }] : []),
    ...(stored.length > 0 ? [{ label: '$(trash) Clear Credential', action: 'clear' as const }] : []),
  ];
  const action = await vscode.window.showQuickPick(actions, { title: `DevGuide Export: ${destination.name}` });
  switch (action?.action) {
    case 'test':
      return destination.enabled ? runTest(ctx, destination) : vscode.window.showWarningMessage(`${destination.name} is disabled: ${destination.reason ?? ''}`);
    case 'set':
      return vscode.commands.executeCommand('devguideExport.setDestinationCredential', { destinationId: destination.id });
    case 'clear':
      return vscode.commands.executeCommand('devguideExport.clearDestinationCredential', { destinationId: destination.id });
    case 'unshare':
      return teamEntry ? removeShared(ctx, teamEntry) : { status: 'cancelled' };
    default:
      return { status: 'cancelled' };
  }
};

async function storedFields(ctx: Ctx, destination: ListedDestination): Promise<string[]> {
  const stored: string[] = [];
  for (const f of secretFieldsOf(destination)) if (await ctx.credentials.has(destination.id, f.field)) stored.push(f.field);
  return stored;
}

async function credentialStatus(ctx: Ctx, destination: ListedDestination): Promise<string> {
  if (secretFieldsOf(destination).length === 0) return 'No credential needed';
  const stored = await storedFields(ctx, destination);
  if (stored.length > 0) return `$(key) Credential stored (${stored.join(', ')})`;
  return destination.type === 'github' ? 'Uses your GitHub sign-in unless a token is stored' : '$(warning) No credential stored';
}

/** The credentials the server lists for it (none known for one Restricted Mode hides from the server). */
function secretFieldsOf(destination: ListedDestination): readonly { field: string }[] {
  return destination.secretFields ?? [];
}
