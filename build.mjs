// One build script, every bundle (DESIGN.md §2): client, server, CLI, webview.
// `vscode` stays external; everything else is bundled so `npm ci` leaves a
// runnable CLI and the .vsix needs no node_modules.
import * as esbuild from 'esbuild';
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
};

/** The extension's bundle; test/bench/bench.ts builds it minified to report its size. */
export const clientBuild = { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' };

const builds = [
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  clientBuild,
  {
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    external: [],
    entryPoints: ['webview/src/main.ts'],
    outfile: 'dist/webview.js',
  },
  // Extension-host tests (test/e2e/run.mjs runs them in code-server); mocha comes from node_modules.
  { ...common, entryPoints: ['test/e2e/suite/index.ts'], outfile: 'dist/test/e2e-suite.js', external: ['vscode', 'mocha'] },
].filter((b) => existsSync(b.entryPoints[0]));

// Builds only when run (`node build.mjs`), not when the bench imports clientBuild.
const isMain = process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (isMain && watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else if (isMain) {
  const results = await Promise.allSettled(builds.map((b) => esbuild.build(b)));
  // esbuild has already printed each error with its location.
  if (results.some((r) => r.status === 'rejected')) process.exit(1);
}
