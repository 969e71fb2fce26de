import * as vscode from 'vscode';
import type { Logger } from './logging/logger';
import { affectsDestinations, settings } from './settings';
import { sameIds } from './settingsValues';

/**
 * Workspace Trust as the language server needs it: whether the workspace is
 * trusted and which destination ids come from workspace settings. Sent in
 * `initialize` and again (devguide/didChangeTrust) when trust is granted or
 * the workspace's destinations change.
 */

export interface TrustSnapshot {
  trusted: boolean;
  workspaceDestinationIds: string[];
}

export const RESTRICTED_MODE_HINT = 'Trust this workspace to use them (Manage Workspace Trust).';

export class TrustState implements vscode.Disposable {
  private last: TrustSnapshot;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly notify: (snapshot: TrustSnapshot) => void,
    private readonly logger: Logger,
  ) {
    this.last = TrustState.read();
    this.disposables.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh('workspace trusted')),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsDestinations(event)) this.refresh('workspace destinations changed');
      }),
    );
  }

  static read(): TrustSnapshot {
    return { trusted: vscode.workspace.isTrusted, workspaceDestinationIds: settings.workspaceDestinationIds() };
  }

  get snapshot(): TrustSnapshot {
    return this.last;
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  private refresh(why: string): void {
    const next = TrustState.read();
    if (next.trusted === this.last.trusted && sameIds(next.workspaceDestinationIds, this.last.workspaceDestinationIds)) return;
    this.last = next;
    this.logger.info(`Trust update (${why}): trusted=${next.trusted}, workspace destinations=[${next.workspaceDestinationIds.join(', ')}]`);
    this.notify(next);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Tells the user why something is off in Restricted Mode, with the way out. */
export async function explainRestrictedMode(what: string): Promise<void> {
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(`${what} ${RESTRICTED_MODE_HINT}`, manage);
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
}
