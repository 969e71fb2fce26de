import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * mysql2 is loaded only when a database is used (DESIGN.md §2): building
 * the app and parsing tidb entries do not load it; opening a client does.
 * In a process of its own (the suite's database tests load it early).
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const SCRIPT = `
const loaded = () => Object.keys(require.cache).filter((f) => /[\\\\/]node_modules[\\\\/]mysql2[\\\\/]/.test(f)).length;
(async () => {
  const { parseConfig } = require('./server/src/config');
  require('./server/src/app/compose');
  require('./server/src/cli/main');
  parseConfig({ destinations: [{ id: 'kb', type: 'tidb', host: 'h', user: 'u', database: 'd' }], sources: [{ id: 's', type: 'tidb', host: 'h', user: 'u', database: 'd' }] });
  const before = loaded();
  const { openDbClient } = require('./server/src/db/client');
  const client = await openDbClient({ host: '127.0.0.1', port: 9, user: 'u', database: 'd', tls: false }, { connectTimeoutMs: 100, queryTimeoutMs: 100, baseDir: '/' });
  await client.close();
  console.log(JSON.stringify({ before, after: loaded() }));
})();
`;

describe('mysql2 is loaded lazily', () => {
  it('is not loaded by the config, the registry, the CLI or the composition root; opening a client loads it', function () {
    this.timeout(30_000);
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', SCRIPT], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const { before, after } = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { before: number; after: number };
    assert.equal(before, 0);
    assert.ok(after > 0);
  });
});
