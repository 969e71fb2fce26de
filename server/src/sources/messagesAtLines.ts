import { z } from 'zod';
import type { ParsedTranscript } from '../model';

/**
 * Maps lines of a transcript file (an editor selection) to the messages on
 * them. A message of a JSON document (VS Code Chat, ChatGPT) spans the lines
 * of its JSON value, found by the parser; a message of a line-based format
 * spans from the line it starts on to the line before the next message's
 * start (the last one to the end of the file), so a pretty-printed message
 * is found from any of its lines. Lines of no message (a ChatGPT branch the
 * user left, request metadata) map to nothing.
 */

/** Lines of a file, 1-based and inclusive, as editors number them. */
export const lineRangeSchema = z
  .object({ startLine: z.number().int().min(1), endLine: z.number().int().min(1) })
  .refine((r) => r.endLine >= r.startLine, 'endLine before startLine');
export type LineRange = z.infer<typeof lineRangeSchema>;

export interface MessagesAtLines {
  /** The session with most messages under the ranges (on a tie, the one met first in the file). */
  sessionId: string;
  /** Its messages under the ranges, in file order. */
  messageIds: string[];
  /** Other sessions the ranges also touched (their messages are left out). */
  otherSessionIds: string[];
}

/** The 1-based line a message starts on, from its `path:line` location. */
export function lineOfLocation(location: string | undefined): number | undefined {
  const match = location === undefined ? null : /:(\d+)$/.exec(location);
  const line = match ? Number(match[1]) : NaN;
  return Number.isInteger(line) && line >= 1 ? line : undefined;
}

interface Span {
  sessionId: string;
  messageId: string;
  first: number;
  last: number;
}

/** Undefined when no placeable message lies under the ranges. O(n log n) in the messages. */
export function messagesAtLines(transcript: ParsedTranscript, ranges: readonly LineRange[]): MessagesAtLines | undefined {
  const hits = spans(transcript).filter((m) => ranges.some((r) => r.startLine <= m.last && r.endLine >= m.first));
  if (hits.length === 0) return undefined;
  const countBySession = new Map<string, number>();
  for (const hit of hits) countBySession.set(hit.sessionId, (countBySession.get(hit.sessionId) ?? 0) + 1);
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

function spans(transcript: ParsedTranscript): Span[] {
  const starts: { sessionId: string; messageId: string; line: number }[] = [];
  const known: Span[] = [];
  for (const session of transcript.sessions) {
    for (const message of session.messages) {
      if (message.lines) {
        known.push({ sessionId: session.id, messageId: message.id, first: message.lines.first, last: message.lines.last });
        continue;
      }
      const line = lineOfLocation(message.location);
      if (line !== undefined) starts.push({ sessionId: session.id, messageId: message.id, line });
    }
  }
  if (starts.length === 0) return known.sort((a, b) => a.first - b.first);
  // Stable: messages that share a line (a minified file) keep their order and their span.
  starts.sort((a, b) => a.line - b.line);
  const result: Span[] = new Array<Span>(starts.length);
  let nextLine = Number.POSITIVE_INFINITY;
  for (let i = starts.length - 1; i >= 0; i--) {
    const start = starts[i]!;
    const last = nextLine === Number.POSITIVE_INFINITY ? nextLine : nextLine - 1;
    result[i] = { sessionId: start.sessionId, messageId: start.messageId, first: start.line, last };
    if (i > 0 && starts[i - 1]!.line !== start.line) nextLine = start.line;
  }
  return result;
}
