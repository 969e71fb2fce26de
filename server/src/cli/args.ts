import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { TOOL_OUTPUT_MODES } from '../protocolLimits';
import { plainExportFields } from './exportFields';
import { parseTeamCommand, TEAM_HELP, type TeamCommand } from './teamArgs';

/**
 * The CLI's command line, checked with zod. The contract (issue 2) is kept
 * stable because scripts and CI depend on it.
 */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const idList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0));

const metaPair = z.string().transform((pair, ctx) => {
  const eq = pair.indexOf('=');
  if (eq <= 0) {
    ctx.addIssue({ code: 'custom', message: `--meta expects KEY=VALUE, got "${pair}"` });
    return z.NEVER;
  }
  return [pair.slice(0, eq).trim(), pair.slice(eq + 1)] as const;
});

/** Flags shared by export, preview and batch (a plan entry's own schema is in app/batch.ts). */
/** `--lines A-B[,C-D]`: 1-based, inclusive line ranges of the transcript file. */
const lineRanges = z.string().transform((text, ctx) => {
  const ranges: { startLine: number; endLine: number }[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p.length > 0)) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    const startLine = Number(match?.[1]);
    const endLine = Number(match?.[2] ?? match?.[1]);
    if (!match || startLine < 1 || endLine < startLine) {
      ctx.addIssue({ code: 'custom', message: `--lines expects A-B[,C-D] with 1 <= A <= B, got "${part}"` });
      return z.NEVER;
    }
    ranges.push({ startLine, endLine });
  }
  if (ranges.length === 0) {
    ctx.addIssue({ code: 'custom', message: '--lines expects A-B[,C-D]' });
    return z.NEVER;
  }
  return ranges;
});

export const exportOptionsSchema = z.object({
  ...plainExportFields,
  lines: lineRanges.optional(),
  'tool-output': z.enum(TOOL_OUTPUT_MODES).optional(),
  messages: idList.optional(),
  blocks: idList.optional(),
  tag: z.array(z.string().min(1)).default([]),
  meta: z.array(metaPair).default([]),
});

export type ExportOptions = z.infer<typeof exportOptionsSchema>;

export const globalOptionsSchema = z.object({
  config: z.string().min(1).optional(),
  store: z.string().min(1).optional(),
  yes: z.boolean().default(false),
  json: z.boolean().default(false),
  redact: z.boolean().default(false),
  /** Write even when the output is unchanged apart from the export time. */
  force: z.boolean().default(false),
});

export type GlobalOptions = z.infer<typeof globalOptionsSchema>;

const jobStatus = z.enum(['queued', 'running', 'completed', 'failed', 'rolled_back']);

export type Command =
  | { name: 'help' }
  | { name: 'version' }
  | { name: 'sessions'; file: string; session?: string; global: GlobalOptions }
  | { name: 'export' | 'preview'; file: string; options: ExportOptions; global: GlobalOptions }
  | { name: 'batch'; plan: string; concurrency: number; global: GlobalOptions }
  | { name: 'templates-list'; global: GlobalOptions }
  | { name: 'templates-check'; files: string[]; global: GlobalOptions }
  | {
      name: 'jobs-list';
      status?: z.infer<typeof jobStatus>;
      destination?: string;
      destinationType?: string;
      /** ISO 8601 UTC: jobs created at or after it. */
      since?: string;
      stats: boolean;
      limit: number;
      offset: number;
      global: GlobalOptions;
    }
  | { name: 'jobs-show'; id: string; global: GlobalOptions }
  | { name: 'jobs-rollback'; id: string; global: GlobalOptions }
  | { name: 'db-migrate'; destination?: string; global: GlobalOptions }
  | { name: 'store-import'; from: string; global: GlobalOptions }
  | TeamCommand<GlobalOptions>;

const globalFlags = {
  config: { type: 'string' },
  store: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  json: { type: 'boolean' },
  redact: { type: 'boolean' },
  force: { type: 'boolean' },
} as const;

const exportFlags = {
  lines: { type: 'string' },
  'tool-output': { type: 'string' },
  session: { type: 'string' },
  messages: { type: 'string' },
  blocks: { type: 'string' },
  template: { type: 'string' },
  dest: { type: 'string' },
  out: { type: 'string' },
  filename: { type: 'string' },
  title: { type: 'string' },
  author: { type: 'string' },
  tag: { type: 'string', multiple: true },
  meta: { type: 'string', multiple: true },
} as const;

