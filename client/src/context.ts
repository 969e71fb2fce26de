import type * as vscode from 'vscode';
import type { Credentials } from './credentials/credentials';
import type { HistoryView } from './history/historyView';
import type { Logger } from './logging/logger';
import type { ServerConnection } from './languageClient/serverConnection';
import type { RunningJobs } from './ui/runningJobs';
import type { VirtualDocuments } from './ui/virtualDocuments';
import type { TrustState } from './workspaceTrust';

/** What every command gets (the `ctx` of `(ctx) => Cmd`). */
export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  readonly server: ServerConnection;
  readonly logger: Logger;
  readonly channel: vscode.LogOutputChannel;
  readonly credentials: Credentials;
  readonly documents: VirtualDocuments;
  readonly runningJobs: RunningJobs;
  readonly trust: TrustState;
  /** The Export History view (filter, refresh, reveal). */
  readonly history: HistoryView;
}

/** A command: takes the palette's / a menu's / executeCommand's arguments. */
export type Cmd = (...args: unknown[]) => Promise<unknown>;

export type CmdFactory = (ctx: Ctx) => Cmd;
