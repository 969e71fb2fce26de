import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportError } from '../../../server/src/errors';
import { createTemplateEngine } from '../../../server/src/templates/engine';
import { createTemplateRegistry, defaultBuiltinTemplatesDir } from '../../../server/src/templates/registry';

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<ExportError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ExportError, String(error));
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

const workspaceTemplate = (name: string, body = '# {{metadata.title}}\n{{{content}}}\n') => `---\nname: ${name}\noutput: markdown\n---\n${body}`;

describe('template registry', () => {
  let root: string;
  let workspaceDir: string;
  const builtinDir = defaultBuiltinTemplatesDir();
  const engine = createTemplateEngine();

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'devguide-templates-'));
    workspaceDir = join(root, '.devguide', 'templates');
    await mkdir(workspaceDir, { recursive: true });
    await writeFile(join(workspaceDir, 'team-notes.hbs'), workspaceTemplate('Team notes'));
    await writeFile(join(workspaceDir, 'markdown.hbs'), workspaceTemplate('Our Markdown', 'OURS {{{content}}}'));
    await writeFile(join(workspaceDir, 'broken.hbs'), '---\nname: Broken\noutput: pdf\n---\n{{> nope}}');
    await writeFile(join(workspaceDir, 'README.md'), 'not a template');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('finds the built-in folder from the sources', async () => {
    const names = await readdir(builtinDir);
    assert.deepEqual(names.filter((n) => n.endsWith('.hbs')).sort(), ['markdown.hbs', 'skill.hbs', 'xml.hbs', 'yaml-markdown.hbs']);
  });

  it('lists the four built-ins in a fixed order', async () => {
    const registry = createTemplateRegistry({ builtinDir, trusted: false, engine });
    const list = await registry.list();
    assert.deepEqual(list.map((t) => [t.id, t.source, t.output, t.extension, t.valid]), [
      ['markdown', 'builtin', 'markdown', '.md', true],
      ['yaml-markdown', 'builtin', 'yaml-frontmatter', '.md', true],
      ['skill', 'builtin', 'yaml-frontmatter', '.md', true],
      ['xml', 'builtin', 'xml', '.xml', true],
    ]);
    assert.ok(list.every((t) => t.name.length > 0 && t.path.endsWith(`${t.id}.hbs`)));
  });

  it('lists workspace templates when trusted; one with a built-in id replaces it', async () => {
    const registry = createTemplateRegistry({ builtinDir, workspaceDir, trusted: true, engine });
    const list = await registry.list();
    assert.deepEqual(list.map((t) => `${t.source}:${t.id}`), ['builtin:yaml-markdown', 'builtin:skill', 'builtin:xml', 'workspace:broken', 'workspace:markdown', 'workspace:team-notes']);
    const markdown = list.find((t) => t.id === 'markdown');
    assert.equal(markdown?.name, 'Our Markdown');
    assert.equal(markdown?.overridesBuiltin, true);
    const broken = list.find((t) => t.id === 'broken');
    assert.equal(broken?.valid, false);
    assert.match(broken?.problem ?? '', /line 3: Unknown output "pdf"/);
  });

  it('lists workspace templates when untrusted, replacing no built-in (the app shows them disabled)', async () => {
    const registry = createTemplateRegistry({ builtinDir, workspaceDir, trusted: false, engine });
    const list = await registry.list();
    const builtinMarkdown = list.find((t) => t.id === 'markdown' && t.source === 'builtin');
    assert.ok(builtinMarkdown, 'the built-in markdown stays usable');
    assert.ok(list.some((t) => t.source === 'workspace'));
    assert.ok(list.every((t) => t.overridesBuiltin !== true));
  });

  it('gets built-ins by id', async () => {
    const registry = createTemplateRegistry({ builtinDir, workspaceDir, trusted: false, engine });
    const template = await registry.get('xml');
    assert.equal(template.id, 'xml');
    assert.equal(template.builtin, true);
    assert.equal(template.output, 'xml');
  });

  it('gets a workspace template only when trusted', async () => {
    const trusted = createTemplateRegistry({ builtinDir, workspaceDir, trusted: true, engine });
    const notes = await trusted.get('team-notes');
    assert.equal(notes.builtin, false);
    assert.equal(notes.path, join(workspaceDir, 'team-notes.hbs'));

    const untrusted = createTemplateRegistry({ builtinDir, workspaceDir, trusted: false, engine });
    const error = await rejectsWith(untrusted.get('team-notes'), 'UNTRUSTED_WORKSPACE');
    assert.match(error.message, /trusted workspace/);
    assert.equal(error.recoverable, false);
  });

  it('lets a trusted workspace override a built-in; untrusted keeps the built-in', async () => {
    const trusted = createTemplateRegistry({ builtinDir, workspaceDir, trusted: true, engine });
    const overridden = await trusted.get('markdown');
    assert.equal(overridden.builtin, false);
    assert.equal(overridden.name, 'Our Markdown');

    const untrusted = createTemplateRegistry({ builtinDir, workspaceDir, trusted: false, engine });
    const original = await untrusted.get('markdown');
    assert.equal(original.builtin, true);
    assert.equal(original.name, 'Markdown');
  });

  it('loads a template by path, relative to cwd, only when trusted unless it is a built-in', async () => {
    const file = join(root, 'elsewhere.hbs');
    await writeFile(file, workspaceTemplate('Elsewhere'));
    const trusted = createTemplateRegistry({ builtinDir, trusted: true, cwd: root, engine });
    assert.equal((await trusted.get('elsewhere.hbs')).name, 'Elsewhere');
    assert.equal((await trusted.get(file)).id, 'elsewhere');

    const untrusted = createTemplateRegistry({ builtinDir, trusted: false, cwd: root, engine });
    await rejectsWith(untrusted.get(file), 'UNTRUSTED_WORKSPACE');
    assert.equal((await untrusted.get(join(builtinDir, 'skill.hbs'))).builtin, true);
  });

  it('reports unknown ids with the available ones', async () => {
    const registry = createTemplateRegistry({ builtinDir, workspaceDir, trusted: true, engine });
    const error = await rejectsWith(registry.get('nope'), 'TEMPLATE_NOT_FOUND');
    assert.match(error.message, /Available templates: markdown, yaml-markdown, skill, xml, broken, team-notes/);
    await rejectsWith(registry.get('../secrets'), 'TEMPLATE_NOT_FOUND');
    await rejectsWith(registry.get(join(root, 'missing.hbs')), 'TEMPLATE_NOT_FOUND');
    await rejectsWith(registry.get('notes.txt/x'), 'TEMPLATE_NOT_FOUND');
  });

  it('reports invalid files as TEMPLATE_INVALID with every issue', async () => {
    const registry = createTemplateRegistry({ builtinDir, workspaceDir, trusted: true, engine });
    const error = await rejectsWith(registry.get('broken'), 'TEMPLATE_INVALID');
    const issues = error.details?.['issues'] as { code: string }[];
    assert.deepEqual(issues.map((i) => i.code).sort(), ['HBS_PARTIAL_REFUSED', 'HEADER_UNKNOWN_OUTPUT']);
  });

  it('works without a workspace folder and with injected file access', async () => {
    const files = new Map([[join('/virtual', 'only.hbs'), workspaceTemplate('Only')]]);
    const registry = createTemplateRegistry({
      builtinDir: '/virtual',
      workspaceDir: join(root, 'does-not-exist'),
      trusted: true,
      engine,
      fs: {
        readdir: async (dir) => [...files.keys()].filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1)),
        readFile: async (path) => {
          const text = files.get(path);
          if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
          return text;
        },
      },
    });
    assert.deepEqual((await registry.list()).map((t) => t.id), ['only']);
    assert.equal((await registry.get('only')).builtin, true);
  });

  it('sets the engine cache lifetime from cacheTtlMs', async () => {
    const own = createTemplateEngine();
    const registry = createTemplateRegistry({ builtinDir, trusted: false, engine: own, cacheTtlMs: 0 });
    await registry.get('markdown');
    assert.equal(own.cacheSize, 0);
    const cached = createTemplateEngine();
    await createTemplateRegistry({ builtinDir, trusted: false, engine: cached }).get('markdown');
    assert.equal(cached.cacheSize, 1, 'get() compiles the template, so errors surface early');
  });

  it('the built-in files are what the registry serves', async () => {
    const registry = createTemplateRegistry({ builtinDir, trusted: false, engine });
    const template = await registry.get('yaml-markdown');
    const text = await readFile(join(builtinDir, 'yaml-markdown.hbs'), 'utf8');
    assert.ok(text.endsWith(template.body));
  });
});
