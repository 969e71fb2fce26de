import { createInterface } from 'node:readline';
import * as vscode from 'vscode';
import {
  RevealOutputChannelOn,
  State,
  TransportKind,
  type LanguageClientOptions,
  type NodeModule,
  type NotificationType,
  type ProgressType,
  type RequestParam,
  type RequestType,
} from 'vscode-languageclient/node';
import * as z from 'zod/mini';
import { DidChangeTrustNotification, GetSecretRequest, JobsChangedNotification, type InitializationOptions } from '../../../server/src/protocol';
import type { JobStatus } from '../../../server/src/store/types';
import type { Credentials } from '../credentials/credentials';
import type { Logger } from '../logging/logger';
import { loggerChannel } from '../logging/loggerChannel';
import { settings } from '../settings';
import type { TrustSnapshot } from '../workspaceTrust';
import { crashHandler } from './crashHandler';
import { QuietLanguageClient } from './quietLanguageClient';
import { RestartPolicy } from './restartPolicy';
import { ExitWatch, inspectPortOf, serverExecArgv } from './serverProcess';

/**
 * The language server (dist/server.js) through vscode-languageclient, and the
 * one way commands talk to it. The LanguageClient owns the LSP session:
 * the process (Node IPC), document sync of template files, diagnostics,
 * completion and hover, settings (it answers workspace/configuration and
 * tells the server when `devguideExport.*` changes), the server's messages,
 * and restarts (crashHandler.ts). This module adds what is ours:
 * devguide/getSecret, devguide/jobsChanged, trust, and the log.
 * Starting is not awaited by activate(): requests wait for the server.
 */

export const TEMPLATE_LANGUAGE_ID = 'devguide-template';

/**
 * Template files: the contributed language (the default templates folder) and
 * any Handlebars file — the server decides by path whether it is a template.
 */
export const TEMPLATE_SELECTOR = [
  { scheme: 'file', language: TEMPLATE_LANGUAGE_ID },
  { scheme: 'file', language: 'handlebars' },
];

/** The diagnostics of template files (the Problems view groups by it). */
const DIAGNOSTIC_COLLECTION = 'devguide-export';

export interface ServerConnection extends vscode.Disposable {
  /** Resolves once the server has first answered initialize; rejects if it could not be started. */
  readonly started: Promise<void>;
  /** The server's process id while it runs (test hooks: the restart test kills it). */
  readonly pid: number | undefined;
  request<P, R, E>(type: RequestType<P, R, E>, params: RequestParam<P>, token?: vscode.CancellationToken): Promise<R>;
  /** Any request by method name (test hooks). */
  sendRequest<R>(method: string, params: unknown): Promise<R>;
  notify<P>(type: NotificationType<P>, params: RequestParam<P>): void;
  onJobsChanged(listener: (event: { jobId: string; status: JobStatus }) => void): vscode.Disposable;
  /** Progress the server reports on a token of ours (register before sending the request that carries it). */
  onProgress<P>(type: ProgressType<P>, token: string | number, handler: (value: P) => void): vscode.Disposable;
  /** Stops the server (deactivate awaits it). */
  stop(): Promise<void>;
}

export interface ServerDeps {
  context: vscode.ExtensionContext;
  channel: vscode.LogOutputChannel;
  logger: Logger;
  credentials: Credentials;
  trust: () => TrustSnapshot;
}

const getSecretParams = z.object({ destinationId: z.string(), field: z.string() });

export function startServer(deps: ServerDeps): ServerConnection {
  const { logger } = deps;
  const tell = (message: string) =>
    void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => {
      if (choice) deps.channel.show();
    });

  const server: NodeModule = {
    module: deps.context.asAbsolutePath('dist/server.js'),
    transport: TransportKind.ipc,
    options: { execArgv: serverExecArgv(inspectPortOf(process.env['DEVGUIDE_SERVER_INSPECT'])) },
  };
  const exits = new ExitWatch();
  let hasRun = false;
  const clientOptions: LanguageClientOptions = {
    documentSelector: TEMPLATE_SELECTOR,
    // Settings: the server registers for workspace/didChangeConfiguration of its
    // section and pulls them (workspace/configuration); `synchronize` would send
    // every change a second time (and is deprecated).
    diagnosticCollectionName: DIAGNOSTIC_COLLECTION,
    outputChannel: loggerChannel(deps.channel, logger),
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // Fresh for every (re)start: trust may have changed since the last.
    initializationOptions: (): InitializationOptions => deps.trust(),
    errorHandler: crashHandler({ logger, policy: new RestartPolicy(), exits, hasRun: () => hasRun, tell }),
    stdioOptions: {
      // Stray output of the server (its LSP messages go over IPC).
      stdout: (input) => createInterface({ input, crlfDelay: Infinity }).on('line', (line) => logger.info(`[server stdout] ${line}`)),
      stderr: (input) => createInterface({ input, crlfDelay: Infinity }).on('line', (line) => logger.warn(`[server stderr] ${line}`)),
    },
    // Markdown from the server is never trusted: no command links, no HTML.
    markdown: { isTrusted: false, supportHtml: false },
  };
  const client = new QuietLanguageClient('devguideExport', 'DevGuide Export', server, clientOptions, (message) =>
    tell(`DevGuide Export: ${message.replace(/^DevGuide Export client: /, 'the language server client: ')}`),
  );

  const jobsChanged = new vscode.EventEmitter<{ jobId: string; status: JobStatus }>();
  const subscriptions: vscode.Disposable[] = [
    jobsChanged,
    client.onDidChangeState(({ newState }) => {
      if (newState !== State.Running) return;
      hasRun = true;
      const child = client.serverProcess;
      exits.watch(child);
      logger.info(`Language server running (process ${String(child?.pid)}).`);
    }),
    client.onNotification(JobsChangedNotification.type, (event) => jobsChanged.fire(event)),
    client.onRequest(GetSecretRequest.type, async (params) => {
      const parsed = getSecretParams.safeParse(params);
      if (!parsed.success) return { value: null };
      const { destinationId, field } = parsed.data;
      const type = settings.destinations().find((d) => d.id === destinationId)?.type;
      return { value: await deps.credentials.resolve(destinationId, field, type) };
    }),
  ];

  const started = client.start().then(() => logger.info('Language server started.'));
  // A failed start is logged and shown by the client; callers of `started` see the rejection.
  started.catch(() => undefined);

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    try {
      // The client can only stop once its start has settled.
      if (client.state === State.Starting) await started.catch(() => undefined);
      await client.dispose();
    } catch (error) {
      logger.warn(`The language server did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      for (const subscription of subscriptions.splice(0).reverse()) subscription.dispose();
    }
  };

  return {
    started,
    get pid() {
      return client.serverProcess?.pid;
    },
    request: (type, params, token) => client.sendRequest(type, params, token),
    sendRequest: (method, params) => client.sendRequest(method, params),
    notify(type, params) {
      client.sendNotification(type, params).catch((error: unknown) => logger.warn(`Notification ${type.method} not sent: ${error instanceof Error ? error.message : String(error)}`));
    },
    onJobsChanged: (listener) => jobsChanged.event(listener),
    onProgress(type, token, handler) {
      const subscription = client.onProgress(type, token, handler);
      return new vscode.Disposable(() => subscription.dispose());
    },
    stop() {
      stopping ??= stop();
      return stopping;
    },
    dispose() {
      void this.stop();
    },
  };
}

export function sendTrust(server: ServerConnection, snapshot: TrustSnapshot): void {
  server.notify(DidChangeTrustNotification.type, snapshot);
}
