import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { composeApp, type App } from '../../../server/src/app/compose';
import { systemClock } from '../../../server/src/clock';
import { parseConfig } from '../../../server/src/config';
import type { ExportError } from '../../../server/src/errors';
import { createMemoryStore } from '../../../server/src/store/memoryStore';

const ROOT = resolve(__dirname, '..', '..', '..');
const TRANSCRIPT = join(ROOT, 'examples', 'chat-messages.jsonl');

/** Issue 9: one App for the process; settings and trust changes never drop an open review. */
describe('app: open reviews across settings and trust changes', () => {
  let dir: string;
  let app: App;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'devguide-app-'));
    const config = parseConfig({ destinations: [{ id: 'docs', type: 'local', baseDir: 'docs' }], defaultDestination: 'docs' });
    app = composeApp(
      { workspaceRoot: dir, actor: 'tester', clock: systemClock, builtinTemplatesDir: join(ROOT, 'templates'), getSecret: async () => undefined },
      { config, trust: { trusted: false, workspaceDestinationIds: new Set() }, store: { store: createMemoryStore(), dataDir: join(dir, '.data') } },
    );
  });
  afterEach(async () => {
    await app.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const preview = (title: string) => app.exports.preview({ source: { kind: 'file', path: TRANSCRIPT }, title });

  it('accepts a review after the settings changed and the folder became trusted', async () => {
    const open = await preview('Kept open');
    app.configure(
      parseConfig({
        destinations: [{ id: 'docs', type: 'local', baseDir: 'docs' }, { id: 'more', type: 'local', baseDir: 'more' }],
        defaultDestination: 'docs',
        review: { requireAt: 'low' },
      }),
    );
    app.setTrust({ trusted: true, workspaceDestinationIds: new Set() });
    const run = await app.exports.accept(open.transaction_id, true);
    assert.equal(run.job.status, 'completed');
    assert.ok(existsSync(join(dir, 'docs', 'kept-open.md')));
    assert.equal((await preview('After')).review.requires_accept, true, 'later reviews use the new requireAt');
  });

  it('says so when the review\'s destination was removed or changed since', async () => {
    const removed = await preview('Removed');
    const changed = await preview('Changed');
    app.configure(parseConfig({ destinations: [{ id: 'docs', type: 'local', baseDir: 'elsewhere' }] }));
    await assert.rejects(app.exports.accept(changed.transaction_id, true), (e: ExportError) => e.code === 'DESTINATION_CONFIG_INVALID' && /changed in the settings/.test(e.message));
    app.configure(parseConfig({}));
    await assert.rejects(app.exports.accept(removed.transaction_id, true), (e: ExportError) => e.code === 'DESTINATION_NOT_FOUND' && /removed from the settings/.test(e.message));
    assert.equal(existsSync(join(dir, 'docs')), false, 'nothing was written');
  });
});
