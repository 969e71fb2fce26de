import * as vscode from 'vscode';
import type { CmdFactory } from '../context';
import { signInDriveDestination, type DriveSignInOutcome } from '../credentials/driveSignInFlow';
import { settings } from '../settings';
import { listDestinations } from '../ui/exportPrompts';
import { destinationArgs, parseArgs } from './args';

/**
 * Sign in to Google Drive: picks a Drive destination, runs Google's
 * installed-app OAuth flow in the browser (vscode.env.openExternal) with
 * the OAuth client from the user's settings, and keeps the resulting
 * authorized-user JSON in SecretStorage as the destination's credential.
 */

const OPEN_SETTINGS = 'Open Settings';

export const signInToGoogleDrive: CmdFactory = (ctx) => async (arg?: unknown): Promise<DriveSignInOutcome> => {
  const args = parseArgs(destinationArgs, arg, 'Sign in to Google Drive');
  const drives = (await listDestinations(ctx)).filter((d) => d.type === 'drive' && d.enabled);
  let destination = args.destinationId ? drives.find((d) => d.id === args.destinationId) : drives.length === 1 ? drives[0] : undefined;
  if (!destination && !args.destinationId && drives.length > 1) {
    const picked = await vscode.window.showQuickPick(
      drives.map((d) => ({ label: d.name, description: d.id, destination: d })),
      { title: 'DevGuide Export: Sign in to Google Drive', placeHolder: 'Choose the Google Drive destination' },
    );
    if (!picked) return { status: 'cancelled' };
    destination = picked.destination;
  }
  if (!destination) {
    const message = args.destinationId
      ? `There is no Google Drive destination "${args.destinationId}".`
      : 'No Google Drive destination is configured: add one ("type": "drive") to devguideExport.destinations first.';
    void vscode.window.showErrorMessage(message, OPEN_SETTINGS).then((choice) => {
      if (choice === OPEN_SETTINGS) void vscode.commands.executeCommand('workbench.action.openSettings', 'devguideExport.destinations');
    });
    return { status: 'unsupported', message };
  }
  const chosen = destination;
  const tokenUrl = settings.driveTokenUrl(chosen.id);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Signing in to Google Drive for ${chosen.name}: finish in your browser…`, cancellable: true },
    (_progress, token) => {
      const cancel = new AbortController();
      token.onCancellationRequested(() => cancel.abort());
      return signInDriveDestination({ id: chosen.id, name: chosen.name, ...(tokenUrl ? { tokenUrl } : {}) }, settings.googleDriveClient(), ctx.credentials, {
        openBrowser: async (url) => vscode.env.openExternal(vscode.Uri.parse(url)),
        signal: cancel.signal,
      });
    },
  );
  switch (outcome.status) {
    case 'signed-in':
      void vscode.window.showInformationMessage(`${chosen.name} is connected to your Google account (kept in SecretStorage).`);
      break;
    case 'unsupported':
      void vscode.window.showErrorMessage(outcome.message, OPEN_SETTINGS).then((choice) => {
        if (choice === OPEN_SETTINGS) void vscode.commands.executeCommand('workbench.action.openSettings', 'devguideExport.googleDrive');
      });
      break;
    case 'failed':
      ctx.logger.warn(`Google Drive sign-in for ${chosen.id} failed: ${outcome.reason}`);
      void vscode.window.showErrorMessage(outcome.message);
      break;
    case 'cancelled':
      break;
  }
  return outcome;
};
