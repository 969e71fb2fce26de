import { basename } from 'node:path';
import * as vscode from 'vscode';
import { FindMessagesAtLinesRequest, ListSessionsRequest, type LineRange, type MessagesAtLinesResult, type SessionsResult } from '../../../server/src/protocol';
import type { Ctx } from '../context';
import { isNotATranscript, toUserFacingError } from '../languageClient/serverErrors';
import { selectedLines } from '../transcript/selection';
import { pickMessages, pickSession } from '../ui/messagePicker';
import type { ExportTarget } from './exportFlow';

/**
 * What "the selection" means: in a transcript file, the messages under the
 * selection (or, with nothing selected or no message under it, the ones
 * picked from a list); in any other editor, the selected text itself.
 */

type Session = SessionsResult['sessions'][number];

export type EditorTarget = ExportTarget | 'cancelled' | 'nothing-selected';

export async function targetFromEditor(ctx: Ctx, editor: vscode.TextEditor): Promise<EditorTarget> {
  const document = editor.document;
  const fileName = basename(document.fileName);
  const selected = editor.selections
    .map((selection) => ({ selection, lines: selectedLines(selection) }))
    .filter((s): s is { selection: vscode.Selection; lines: NonNullable<typeof s.lines> } => s.lines !== undefined)
    .sort((a, b) => a.lines.startLine - b.lines.startLine);

  if (document.uri.scheme === 'file') {
    const path = document.uri.fsPath;
    if (selected.length === 0) {
      const sessions = await transcriptSessions(ctx, path);
      if (sessions.length > 0) return pickFromTranscript(path, fileName, sessions, { pickAll: false });
    } else {
      const found = await messagesAtLines(ctx, path, selected.map((s) => s.lines));
      if (found?.match) {
        const { match } = found;
        if (document.isDirty) ctx.logger.warn(`${fileName} has unsaved changes; the saved transcript is exported.`);
        if (match.otherSessionIds.length > 0) {
          void vscode.window.showWarningMessage(
            `The selection spans ${match.otherSessionIds.length + 1} sessions; exporting the messages of session "${match.sessionId}" only.`,
          );
        }
        return { source: { kind: 'file', path }, sessionId: match.sessionId, messageIds: match.messageIds, suggestedTitle: match.title ?? fileName };
      }
      if (found) {
        // A transcript is never exported as raw JSON unasked: the person picks the messages instead.
        ctx.logger.info(`No message of ${fileName} lies under the selection: opening the message picker.`);
        void vscode.window.showInformationMessage(`No message of ${fileName} lies under the selected lines: pick the messages to export.`);
        const sessions = await transcriptSessions(ctx, path);
        if (sessions.length > 0) return pickFromTranscript(path, fileName, sessions, { pickAll: false });
      }
    }
  }

  if (selected.length === 0) return 'nothing-selected';
  const first = selected[0]!.lines.startLine;
  const last = selected[selected.length - 1]!.lines.endLine;
  return {
    source: {
      kind: 'editor',
      path: document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.toString(),
      languageId: document.languageId,
      ranges: selected.map((s) => ({ startLine: s.lines.startLine, endLine: s.lines.endLine, text: document.getText(s.selection) })),
    },
    suggestedTitle: first === last ? `${fileName} (line ${first})` : `${fileName} (lines ${first}–${last})`,
  };
}

/** The messages under the selected lines (the server reads the file), or undefined when the file is not a transcript. */
async function messagesAtLines(ctx: Ctx, path: string, ranges: LineRange[]): Promise<MessagesAtLinesResult | undefined> {
  const result = await unlessNotATranscript(ctx.server.request(FindMessagesAtLinesRequest.type, { path, ranges }));
  return result && result.sessionCount > 0 ? result : undefined;
}

/** The sessions with messages, or [] when the file is not a transcript. */
async function transcriptSessions(ctx: Ctx, path: string): Promise<Session[]> {
  const result = await unlessNotATranscript(ctx.server.request(ListSessionsRequest.type, { path }));
  return result ? result.sessions.filter((s) => s.messages.length > 0) : [];
}

/** A request about a file as a transcript: undefined when the server says it is none (any other failure stands). */
async function unlessNotATranscript<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (thrown) {
    if (isNotATranscript(toUserFacingError(thrown))) return undefined;
    throw thrown;
  }
}

export async function pickFromTranscript(
  path: string,
  fileName: string,
  sessions: readonly Session[],
  options: { pickAll: boolean },
): Promise<ExportTarget | 'cancelled'> {
  const session = await pickSession(sessions, fileName);
  if (!session) return 'cancelled';
  const picked = await pickMessages(session, options);
  if (!picked) return 'cancelled';
  return {
    source: { kind: 'file', path },
    sessionId: session.id,
    messageIds: picked.messageIds,
    ...(picked.blockIds ? { blockIds: picked.blockIds } : {}),
    suggestedTitle: session.title ?? fileName,
  };
}
