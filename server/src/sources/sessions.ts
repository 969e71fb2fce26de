import type { ChatMessage, SessionInfo } from '../model';

/**
 * Grouping parsed messages into sessions: stable time order inside each
 * session, sessions ordered by their first message, a title for each.
 */

const TITLE_MAX = 60;

/** Sorts by createdAt; ties keep their input order (Array#sort is stable). */
export function sortByTime(messages: readonly ChatMessage[]): ChatMessage[] {
  if (isChronological(messages)) return [...messages];
  const keyed = messages.map((message, index) => ({ message, index, time: Date.parse(message.createdAt) }));
  keyed.sort((a, b) => a.time - b.time || a.index - b.index);
  return keyed.map((k) => k.message);
}

/** Fast path: `toISOString()` strings (24 characters) in non-decreasing order compare correctly as text. */
function isChronological(messages: readonly ChatMessage[]): boolean {
  let previous = '';
  for (const message of messages) {
    const time = message.createdAt;
    if (time.length !== 24 || time < previous) return false;
    previous = time;
  }
  return true;
}

/**
 * Groups messages by sessionId. `titles` gives a format's own title; other
 * sessions are titled after their first user message.
 */
export function groupSessions(messages: readonly ChatMessage[], titles: ReadonlyMap<string, string> = new Map()): SessionInfo[] {
  const bySession = new Map<string, ChatMessage[]>();
  for (const message of messages) {
    const list = bySession.get(message.sessionId);
    if (list === undefined) bySession.set(message.sessionId, [message]);
    else list.push(message);
  }
  const sessions = [...bySession].map(([id, list]) => makeSession(id, sortByTime(list), titles.get(id)));
  const start = (s: SessionInfo): number => (s.messages[0] === undefined ? Infinity : Date.parse(s.messages[0].createdAt));
  return sessions
    .map((session, index) => ({ session, index, time: start(session) }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map((entry) => entry.session);
}

export function makeSession(id: string, messages: ChatMessage[], formatTitle?: string): SessionInfo {
  const title = nonBlank(formatTitle) ?? titleFromMessages(messages);
  return title === undefined ? { id, messages } : { id, title, messages };
}

/** The first user message (else the first message), on one line, cut to about 60 characters. */
export function titleFromMessages(messages: readonly ChatMessage[]): string | undefined {
  const source = messages.find((m) => m.role === 'user' && m.content.trim() !== '') ?? messages.find((m) => m.content.trim() !== '');
  return source === undefined ? undefined : shortTitle(source.content);
}

export function shortTitle(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= TITLE_MAX) return oneLine;
  let cut = oneLine.slice(0, TITLE_MAX - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${lastSpace > TITLE_MAX / 2 ? cut.slice(0, lastSpace) : cut}…`;
}

function nonBlank(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? undefined : trimmed;
}
