import * as vscode from 'vscode';
import type { CancellationToken, NotificationType, RequestParam, RequestType } from 'vscode-jsonrpc';
import type { ClientCapabilities, InitializeParams } from 'vscode-languageserver-protocol';
import * as z from 'zod/mini';
import { DidChangeTrustNotification, GetSecretRequest, JobsChangedNotification, type InitializationOptions } from '../../../server/src/protocol';
import type { Credentials } from '../credentials/credentials';
import type { Logger } from '../logging/logger';
import { settings } from '../settings';
import type { TrustSnapshot } from '../workspaceTrust';
import { syncConfiguration } from './configurationSync';
import { syncDocuments } from './documentSync';
import { registerLanguageFeatures } from './languageFeatures';
import { LspClient } from './lspClient';
import type { DocumentFilter } from './lspConversions';
import { ProgressClaims, type ProgressListener } from './progressClaims';
import { showServerMessages } from './serverMessages';
import { spawnServer } from './serverProcess';
import { showServerProgressAsNotifications } from './serverProgress';

/**
 * The language server (dist/server.js) and the one way commands talk to it.
 * The client speaks LSP through its own small client (lspClient.ts and the
 * feature modules beside it) on vscode-jsonrpc: vscode-languageclient alone
 * is larger than issue 4's 200 KB bar for the whole bundle.
 * Starting is not awaited by activate(): requests wait for the server.
 */

export const TEMPLATE_LANGUAGE_ID = 'devguide-template';

/**
 * Template files: the contributed language (the default templates folder) and
 * any Handlebars file — the server decides by path whether it is a template.
 */
export const TEMPLATE_SELECTOR: readonly DocumentFilter[] = [
  { scheme: 'file', language: TEMPLATE_LANGUAGE_ID },
  { scheme: 'file', language: 'handlebars' },
];

export interface ServerConnection extends vscode.Disposable {
  /** Resolves once the server has first answered initialize (and got initialized). */
  readonly started: Promise<void>;
  /** The server's process id while it runs (test hooks: the restart test kills it). */
  readonly pid: number | undefined;
  request<P, R>(type: RequestType<P, R, unknown>, params: RequestParam<P>, token?: CancellationToken): Promise<R>;
  /** Any request by method name (test hooks). */
  sendRequest<R>(method: string, params: unknown): Promise<R>;
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

/** What the client does, for the server to rely on: each entry is implemented by a module of this folder. */
const CAPABILITIES: ClientCapabilities = {
  general: { positionEncodings: ['utf-16'] },
  workspace: {
    configuration: true, // configurationSync.ts
    didChangeConfiguration: { dynamicRegistration: true },
  },
  window: {
    workDoneProgress: true, // serverProgress.ts
    showMessage: { messageActionItem: { additionalPropertiesSupport: true } }, // serverMessages.ts
  },
  textDocument: {
    synchronization: { dynamicRegistration: false, willSave: false, willSaveWaitUntil: false, didSave: false }, // documentSync.ts
    // languageFeatures.ts + vscodeConversions.ts:
    publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true },
    completion: {
      contextSupport: true,
      completionItem: {
        snippetSupport: true,
        documentationFormat: ['markdown', 'plaintext'],
        commitCharactersSupport: true,
        deprecatedSupport: true,
        preselectSupport: true,
        tagSupport: { valueSet: [1] },
        insertReplaceSupport: true,
        labelDetailsSupport: true,
      },
      completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
  },
};

const getSecretParams = z.object({ destinationId: z.string(), field: z.string() });

export function startServer(deps: ServerDeps): ServerConnection {
  const { logger } = deps;
  const folders = () => vscode.workspace.workspaceFolders ?? [];
  const inspectPort = Number(process.env['DEVGUIDE_SERVER_INSPECT']) || undefined;

  const client = new LspClient({
    spawn: () =>
      spawnServer({
        module: deps.context.asAbsolutePath('dist/server.js'),
        cwd: folders()[0]?.uri.scheme === 'file' ? folders()[0]?.uri.fsPath : undefined,
        inspectPort,
        onOutput: (line, stream) => logger[stream === 'stderr' ? 'warn' : 'info'](`[server ${stream}] ${line}`),
        onRpcError: (message) => logger.warn(`Language server connection: ${message}`),
      }),
    initializeParams: (): InitializeParams => {
      const first = folders()[0];
      const initializationOptions: InitializationOptions = deps.trust();
      return {
        processId: process.pid,
        clientInfo: { name: vscode.env.appName, version: vscode.version },
        locale: vscode.env.language,
        rootUri: first ? first.uri.toString() : null,
        workspaceFolders: folders().length > 0 ? folders().map((folder) => ({ uri: folder.uri.toString(), name: folder.name })) : null,
        initializationOptions,
        capabilities: CAPABILITIES,
      };
    },
    log: (level, message) => logger[level](message),
  });

  const claims = new ProgressClaims();
  const jobProgress = new vscode.EventEmitter<void>();
  const features: vscode.Disposable[] = [
    showServerMessages(client, logger),
    syncConfiguration(client, logger),
    syncDocuments(client, TEMPLATE_SELECTOR),
    registerLanguageFeatures(client, TEMPLATE_SELECTOR, logger),
    showServerProgressAsNotifications(client, claims, () => jobProgress.fire()),
    client.onRequest(GetSecretRequest.type, async (params) => {
      const parsed = getSecretParams.safeParse(params);
      if (!parsed.success) return { value: null };
      const { destinationId, field } = parsed.data;
      const type = settings.destinations().find((d) => d.id === destinationId)?.type;
      return { value: await deps.credentials.resolve(destinationId, field, type) };
    }),
    client.onDidFail((error) => {
      // Commands show their own errors; this is the one message about the server itself.
      void vscode.window
        .showErrorMessage(`DevGuide Export: the language server ${error.message}.`, 'Show Log')
        .then((choice) => choice && deps.channel.show());
    }),
    jobProgress,
  ];

  const started = client.start();
  started.then(
    () => logger.info('Language server started.'),
    () => undefined, // onDidFail has logged and shown it
  );

  let stopping: Promise<void> | undefined;
  return {
    started,
    get pid() {
      return client.pid;
    },
    request<P, R>(type: RequestType<P, R, unknown>, params: RequestParam<P>, token?: CancellationToken): Promise<R> {
      return client.sendRequest(type, params, token);
    },
    sendRequest<R>(method: string, params: unknown): Promise<R> {
      return client.sendRequestByName<R>(method, params);
    },
    notify<P>(type: NotificationType<P>, params: RequestParam<P>): void {
      client.sendNotification(type, params).catch(() => undefined);
    },
    onJobsChanged(listener) {
      const subscription = client.onNotification(JobsChangedNotification.type, listener);
      return new vscode.Disposable(() => subscription.dispose());
    },
    onJobProgress(listener) {
      return jobProgress.event(listener);
    },
    claimProgress(listener) {
      return claims.claim(listener);
    },
    stop() {
      stopping ??= (async () => {
        await client.stop();
        for (const feature of features.splice(0).reverse()) feature.dispose();
      })();
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
