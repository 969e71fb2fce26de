import type { SessionsResult } from '../../../server/src/protocol';

/**
 * Maps an editor selection in a transcript file to the messages under it.
 * Pure: positions come in as plain numbers, messages as the server's
 * devguide/listSessions answer (messages carry the 1-based `line` they start on).
 */

/** 0-based, like vscode.Position. */
export interface EditorPosition {
  line: number;
  character: number;
}

export interface EditorSelection {
  start: EditorPosition;
  end: EditorPosition;
}

/** 1-based, inclusive. */
export interface LineRange {
  startLine: number;
  endLine: number;
}

/**
 * The lines a selection covers, 1-based. A selection that ends at column 0
 * of a line does not cover that line (it is how a whole-line selection ends).
 * Empty selections cover nothing.
 */
export function selectedLines(selection: EditorSelection): LineRange | undefined {
  const { start, end } = selection;
  if (start.line === end.line && start.character === end.character) return undefined;
  const lastLine = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
  return { startLine: start.line + 1, endLine: lastLine + 1 };
}

export interface MessagesUnderSelection {
  sessionId: string;
  /** In file order. */
  messageIds: string[];
  /** Other sessions the selection also touched (their messages are left out). */
  otherSessionIds: string[];
}

interface Located {
  sessionId: string;
  messageId: string;
  first: number;
  last: number;
}

/**
 * Each message spans from its line to the line before the next message's
 * start (the last one to the end of the file). Messages without a line
 * cannot be placed and are ignored. Returns undefined when no message
 * intersects the ranges.
 */
export function messagesUnderSelection(sessions: SessionsResult['sessions'], ranges: readonly LineRange[]): MessagesUnderSelection | undefined {
  const located = locate(sessions);
  const hits = located.filter((m) => ranges.some((r) => r.startLine <= m.last && r.endLine >= m.first));
  if (hits.length === 0) return undefined;
  const countBySession = new Map<string, number>();
  for (const hit of hits) countBySession.set(hit.sessionId, (countBySession.get(hit.sessionId) ?? 0) + 1);
  // The session with most selected messages wins; on a tie, the one selected first.
  let chosen = hits[0]!.sessionId;
  for (const [sessionId, count] of countBySession) {
    if (count > (countBySession.get(chosen) ?? 0)) chosen = sessionId;
  }
  return {
    sessionId: chosen,
    messageIds: hits.filter((h) => h.sessionId === chosen).map((h) => h.messageId),
    otherSessionIds: [...countBySession.keys()].filter((id) => id !== chosen),
  };
}

function locate(sessions: SessionsResult['sessions']): Located[] {
  const starts: { sessionId: string; messageId: string; line: number }[] = [];
  for (const session of sessions) {
    for (const message of session.messages) {
      if (message.line !== undefined && Number.isInteger(message.line) && message.line >= 1) {
        starts.push({ sessionId: session.id, messageId: message.id, line: message.line });
      }
    }
  }
  starts.sort((a, b) => a.line - b.line);
  const distinctLines = [...new Set(starts.map((s) => s.line))];
  return starts.map((s) => {
    const next = distinctLines.find((line) => line > s.line);
    return { sessionId: s.sessionId, messageId: s.messageId, first: s.line, last: next === undefined ? Number.POSITIVE_INFINITY : next - 1 };
  });
}
