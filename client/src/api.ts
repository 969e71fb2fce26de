import type * as vscode from 'vscode';
import type { Credentials } from './credentials/credentials';
import type { HistoryView } from './history/historyView';
import type { Logger, MemorySink } from './logging/logger';
import { ReviewPanel } from './panel/reviewPanel';
import type { ServerConnection } from './languageClient/serverConnection';

/**
 * What `activate()` returns (`vscode.extensions.getExtension(...).exports`).
 * Nothing here reveals a secret: test hooks exist only when VS Code runs the
 * extension under test (ExtensionMode.Test), never in an installed copy.
 */
export interface DevGuideExportApi {
  /** From the start of activate() to its return, in milliseconds (the activation bench reads it). */
  readonly activationMs: number;
  /** Resolves once the language server is running. */
  whenServerReady(): Promise<void>;
  readonly testHooks?: TestHooks;
}

export interface TestHooks {
  /** Every line written to the "DevGuide Export" log this session (after secret scrubbing). */
  logLines(): string[];
  /** How often a known secret had to be blanked out of a log line (our own code keeps it at 0). */
  scrubbedSecretCount(): number;
  /** What the extension would answer to the server's devguide/getSecret. */
  resolveSecret(destinationId: string, field: string, destinationType?: string): Promise<string | null>;
  /** Running export jobs (the status bar item shows while > 0). */
  runningJobs(): number;
  /** Sends one request to the language server (e.g. to wait until it has applied new settings). */
  serverRequest<R>(method: string, params: unknown): Promise<R>;
  /** The language server's process id while it runs (a test kills it to see it restarted). */
  serverPid(): number | undefined;
  /** The Export History tree as the view would show it: day groups with their job items. */
  historyItems(): Promise<HistoryDayItem[]>;
  /** The view's description (the active filter), if any. */
  historyDescription(): string | undefined;
  /** Fires when the tree reloads (live updates, filters, refresh). */
  onHistoryChanged(listener: () => void): vscode.Disposable;
  /** The open review panels. */
  reviewPanels(): { transactionId: string; firstRenderMs: number | undefined; renderCount: number }[];
}

export interface HistoryItem {
  label: string;
  description: string;
  contextValue: string;
  icon: string;
  color: string | undefined;
}

export interface HistoryDayItem extends HistoryItem {
  jobs: HistoryItem[];
}

export function createApi(parts: {
  activationMs: number;
  server: ServerConnection;
  test?: { memory: MemorySink; logger: Logger; credentials: Credentials; runningJobs: () => number; history: HistoryView };
}): DevGuideExportApi {
  const { test } = parts;
  return {
    activationMs: parts.activationMs,
    whenServerReady: () => parts.server.started,
    ...(test
      ? {
          testHooks: {
            logLines: () => test.memory.snapshot(),
            scrubbedSecretCount: () => test.logger.scrubbedCount,
            resolveSecret: (id, field, type) => test.credentials.resolve(id, field, type),
            runningJobs: test.runningJobs,
            serverRequest: <R>(method: string, params: unknown) => parts.server.sendRequest<R>(method, params),
            serverPid: () => parts.server.pid,
            historyItems: () => historyItems(test.history),
            historyDescription: () => test.history.description,
            onHistoryChanged: (listener) => test.history.tree.onDidChangeTreeData(() => listener()),
            reviewPanels: () => ReviewPanel.all().map((p) => ({ transactionId: p.transactionId, firstRenderMs: p.firstRenderMs, renderCount: p.renderCount })),
          },
        }
      : {}),
  };
}

async function historyItems(history: HistoryView): Promise<HistoryDayItem[]> {
  const { tree } = history;
  const plain = (item: vscode.TreeItem): HistoryItem => {
    const icon = item.iconPath as { id?: string; color?: { id: string } } | undefined;
    return {
      label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
      description: typeof item.description === 'string' ? item.description : '',
      contextValue: item.contextValue ?? '',
      icon: icon?.id ?? '',
      color: icon?.color?.id,
    };
  };
  const days = await tree.getChildren();
  return Promise.all(
    days.map(async (day) => ({ ...plain(tree.getTreeItem(day)), jobs: (await tree.getChildren(day)).map((job) => plain(tree.getTreeItem(job))) })),
  );
}
