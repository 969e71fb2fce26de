import * as vscode from 'vscode';
import type { SessionsResult } from '../../../server/src/protocol';
import { messagePickItems, selectionFromPicks, type PickedSelection } from '../transcript/messagePicks';

type Session = SessionsResult['sessions'][number];

/** Which session of a transcript holding several. */
export async function pickSession(sessions: readonly Session[], fileName: string): Promise<Session | undefined> {
  if (sessions.length === 1) return sessions[0];
  const picked = await vscode.window.showQuickPick(
    sessions.map((s) => ({ label: s.title ?? s.id, description: sessionDescription(s), session: s })),
    { title: `DevGuide Export: Session in ${fileName}`, placeHolder: 'This transcript holds several sessions: choose one', matchOnDescription: true, ignoreFocusOut: true },
  );
  return picked?.session;
}

/** Its id (unless that is already the label), message count and last message time. */
function sessionDescription(s: Session): string {
  const parts = s.title ? [s.id] : [];
  parts.push(`${s.message_count ?? s.messages.length} messages`);
  if (s.last_at) parts.push(s.last_at.slice(0, 16).replace('T', ' '));
  return parts.join(' · ');
}

/** A multi-select of the session's messages and their blocks. */
export async function pickMessages(session: Session, options: { pickAll: boolean }): Promise<PickedSelection | undefined> {
  const items = messagePickItems(session, { pickAll: options.pickAll });
  const picked = await vscode.window.showQuickPick(items, {
    title: `DevGuide Export: Messages of ${session.title ?? session.id}`,
    placeHolder: 'Pick whole messages, or single blocks (↳) of longer ones',
    canPickMany: true,
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  const selection = selectionFromPicks(session, picked);
  if (!selection) void vscode.window.showInformationMessage('Nothing was picked, so there is nothing to export.');
  return selection;
}
