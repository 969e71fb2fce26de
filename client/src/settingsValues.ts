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

const driveEntry = z.object({ id: z.string(), type: z.literal('drive'), tokenUrl: z.optional(z.string()) });

/** A Drive destination's own token endpoint (a Google-compatible one), when its entry sets one. */
export function driveTokenUrlOf(value: unknown, destinationId: string): string | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const entry of value) {
    const parsed = driveEntry.safeParse(entry);
    if (parsed.success && parsed.data.id === destinationId) return parsed.data.tokenUrl;
  }
  return undefined;
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

/**
 * Parses a settings file (JSON with comments and trailing commas, as VS Code
 * writes and accepts them). Returns undefined when it is not an object.
 */
export function parseSettingsText(text: string): Record<string, unknown> | undefined {
  const withoutComments = scanOutsideStrings(text, (rest) => {
    if (rest.startsWith('//')) return Math.max(rest.indexOf('\n'), 0) || rest.length;
    if (rest.startsWith('/*')) return rest.includes('*/', 2) ? rest.indexOf('*/', 2) + 2 : rest.length;
    return 0;
  });
  const withoutTrailingCommas = scanOutsideStrings(withoutComments, (rest) => (/^,\s*[}\]]/.test(rest) ? 1 : 0));
  try {
    const parsed: unknown = JSON.parse(withoutTrailingCommas);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Copies `text`, leaving out what `skip(rest)` says (a length) wherever it is not inside a string literal. */
function scanOutsideStrings(text: string, skip: (rest: string) => number): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const skipped = skip(text.slice(i));
    if (skipped > 0) {
      i += skipped;
      continue;
    }
    out += text[i];
    i += 1;
  }
  return out;
}
