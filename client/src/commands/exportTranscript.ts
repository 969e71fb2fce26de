import { basename } from 'node:path';
import * as vscode from 'vscode';
import { ListSessionsRequest } from '../../../server/src/protocol';
import type { CmdFactory, Ctx } from '../context';
import { pickSession } from '../ui/messagePicker';
import { exportTranscriptArgs, parseArgs } from './args';
import { CANCELLED, exportTarget, type ExportOutcome, type ExportTarget } from './exportFlow';
import { pickFromTranscript } from './exportSource';

/**
 * Export Transcript…: a transcript file (from the explorer's context menu,
 * an argument, or an open dialog), then its session and messages.
 */
export const exportTranscript: CmdFactory = (ctx) => async (arg?: unknown): Promise<ExportOutcome> => {
  const startedAt = performance.now();
  const args = parseArgs(exportTranscriptArgs, arg instanceof vscode.Uri ? undefined : arg, 'Export Transcript');
  const uri = arg instanceof vscode.Uri ? arg : args.path ? fileUri(args.path) : await askForTranscript();
  if (!uri) return CANCELLED;
  const target = await transcriptTarget(ctx, uri, args);
  if (target === 'cancelled') return CANCELLED;
  return exportTarget(ctx, target, args, startedAt);
};

async function transcriptTarget(
  ctx: Ctx,
  uri: vscode.Uri,
  args: { sessionId?: string; messageIds?: string[]; blockIds?: string[]; allMessages?: boolean },
): Promise<ExportTarget | 'cancelled'> {
  const path = uri.fsPath;
  const fileName = basename(path);
  const { sessions } = await ctx.server.request(ListSessionsRequest.type, { path });
  const withMessages = sessions.filter((s) => s.messages.length > 0);
  if (withMessages.length === 0) {
    void vscode.window.showInformationMessage(`${fileName} holds no messages to export.`);
    return 'cancelled';
  }
  const candidates = args.sessionId ? withMessages.filter((s) => s.id === args.sessionId) : withMessages;
  if (candidates.length === 0) {
    void vscode.window.showErrorMessage(`${fileName} has no session "${args.sessionId}".`);
    return 'cancelled';
  }
  const chosenByArgs = args.messageIds !== undefined || args.blockIds !== undefined || args.allMessages === true;
  if (!chosenByArgs) return pickFromTranscript(path, fileName, candidates, { pickAll: true });
  const session = await pickSession(candidates, fileName);
  if (!session) return 'cancelled';
  return {
    source: { kind: 'file', path },
    sessionId: session.id,
    ...(args.messageIds ? { messageIds: args.messageIds } : {}),
    ...(args.blockIds ? { blockIds: args.blockIds } : {}),
    suggestedTitle: session.title ?? fileName,
  };
}

async function askForTranscript(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'DevGuide Export: Choose a chat transcript',
    openLabel: 'Export from this transcript',
    canSelectMany: false,
    filters: { 'Chat transcripts': ['json', 'jsonl'], 'All files': ['*'] },
    ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
  });
  return picked?.[0];
}

/** An absolute path, or one relative to the first workspace folder. */
function fileUri(path: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || !folder) return vscode.Uri.file(path);
  return vscode.Uri.joinPath(folder.uri, path);
}
