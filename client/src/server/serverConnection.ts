import * as vscode from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type CancellationToken,
  type LanguageClientOptions,
  type NotificationType,
  type RequestParam,
  type RequestType,
  type ServerOptions,
} from 'vscode-languageclient/node';
import * as z from 'zod/mini';
import { DidChangeTrustNotification, GetSecretRequest, JobsChangedNotification, type InitializationOptions } from '../../../server/src/protocol';
import type { Credentials } from '../credentials/credentials';
import type { Logger } from '../logging/logger';
import { loggingChannel } from '../logging/logChannel';
import { settings } from '../settings';
import type { TrustSnapshot } from '../workspaceTrust';
import { ProgressClaims, type ProgressListener } from './progressClaims';
import { showServerProgressAsNotifications } from './serverProgress';

/**
 * The language server (dist/server.js) and the one way commands talk to it.
 * Starting is not awaited by activate(): requests wait for `started`.
 */

export const TEMPLATE_LANGUAGE_ID = 'devguide-template';

export interface ServerConnection extends vscode.Disposable {
  readonly started: Promise<LanguageClient>;
  request<P, R>(type: RequestType<P, R, unknown>, params: RequestParam<P>, token?: CancellationToken): Promise<R>;
  notify<P>(type: NotificationType<P>, params: RequestParam<P>): void;
  onJobsChanged(listener: (event: { jobId: string; status: string }) => void): vscode.Disposable;
  /** Any work-done progress of the server (a job running). */
  onJobProgress(listener: () => void): vscode.Disposable;
  /**
   * The progress the server creates for the next request sent (call right
   * before sending devguide/createJob); dispose once it has answered.
   */
  claimProgress(listener: ProgressListener): vscode.Disposable;
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
  const module = deps.context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Template files: the contributed language (the default templates folder) and
    // any Handlebars file — the server decides by path whether it is a template.
    documentSelector: [
      { scheme: 'file', language: TEMPLATE_LANGUAGE_ID },
      { scheme: 'file', language: 'handlebars' },
    ],
    outputChannel: loggingChannel(deps.channel, deps.logger),
    // Commands show their own errors; the client must not pop up a second one.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: (): InitializationOptions => deps.trust(),
    diagnosticCollectionName: 'devguide-export',
    markdown: { isTrusted: false, supportHtml: false },
  };
  const client = new LanguageClient('devguideExport', 'DevGuide Export', serverOptions, clientOptions);

  client.onRequest(GetSecretRequest.type, async (params) => {
    const parsed = getSecretParams.safeParse(params);
    if (!parsed.success) return { value: null };
    const { destinationId, field } = parsed.data;
    const type = settings.destinations().find((d) => d.id === destinationId)?.type;
    return { value: await deps.credentials.resolve(destinationId, field, type) };
  });

  const progress: vscode.Disposable[] = [];
  const claims = new ProgressClaims();
  const jobProgress = new vscode.EventEmitter<void>();
  const started = client.start().then(() => {
    progress.push(showServerProgressAsNotifications(client, claims, () => jobProgress.fire()));
    deps.logger.info('Language server started.');
    return client;
  });
  started.catch((error: unknown) => {
    deps.logger.error('The language server did not start', error);
    void vscode.window
      .showErrorMessage(`DevGuide Export: the language server did not start (${error instanceof Error ? error.message : String(error)}).`, 'Show Log')
      .then((choice) => choice && deps.channel.show());
  });

  return {
    started,
    async request<P, R>(type: RequestType<P, R, unknown>, params: RequestParam<P>, token?: CancellationToken): Promise<R> {
      const running = await started;
      return running.sendRequest(type, params, token);
    },
    notify<P>(type: NotificationType<P>, params: RequestParam<P>): void {
      void started.then((running) => running.sendNotification(type, params)).catch(() => undefined);
    },
    onJobsChanged(listener) {
      return client.onNotification(JobsChangedNotification.type, listener);
    },
    onJobProgress(listener) {
      return jobProgress.event(listener);
    },
    claimProgress(listener) {
      return claims.claim(listener);
    },
    async stop() {
      for (const d of progress.splice(0)) d.dispose();
      jobProgress.dispose();
      if (client.isRunning()) await client.stop().catch(() => undefined);
    },
    dispose() {
      void this.stop();
    },
  };
}

export function sendTrust(server: ServerConnection, snapshot: TrustSnapshot): void {
  server.notify(DidChangeTrustNotification.type, snapshot);
}
