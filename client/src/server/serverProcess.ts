import { fork } from 'node:child_process';
import { IPCMessageReader, IPCMessageWriter, createMessageConnection, type MessageConnection } from 'vscode-jsonrpc/node';

/**
 * One run of the language server: dist/server.js as a Node child process,
 * JSON-RPC over Node's IPC channel. The server's createConnection() sees
 * `--node-ipc` and talks over process.send; `--clientProcessId` makes it
 * exit if the extension host dies. No `vscode` import.
 */

export interface ServerProcessOptions {
  module: string;
  /** Working folder of the server (the workspace's first folder, as vscode-languageclient does). */
  cwd: string | undefined;
  /** Port for Node's inspector (DEVGUIDE_SERVER_INSPECT), to debug the server. */
  inspectPort?: number | undefined;
  /** A line the server wrote to stdout or stderr (not its LSP messages: those go over IPC). */
  onOutput(line: string, stream: 'stdout' | 'stderr'): void;
  /** Problems of the JSON-RPC layer itself (a message that could not be handled). */
  onRpcError(message: string): void;
}

export interface ProcessExit {
  code: number | null;
  signal: string | null;
  /** Set when the process could not be started at all. */
  error?: Error;
}

export interface ServerProcess {
  readonly pid: number | undefined;
  readonly connection: MessageConnection;
  /** Resolves once the process has exited (or failed to start); never rejects. */
  readonly exited: Promise<ProcessExit>;
  kill(): void;
}

export function spawnServer(options: ServerProcessOptions): ServerProcess {
  const child = fork(options.module, ['--node-ipc', `--clientProcessId=${process.pid}`], {
    cwd: options.cwd,
    // In desktop VS Code process.execPath is Electron: make it behave as Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ELECTRON_NO_ASAR: '1' },
    // Not the extension host's own flags (an inspector port there would clash).
    execArgv: options.inspectPort ? ['--nolazy', `--inspect=${options.inspectPort}`] : [],
    // Pipes for stdout/stderr, so the server's stray output reaches the log.
    silent: true,
  });

  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // 'error' also reports a failed kill or send; only a failed spawn means "never ran".
    child.on('error', (error) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, error });
    });
  });

  for (const stream of ['stdout', 'stderr'] as const) {
    const split = lineSplitter((line) => options.onOutput(line, stream));
    child[stream]?.on('data', split.push).on('end', split.end);
  }

  const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child), {
    error: (message) => options.onRpcError(message),
    warn: (message) => options.onRpcError(message),
    info: () => undefined,
    log: () => undefined,
  });

  return {
    pid: child.pid,
    connection,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

/** Calls `onLine` for each non-empty line of a stream's chunks (the last one at its end). */
function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer | string): void; end(): void } {
  let rest = '';
  return {
    push: (chunk) => {
      const parts = (rest + chunk.toString()).split(/\r?\n/);
      rest = parts.pop() ?? '';
      for (const line of parts) if (line.trim() !== '') onLine(line);
    },
    end: () => {
      if (rest.trim() !== '') onLine(rest);
      rest = '';
    },
  };
}
