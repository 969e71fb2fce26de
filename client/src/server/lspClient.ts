import {
  Emitter,
  ErrorCodes,
  ResponseError,
  type CancellationToken,
  type Disposable,
  type Event,
  type MessageConnection,
  type NotificationHandler,
  type NotificationType,
  type ProgressType,
  type RequestHandler,
  type RequestParam,
  type RequestType,
} from 'vscode-jsonrpc';
import type { InitializeParams, ServerCapabilities } from 'vscode-languageserver-protocol';
import { Exit, Initialize, Initialized, Shutdown } from './lspMessages';
import { RestartPolicy } from './restartPolicy';
import type { ProcessExit, ServerProcess } from './serverProcess';

/**
 * The LSP session with the language server: starts its process, runs the
 * initialize handshake, restarts it when it dies unexpectedly (RestartPolicy),
 * and shuts it down. Requests wait while the server (re)starts. Handlers are
 * registered once here and installed on every connection, so features need
 * not care about restarts. No `vscode` import: the features (documentSync,
 * languageFeatures, …) connect it to VS Code, and an integration test drives
 * it against the real server.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LspClientOptions {
  /** Starts one server process. */
  spawn(): ServerProcess;
  /** Fresh for every start: trust and workspace folders may have changed since the last. */
  initializeParams(): InitializeParams;
  log(level: LogLevel, message: string): void;
  restartPolicy?: RestartPolicy;
  /** How long to wait for the answer to `shutdown`, then for the process to exit after `exit` (default 2 s each). */
  shutdownTimeoutMs?: number;
}

type State = 'new' | 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped' | 'failed';

/** One server process and its connection. */
interface Run {
  readonly process: ServerProcess;
  readonly connection: MessageConnection;
  /** The installed handlers, by installer. */
  readonly installed: Map<Installer, Disposable>;
  capabilities?: ServerCapabilities;
  ended: boolean;
}

type Installer = (connection: MessageConnection) => Disposable;

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
  settled: boolean;
}

export class LspClient {
  private state: State = 'new';
  private current: Run | undefined;
  private ready = deferred<Run>();
  private everRan = false;
  private stopping: Promise<void> | undefined;
  private readonly installers = new Set<Installer>();
  private readonly policy: RestartPolicy;
  private readonly startEmitter = new Emitter<ServerCapabilities>();
  private readonly stopEmitter = new Emitter<void>();
  private readonly failEmitter = new Emitter<Error>();

  /** Resolves when the first start has completed initialize + initialized; rejects if it fails. */
  readonly started: Promise<void>;
  /** After every (re)start's handshake, with the server's capabilities. */
  readonly onDidStart: Event<ServerCapabilities> = this.startEmitter.event;
  /** When a connection ends: the server stopped, crashed, or is being restarted. */
  readonly onDidStop: Event<void> = this.stopEmitter.event;
  /** The server could not be started, or kept crashing: it stays stopped. */
  readonly onDidFail: Event<Error> = this.failEmitter.event;

  constructor(private readonly options: LspClientOptions) {
    this.policy = options.restartPolicy ?? new RestartPolicy();
    this.started = this.ready.promise.then(() => undefined);
  }

  /** The server's process id while one runs. */
  get pid(): number | undefined {
    return this.current?.process.pid;
  }

  get capabilities(): ServerCapabilities | undefined {
    return this.state === 'running' ? this.current?.capabilities : undefined;
  }

  start(): Promise<void> {
    if (this.state === 'new') {
      this.state = 'starting';
      void this.launch();
    }
    return this.started;
  }

  // ---- handlers (installed on every connection) ----------------------------------

  onRequest<P, R, E>(type: RequestType<P, R, E>, handler: RequestHandler<P, R, E>): Disposable {
    return this.install((connection) => connection.onRequest(type, handler));
  }

