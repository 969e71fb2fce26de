import type { ExportRequestParams } from '../../../server/src/protocol';

/**
 * What an export is of — the file, and the session, messages, blocks or
 * editor ranges chosen in it — as one string: a second export of the same
 * selection reuses the open review panel of the first. Template, destination
 * and the other fields are not part of it: the panel changes those.
 */
export function exportTargetKey(params: Pick<ExportRequestParams, 'source' | 'sessionId' | 'messageIds' | 'blockIds'>): string {
  const { source } = params;
  const selection =
    source.kind === 'editor'
      ? { ranges: source.ranges.map((r) => [r.startLine, r.endLine, r.text]) }
      : { lines: source.lines?.map((r) => [r.startLine, r.endLine]) ?? null, sessionId: params.sessionId ?? null, messageIds: params.messageIds ?? null, blockIds: params.blockIds ?? null };
  return JSON.stringify({ kind: source.kind, path: source.path, ...selection });
}
