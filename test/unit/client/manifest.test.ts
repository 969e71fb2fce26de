import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_IDS } from '../../../client/src/commands/commandIds';
import { configSchema } from '../../../server/src/config';

const root = join(__dirname, '..', '..', '..');
interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, { markdownDescription?: string; default?: unknown }> };
    menus: Record<string, { command: string }[]>;
    languages: { id: string }[];
    grammars: { path: string }[];
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    views: Record<string, { id: string; icon?: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
  };
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

/** Setting keys of the CLI's --config schema, dotted like VS Code's (review.requireAt, limits.maxRetries, …). */
function configKeys(): string[] {
  const keys: string[] = [];
  for (const [key, schema] of Object.entries(configSchema.shape)) {
    const inner = unwrapObject(schema);
    if (inner && key !== 'rateLimits') for (const nested of Object.keys(inner)) keys.push(`${key}.${nested}`);
    else keys.push(key);
  }
  return keys.sort();
}

function unwrapObject(schema: unknown): Record<string, unknown> | undefined {
  let current = schema as { shape?: Record<string, unknown>; def?: { innerType?: unknown }; _zod?: { def?: { innerType?: unknown } } };
  for (let i = 0; i < 5 && current; i++) {
    if (current.shape && typeof current.shape === 'object') return current.shape;
    current = (current.def?.innerType ?? current._zod?.def?.innerType) as typeof current;
  }
  return undefined;
}

describe('client: manifest', () => {
  it('is what client/manifest/contributes.mjs writes', async () => {
    const { manifest: expected } = await import('../../../client/manifest/contributes.mjs');
    for (const key of ['activationEvents', 'contributes', 'capabilities']) {
      assert.deepEqual((manifest as unknown as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `package.json "${key}" is stale: run node client/manifest/contributes.mjs`);
    }
  });

  it('contributes exactly the commands of the command table, all in the "DevGuide Export" category', () => {
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), [...COMMAND_IDS].sort());
    assert.ok(manifest.contributes.commands.every((c) => c.category === 'DevGuide Export' && c.title.length > 0));
    for (const items of Object.values(manifest.contributes.menus)) {
      for (const item of items) assert.ok((COMMAND_IDS as readonly string[]).includes(item.command), item.command);
    }
  });

  it('has a setting, with a description, for every key of the CLI\'s --config', () => {
    const settingKeys = Object.keys(manifest.contributes.configuration.properties).map((k) => k.replace(/^devguideExport\./, '')).sort();
    assert.deepEqual(settingKeys, configKeys());
    for (const [key, property] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.ok(property.markdownDescription && property.markdownDescription.length > 10, `${key} needs a markdownDescription`);
    }
  });

  it('setting defaults are valid --config values (the server parses the section as it comes)', () => {
    const section: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(manifest.contributes.configuration.properties)) {
      const path = key.replace(/^devguideExport\./, '').split('.');
      let target = section;
      for (const part of path.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
      if (property.default !== null) target[path[path.length - 1]!] = property.default;
    }
    assert.equal(configSchema.safeParse(section).success, true, JSON.stringify(configSchema.safeParse(section).error?.issues));
  });

  it('supports Restricted Mode in part, restricting the settings that point at code, files or the store', () => {
    const { untrustedWorkspaces } = manifest.capabilities;
    assert.equal(untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(untrustedWorkspaces.restrictedConfigurations.sort(), ['devguideExport.destinations', 'devguideExport.store.type', 'devguideExport.storePath', 'devguideExport.templatesDir']);
    for (const key of untrustedWorkspaces.restrictedConfigurations) assert.ok(key in manifest.contributes.configuration.properties, key);
  });

  it('has the Export History view in its own activity-bar container, with an icon and a welcome that links to real commands', () => {
    const [container] = manifest.contributes.viewsContainers.activitybar;
    assert.ok(container);
    assert.match(readFileSync(join(root, container.icon), 'utf8'), /^<svg [^>]*viewBox="0 0 24 24"/);
    assert.deepEqual(manifest.contributes.views[container.id]?.map((v) => v.id), ['devguideExport.history']);
    const links = manifest.contributes.viewsWelcome.flatMap((w) => [...w.contents.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]));
    assert.ok(links.includes('devguideExport.exportTranscript'));
    for (const command of links) assert.ok((COMMAND_IDS as readonly string[]).includes(command ?? ''), command);
  });

  it('activates on template files only (commands activate implicitly)', () => {
    assert.deepEqual(manifest.activationEvents, ['onLanguage:devguide-template']);
    assert.deepEqual(manifest.contributes.languages.map((l) => l.id), ['devguide-template']);
    for (const grammar of manifest.contributes.grammars) JSON.parse(readFileSync(join(root, grammar.path), 'utf8'));
  });
});