  onNotification<P>(type: NotificationType<P>, handler: NotificationHandler<P>): Disposable {
    return this.install((connection) => connection.onNotification(type, handler));
  }

  /** Progress reported on the current connection (a token the server created on it). */
  onProgress<P>(type: ProgressType<P>, token: string | number, handler: NotificationHandler<P>): Disposable {
    const run = this.current;
    return run && !run.ended ? run.connection.onProgress(type, token, handler) : { dispose: () => undefined };
  }

  private install(installer: Installer): Disposable {
    this.installers.add(installer);
    const run = this.current;
    if (run && !run.ended) run.installed.set(installer, installer(run.connection));
    return {
      dispose: () => {
        this.installers.delete(installer);
        const live = this.current;
        live?.installed.get(installer)?.dispose();
        live?.installed.delete(installer);
      },
    };
  }

  // ---- sending ---------------------------------------------------------------------

  /** Waits while the server (re)starts; a cancelled token sends $/cancelRequest (vscode-jsonrpc does it). */
  sendRequest<P, R, E>(type: RequestType<P, R, E>, params: RequestParam<P>, token?: CancellationToken): Promise<R> {
    return this.send((connection) => connection.sendRequest(type, params, token));
  }

  /** A request by method name (test hooks). */
  sendRequestByName<R>(method: string, params: unknown): Promise<R> {
    return this.send((connection) => connection.sendRequest<R>(method, params));
  }

  /** Waits while the server (re)starts; dropped if it never runs again. */
  async sendNotification<P>(type: NotificationType<P>, params: RequestParam<P>): Promise<void> {
    const run = await this.ready.promise;
    await run.connection.sendNotification(type, params);
  }

  /**
   * Sends only if the server runs now, else drops the notification. For
   * document sync: a (re)started server gets every open document again.
   * True if it was sent.
   */
  notifyIfRunning<P>(type: NotificationType<P>, params: RequestParam<P>): boolean {
    const run = this.current;
    if (this.state !== 'running' || !run || run.ended) return false;
    try {
      run.connection.sendNotification(type, params).catch(() => undefined);
      return true;
    } catch {
      // The connection closed this instant: lost() handles it.
      return false;
    }
  }

  private async send<R>(issue: (connection: MessageConnection) => Promise<R>): Promise<R> {
    const run = await this.ready.promise;
    try {
      return await issue(run.connection);
    } catch (error) {
      // The connection went away under the request: say so plainly (never vscode-jsonrpc's internals).
      if (run.ended) throw this.notRunningError();
      throw error;
    }
  }

  private notRunningError(): ResponseError<{ code: string; message: string; recoverable: boolean }> {
    const message =
      this.state === 'restarting'
        ? 'The DevGuide Export language server stopped unexpectedly and is restarting. Try again.'
        : this.state === 'failed'
          ? 'The DevGuide Export language server is not running (see the DevGuide Export log).'
          : 'The DevGuide Export language server stopped.';
    return new ResponseError(ErrorCodes.InternalError, message, { code: 'INTERNAL_ERROR', message, recoverable: this.state === 'restarting' });
  }

  // ---- lifecycle -------------------------------------------------------------------

