import { basename } from 'node:path';
import * as vscode from 'vscode';
import { ListSessionsRequest } from '../../../server/src/protocol';
import type { CmdFactory, Ctx } from '../context';
import { pickSession } from '../ui/messagePicker';
import { exportTranscriptArgs, parseArgs } from './args';
import { CANCELLED, exportTarget, type ExportOutcome, type ExportTarget } from './exportFlow';
import { pickFromTranscript } from './exportSource';
import { databaseTarget } from './exportDatabase';
import { settings } from '../settings';
import type { DatabaseSourceRef } from '../transcript/databaseSources';

/**
 * Export Transcript…: a transcript file (from the explorer's context menu,
 * an argument, or an open dialog) or a configured database source
 * (`devguideExport.sources`), then its session and messages.
 */
export const exportTranscript: CmdFactory = (ctx) => async (arg?: unknown): Promise<ExportOutcome> => {
  const startedAt = performance.now();
  const args = parseArgs(exportTranscriptArgs, arg instanceof vscode.Uri ? undefined : arg, 'Export Transcript');
  const chosen: vscode.Uri | DatabaseSourceRef | undefined =
    arg instanceof vscode.Uri ? arg : args.sourceId ? findSource(args.sourceId) : args.path ? fileUri(args.path) : await askForTranscript();
  if (!chosen) return CANCELLED;
  const target = chosen instanceof vscode.Uri ? await transcriptTarget(ctx, chosen, args) : await databaseTarget(ctx, chosen, args);
  if (target === 'cancelled') return CANCELLED;
  return exportTarget(ctx, target, args, startedAt);
};

function findSource(sourceId: string): DatabaseSourceRef | undefined {
  const found = settings.sources().find((s) => s.id === sourceId);
  if (!found) void vscode.window.showErrorMessage(`There is no database source "${sourceId}" in the setting devguideExport.sources.`);
  return found;
}

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

/** A transcript file, or — when databases are configured — one of them. */
async function askForTranscript(): Promise<vscode.Uri | DatabaseSourceRef | undefined> {
  const sources = settings.sources();
  if (sources.length > 0) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: '$(file) Transcript file…', detail: 'A chat transcript (JSON or JSONL) on disk.' },
        ...sources.map((source) => ({ label: `$(database) ${source.name}`, description: source.description, detail: 'Sessions of its chat_messages table.', source })),
      ],
      { title: 'DevGuide Export: Export from', placeHolder: 'A transcript file or a database', matchOnDescription: true, ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    if ('source' in picked) return picked.source;
  }
  return askForTranscriptFile();
}

async function askForTranscriptFile(): Promise<vscode.Uri | undefined> {
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
