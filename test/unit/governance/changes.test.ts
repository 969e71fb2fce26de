import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { systemClock } from '../../../server/src/clock';
import { parseConfig } from '../../../server/src/config';
import type { ExportError } from '../../../server/src/errors';
import { composeApp } from '../../../server/src/app/compose';
import { createMemoryStore } from '../../../server/src/store/memoryStore';
import type { Store } from '../../../server/src/store/types';

const BUILTIN = resolve(__dirname, '..', '..', '..', 'templates');
const GOOD_TEMPLATE = '---\nname: Notes\noutput: markdown\nextension: .md\n---\n# {{metadata.title}}\n\n{{{content}}}\n';

describe('Bin preflight of template and destination changes', () => {
  let dir: string;
  let store: Store;
  const service = (trusted = true, raw: unknown = {}) => {
    const app = composeApp(
      { workspaceRoot: dir, actor: 'tester', clock: systemClock, builtinTemplatesDir: BUILTIN, getSecret: async () => undefined },
      { config: parseConfig(raw), trust: { trusted, workspaceDestinationIds: new Set() }, store: { store, dataDir: join(dir, '.data') } },
    );
    return {
      reviewChange: (change: Parameters<typeof app.changes.review>[0]) => app.changes.review(change),
      applyChange: (tx: string, explicit: boolean) => app.changes.apply(tx, explicit),
      finishChange: (tx: string, ok: boolean) => app.changes.finish(tx, ok),
      templates: app.state.templates,
    };
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'devguide-changes-'));
    store = createMemoryStore();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('CreateTemplate: a shared workspace template is critical, needs accept, and is written on apply', async () => {
    const s = service();
    const review = await s.reviewChange({ kind: 'template', type: 'CreateTemplate', id: 'notes', text: GOOD_TEMPLATE });
    assert.equal(review.blocked, false);
    assert.equal(review.risk_level, 'critical');
    assert.equal(review.action, 'CREATE');
    assert.equal(review.requires_accept, true);
    await assert.rejects(s.applyChange(review.transaction_id, false), (e: ExportError) => e.code === 'REVIEW_REQUIRED');
    const applied = await s.applyChange(review.transaction_id, true);
    assert.equal(applied.kind, 'template');
    const path = join(dir, '.devguide', 'templates', 'notes.hbs');
    assert.equal(await readFile(path, 'utf8'), GOOD_TEMPLATE);
    const actions = (await store.listAudit({ transactionId: review.transaction_id })).map((e) => e.action);
    assert.deepEqual(actions, ['CreateTemplate.preflight', 'CreateTemplate.accept', 'CreateTemplate.commit']);
    assert.equal((await s.templates.get('notes')).name, 'Notes');
  });

  it('refuses a template that does not compile, a duplicate name, an update of a missing one, and untrusted workspaces', async () => {
    const s = service();
    const broken = await s.reviewChange({ kind: 'template', type: 'CreateTemplate', id: 'bad', text: '---\nname: B\noutput: markdown\n---\n{{#each messages}}\n' });
    assert.equal(broken.reason, 'TEMPLATE_INVALID');
    const created = await s.reviewChange({ kind: 'template', type: 'CreateTemplate', id: 'notes', text: GOOD_TEMPLATE });
    await s.applyChange(created.transaction_id, true);
    const duplicate = await s.reviewChange({ kind: 'template', type: 'CreateTemplate', id: 'notes', text: GOOD_TEMPLATE });
    assert.equal(duplicate.reason, 'NAME_NOT_UNIQUE');
    const update = await s.reviewChange({ kind: 'template', type: 'UpdateTemplate', id: 'notes', text: GOOD_TEMPLATE.replace('Notes', 'Notes 2') });
    assert.equal(update.blocked, false);
    assert.equal(update.action, 'UPDATE');
    const missing = await s.reviewChange({ kind: 'template', type: 'UpdateTemplate', id: 'nope', text: GOOD_TEMPLATE });
    assert.equal(missing.reason, 'NOT_FOUND');
    const untrusted = await service(false).reviewChange({ kind: 'template', type: 'CreateTemplate', id: 'x', text: GOOD_TEMPLATE });
    assert.equal(untrusted.reason, 'UNTRUSTED_WORKSPACE');
    assert.equal(existsSync(join(dir, '.devguide', 'templates', 'bad.hbs')), false);
  });

  it('CreateDestination: validates the config, refuses credentials in settings, commits with a security event', async () => {
    const s = service(true, { destinations: [{ id: 'docs', type: 'local', baseDir: 'docs' }] });
    const invalid = await s.reviewChange({ kind: 'destination', type: 'CreateDestination', config: { id: 'gh', type: 'github' }, workspaceDefined: false });
    assert.equal(invalid.reason, 'DESTINATION_CONFIG_INVALID', 'a type this version has no descriptor for');
    const badField = await s.reviewChange({ kind: 'destination', type: 'CreateDestination', config: { id: 'x', type: 'local', onExisting: 'merge' }, workspaceDefined: false });
    assert.equal(badField.reason, 'DESTINATION_CONFIG_INVALID');
    const token = 'ghp_' + 'Zx8Qw2Er4Ty6Ui8Op0As2Df4Gh6Jk8Lz1Xc3Vb5';
    const withSecret = await s.reviewChange({
      kind: 'destination',
      type: 'CreateDestination',
      config: { id: 'gh', type: 'local', baseDir: 'gh', name: token.slice(0, 40) },
      workspaceDefined: false,
    });
    assert.equal(withSecret.reason, 'SECRET_IN_CONFIG');
    assert.ok(!JSON.stringify(withSecret).includes(token.slice(4, 40)), 'the review never echoes the secret');
    const duplicate = await s.reviewChange({ kind: 'destination', type: 'CreateDestination', config: { id: 'docs', type: 'local' }, workspaceDefined: false });
    assert.equal(duplicate.reason, 'NAME_NOT_UNIQUE');

    const good = await s.reviewChange({ kind: 'destination', type: 'CreateDestination', config: { id: 'team', type: 'local', baseDir: 'team' }, workspaceDefined: true });
    assert.equal(good.risk_level, 'low');
    assert.ok(good.warnings.some((w) => w.code === 'SHARED_DESTINATION'));
    const applied = await s.applyChange(good.transaction_id, true);
    assert.equal(applied.kind, 'destination');
    await s.finishChange(good.transaction_id, true);
    const actions = (await store.listAudit({ transactionId: good.transaction_id })).map((e) => e.action);
    assert.deepEqual(actions, ['CreateDestination.preflight', 'CreateDestination.accept', 'CreateDestination.commit']);
    assert.deepEqual((await store.listSecurity()).map((e) => e.type), ['destination_created']);
  });

  it('UpdateDestination of a workspace destination is refused in Restricted Mode', async () => {
    const s = service(false, { destinations: [{ id: 'docs', type: 'local' }] });
    const review = await s.reviewChange({ kind: 'destination', type: 'UpdateDestination', config: { id: 'docs', type: 'local', baseDir: 'x' }, workspaceDefined: true });
    assert.equal(review.reason, 'UNTRUSTED_WORKSPACE');
    const user = await s.reviewChange({ kind: 'destination', type: 'UpdateDestination', config: { id: 'docs', type: 'local', baseDir: 'x' }, workspaceDefined: false });
    assert.equal(user.blocked, false);
    assert.equal(user.risk_level, 'low');
  });
});
