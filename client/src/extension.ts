import * as vscode from 'vscode';
import { createApi, type DevGuideExportApi } from './api';
import { registerCommands } from './commands';
import type { Ctx } from './context';
import { Credentials } from './credentials/credentials';
import { vscodeGitHubSessions } from './credentials/githubSessions';
import { channelSink } from './logging/logChannel';
import { HistoryView } from './history/historyView';
import { Logger, MemorySink } from './logging/logger';
import { sendTrust, startServer, type ServerConnection } from './languageClient/serverConnection';
import { RunningJobs } from './ui/runningJobs';
import { VIRTUAL_SCHEME, VirtualDocuments } from './ui/virtualDocuments';
import { TrustState } from './workspaceTrust';

/**
 * Activation: wire things up and return. The language client starts the
 * server in the background (commands wait for it), so activate() stays well
 * under 100 ms.
 */

let server: ServerConnection | undefined;

export function activate(context: vscode.ExtensionContext): DevGuideExportApi {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('DevGuide Export', { log: true });
  const logger = new Logger([channelSink(channel)]);
  const memory = context.extensionMode === vscode.ExtensionMode.Test ? new MemorySink() : undefined;
  if (memory) logger.addSink(memory);

  const credentials = new Credentials(context.secrets, vscodeGitHubSessions, logger);
  let connection: ServerConnection | undefined;
  const trust = new TrustState((snapshot) => connection && sendTrust(connection, snapshot), logger);
  connection = startServer({ context, channel, logger, credentials, trust: () => trust.snapshot });
  server = connection;

  const documents = new VirtualDocuments();
  const runningJobs = new RunningJobs();
  const history = new HistoryView(connection, logger);
  const ctx: Ctx = { extension: context, server: connection, logger, channel, credentials, documents, runningJobs, trust, history };
  context.subscriptions.push(
    channel,
    trust,
    documents,
    runningJobs,
    history,
    vscode.workspace.registerTextDocumentContentProvider(VIRTUAL_SCHEME, documents),
    ...registerCommands(ctx),
  );

  const activationMs = performance.now() - started;
  logger.info(`Activated in ${activationMs.toFixed(1)} ms (language server starting).`);
  return createApi({
    activationMs,
    server: connection,
    ...(memory ? { test: { memory, logger, credentials, runningJobs: () => runningJobs.count, history } } : {}),
  });
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
