import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { PERMISSIONS, type Permission } from '../team/access';

/**
 * The team store's commands (issue 14 part B): `templates publish FILE`,
 * `destinations add|list|remove|grant|revoke`. Credentials are never
 * flags (a command line is visible to every process on the machine): they
 * are read from DEVGUIDE_SECRET_<ID>_<FIELD>, or a variable `--secret-env
 * FIELD=VARIABLE` names.
 */

/** Flags every command takes (args.ts' globalFlags, repeated here to keep the parsers apart). */
interface GlobalValues {
  config?: string | undefined;
  store?: string | undefined;
  yes?: boolean | undefined;
  json?: boolean | undefined;
  redact?: boolean | undefined;
  force?: boolean | undefined;
}

export type TeamCommand<G> =
  | { name: 'templates-publish'; file: string; global: G }
  | { name: 'destinations-add'; entry: string; replace: boolean; secretEnv: Record<string, string>; global: G }
  | { name: 'destinations-list'; global: G }
  | { name: 'destinations-remove'; id: string; global: G }
  | { name: 'destinations-grant'; id: string; user: string; permission: Permission; global: G }
  | { name: 'destinations-revoke'; id: string; user: string; global: G };

const globalFlags = {
  config: { type: 'string' },
  store: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  json: { type: 'boolean' },
  redact: { type: 'boolean' },
  force: { type: 'boolean' },
} as const;

const FIELD = /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export function parseTeamCommand<G>(
  argv: string[],
  checkGlobal: (values: GlobalValues) => G,
  usage: (message: string) => Error,
): TeamCommand<G> | undefined {
  const [first, second, ...rest] = argv;
  const parse = (options: NonNullable<ParseArgsConfig['options']>) => {
    try {
      return parseArgs({ args: rest, options: { ...globalFlags, ...options }, allowPositionals: true, strict: true });
    } catch (error) {
      throw usage(error instanceof Error ? (error.message.split('\n')[0] ?? 'invalid arguments') : 'invalid arguments');
    }
  };
  const positionals = (got: string[], count: number, what: string): string[] => {
    if (got.length !== count) throw usage(`expected ${what}`);
    return got;
  };
  if (first === 'templates' && second === 'publish') {
    const { values, positionals: p } = parse({});
    const [file] = positionals(p, 1, 'templates publish FILE.hbs');
    return { name: 'templates-publish', file: file as string, global: checkGlobal(values) };
  }
  if (first !== 'destinations') return undefined;
  switch (second) {
    case 'add': {
      const { values, positionals: p } = parse({ replace: { type: 'boolean' }, 'secret-env': { type: 'string', multiple: true } });
      const { replace, 'secret-env': secretEnv, ...global } = values as GlobalValues & { replace?: boolean; 'secret-env'?: string[] };
      const [entry] = positionals(p, 1, 'destinations add FILE.json|\'{"id": …, "type": …}\'');
      return { name: 'destinations-add', entry: entry as string, replace: replace === true, secretEnv: secretEnvOf(secretEnv ?? [], usage), global: checkGlobal(global) };
    }
    case 'list': {
      const { values, positionals: p } = parse({});
      positionals(p, 0, 'destinations list (no arguments)');
      return { name: 'destinations-list', global: checkGlobal(values) };
    }
    case 'remove': {
      const { values, positionals: p } = parse({});
      const [id] = positionals(p, 1, 'destinations remove ID');
      return { name: 'destinations-remove', id: id as string, global: checkGlobal(values) };
    }
    case 'grant': {
      const { values, positionals: p } = parse({});
      const [id, user, permission] = positionals(p, 3, `destinations grant ID USER ${PERMISSIONS.join('|')}`);
      const checked = z.enum(PERMISSIONS).safeParse(permission);
      if (!checked.success) throw usage(`the permission is one of ${PERMISSIONS.join(', ')}, not "${permission}"`);
      return { name: 'destinations-grant', id: id as string, user: user as string, permission: checked.data, global: checkGlobal(values) };
    }
    case 'revoke': {
      const { values, positionals: p } = parse({});
      const [id, user] = positionals(p, 2, 'destinations revoke ID USER');
      return { name: 'destinations-revoke', id: id as string, user: user as string, global: checkGlobal(values) };
    }
    default:
      throw usage('expected "destinations add|list|remove|grant|revoke"');
  }
}

function secretEnvOf(pairs: string[], usage: (message: string) => Error): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const [field, variable, extra] = pair.split('=');
    if (extra !== undefined || !field || !variable || !FIELD.test(field) || !VARIABLE.test(variable)) {
      // Not echoed: someone may have typed the secret itself here.
      throw usage('--secret-env expects FIELD=VARIABLE (the name of an environment variable that holds the credential, never the credential)');
    }
    out[field] = variable;
  }
  return out;
}

export const TEAM_HELP = `  devguide-export templates publish FILE.hbs [--yes] [--json]          (team store)
  devguide-export destinations list [--json]
  devguide-export destinations add FILE.json|JSON [--replace] [--secret-env FIELD=VARIABLE]... [--yes] [--json]
  devguide-export destinations remove ID --yes
  devguide-export destinations grant ID USER read|write|admin
  devguide-export destinations revoke ID USER
`;
