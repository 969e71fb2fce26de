import { CloseAction, ErrorAction, type ErrorHandler } from 'vscode-languageclient/node';
import type { Logger } from '../logging/logger';
import type { RestartPolicy } from './restartPolicy';
import { describeExit, type ExitWatch } from './serverProcess';

/**
 * vscode-languageclient's ErrorHandler with our restart policy: a server that
 * stops unexpectedly is started again (the client re-opens the template
 * documents in it) at most 3 times in 3 minutes; then it stays stopped and the
 * person is told, with Show Log. Every decision is logged with why the process
 * ended. A server that never came up is not restarted: its start failure is
 * reported once, by the client.
 */

export interface CrashHandlerDeps {
  logger: Logger;
  policy: RestartPolicy;
  exits: ExitWatch;
  /** Whether the server ever finished its initialize handshake. */
  hasRun(): boolean;
  /** Shows an error about the server itself, with Show Log. */
  tell(message: string): void;
}

/** How long to wait for the process's exit once its connection closed (for the log's sake). */
const EXIT_WAIT_MS = 1_000;
/** Connection errors in a row that are logged and lived with (vscode-languageclient's own default). */
const TOLERATED_ERRORS = 3;

export function crashHandler(deps: CrashHandlerDeps): ErrorHandler {
  return {
    error(error, _message, count) {
      if (count !== undefined && count <= TOLERATED_ERRORS) {
        return { action: ErrorAction.Continue, message: `Language server connection: ${error.message}`, handled: true };
      }
      deps.tell('The DevGuide Export language server kept failing to exchange messages and was stopped.');
      return { action: ErrorAction.Shutdown, message: `Language server connection failed repeatedly (${error.message}): stopping it.`, handled: true };
    },

    async closed() {
      const reason = describeExit(await deps.exits.lastExit(EXIT_WAIT_MS));
      deps.logger.error(`The language server stopped unexpectedly (${reason}).`);
      if (!deps.hasRun()) {
        return { action: CloseAction.DoNotRestart, message: 'The language server did not start.', handled: true };
      }
      if (!deps.policy.shouldRestart()) {
        deps.tell('The DevGuide Export language server stopped unexpectedly too often and was not restarted.');
        return { action: CloseAction.DoNotRestart, message: 'The language server stopped unexpectedly too often and was not restarted.', handled: true };
      }
      return { action: CloseAction.Restart, message: 'Restarting the language server.', handled: true };
    },
  };
}
