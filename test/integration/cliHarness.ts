import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../server/src/cli/main';

/** Runs the CLI in-process in a temp workspace with its own store. */

export const EXAMPLES = resolve(__dirname, '..', '..', 'examples');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json<T = Record<string, unknown>>(): T;
}

export interface CliWorkspace {
  dir: string;
  store: string;
  run(args: string[], env?: Record<string, string>): Promise<CliRun>;
  cleanup(): Promise<void>;
}

export async function cliWorkspace(): Promise<CliWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), 'devguide-cli-'));
  const store = join(dir, '.store');
  return {
    dir,
    store,
    async run(args, env = {}) {
      let stdout = '';
      let stderr = '';
      const code = await main(
        args,
        { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), stderrIsTty: false },
        { cwd: dir, env: { DEVGUIDE_EXPORT_STORE: store, DEVGUIDE_ACTOR: 'tester', ...env } },
      );
      return {
        code,
        stdout,
        stderr,
        json<T>() {
          return JSON.parse(stdout) as T;
        },
      };
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The bundled CLI, as users run it (`node build.mjs` makes it; `npm test` builds first). */
export const BUILT_CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');

/** For a suite's `before`: says how to get dist/cli.js when it is missing. */
export function requireBuiltCli(): void {
  if (!existsSync(BUILT_CLI)) throw new Error('dist/cli.js is missing: run `node build.mjs` first (npm test does)');
}

export interface BuiltCliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** How long the process lived. */
  ms: number;
  json<T = Record<string, unknown>>(): T;
}

/**
 * Runs `node dist/cli.js ARGS` in its own process. `env` is added to this
 * process's environment, minus `unsetEnv` (unless `env` sets them);
 * `killAfterMs` is a guard, not a wait: a CLI that never exits is killed
 * and its run ends with the signal.
 */
export function runBuiltCli(
  args: string[],
  options: { cwd: string; env: Record<string, string>; unsetEnv?: readonly string[]; killAfterMs?: number },
): Promise<BuiltCliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const name of options.unsetEnv ?? []) if (!(name in options.env)) delete env[name];
  const started = Date.now();
  const child = spawn(process.execPath, [BUILT_CLI, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const guard = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      done({ code, signal, stdout, stderr, ms: Date.now() - started, json: <T>() => JSON.parse(stdout) as T });
    });
  });
}
