import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { cliWorkspace, EXAMPLES, type CliWorkspace } from './cliHarness';

const chatMessages = join(EXAMPLES, 'chat-messages.jsonl');

/** A transcript (canonical rows) whose assistant message holds `content`. */
async function transcriptWith(ws: CliWorkspace, name: string, content: string): Promise<string> {
  const rows = [
    { id: 'm1', session_id: 's1', surface: 'reasoning', agent_id: null, role: 'user', content: 'Question?', metadata: {}, created_at: '2026-01-01T00:00:00Z' },
    { id: 'm2', session_id: 's1', surface: 'reasoning', agent_id: null, role: 'assistant', content, metadata: {}, created_at: '2026-01-01T00:01:00Z' },
  ];
  const path = join(ws.dir, name);
  await writeFile(path, rows.map((r) => JSON.stringify(r)).join('\n'));
  return path;
}

// Built at run time so this file holds no token-shaped literal.
const fakeGithubToken = () => 'ghp_' + 'aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5'.slice(0, 36);

describe('CLI (in-process)', function () {
  let ws: CliWorkspace;
  beforeEach(async () => {
    ws = await cliWorkspace();
  });
  afterEach(async () => {
    await ws.cleanup();
  });

  it('lists sessions as JSON in the contract shape', async () => {
    const run = await ws.run(['sessions', chatMessages, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const out = run.json<{ format: string; sessions: { id: string; messages: { id: string; blocks: { id: string; kind: string }[] }[] }[] }>();
    assert.equal(out.format, 'chat_messages');
    assert.equal(out.sessions[0]?.id, 'sess_demo');
    assert.deepEqual(out.sessions[0]?.messages.map((m) => m.id), ['msg_1', 'msg_2']);
    assert.deepEqual(out.sessions[0]?.messages[1]?.blocks.map((b) => b.id), ['blk_2a', 'blk_2b']);
  });

  it('exports with the embedded defaults: yaml-markdown to ./exports/<slug>.md', async () => {
    const run = await ws.run(['export', chatMessages, '--title', 'Demo: "quotes"\n---', '--json']);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const out = run.json<Record<string, any>>();
    assert.equal(out['status'], 'completed');
    assert.equal(out['template_id'], 'yaml-markdown');
    assert.equal(out['destination_id'], 'local');
    assert.match(out['content_hash'], /^sha256:[0-9a-f]{64}$/);
    assert.equal(out['review'].risk_level, 'low');
    assert.equal(out['review'].action, 'CREATE');
    assert.deepEqual(Object.keys(out['statistics'].stages_ms), ['assemble', 'transform', 'validate', 'preview', 'publish']);
    assert.equal(typeof out['statistics'].duration_ms, 'number');
    const written = await readFile(out['output_location'], 'utf8');
    assert.ok(out['output_location'].startsWith(join(ws.dir, 'exports')));
    const front = parseYaml(written.split(/^---$/m)[1] ?? '');
    assert.equal(front.title, 'Demo: "quotes"\n---');
    assert.match(front.exported_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(front.session_id, 'sess_demo');
  });

  it('needs --yes to overwrite existing content (exit 3), then updates', async () => {
    assert.equal((await ws.run(['export', chatMessages, '--title', 'Demo'])).code, 0);
    const other = join(EXAMPLES, 'claude-code-session.jsonl');
    const held = await ws.run(['export', other, '--title', 'Demo', '--filename', 'demo.md', '--json']);
    assert.equal(held.code, 3);
    const heldOut = held.json<Record<string, any>>();
    assert.equal(heldOut['review'].action, 'UPDATE');
    assert.equal(heldOut['error'].code, 'REVIEW_REQUIRED');
    assert.ok(heldOut['review'].warnings.some((w: { code: string }) => w.code === 'OVERWRITES_CONTENT'));
    const before = await readFile(join(ws.dir, 'exports', 'demo.md'), 'utf8');
    assert.match(before, /Plan the export rollback/);
    const accepted = await ws.run(['export', other, '--title', 'Demo', '--filename', 'demo.md', '--yes', '--json']);
    assert.equal(accepted.code, 0, accepted.stdout);
    assert.equal(accepted.json<Record<string, any>>()['action'], 'UPDATE');
    assert.match(await readFile(join(ws.dir, 'exports', 'demo.md'), 'utf8'), /upload test is flaky/);
  });

  it('exits 3 when review.requireAt is low, and --yes accepts', async () => {
    await writeFile(join(ws.dir, 'cfg.yaml'), 'review:\n  requireAt: low\n');
    const held = await ws.run(['export', chatMessages, '--config', 'cfg.yaml']);
    assert.equal(held.code, 3);
    assert.match(held.stderr, /re-run with --yes/);
    assert.equal(existsSync(join(ws.dir, 'exports')), false);
    assert.equal((await ws.run(['export', chatMessages, '--config', 'cfg.yaml', '--yes'])).code, 0);
  });

  it('blocks dangerous output of an HTML-bound template, and --yes does not override a block', async () => {
    await writeFile(
      join(ws.dir, 'page.hbs'),
      '---\nname: Page\noutput: text\nextension: .html\nhtml_bound: true\n---\n<h1>{{metadata.title}}</h1>\n{{{content}}}\n',
    );
    const source = await transcriptWith(ws, 't.jsonl', 'Try <script>alert(1)</script> here.');
    for (const extra of [[], ['--yes']]) {
      const run = await ws.run(['export', source, '--template', 'page.hbs', '--json', ...extra]);
      assert.equal(run.code, 3, run.stdout);
      const out = run.json<Record<string, any>>();
      assert.equal(out['review'].blocked, true);
      assert.equal(out['review'].reason, 'DANGEROUS_PATTERN');
      assert.equal(out['error'].code, 'BIN_BLOCKED');
    }
    assert.equal(existsSync(join(ws.dir, 'exports')), false);
  });

  it('warns about secrets for local exports without echoing them, and --redact removes them', async () => {
    const token = fakeGithubToken();
    const source = await transcriptWith(ws, 't.jsonl', `Use this:\n${token}\nthanks`);
    const run = await ws.run(['export', source, '--json']);
    assert.equal(run.code, 0, run.stdout);
    assert.ok(!run.stdout.includes(token), 'the secret must not be echoed');
    const out = run.json<Record<string, any>>();
    const finding = out['review'].warnings.find((w: { code: string }) => w.code === 'SECRET_DETECTED');
    assert.ok(finding, 'secret finding reported');
    assert.equal(typeof finding.line, 'number');
    // Every file of the store, its backups and locks included.
    const storeFiles = (await readdir(ws.store, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    for (const file of storeFiles) {
      const name = join(file.parentPath, file.name);
      assert.ok(!(await readFile(name, 'utf8')).includes(token), `${name} must not hold the secret`);
    }

    const redacted = await ws.run(['export', source, '--redact', '--filename', 'r.md', '--json']);
    assert.equal(redacted.code, 0);
    const text = await readFile(join(ws.dir, 'exports', 'r.md'), 'utf8');
    assert.ok(!text.includes(token));
    assert.match(text, /\[REDACTED:[a-z0-9-]+\]/);
  });

  it('refuses bad input with exit 2 and a clear code, writing nothing', async () => {
    await writeFile(join(ws.dir, 'empty.jsonl'), '');
    await writeFile(join(ws.dir, 'binary.bin'), Buffer.from([0, 1, 2, 0, 0, 0, 255, 254, 0, 0, 7, 0]));
    await writeFile(join(ws.dir, 'truncated.json'), '[{"id": "m1", "session_id": "s"');
    await writeFile(join(ws.dir, 'unknown.json'), '{"hello": "world"}');
    const cases: [string[], string][] = [
      [['export', 'empty.jsonl'], 'INVALID_INPUT'],
      [['export', 'binary.bin'], 'INVALID_INPUT'],
      [['export', 'truncated.json'], 'INVALID_INPUT'],
      [['export', 'unknown.json'], 'UNKNOWN_FORMAT'],
      [['export', 'missing.jsonl'], 'INVALID_INPUT'],
      [['export', chatMessages, '--messages', 'msg_1,nope'], 'MESSAGE_NOT_FOUND'],
      [['export', chatMessages, '--blocks', 'nope'], 'MESSAGE_NOT_FOUND'],
      [['export', chatMessages, '--session', 'nope'], 'SESSION_NOT_FOUND'],
      [['export', chatMessages, '--template', 'nope'], 'TEMPLATE_NOT_FOUND'],
      [['export', chatMessages, '--dest', 'nope'], 'DESTINATION_NOT_FOUND'],
    ];
    for (const [args, code] of cases) {
      const run = await ws.run([...args, '--json']);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}`);
      const out = run.json<{ error: { code: string; message: string; recoverable: boolean } }>();
      assert.equal(out.error.code, code, args.join(' '));
      assert.ok(!/\n\s+at /.test(out.error.message), 'no stack trace');
    }
    const human = await ws.run(['export', 'empty.jsonl']);
    assert.match(human.stderr, /^error INVALID_INPUT: .*empty/m);
    assert.equal(human.stderr.trim().split('\n').length, 1);
    assert.equal(existsSync(join(ws.dir, 'exports')), false);
  });

  it('asks for --session when a file holds several sessions', async () => {
    const rows = ['a', 'b'].map((s, i) =>
      JSON.stringify({ id: `m${i}`, session_id: s, surface: 'reasoning', agent_id: null, role: 'user', content: 'x', metadata: {}, created_at: '2026-01-01T00:00:00Z' }),
    );
    await writeFile(join(ws.dir, 'two.jsonl'), rows.join('\n'));
    const run = await ws.run(['export', 'two.jsonl']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /\ba\b.*\bb\b/s);
    assert.equal((await ws.run(['export', 'two.jsonl', '--session', 'b'])).code, 0);
  });

  it('refuses content over the limit with CONTENT_TOO_LARGE', async () => {
    await writeFile(join(ws.dir, 'cfg.json'), JSON.stringify({ limits: { maxContentLength: 200 } }));
    const run = await ws.run(['export', chatMessages, '--config', 'cfg.json', '--json']);
    assert.equal(run.code, 3, 'a review that does not let the export through: exit 3');
    assert.equal(run.json<{ error: { code: string } }>().error.code, 'CONTENT_TOO_LARGE');
    assert.equal(existsSync(join(ws.dir, 'exports')), false);
  });

  it('reports usage errors with exit 2', async () => {
    for (const args of [['export'], ['export', 'a', 'b'], ['export', 'x', '--bogus'], ['frobnicate'], ['jobs', 'list', '--status', 'weird'], ['export', 'x', '--meta', 'novalue']]) {
      const run = await ws.run(args);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, /usage error/);
    }
  });

  it('shows jobs with their audit events, and rolls back a completed export', async () => {
    const exported = (await ws.run(['export', chatMessages, '--json'])).json<Record<string, any>>();
    const id = exported['job_id'];
    const list = (await ws.run(['jobs', 'list', '--json'])).json<{ jobs: { job_id: string }[] }>();
    assert.deepEqual(list.jobs.map((j) => j.job_id), [id]);
    const shown = (await ws.run(['jobs', 'show', id, '--json'])).json<Record<string, any>>();
    const actions = shown['audit_events'].map((e: { action: string }) => e.action);
    assert.deepEqual(actions, ['CreateExportJob.preflight', 'CreateExportJob.accept', 'CreateExportJob.commit']);
    for (const event of shown['audit_events']) {
      assert.equal(event.metadata.template, 'yaml-markdown');
      assert.equal(event.metadata.destination, 'local');
      assert.equal(typeof event.metadata.risk_level, 'string');
    }
    const held = await ws.run(['jobs', 'rollback', id]);
    assert.equal(held.code, 3);
    assert.ok(existsSync(exported['output_location']));
    const rolled = await ws.run(['jobs', 'rollback', id, '--yes', '--json']);
    assert.equal(rolled.code, 0, rolled.stdout);
    assert.equal(rolled.json<Record<string, any>>()['status'], 'rolled_back');
    assert.equal(existsSync(exported['output_location']), false);
    const after = (await ws.run(['jobs', 'show', id, '--json'])).json<Record<string, any>>();
    assert.ok(after['audit_events'].some((e: { action: string; status: string }) => e.action === 'CreateExportJob.rollback' && e.status === 'success'));
    assert.equal((await ws.run(['jobs', 'show', 'job_nope'])).code, 2);
  });

  it('prints the seed §10 shapes: export, jobs list with pagination, jobs show, templates list, preview', async () => {
    const exported = (await ws.run(['export', chatMessages, '--title', 'Shapes', '--json'])).json<Record<string, any>>();
    assert.equal(typeof exported['job_id'], 'string');
    assert.equal(exported['status'], 'completed');
    assert.match(exported['created_at'], /^\d{4}-\d\d-\d\dT/);
    await ws.run(['export', chatMessages, '--title', 'Shapes two', '--json']);
    const list = (await ws.run(['jobs', 'list', '--limit', '1', '--json'])).json<Record<string, any>>();
    assert.equal(list['jobs'].length, 1);
    assert.deepEqual(list['pagination'], { total: 2, limit: 1, offset: 0, has_more: true });
    const first = list['jobs'][0];
    for (const key of ['id', 'filename', 'status', 'destination_type', 'created_at']) assert.ok(key in first, key);
    assert.equal(first['destination_type'], 'local');
    const shown = (await ws.run(['jobs', 'show', exported['job_id'], '--json'])).json<Record<string, any>>();
    assert.equal(shown['id'], exported['job_id']);
    assert.deepEqual(shown['template'], { id: 'yaml-markdown', name: 'YAML + Markdown' });
    assert.deepEqual(shown['destination'], { id: 'local', name: 'local', type: 'local' });
    assert.equal(shown['filename'], 'shapes.md');
    assert.equal(shown['output_location'], exported['output_location']);
    assert.equal(typeof shown['statistics'].token_count, 'number');
    assert.equal(shown['statistics'].char_count, (await readFile(exported['output_location'], 'utf8')).length);
    assert.equal(typeof shown['statistics'].duration_ms, 'number');
    assert.match(shown['completed_at'], /^\d{4}-/);
    const templates = (await ws.run(['templates', 'list', '--json'])).json<{ templates: Record<string, any>[] }>().templates;
    const markdown = templates.find((t) => t['id'] === 'markdown');
    assert.equal(markdown?.['type'], 'builtin');
    assert.equal(markdown?.['file_extension'], '.md');
    const preview = (await ws.run(['preview', chatMessages, '--title', 'Shapes', '--json'])).json<Record<string, any>>();
    assert.equal(typeof preview['content_preview'], 'string');
    assert.ok(preview['content_preview'].startsWith('---'));
    assert.deepEqual(preview['destination'], { id: 'local', name: 'local', type: 'local' });
    assert.equal(preview['validation'].passed, true);
    assert.deepEqual(preview['validation'].warnings, []);
  });

  it('names an export after its selection, and never lands a different selection on the file another one wrote', async () => {
    const session = (await ws.run(['sessions', chatMessages, '--json'])).json<{ sessions: { id: string; title: string | null; messages: { id: string }[] }[] }>().sessions[0];
    assert.ok(session && session.messages.length >= 2);
    const whole = (await ws.run(['export', chatMessages, '--json'])).json<Record<string, any>>();
    assert.equal(whole['title'], session.title, 'a whole session keeps its title');
    const [m1, m2] = session.messages.map((m) => m.id);
    const first = (await ws.run(['export', chatMessages, '--messages', `${m1}`, '--title', 'Same title', '--json'])).json<Record<string, any>>();
    const second = (await ws.run(['export', chatMessages, '--messages', `${m2}`, '--title', 'Same title', '--json'])).json<Record<string, any>>();
    assert.equal(first['action'], 'CREATE');
    assert.equal(second['status'], 'completed');
    assert.equal(second['action'], 'CREATE', 'the other selection gets a file of its own');
    assert.notEqual(second['output_location'], first['output_location']);
    assert.match(second['filename'], /^same-title-2\.md$/);
    const again = (await ws.run(['export', chatMessages, '--messages', `${m1}`, '--title', 'Same title', '--yes', '--force', '--json'])).json<Record<string, any>>();
    assert.equal(again['output_location'], first['output_location'], 'the same selection updates its own file');
    const untitled = (await ws.run(['preview', chatMessages, '--messages', `${m2}`, '--json'])).json<Record<string, any>>();
    assert.notEqual(untitled['metadata'].title, session.title, 'a part of a session is named after itself');
  });

  it('keeps the previous content for rollback in the data folder, not beside the exports, and prunes it when no job needs it', async () => {
    assert.equal((await ws.run(['export', chatMessages, '--title', 'Kept', '--filename', 'kept.md'])).code, 0);
    const updated = (await ws.run(['export', chatMessages, '--title', 'Kept again', '--filename', 'kept.md', '--yes', '--json'])).json<Record<string, any>>();
    assert.equal(updated['action'], 'UPDATE');
    assert.deepEqual(await readdir(join(ws.dir, 'exports')), ['kept.md'], 'the output folder holds only what the user exported');
    const objects = join(ws.store, 'backups', 'local', 'objects');
    const kept = await readdir(objects);
    assert.equal(kept.length, 1);
    assert.match(kept[0] ?? '', /^[0-9a-f]{64}$/, 'content-addressed');
    assert.equal((await ws.run(['jobs', 'rollback', updated['job_id'], '--yes'])).code, 0);
    assert.match(await readFile(join(ws.dir, 'exports', 'kept.md'), 'utf8'), /title: Kept\n/);
    assert.deepEqual(await readdir(objects), [], 'pruned once no completed job needs it');
  });

  it('says Unchanged and writes nothing when only the export time would change; --force writes it', async () => {
    const first = (await ws.run(['export', chatMessages, '--title', 'Again', '--json'])).json<Record<string, any>>();
    const written = await readFile(first['output_location'], 'utf8');
    const preview = (await ws.run(['preview', chatMessages, '--title', 'Again', '--json'])).json<Record<string, any>>();
    assert.equal(preview['unchanged'], true);
    assert.ok(preview['review'].warnings.some((w: { code: string }) => w.code === 'UNCHANGED'));
    const again = await ws.run(['export', chatMessages, '--title', 'Again', '--yes', '--json']);
    assert.equal(again.code, 0, again.stdout);
    assert.equal(again.json<Record<string, any>>()['status'], 'unchanged');
    assert.equal(again.json<Record<string, any>>()['job_id'], null, 'no job: nothing was written');
    assert.equal(await readFile(first['output_location'], 'utf8'), written, 'the export time in the file is the first one');
    const human = await ws.run(['export', chatMessages, '--title', 'Again', '--yes']);
    assert.match(human.stdout, /^Unchanged: again\.md/);
    const forced = (await ws.run(['export', chatMessages, '--title', 'Again', '--yes', '--force', '--json'])).json<Record<string, any>>();
    assert.equal(forced['status'], 'completed');
    assert.equal(forced['action'], 'UPDATE');
    const changed = (await ws.run(['preview', chatMessages, '--title', 'Again', '--author', 'Someone', '--json'])).json<Record<string, any>>();
    assert.equal(changed['unchanged'], false, 'a real change is an update');
  });

  it('rolls back an export made with --out: the job remembers the folder it was written to', async () => {
    const exported = (await ws.run(['export', chatMessages, '--out', 'elsewhere', '--json'])).json<Record<string, any>>();
    assert.ok(exported['output_location'].startsWith(join(ws.dir, 'elsewhere')));
    const rolled = await ws.run(['jobs', 'rollback', exported['job_id'], '--yes', '--json']);
    assert.equal(rolled.code, 0, rolled.stdout);
    assert.equal(existsSync(exported['output_location']), false);
  });

  it('lists templates and checks template files with positions', async () => {
    const list = (await ws.run(['templates', 'list', '--json'])).json<{ templates: { id: string }[] }>();
    assert.deepEqual(list.templates.map((t) => t.id).sort(), ['markdown', 'skill', 'xml', 'yaml-markdown']);
    await mkdir(join(ws.dir, 't'));
    await writeFile(join(ws.dir, 't', 'bad.hbs'), '---\nname: Bad\noutput: markdown\n---\n# {{metadata.title}}\n{{#each messages}}\n{{nosuchhelper content}}\n');
    const checked = await ws.run(['templates', 'check', 't/bad.hbs']);
    assert.equal(checked.code, 2);
    assert.match(checked.stdout, /bad\.hbs:\d+:\d+: error /);
    const good = await ws.run(['templates', 'check', resolve(__dirname, '..', '..', 'templates', 'markdown.hbs')]);
    assert.equal(good.code, 0, good.stdout);
  });

  it('runs a batch: one bad export does not stop the others', async () => {
    await writeFile(
      join(ws.dir, 'plan.yaml'),
      [
        'exports:',
        `  - { file: ${JSON.stringify(chatMessages)}, title: One }`,
        `  - { file: ${JSON.stringify(chatMessages)}, title: Two, template: markdown }`,
        `  - { file: ${JSON.stringify(chatMessages)}, title: Three, messages: [nope] }`,
        `  - { file: ${JSON.stringify(join(EXAMPLES, 'chatgpt-conversations.json'))}, title: Four, template: xml }`,
      ].join('\n'),
    );
    const run = await ws.run(['batch', 'plan.yaml', '--json']);
    assert.equal(run.code, 1, run.stdout);
    const out = run.json<{ batch_id: string; total: number; successful: number; failed: number; results: { status: string; error?: { code: string } }[] }>();
    assert.equal(out.total, 4);
    assert.equal(out.successful, 3);
    assert.equal(out.failed, 1);
    assert.equal(out.results[2]?.status, 'failed');
    assert.equal(out.results[2]?.error?.code, 'MESSAGE_NOT_FOUND');
    assert.deepEqual((await readdir(join(ws.dir, 'exports'))).filter((f) => !f.startsWith('.')).sort(), ['four.xml', 'one.md', 'two.md']);
    assert.match(run.stderr, /Publishing 4\/4/);
  });

  it('a batch refuses two entries that would write the same file (names that clean up alike) at review (issue 11 item 3)', async () => {
    await writeFile(
      join(ws.dir, 'plan.yaml'),
      [
        'exports:',
        `  - { file: ${JSON.stringify(chatMessages)}, title: One, filename: "notes?.md" }`,
        `  - { file: ${JSON.stringify(chatMessages)}, title: Two, filename: "notes_.md" }`,
        `  - { file: ${JSON.stringify(chatMessages)}, title: Three, filename: "other.md" }`,
      ].join('\n'),
    );
    const run = await ws.run(['batch', 'plan.yaml', '--yes', '--json']);
    const out = run.json<{ successful: number; results: { status: string; filename?: string; error?: { code: string; message: string } }[] }>();
    assert.equal(out.successful, 2, run.stdout);
    assert.equal(out.results[1]?.status, 'failed');
    assert.equal(out.results[1]?.error?.code, 'CONFLICT');
    assert.match(out.results[1]?.error?.message ?? '', /same file as entry 1/);
    assert.match(await readFile(join(ws.dir, 'exports', 'notes_.md'), 'utf8'), /^# One/m, 'the first entry\'s file, not overwritten by the second');
  });

  it('a job records the name actually written, not the raw --filename (issue 11 item 3)', async () => {
    const run = await ws.run(['export', chatMessages, '--filename', 'plan?:*.md', '--json']);
    assert.equal(run.code, 0, run.stdout);
    const job = run.json<{ filename: string; output_location: string }>();
    assert.equal(job.filename, 'plan___.md');
    assert.ok(job.output_location.endsWith('plan___.md'), job.output_location);
    assert.ok(existsSync(join(ws.dir, 'exports', 'plan___.md')));
  });
});

describe('CLI bundle (node dist/cli.js)', function () {
  let ws: CliWorkspace;
  before(function () {
    if (!existsSync(resolve(__dirname, '..', '..', 'dist', 'cli.js'))) {
      throw new Error('dist/cli.js is missing: run `node build.mjs` first (npm test does)');
    }
  });
  beforeEach(async () => {
    ws = await cliWorkspace();
  });
  afterEach(async () => {
    await ws.cleanup();
  });

  it('runs the README main command from a fresh working folder', () => {
    const cli = resolve(__dirname, '..', '..', 'dist', 'cli.js');
    const result = spawnSync(process.execPath, [cli, 'export', join(EXAMPLES, 'vscode-chat-export.json'), '--title', 'Demo'], {
      cwd: ws.dir,
      env: { ...process.env, DEVGUIDE_EXPORT_STORE: ws.store },
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Exported "Demo"/);
    assert.ok(existsSync(join(ws.dir, 'exports', 'demo.md')));
  });
});
