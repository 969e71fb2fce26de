import type { Logger, MemorySink } from './logging/logger';
import type { Credentials } from './credentials/credentials';
import type { ServerConnection } from './server/serverConnection';

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
}

export function createApi(parts: {
  activationMs: number;
  server: ServerConnection;
  test?: { memory: MemorySink; logger: Logger; credentials: Credentials; runningJobs: () => number };
}): DevGuideExportApi {
  const { test } = parts;
  return {
    activationMs: parts.activationMs,
    whenServerReady: () => parts.server.started.then(() => undefined),
    ...(test
      ? {
          testHooks: {
            logLines: () => test.memory.snapshot(),
            scrubbedSecretCount: () => test.logger.scrubbedCount,
            resolveSecret: (id, field, type) => test.credentials.resolve(id, field, type),
            runningJobs: test.runningJobs,
            serverRequest: async <R>(method: string, params: unknown) => (await parts.server.started).sendRequest<R>(method, params),
          },
        }
      : {}),
  };
}
