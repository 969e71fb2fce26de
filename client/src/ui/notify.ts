import * as vscode from 'vscode';
import { COMMAND_IDS } from '../commands/commandIds';
import type { Ctx } from '../context';
import { toUserFacingError, type UserFacingError } from '../languageClient/serverErrors';

/**
 * Errors shown to a person: the server's message, an action where one
 * helps (Retry for recoverable failures), and the log — never a stack trace.
 * Not awaited by commands: the command finishes while the toast stays.
 */
export function showError(ctx: Ctx, thrown: unknown, options: { prefix?: string; retry?: () => Promise<unknown> } = {}): UserFacingError {
  const error = toUserFacingError(thrown);
  ctx.logger.error(`${options.prefix ?? 'Error'} [${error.code}]`, error.message);
  const setCredential = error.credentialFor ? ['Set Credential'] : [];
  const actions = [...setCredential, ...(error.recoverable && options.retry ? ['Retry'] : []), 'Show Log'];
  const text = options.prefix ? `${options.prefix}: ${error.message}` : error.message;
  void vscode.window.showErrorMessage(text, ...actions).then((choice) => {
    if (choice === 'Retry' && options.retry) options.retry().catch((again: unknown) => showError(ctx, again, options));
    if (choice === 'Show Log') ctx.channel.show();
    // Sign in again (GitHub) or store a new token, for the destination that refused.
    if (choice === 'Set Credential' && error.credentialFor === 'store' && error.credentialField === 'key') void vscode.commands.executeCommand('devguideExport.setTeamStoreKey' satisfies (typeof COMMAND_IDS)[number]);
    else if (choice === 'Set Credential') void vscode.commands.executeCommand('devguideExport.setDestinationCredential' satisfies (typeof COMMAND_IDS)[number], { destinationId: error.credentialFor });
  });
  return error;
}
