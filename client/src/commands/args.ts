import * as z from 'zod/mini';

/**
 * Arguments a command accepts from `vscode.commands.executeCommand` (other
 * extensions, keybindings, tests). Each given value skips its prompt; none
 * given means the interactive flow. Checked here: they are external input.
 * Pure (no `vscode`): a menu's Uri argument is told apart by the caller.
 */

const id = z.string().check(z.minLength(1), z.maxLength(200));

const exportChoices = {
  template: z.optional(id),
  destination: z.optional(id),
  title: z.optional(z.string().check(z.maxLength(1000))),
  tags: z.optional(z.array(z.string().check(z.maxLength(100))).check(z.maxLength(100))),
  /** Accept the review without the review panel (like the CLI's --yes). */
  accept: z.optional(z.boolean()),
  redact: z.optional(z.boolean()),
};

export const exportSelectionArgs = z.object({ ...exportChoices });

export const exportTranscriptArgs = z.object({
  ...exportChoices,
  path: z.optional(id),
  /** A configured database source (`devguideExport.sources`) instead of a file. */
  sourceId: z.optional(id),
  sessionId: z.optional(id),
  messageIds: z.optional(z.array(id)),
  blockIds: z.optional(z.array(id)),
  /** Every message of the session, without the message picker. */
  allMessages: z.optional(z.boolean()),
});

export const previewExportArgs = z.object({
  ...exportChoices,
  /** Open the review panel (default true); false: return the preview's facts and discard its review. */
  show: z.optional(z.boolean()),
});

export const jobArgs = z.object({ jobId: z.optional(id), accept: z.optional(z.boolean()) });

export const rollbackArgs = z.object({ jobId: z.optional(id), confirm: z.optional(z.boolean()) });

const jobStatus = z.enum(['queued', 'running', 'completed', 'failed', 'rolled_back']);

/** `null`: any status / destination (clears that part of the filter). */
export const historyStatusFilterArgs = z.object({ status: z.optional(z.nullable(jobStatus)) });

export const historyDestinationFilterArgs = z.object({ destinationId: z.optional(z.nullable(id)) });

/** `null`: all time. */
export const historyTimeFilterArgs = z.object({ range: z.optional(z.nullable(z.enum(['24h', '7d', '30d']))) });

/** `accept: true` accepts the Bin's review without the dialog (like the CLI's --yes). */
export const newTemplateArgs = z.object({ name: z.optional(id), open: z.optional(z.boolean()), accept: z.optional(z.boolean()) });

export const destinationArgs = z.object({ destinationId: z.optional(id) });

export const setCredentialArgs = z.object({
  destinationId: z.optional(id),
  field: z.optional(id),
  value: z.optional(z.string().check(z.minLength(1), z.maxLength(100_000))),
  method: z.optional(z.enum(['account', 'token'])),
});

export const clearCredentialArgs = z.object({ destinationId: z.optional(id), field: z.optional(id) });

export type ExportChoices = z.infer<typeof exportSelectionArgs>;

export class InvalidArgumentsError extends Error {}

/** `undefined` / no object → `{}`; a wrong shape → InvalidArgumentsError naming the problems. */
export function parseArgs<T>(schema: z.ZodMiniType<T>, raw: unknown, command: string): T {
  const input = raw === undefined || raw === null ? {} : raw;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`).join('; ');
  throw new InvalidArgumentsError(`Invalid arguments for ${command}: ${problems}`);
}
