// Starts a real VS Code (code-server, on the Node 24 of test/e2e/host) for one
// test run, fully isolated: its own free port, user-data-dir, extensions-dir,
// config file and XDG folders, all in one temp folder removed by stop().
// The server runs in its own session/process group (Node's `detached` is
// setsid()), so stop() can end it and every child it spawned (extension
// host, file watcher, pty host) with one signal to the group.
//
//   const cs = await startCodeServer({ workspace, smokeTestDriver: true });
//   page.goto(cs.workbenchUrl());  …  await cs.stop();
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hostPaths } from '../setup.mjs';

const DEFAULT_SETTINGS = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.startupPrompt': 'never',
  'window.confirmBeforeClose': 'never',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** A port nobody listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// Every server still running is killed if the test process exits without stop().
const running = new Set();
process.once('exit', () => {
  for (const pgid of running) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

/**
 * @param {object} [options]
 * @param {string} [options.workspace] folder to open; a fresh empty temp folder when omitted
 * @param {boolean} [options.smokeTestDriver] enable VS Code's smoke-test driver (needed for extensionTestsPath runs)
 * @param {boolean} [options.workspaceTrust] true: Workspace Trust on (the workspace opens in Restricted Mode
 *   unless trusted); false (default): --disable-workspace-trust
 * @param {Record<string, unknown>} [options.settings] extra user settings, merged over the defaults
 * @param {string[]} [options.extensions] extension folders (each with its package.json) to install as they are:
 *   each is symlinked into the temp extensions-dir as <publisher>.<name>-<version>, which VS Code scans like
 *   an installed extension. Use this (or vsix) for UI tests: the payload's extensionDevelopmentPath works only
 *   with smokeTestDriver, and with the smoke-test driver on, VS Code shows no notification toasts.
 * @param {string[]} [options.vsix] .vsix files to install into the temp extensions-dir before starting
 * @param {string[]} [options.extraArgs] more code-server arguments
 * @param {Record<string, string>} [options.env] extra environment for the server and its extension host
 * @param {number} [options.readyTimeoutMs] how long to wait for /healthz (default 60 s)
 * @param {(line: string) => void} [options.log] progress lines (default: none)
 */
export async function startCodeServer(options = {}) {
  const paths = hostPaths();
  const log = options.log ?? (() => {});
  const root = mkdtempSync(join(tmpdir(), 'devguide-code-server-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const xdg = join(root, 'xdg');
  for (const dir of [join(userDataDir, 'User'), extensionsDir, join(xdg, 'config'), join(xdg, 'data'), join(xdg, 'cache')]) {
    mkdirSync(dir, { recursive: true });
  }
  const workspace = options.workspace ? resolve(options.workspace) : join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...options.settings }, null, 2));
  const configFile = join(root, 'code-server.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const logFile = join(root, 'code-server.log');

  const env = { ...process.env, ...options.env };
  for (const key of Object.keys(env)) {
    // Nothing of a surrounding VS Code, Electron or Node test runner may leak in.
    if (key.startsWith('VSCODE_') || key.startsWith('ELECTRON_') || key === 'NODE_OPTIONS') delete env[key];
  }
  Object.assign(env, {
    PATH: `${paths.nodeBinDir}:${env.PATH ?? ''}`,
    XDG_CONFIG_HOME: join(xdg, 'config'),
    XDG_DATA_HOME: join(xdg, 'data'),
    XDG_CACHE_HOME: join(xdg, 'cache'),
  });

  const cleanup = () => rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  try {
    for (const folder of options.extensions ?? []) {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
      const id = `${manifest.publisher}.${manifest.name}-${manifest.version}`.toLowerCase();
      symlinkSync(resolve(folder), join(extensionsDir, id), 'dir');
      log(`code-server: extension ${id} -> ${resolve(folder)}`);
    }
    for (const vsix of options.vsix ?? []) {
      log(`code-server: installing ${vsix}`);
      const r = spawnSync(paths.node, [paths.codeServerEntry, '--config', configFile, '--user-data-dir', userDataDir,
        '--extensions-dir', extensionsDir, '--install-extension', resolve(vsix)], { env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
    }
  } catch (error) {
    cleanup();
    throw error;
  }

  // The free port can be taken between probing and binding: retry a few times.
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const args = [
      paths.codeServerEntry,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--config', configFile,
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
    ];
    if (!options.workspaceTrust) args.push('--disable-workspace-trust');
    if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
    args.push(...(options.extraArgs ?? []), workspace);

    const started = Date.now();
    const out = openSync(logFile, 'w');
    const child = spawn(paths.node, args, { cwd: root, env, detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    const pgid = child.pid;
    running.add(pgid);
    let exited = null;
    child.once('exit', (code, signal) => {
      exited = { code, signal };
    });

    const base = `http://127.0.0.1:${port}`;
    const deadline = started + (options.readyTimeoutMs ?? 60_000);
    let healthy = false;
    while (!healthy && exited === null && Date.now() < deadline) {
      try {
        const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
        healthy = response.ok;
      } catch {
        /* not listening yet */
      }
      if (!healthy) await delay(100);
    }

    const server = {
      port,
      pid: pgid,
      baseUrl: base,
      root,
      userDataDir,
      extensionsDir,
      workspace,
      logFile,
      startupMs: Date.now() - started,
      /** The workbench URL for `folder` (default: the workspace), with an optional payload array. */
      workbenchUrl({ folder = workspace, payload } = {}) {
        const url = new URL(base + '/');
        url.searchParams.set('folder', folder);
        if (payload) url.searchParams.set('payload', JSON.stringify(payload));
        return url.toString();
      },
      /** vscode-remote URI of an absolute path on this machine, as the workbench names it. */
      remoteUri(absPath) {
        return `vscode-remote://127.0.0.1:${port}${resolve(absPath)}`;
      },
      /** Everything code-server printed so far. */
      output() {
        try {
          return readFileSync(logFile, 'utf8');
        } catch {
          return '';
        }
      },
      /** Ends the whole process group (TERM, then KILL after 5 s) and removes the temp folder. */
      async stop({ keepFiles = false } = {}) {
        if (running.has(pgid)) {
          try {
            process.kill(-pgid, 'SIGTERM');
          } catch {
            /* already gone */
          }
          const killBy = Date.now() + 5_000;
          while (groupAlive(pgid) && Date.now() < killBy) await delay(50);
          if (groupAlive(pgid)) {
            try {
              process.kill(-pgid, 'SIGKILL');
            } catch {
              /* gone meanwhile */
            }
            while (groupAlive(pgid)) await delay(50);
          }
          running.delete(pgid);
        }
        if (!keepFiles) cleanup();
      },
    };

    if (healthy) {
      log(`code-server: ready on ${base} in ${server.startupMs} ms (pid ${pgid})`);
      return server;
    }
    const output = server.output();
    await server.stop({ keepFiles: true });
    const portTaken = /EADDRINUSE/.test(output);
    if (portTaken && attempt < 3) {
      log(`code-server: port ${port} was taken, retrying`);
      continue;
    }
    cleanup();
    const why = exited ? `exited (${exited.code ?? exited.signal})` : 'did not answer /healthz in time';
    throw new Error(`code-server ${why}. Its output:\n${output.split('\n').slice(-40).join('\n')}`);
  }
}
