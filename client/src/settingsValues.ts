import * as z from 'zod/mini';

/**
 * Reading the `devguideExport.destinations` setting's raw values (from
 * `inspect()`: user, workspace, folder). The server validates the full
 * settings; the client only needs ids and types, and must not fail on a
 * half-typed entry. Pure.
 */

const destinationEntry = z.object({ id: z.string(), type: z.string(), name: z.optional(z.string()) });

export interface DestinationRef {
  id: string;
  type: string;
  name: string;
}

export function destinationRefsOf(value: unknown): DestinationRef[] {
  if (!Array.isArray(value)) return [];
  const refs: DestinationRef[] = [];
  for (const entry of value) {
    const parsed = destinationEntry.safeParse(entry);
    if (parsed.success) refs.push({ id: parsed.data.id, type: parsed.data.type, name: parsed.data.name ?? parsed.data.id });
  }
  return refs;
}

/** Ids defined by the workspace (or a folder of it): the ones Restricted Mode disables. */
export function workspaceDestinationIdsOf(inspected: { workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined): string[] {
  if (!inspected) return [];
  const ids = [...destinationRefsOf(inspected.workspaceValue), ...destinationRefsOf(inspected.workspaceFolderValue)].map((d) => d.id);
  return [...new Set(ids)].sort();
}

export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
