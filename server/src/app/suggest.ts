import type { Destination, ExistingContent } from '../destinations/types';
import type { AssembledContent } from '../model';
import type { Store } from '../store/types';
import { slugify } from '../templates/helpers';

/**
 * What an export is called when the user did not say: the title and the
 * file name come from the selection itself (a whole session keeps the
 * session's title), and a different selection never silently lands on the
 * file another selection was exported to (issue 10 item 8).
 */

const MAX_TITLE = 80;
const MAX_NUMBERED = 50;

/** The session's title for a whole session; otherwise the selection's first heading, or its first user line. */
export function suggestTitle(assembled: AssembledContent, wholeSession: boolean): string {
  return tidyTitle(titleSource(assembled, wholeSession));
}

/**
 * Where a suggested title comes from, as found: the caller may redact
 * secrets in it before `tidyTitle` (stripping Markdown marks or shortening
 * first could disguise or cut a secret beyond recognition).
 */
export function titleSource(assembled: AssembledContent, wholeSession: boolean): { text: string; fromSession: boolean } {
  if (wholeSession && assembled.sessionTitle) return { text: assembled.sessionTitle, fromSession: true };
  const heading = firstMatch(assembled, /^#{1,6}\s+(.+?)\s*#*\s*$/m);
  const firstUser = assembled.messages.find((m) => m.role === 'user') ?? assembled.messages[0];
  const line = firstUser?.content.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
  return { text: heading ?? line ?? assembled.sessionTitle ?? 'DevGuide export', fromSession: false };
}

/** A session's own title as it is; a found line without Markdown emphasis and code marks, at most 80 characters. */
export function tidyTitle(source: { text: string; fromSession: boolean }): string {
  return source.fromSession ? source.text : shortenTitle(source.text.replace(/[*_`]/g, ''));
}

function firstMatch(assembled: AssembledContent, pattern: RegExp): string | undefined {
  for (const message of assembled.messages) {
    const match = pattern.exec(message.content);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

function shortenTitle(text: string): string {
  if (text.length <= MAX_TITLE) return text;
  const cut = text.slice(0, MAX_TITLE - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > MAX_TITLE / 2 ? cut.slice(0, space) : cut}…`;
}

export interface FilenameChoice {
  filename: string;
  existing: ExistingContent | undefined;
}

/**
 * `slug.ext`, or `slug-2.ext`, … when the file there was exported from a
 * different selection (the job store says which selection wrote it). A
 * file no job wrote is the user's: the review shows it as an UPDATE.
 */
export async function suggestFilename(
  base: { slug: string; extension: string },
  selection: { destinationId: string; sessionId: string; messageIds: string[] },
  destination: Destination,
  store: Store,
  signal?: AbortSignal,
): Promise<FilenameChoice> {
  const jobs = await store.listJobs({ destinationId: selection.destinationId, status: 'completed' });
  const sameSelection = (ids: string[]) => ids.length === selection.messageIds.length && ids.every((id, i) => id === selection.messageIds[i]);
  for (let n = 1; n <= MAX_NUMBERED; n += 1) {
    const filename = `${base.slug}${n === 1 ? '' : `-${n}`}${base.extension}`;
    const existing = await destination.fetchExisting(filename, signal);
    if (!existing) return { filename, existing };
    const writer = jobs.find((j) => j.filename === filename);
    if (!writer || (writer.session_id === selection.sessionId && sameSelection(writer.message_ids))) return { filename, existing };
  }
  const filename = `${base.slug}${base.extension}`;
  return { filename, existing: await destination.fetchExisting(filename, signal) };
}

export function slugOf(title: string): string {
  return slugify(title) || 'export';
}
