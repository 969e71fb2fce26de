import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type CodeAction,
  type Command,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';

/**
 * A minimal LSP client for tests and the bench: talks JSON-RPC to a language
 * server over a pair of streams (the built server's stdio, or an in-process
 * server), answers the server's requests like the extension would, and lets
 * callers wait for diagnostics by condition instead of sleeping.
 */

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const BUILT_SERVER = join(REPO_ROOT, 'dist', 'server.js');

/** Long enough for a loaded CI machine; waits end as soon as their condition holds. */
const DEFAULT_WAIT_MS = 10_000;

interface DiagnosticsWaiter {
  matches(params: PublishDiagnosticsParams): boolean;
  resolve(params: PublishDiagnosticsParams): void;
}

export class LspTestClient {
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** Log messages the server sent (shown when a test fails). */
  readonly serverLog: string[] = [];
  private readonly waiters = new Set<DiagnosticsWaiter>();
  private readonly versions = new Map<string, number>();
  /**
   * What the client answers for the `devguideExport` section of
   * workspace/configuration (the extension's settings). Change it, then send
   * `workspace/didChangeConfiguration`, to play a settings change.
   */
  settings: unknown = {};
  /** What the client answers to devguide/getSecret, by `<destinationId>/<field>` (SecretStorage in the extension). */
  secrets: Record<string, string> = {};
  /** Every devguide/getSecret the server sent, as `<destinationId>/<field>`. */
  readonly secretRequests: string[] = [];
  /** The server's process id, when it runs as a child process (startBuiltServer). */
  serverPid: number | undefined;

