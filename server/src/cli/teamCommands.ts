import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { App } from '../app/compose';
import type { SharedDestinationSummary } from '../app/team';
import { descriptorOf } from '../destinations/registry';
import { ExportError } from '../errors';
import type { ReviewJson } from '../protocol';
import { secretEnvName } from '../secretNames';
import type { GlobalOptions } from './args';
import type { CliIo } from './commands';
import { errorJson, reviewLines } from './output';
import type { TeamCommand } from './teamArgs';

/**
 * The team store's commands: flags → app/team.ts → text or `--json`.
 * Exit codes as for exports: 0 done; 2 input; 3 the review needs --yes or
 * blocked the change (nothing was written).
 */

const EXIT = { ok: 0, usage: 2, review: 3 } as const;

export function isTeamCommand(command: { name: string }): command is TeamCommand<GlobalOptions> {
  return command.name === 'templates-publish' || command.name.startsWith('destinations-');
}

export async function runTeamCommand(command: TeamCommand<GlobalOptions>, app: App, io: CliIo, environment: { cwd: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const json = command.global.json;
  const print = (value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  switch (command.name) {
    case 'templates-publish': {
      const review = await app.team.reviewTemplateFile(resolve(environment.cwd, command.file));
      return decide(app, review, command.global.yes, io, json, (result) => `Published team template "${result.id}" (version ${result.version}) as ${app.state.env.actor}; everyone with the team store can use it.`);
    }
    case 'destinations-add': {
      const entry = await readEntry(command.entry, environment.cwd);
      const secrets = credentialsFor(entry, command.secretEnv, environment.env);
      const review = await app.team.reviewDestination(entry, secrets, command.replace);
      const fields = Object.keys(secrets);
      return decide(app, review, command.global.yes, io, json, (result) =>
        `Shared destination "${result.id}" stored in the team store (version ${result.version})${fields.length > 0 ? `; credentials sealed with the team key: ${fields.join(', ')}` : '; no credentials stored'}.`,
      );
    }
    case 'destinations-list': {
      const list = await app.team.listDestinations();
      if (json) print({ destinations: list });
      else if (list.length === 0) io.stdout('No shared destinations in the team store.\n');
      else for (const d of list) io.stdout(`${destinationLine(d)}\n`);
      return EXIT.ok;
    }
    case 'destinations-remove': {
      if (!command.global.yes) {
        const message = `Removing the shared destination "${command.id}" takes it from every member; re-run with --yes.`;
        if (json) print(errorJson({ code: 'REVIEW_REQUIRED', message, recoverable: true }));
        else io.stderr(`${message}\n`);
        return EXIT.review;
      }
      await app.team.removeDestination(command.id);
      if (json) print({ removed: command.id });
      else io.stdout(`Removed shared destination "${command.id}".\n`);
      return EXIT.ok;
    }
    case 'destinations-grant': {
      await app.team.grant(command.id, command.user, command.permission);
      if (json) print({ destination: command.id, user: command.user, permission: command.permission });
      else io.stdout(`Granted ${command.permission} on "${command.id}" to ${command.user}.\n`);
      return EXIT.ok;
    }
    case 'destinations-revoke': {
      const { revoked } = await app.team.revoke(command.id, command.user);
      if (json) print({ destination: command.id, user: command.user, revoked });
      else io.stdout(revoked ? `Revoked ${command.user}'s access to "${command.id}".\n` : `${command.user} had no grant on "${command.id}".\n`);
      return EXIT.ok;
    }
  }
}

/** Blocked: 3. Needs an Accept and no --yes: 3, the change declined. Else applied. */
async function decide(app: App, review: ReviewJson, yes: boolean, io: CliIo, json: boolean, done: (result: { id: string; version: number }) => string): Promise<number> {
  if (review.blocked || (review.requires_accept && !yes)) {
    if (!review.blocked) await app.rejectReview(review.transaction_id, 'not accepted (--yes not given)').catch(() => undefined);
    if (json) io.stdout(`${JSON.stringify({ status: review.blocked ? 'blocked' : 'review_required', review }, null, 2)}\n`);
    else {
      for (const line of reviewLines(review)) io.stderr(`${line}\n`);
      io.stderr(review.blocked ? `error BIN_BLOCKED: ${review.reason_message ?? review.reason}\n` : 'Review required: re-run with --yes to accept.\n');
    }
    return EXIT.review;
  }
  const result = await app.team.apply(review.transaction_id, yes);
  if (json) io.stdout(`${JSON.stringify({ status: 'applied', ...result, review }, null, 2)}\n`);
  else {
    for (const w of review.warnings) io.stderr(`  ! ${w.code}: ${w.message}\n`);
    io.stdout(`${done(result)}\n`);
  }
  return EXIT.ok;
}

async function readEntry(entry: string, cwd: string): Promise<unknown> {
  const inline = entry.trimStart().startsWith('{');
  let text = entry;
  if (!inline) {
    try {
      text = await readFile(resolve(cwd, entry), 'utf8');
    } catch {
      throw new ExportError('INVALID_INPUT', `Cannot read the destination entry file ${entry}.`, { recoverable: false });
    }
  }
  try {
    return inline || extname(entry).toLowerCase() === '.json' ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown);
  } catch (error) {
    throw new ExportError('DESTINATION_CONFIG_INVALID', `The destination entry is not valid ${inline ? 'JSON' : 'JSON/YAML'}: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'syntax error'}`, {
      recoverable: false,
    });
  }
}

/** The type's credentials this person shares: DEVGUIDE_SECRET_<ID>_<FIELD>, or the variable --secret-env names. */
function credentialsFor(entry: unknown, named: Record<string, string>, env: NodeJS.ProcessEnv): Record<string, string> {
  const { id, type } = (typeof entry === 'object' && entry !== null ? entry : {}) as { id?: unknown; type?: unknown };
  if (typeof id !== 'string' || typeof type !== 'string') return {};
  const fields = descriptorOf(type)?.secretFields.map((f) => f.field) ?? [];
  const secrets: Record<string, string> = {};
  for (const [field, variable] of Object.entries(named)) {
    if (!fields.includes(field)) throw new ExportError('INVALID_INPUT', `--secret-env: a ${type} destination has no credential "${field}" (it has: ${fields.join(', ') || 'none'}).`, { recoverable: false });
    const value = env[variable];
    if (value === undefined || value === '') throw new ExportError('INVALID_INPUT', `--secret-env ${field}=${variable}: the variable ${variable} is not set.`, { recoverable: false });
    secrets[field] = value;
  }
  for (const field of fields) {
    if (secrets[field] !== undefined) continue;
    const value = env[secretEnvName(id, field)];
    if (value !== undefined && value !== '') secrets[field] = value;
  }
  return secrets;
}

function destinationLine(d: SharedDestinationSummary): string {
  const access = d.access.length === 0 ? 'owner only' : d.access.map((a) => `${a.user}:${a.permission}`).join(', ');
  const yours = d.can_administer ? 'you: admin' : d.can_export ? 'you: write' : 'you: no access';
  const creds = d.credential_fields.length === 0 ? 'no credentials' : `sealed: ${d.credential_fields.join(', ')}`;
  return `${d.id.padEnd(16)} ${d.type.padEnd(7)} owner ${d.owner}  [${access}]  ${creds}  (${yours})${d.shadowed ? '  (a settings entry of this id wins here)' : ''}`;
}