  private async launch(): Promise<void> {
    let run: Run;
    try {
      const process = this.options.spawn();
      run = { process, connection: process.connection, installed: new Map(), ended: false };
    } catch (error) {
      this.fail(new Error(`could not start (${describe(error)})`));
      return;
    }
    this.current = run;
    const { connection, process } = run;
    for (const installer of this.installers) run.installed.set(installer, installer(connection));
    const exitReason = (exit: ProcessExit) => `the process ended: ${exit.error ? exit.error.message : exit.signal ? `signal ${exit.signal}` : `exit code ${String(exit.code)}`}`;
    void process.exited.then((exit) => this.lost(run, exitReason(exit)));
    // The channel usually closes just before the exit is known: give the exit a moment, for the log's sake.
    connection.onClose(() => void within(process.exited, 1_000).then((exit) => this.lost(run, exit ? exitReason(exit) : 'its connection closed')));
    connection.onError(([error]) => this.options.log('warn', `Language server connection: ${error.message}`));
    connection.listen();

    try {
      const result = await connection.sendRequest(Initialize, this.options.initializeParams());
      if (run.ended) return;
      run.capabilities = result.capabilities;
      await connection.sendNotification(Initialized, {});
    } catch (error) {
      if (!run.ended) {
        // The server answered initialize with an error: it will not serve anything.
        process.kill();
        this.lost(run, `initialize failed: ${describe(error)}`);
      }
      return;
    }
    if (run.ended || this.state === 'stopping' || this.state === 'stopped') return;
    this.state = 'running';
    this.everRan = true;
    this.options.log('info', `Language server running (process ${String(process.pid)}).`);
    // Listeners (document sync, providers) run before waiting requests go out.
    this.startEmitter.fire(run.capabilities ?? {});
    this.ready.resolve(run);
  }

  /** The connection of `run` ended: clean it up, then restart or give up — unless it was asked to stop. */
  private lost(run: Run, reason: string): void {
    if (run.ended) return;
    run.ended = true;
    if (this.current === run) this.current = undefined;
    for (const registration of run.installed.values()) registration.dispose();
    run.installed.clear();
    run.connection.dispose(); // rejects its pending requests (send() rewrites the error)
    run.process.kill();
    this.stopEmitter.fire();
    if (this.state === 'stopping' || this.state === 'stopped' || this.state === 'failed') return;

    this.options.log('error', `The language server stopped unexpectedly (${reason}).`);
    if (!this.everRan) {
      this.fail(new Error(`did not start (${reason})`));
      return;
    }
    if (!this.policy.shouldRestart()) {
      this.fail(new Error('stopped unexpectedly too often and was not restarted'));
      return;
    }
    if (this.ready.settled) this.ready = deferred<Run>();
    this.state = 'restarting';
    this.options.log('info', 'Restarting the language server.');
    void this.launch();
  }

  private fail(error: Error): void {
    this.state = 'failed';
    if (this.ready.settled) this.ready = deferred<Run>();
    this.ready.reject(this.notRunningError());
    this.options.log('error', `The language server ${error.message}.`);
    this.failEmitter.fire(error);
  }

  /** `shutdown`, then `exit`, then waits (bounded) for the process to end; kills it if it does not. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    const wasRunning = this.state === 'running';
    this.state = 'stopping';
    if (!this.ready.settled) this.ready.reject(this.notRunningError());
    const run = this.current;
    const timeout = this.options.shutdownTimeoutMs ?? 2_000;
    if (run && !run.ended) {
      if (wasRunning) {
        try {
          await within(run.connection.sendRequest(Shutdown), timeout);
          await run.connection.sendNotification(Exit);
        } catch (error) {
          this.options.log('warn', `The language server did not shut down cleanly: ${describe(error)}`);
        }
      } else {
        // Still in its handshake: there is nothing to shut down cleanly.
        run.process.kill();
      }
      if ((await within(run.process.exited, timeout)) === undefined) {
        this.options.log('warn', 'The language server did not exit in time: stopping its process.');
        run.process.kill();
        await within(run.process.exited, timeout);
      }
      this.lost(run, 'stopped');
    }
    this.state = 'stopped';
    this.startEmitter.dispose();
    this.stopEmitter.dispose();
    this.failEmitter.dispose();
  }
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting when it rejects (a failed restart): not an unhandled rejection.
  promise.catch(() => undefined);
  const result: Deferred<T> = {
    promise,
    settled: false,
    resolve: (value) => {
      result.settled = true;
      resolve(value);
    },
    reject: (error) => {
      result.settled = true;
      reject(error);
    },
  };
  return result;
}

/** The promise's value, or undefined once `ms` have passed (the timer does not outlive it). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
