import * as path from 'node:path';

export const STORE_DIR_ENV = 'DEVGUIDE_EXPORT_STORE';
export const STORE_FOLDER_NAME = 'devguide-export';

export interface StoreDirInputs {
  /** The `--store DIR` flag (or the `storePath` setting), if given. */
  flag?: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homedir: string;
  /** When given, a relative flag or variable is resolved against it. */
  cwd?: string;
}

/**
 * Where the embedded store lives. Precedence: the flag, then
 * DEVGUIDE_EXPORT_STORE, then the platform's per-user data folder +
 * `devguide-export`. Pure: everything it depends on is passed in.
 */
export function resolveStoreDir(inputs: StoreDirInputs): string {
  const paths = inputs.platform === 'win32' ? path.win32 : path.posix;
  const explicit = nonEmpty(inputs.flag) ?? nonEmpty(inputs.env[STORE_DIR_ENV]);
  if (explicit !== undefined) {
    const expanded = expandHome(explicit, inputs.homedir, paths);
    return inputs.cwd !== undefined && !paths.isAbsolute(expanded) ? paths.resolve(inputs.cwd, expanded) : expanded;
  }
  return paths.join(platformDataDir(inputs, paths), STORE_FOLDER_NAME);
}

function platformDataDir(inputs: StoreDirInputs, paths: path.PlatformPath): string {
  const { env, homedir } = inputs;
  switch (inputs.platform) {
    case 'win32': {
      const localAppData = nonEmpty(env['LOCALAPPDATA']);
      return localAppData !== undefined && paths.isAbsolute(localAppData)
        ? localAppData
        : paths.join(homedir, 'AppData', 'Local');
    }
    case 'darwin':
      return paths.join(homedir, 'Library', 'Application Support');
    default: {
      // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
      const xdg = nonEmpty(env['XDG_DATA_HOME']);
      return xdg !== undefined && paths.isAbsolute(xdg) ? xdg : paths.join(homedir, '.local', 'share');
    }
  }
}

/** `~` and `~/x` (from a config file or a quoted variable, where no shell expanded them). */
function expandHome(dir: string, homedir: string, paths: path.PlatformPath): string {
  if (dir === '~') return homedir;
  if (dir.startsWith('~/') || (paths === path.win32 && dir.startsWith('~\\'))) return paths.join(homedir, dir.slice(2));
  return dir;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
