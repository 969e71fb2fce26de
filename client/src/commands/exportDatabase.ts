import * as vscode from 'vscode';
import { ListSessionsRequest, type SessionsResult } from '../../../server/src/protocol';
import type { Ctx } from '../context';
import { toUserFacingError } from '../languageClient/serverErrors';
import { sourceCredentialId, type DatabaseSourceRef } from '../transcript/databaseSources';
import { pickSession } from '../ui/messagePicker';
import type { ExportTarget } from './exportFlow';
import { pickFromTranscript } from './exportSource';

/**
 * Export Transcript… from a configured database source: its sessions (one
 * line each, with their message counts), then the chosen session's
 * messages and blocks in the QuickPick. The password is asked for once,
 * when the server reports it missing or wrong, and kept in SecretStorage.
 */

export async function databaseTarget(
  ctx: Ctx,
  source: DatabaseSourceRef,
  args: { sessionId?: string; messageIds?: string[]; blockIds?: string[]; allMessages?: boolean },
): Promise<ExportTarget | 'cancelled'> {
  const listing = await withPassword(ctx, source, () => ctx.server.request(ListSessionsRequest.type, { path: source.address }));
  if (listing === 'cancelled') return 'cancelled';
  const withMessages = listing.sessions.filter((s) => (s.message_count ?? s.messages.length) > 0);
  if (withMessages.length === 0) {
    void vscode.window.showInformationMessage(`${source.name} holds no messages to export.`);
    return 'cancelled';
  }
  const candidates = args.sessionId ? withMessages.filter((s) => s.id === args.sessionId) : withMessages;
  // A session that is not among the most recent ones listed can still be named.
  const sessions = candidates.length > 0 ? candidates : args.sessionId ? [{ id: args.sessionId, title: null, messages: [] }] : [];
  const session = await pickSession(sessions, source.name);
  if (!session) return 'cancelled';
  const chosenByArgs = args.messageIds !== undefined || args.blockIds !== undefined || args.allMessages === true;
  if (chosenByArgs) {
    return {
      source: { kind: 'file', path: source.address },
      sessionId: session.id,
      ...(args.messageIds ? { messageIds: args.messageIds } : {}),
      ...(args.blockIds ? { blockIds: args.blockIds } : {}),
      suggestedTitle: session.title ?? `${source.name}: ${session.id}`,
    };
  }
  const full = await ctx.server.request(ListSessionsRequest.type, { path: source.address, sessionId: session.id });
  return pickFromTranscript(source.address, source.name, full.sessions, { pickAll: true });
}

/** The request, and once more after asking for the password when the server says it is missing or wrong. */
async function withPassword(ctx: Ctx, source: DatabaseSourceRef, request: () => Promise<SessionsResult>): Promise<SessionsResult | 'cancelled'> {
  try {
    return await request();
  } catch (thrown) {
    const error = toUserFacingError(thrown);
    if (error.code !== 'AUTH_EXPIRED') throw thrown;
    const password = await vscode.window.showInputBox({
      title: `DevGuide Export: Password for ${source.name}`,
      prompt: `${source.description} refused the connection (${error.message}). Enter the password; it is kept in VS Code's SecretStorage.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value === '' ? 'Enter the password, or press Escape to cancel.' : undefined),
    });
    if (password === undefined) return 'cancelled';
    await ctx.credentials.set(sourceCredentialId(source.id), 'password', password);
    return request();
  }
}
