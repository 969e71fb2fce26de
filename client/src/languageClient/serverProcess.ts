/**
 * Facts about the language server's process that the client logs or needs
 * to start it: how it ended, and the inspector port to debug it. Pure (no
 * `vscode`): unit tests drive it.
 */

export interface ProcessExit {
  code: number | null;
  signal: string | null;
}

/** The reason in "The language server stopped unexpectedly (…)". */
export function describeExit(exit: ProcessExit | undefined): string {
  if (!exit) return 'its connection closed';
  return `the process ended: ${exit.signal ? `signal ${exit.signal}` : `exit code ${String(exit.code)}`}`;
}

/** DEVGUIDE_SERVER_INSPECT=<port>: the server runs with Node's inspector on that port. */
export function inspectPortOf(value: string | undefined): number | undefined {
  const port = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isInteger(port) && port > 0 && port < 65_536 ? port : undefined;
}

/** Node flags of the server process: the inspector when asked for, never the extension host's own flags. */
export function serverExecArgv(inspectPort: number | undefined): string[] {
  return inspectPort === undefined ? [] : ['--nolazy', `--inspect=${inspectPort}`];
}

/** The part of a ChildProcess watched here. */
interface Watched {
  readonly exitCode: number | null;
  readonly signalCode: string | null;
  once(event: 'exit', listener: (code: number | null, signal: string | null) => void): unknown;
}

/**
 * Remembers how the current server process ends. vscode-languageclient
 * tells its error handler only that the connection closed; the exit code
 * or signal is what the log needs to say why.
 */
export class ExitWatch {
  private exit: Promise<ProcessExit> | undefined;

  watch(child: Watched | undefined): void {
    if (!child) {
      this.exit = undefined;
      return;
    }
    this.exit = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once('exit', (code, signal) => resolve({ code, signal }));
    });
  }

  /**
   * How the watched process ended. The connection usually closes just
   * before the exit is known: waits up to `waitMs` for it, else undefined.
   */
  async lastExit(waitMs: number): Promise<ProcessExit | undefined> {
    if (!this.exit) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([this.exit, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)))]);
    } finally {
      clearTimeout(timer);
    }
  }
}
