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