function check<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new UsageError(result.error.issues.map((i) => i.message).join('; '));
  }
  return result.data;
}

function parse(argv: string[], options: ParseArgsConfig['options']) {
  try {
    return parseArgs({ args: argv, options: options ?? {}, allowPositionals: true, strict: true });
  } catch (error) {
    // node's messages are already one readable line ("Unknown option '--x'")
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0] ?? 'invalid arguments' : 'invalid arguments');
  }
}

function exactlyOne(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected ${what}`);
  return positionals[0] as string;
}

export function parseCommandLine(argv: string[]): Command {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') return { name: 'help' };
  if (first === '--version' || first === 'version') return { name: 'version' };
  const team = parseTeamCommand(argv, (values) => check(globalOptionsSchema, values), (message) => new UsageError(message));
  if (team) return team;

  switch (first) {
    case 'sessions': {
      const { values, positionals } = parse(argv.slice(1), { ...globalFlags, session: { type: 'string' } });
      const { session, ...global } = values;
      return {
        name: 'sessions',
        file: exactlyOne(positionals, 'one transcript FILE (or mysql://USER@HOST:PORT/DATABASE)'),
        ...(session === undefined ? {} : { session: check(z.string().min(1), session) }),
        global: check(globalOptionsSchema, global),
      };
    }
    case 'export':
    case 'preview': {
      const { values, positionals } = parse(argv.slice(1), { ...globalFlags, ...exportFlags });
      const { config, store, yes, json, redact, force, ...exportValues } = values;
      return {
        name: first,
        file: exactlyOne(positionals, 'one transcript FILE (or mysql://USER@HOST:PORT/DATABASE)'),
        options: check(exportOptionsSchema, exportValues),
        global: check(globalOptionsSchema, { config, store, yes, json, redact, force }),
      };
    }
    case 'batch': {
      const { values, positionals } = parse(argv.slice(1), { ...globalFlags, concurrency: { type: 'string' } });
      const { concurrency, ...global } = values;
      return {
        name: 'batch',
        plan: exactlyOne(positionals, 'one PLAN file'),
        concurrency: check(z.coerce.number().int().min(1).max(16).default(4), concurrency),
        global: check(globalOptionsSchema, global),
      };
    }
    case 'templates': {
      if (second === 'list') {
        const { values, positionals } = parse(rest, globalFlags);
        if (positionals.length > 0) throw new UsageError('templates list takes no arguments');
        return { name: 'templates-list', global: check(globalOptionsSchema, values) };
      }
      if (second === 'check') {
        const { values, positionals } = parse(rest, globalFlags);
        if (positionals.length === 0) throw new UsageError('templates check expects one or more FILEs');
        return { name: 'templates-check', files: positionals, global: check(globalOptionsSchema, values) };
      }
      throw new UsageError('expected "templates list", "templates check FILE..." or "templates publish FILE"');
    }
    case 'jobs': {
      if (second === 'list') {
        const { values, positionals } = parse(rest, {
          ...globalFlags,
          status: { type: 'string' },
          dest: { type: 'string' },
          type: { type: 'string' },
          since: { type: 'string' },
          'failed-within': { type: 'string' },
          stats: { type: 'boolean' },
          limit: { type: 'string' },
          offset: { type: 'string' },
        });
        if (positionals.length > 0) throw new UsageError('jobs list takes no arguments');
        const { status, dest, type, since, 'failed-within': failedWithin, stats, limit, offset, ...global } = values;
        if (failedWithin !== undefined && (status !== undefined || since !== undefined)) throw new UsageError('--failed-within means "--status failed --since DURATION": give it alone');
        const now = Date.now();
        return {
          name: 'jobs-list',
          ...(failedWithin !== undefined ? { status: 'failed' as const, since: sinceTime(String(failedWithin), now, '--failed-within', true) } : {}),
          ...(status !== undefined ? { status: check(jobStatus, status) } : {}),
          ...(since !== undefined ? { since: sinceTime(String(since), now, '--since', false) } : {}),
          ...(dest !== undefined ? { destination: check(z.string().min(1), dest) } : {}),
          ...(type !== undefined ? { destinationType: check(z.string().min(1).max(32), type) } : {}),
          stats: stats === true,
          limit: check(z.coerce.number().int().min(1).max(10_000).default(50), limit),
          offset: check(z.coerce.number().int().min(0).default(0), offset),
          global: check(globalOptionsSchema, global),
        };
      }
      if (second === 'show' || second === 'rollback') {
        const { values, positionals } = parse(rest, globalFlags);
        return {
          name: second === 'show' ? 'jobs-show' : 'jobs-rollback',
          id: exactlyOne(positionals, 'one job ID'),
          global: check(globalOptionsSchema, values),
        };
      }
      throw new UsageError('expected "jobs list", "jobs show ID" or "jobs rollback ID"');
    }
    case 'db': {
      if (second !== 'migrate') throw new UsageError('expected "db migrate [--dest ID]"');
      const { values, positionals } = parse(rest, { ...globalFlags, dest: { type: 'string' } });
      if (positionals.length > 0) throw new UsageError('db migrate takes no arguments');
      const { dest, ...global } = values;
      return { name: 'db-migrate', ...(dest === undefined ? {} : { destination: check(z.string().min(1), dest) }), global: check(globalOptionsSchema, global) };
    }
    case 'store': {
      if (second !== 'import') throw new UsageError('expected "store import --from DIR"');
      const { values, positionals } = parse(rest, { ...globalFlags, from: { type: 'string' } });
      if (positionals.length > 0) throw new UsageError('store import takes no arguments (the folder is --from DIR)');
      const { from, ...global } = values;
      if (typeof from !== 'string' || from === '') throw new UsageError('store import needs --from DIR (the file store folder to copy)');
      return { name: 'store-import', from, global: check(globalOptionsSchema, global) };
    }
    default:
      throw new UsageError(`unknown command "${first}"`);
  }
}

const DURATION_UNITS_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `--since`: an ISO date or time (UTC unless it says otherwise), or a
 * duration back from now (30m, 24h, 7d); `--failed-within` takes only a
 * duration. Returned as ISO 8601 UTC.
 */
export function sinceTime(value: string, now: number, flag: string, durationOnly: boolean): string {
  const duration = /^(\d{1,6})([mhd])$/.exec(value.trim());
  if (duration) return new Date(now - Number(duration[1]) * (DURATION_UNITS_MS[duration[2] as string] as number)).toISOString();
  if (!durationOnly && /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    const text = value.trim().replace(' ', 'T');
    const time = Date.parse(/T/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text);
    if (Number.isFinite(time)) return new Date(time).toISOString();
  }
  throw new UsageError(`${flag} expects ${durationOnly ? 'a duration' : 'a date (2026-12-01, 2026-12-01T08:00Z) or a duration'} such as 30m, 24h or 7d, not "${value}"`);
}

export const HELP_TEXT = `devguide-export — export AI reasoning sessions as reviewed, audited files

Usage:
  devguide-export sessions FILE|mysql://USER@HOST:PORT/DATABASE[?table=NAME&tls=true] [--session ID] [--json]
  devguide-export export FILE [--lines A-B[,C-D]] [--session ID] [--messages ID,ID] [--blocks ID,ID]
      [--template ID|PATH] [--dest ID] [--out DIR] [--filename NAME]
      [--title T] [--author A] [--tag T]... [--meta KEY=VALUE]... [--tool-output summary|full|none]
      [--config FILE] [--store DIR] [--yes] [--force] [--redact] [--json]
  devguide-export preview FILE <same selection/template/destination flags> [--json]
  devguide-export batch PLAN [--concurrency N] [--yes] [--json]
  devguide-export templates list [--json]
  devguide-export templates check FILE... [--json]
  devguide-export jobs list [--status S] [--dest ID] [--type TYPE] [--since WHEN] [--failed-within 24h]
                            [--stats] [--limit N] [--offset N] [--json]
  devguide-export jobs show ID [--json]
  devguide-export jobs rollback ID [--yes] [--json]
  devguide-export db migrate --config FILE [--dest ID] [--json]
  devguide-export store import --from DIR --config FILE [--json]
${TEAM_HELP}
Exit codes: 0 done; 1 export failed; 2 usage or input error; 3 review required or blocked.
FILE may be a chat_messages table: mysql://USER@HOST:PORT/DATABASE (password: DEVGUIDE_SOURCE_PASSWORD).
Secrets come from the environment: DEVGUIDE_SECRET_<DESTINATION_ID>_<FIELD>.
Team store: its password DEVGUIDE_SECRET_STORE_PASSWORD, the team key DEVGUIDE_STORE_KEY (base64 of 32 bytes), who you are DEVGUIDE_USER.
`;