  constructor(
    readonly connection: ProtocolConnection,
    private readonly lifecycle: { onDispose?: () => Promise<void>; sendExit?: boolean } = {},
  ) {
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.push(params);
      for (const waiter of [...this.waiters]) {
        if (waiter.matches(params)) {
          this.waiters.delete(waiter);
          waiter.resolve(params);
        }
      }
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.serverLog.push(params.message);
    });
    for (const method of SERVER_REQUESTS) {
      connection.onRequest(method, (params: unknown) => {
        if (method === 'devguide/getSecret') {
          const { destinationId, field } = (params ?? {}) as { destinationId?: string; field?: string };
          this.secretRequests.push(`${destinationId}/${field}`);
        }
        return answerServerRequest(method, params, this.settings, this.secrets);
      });
    }
    connection.listen();
  }

  async initialize(
    rootUri: string,
    overrides: { processId?: number | null; trusted?: boolean; workspaceDestinationIds?: string[] } = {},
  ): Promise<InitializeResult> {
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: overrides.processId === undefined ? process.pid : overrides.processId,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'workspace' }],
      initializationOptions: {
        trusted: overrides.trusted ?? true,
        ...(overrides.workspaceDestinationIds ? { workspaceDestinationIds: overrides.workspaceDestinationIds } : {}),
      },
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true },
        window: { workDoneProgress: true },
        textDocument: {
          synchronization: { didSave: true },
          publishDiagnostics: { versionSupport: true },
          completion: { completionItem: { documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, dataSupport: true },
        },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  async open(uri: string, text: string, languageId = 'handlebars'): Promise<number> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return 1;
  }

  /** Replaces the whole text; returns the new version. */
  async replace(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** An incremental edit: replaces `range` with `text`; returns the new version. */
  async edit(uri: string, range: { start: Position; end: Position }, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const result = await this.connection.sendRequest<CompletionItem[] | CompletionList | null>('textDocument/completion', {
      textDocument: { uri },
      position,
    });
    if (result === null) return [];
    return Array.isArray(result) ? result : result.items;
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  }

  /** The code actions for these diagnostics, as an editor asks at a diagnostic's range. */
  async codeActions(uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const result = await this.connection.sendRequest<(CodeAction | Command)[] | null>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, only: ['quickfix'], triggerKind: 1 },
    });
    return (result ?? []).filter((item): item is CodeAction => typeof (item as CodeAction).title === 'string' && !('command' in item && typeof item.command === 'string'));
  }

  /**
   * The first publishDiagnostics (already received since `sinceIndex`, or
   * arriving later) for `uri` that satisfies `condition`.
   */
  waitForDiagnostics(
    uri: string,
    condition: (params: PublishDiagnosticsParams) => boolean = () => true,
    options: { sinceIndex?: number; timeoutMs?: number } = {},
  ): Promise<PublishDiagnosticsParams> {
    const matches = (params: PublishDiagnosticsParams): boolean => params.uri === uri && condition(params);
    const earlier = this.published.slice(options.sinceIndex ?? 0).find(matches);
    if (earlier !== undefined) return Promise.resolve(earlier);
    return new Promise((resolvePromise, reject) => {
      const waiter: DiagnosticsWaiter = {
        matches,
        resolve: (params) => {
          clearTimeout(timer);
          resolvePromise(params);
        },
      };
      const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.published.filter((p) => p.uri === uri).map((p) => `v${p.version ?? '-'}: [${p.diagnostics.map((d) => d.code).join(', ')}]`);
        reject(new Error(`No matching diagnostics for ${uri} within ${timeoutMs} ms. Received: ${seen.join(' | ') || 'none'}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  async shutdown(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      if (this.lifecycle.sendExit !== false) await this.connection.sendNotification('exit');
    } finally {
      this.connection.dispose();
      await this.lifecycle.onDispose?.();
    }
  }
}

/** A diagnostic's message as text (LSP 3.18 allows MarkupContent too). */
export function messageOf(diagnostic: Diagnostic | undefined): string {
  const message = diagnostic?.message ?? '';
  return typeof message === 'string' ? message : message.value;
}

export interface Position {
  line: number;
  character: number;
}

const SERVER_REQUESTS = [
  'workspace/configuration',
  'workspace/workspaceFolders',
  'devguide/getSecret',
  'client/registerCapability',
  'client/unregisterCapability',
  'window/workDoneProgress/create',
  'window/showMessageRequest',
] as const;

/** What the extension answers when the server asks: its settings, and the secrets a test stored. */
function answerServerRequest(method: string, params: unknown, settings: unknown, secrets: Record<string, string>): unknown {
  switch (method) {
    case 'devguide/getSecret': {
      const { destinationId, field } = params as { destinationId: string; field: string };
      return { value: secrets[`${destinationId}/${field}`] ?? null };
    }
    case 'workspace/configuration': {
      const items = (params as { items?: { section?: string }[] } | undefined)?.items ?? [];
      return items.map((item) => (item.section === 'devguideExport' ? settings : {}));
    }
    default:
      // The rest acknowledge with null.
      return null;
  }
}

/** Spawns the built server (`node dist/server.js --stdio`). */
export function startBuiltServer(options: { storeDir?: string } = {}): LspTestClient {
  if (!existsSync(BUILT_SERVER)) {
    throw new Error(`${BUILT_SERVER} is missing: build it first with "node build.mjs" (test/run.mjs does this before mocha).`);
  }
  // The server opens its job store at start: never the real user data folder in tests.
  const ownStore = options.storeDir === undefined ? mkdtempSync(join(tmpdir(), 'devguide-lsp-store-')) : undefined;
  const storeDir = options.storeDir ?? (ownStore as string);
  const child = spawn(process.execPath, [BUILT_SERVER, '--stdio'], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, DEVGUIDE_EXPORT_STORE: storeDir },
  });
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const client = new LspTestClient(connection, {
    onDispose: async () => {
      await waitForExit(child);
      if (ownStore) await rm(ownStore, { recursive: true, force: true });
    },
  });
  client.serverPid = child.pid;
  child.once('exit', (code, signal) => {
    if (code !== 0 && code !== null) client.serverLog.push(`server exited with ${code}: ${stderr.join('')}`);
    else if (signal !== null) client.serverLog.push(`server killed by ${signal}`);
  });
  return client;
}

/** Waits for the child to exit after `exit`; kills it if it does not within a few seconds. */
function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
  });
}

export interface TempWorkspace {
  dir: string;
  uri: string;
  /** Writes a file under the workspace; returns its file:// URI. */
  write(relativePath: string, text: string): Promise<string>;
  uriOf(relativePath: string): string;
  cleanup(): Promise<void>;
}

export async function tempWorkspace(): Promise<TempWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), 'devguide-lsp-'));
  const uriOf = (relativePath: string): string => pathToFileURL(join(dir, relativePath)).href;
  return {
    dir,
    uri: pathToFileURL(dir).href,
    uriOf,
    async write(relativePath, text) {
      const file = join(dir, relativePath);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text, 'utf8');
      return uriOf(relativePath);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
