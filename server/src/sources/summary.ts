import type { ParsedTranscript, Role, Surface } from '../model';

/** Views of a parsed transcript for pickers and the CLI's `sessions --json`. */

export interface SessionsJson {
  format: ParsedTranscript['format'];
  sessions: {
    id: string;
    title: string | null;
    messages: {
      id: string;
      role: Role;
      created_at: string;
      agent_id: string | null;
      surface: Surface;
      blocks: { id: string; kind: string }[];
    }[];
  }[];
}

export function toSessionsJson(parsed: ParsedTranscript): SessionsJson {
  return {
    format: parsed.format,
    sessions: parsed.sessions.map((session) => ({
      id: session.id,
      title: session.title ?? null,
      messages: session.messages.map((m) => ({
        id: m.id,
        role: m.role,
        created_at: m.createdAt,
        agent_id: m.agentId ?? null,
        surface: m.surface,
        blocks: m.blocks.map((b) => ({ id: b.id, kind: b.kind })),
      })),
    })),
  };
}

export interface SessionSummary {
  id: string;
  title?: string;
  messageCount: number;
  /** ISO times of the first and last message; absent for an empty session. */
  startedAt?: string;
  endedAt?: string;
}

/** One line per session, e.g. for a QuickPick. */
export function listSessions(parsed: ParsedTranscript): SessionSummary[] {
  return parsed.sessions.map((session) => {
    const summary: SessionSummary = { id: session.id, messageCount: session.messages.length };
    if (session.title !== undefined) summary.title = session.title;
    const first = session.messages[0];
    const last = session.messages[session.messages.length - 1];
    if (first !== undefined && last !== undefined) {
      summary.startedAt = first.createdAt;
      summary.endedAt = last.createdAt;
    }
    return summary;
  });
}
