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
    configuration: { id: string; title: string; order: number; properties: Record<string, { markdownDescription?: string; default?: unknown }> }[];
    keybindings?: { command: string; key: string; mac?: string; when?: string }[];
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

/**
 * VS Code's default keybindings that begin with the ctrl+k (cmd+k on macOS)
 * chord: the second key of each, from the lists VS Code 1.118.1 writes with
 * "Preferences: Open Default Keyboard Shortcuts (JSON)" on each platform
 * (github.com/codebling/vs-code-default-keybindings, {linux,windows,macos}.keybindings.json).
 */
const SHARED_SECOND_KEYS = 'c d down e enter f f12 f2 i left m o p r right s shift+enter shift+o t u up v w y z';
const DEFAULT_CHORDS = {
  linux: `${SHARED_SECOND_KEYS} ctrl+, ctrl+- ctrl+. ctrl+/ ctrl+0 ctrl+1 ctrl+2 ctrl+3 ctrl+4 ctrl+5 ctrl+6 ctrl+7 ctrl+8 ctrl+9 ctrl+= ctrl+[ ctrl+\\ ctrl+] ctrl+a ctrl+alt+c ctrl+alt+down ctrl+alt+s ctrl+alt+up ctrl+b ctrl+c ctrl+d ctrl+down ctrl+e ctrl+f ctrl+f12 ctrl+h ctrl+i ctrl+j ctrl+k ctrl+l ctrl+left ctrl+m ctrl+n ctrl+o ctrl+p ctrl+pagedown ctrl+pageup ctrl+q ctrl+r ctrl+right ctrl+s ctrl+shift+\\ ctrl+shift+alt+c ctrl+shift+l ctrl+shift+n ctrl+shift+w ctrl+t ctrl+u ctrl+up ctrl+w ctrl+x`,
  windows: `${SHARED_SECOND_KEYS} ctrl+, ctrl+- ctrl+. ctrl+/ ctrl+0 ctrl+1 ctrl+2 ctrl+3 ctrl+4 ctrl+5 ctrl+6 ctrl+7 ctrl+8 ctrl+9 ctrl+= ctrl+[ ctrl+\\ ctrl+] ctrl+a ctrl+alt+c ctrl+alt+down ctrl+alt+s ctrl+alt+up ctrl+b ctrl+c ctrl+d ctrl+down ctrl+e ctrl+f ctrl+f12 ctrl+i ctrl+j ctrl+k ctrl+l ctrl+left ctrl+m ctrl+n ctrl+o ctrl+p ctrl+pagedown ctrl+pageup ctrl+q ctrl+r ctrl+right ctrl+s ctrl+shift+\\ ctrl+shift+c ctrl+shift+l ctrl+shift+n ctrl+shift+s ctrl+shift+w ctrl+t ctrl+u ctrl+up ctrl+w ctrl+x`,
  macos: `${SHARED_SECOND_KEYS} alt+cmd+c alt+cmd+down alt+cmd+left alt+cmd+right alt+cmd+s alt+cmd+up cmd+, cmd+- cmd+. cmd+/ cmd+0 cmd+1 cmd+2 cmd+3 cmd+4 cmd+5 cmd+6 cmd+7 cmd+8 cmd+9 cmd+= cmd+[ cmd+\\ cmd+] cmd+a cmd+b cmd+c cmd+d cmd+down cmd+e cmd+f cmd+f12 cmd+i cmd+j cmd+k cmd+l cmd+left cmd+m cmd+n cmd+q cmd+r cmd+right cmd+s cmd+t cmd+u cmd+up cmd+w cmd+x shift+alt+cmd+c shift+cmd+\\ shift+cmd+l shift+cmd+left shift+cmd+n shift+cmd+right shift+cmd+w`,
};

/** Every setting of every section of the manifest's configuration. */
function settingProperties(): Manifest['contributes']['configuration'][number]['properties'] {
  return Object.assign({}, ...manifest.contributes.configuration.map((section) => section.properties));
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
    const settingKeys = Object.keys(settingProperties()).map((k) => k.replace(/^devguideExport\./, '')).sort();
    assert.deepEqual(settingKeys, configKeys());
    for (const [key, property] of Object.entries(settingProperties())) {
      assert.ok(property.markdownDescription && property.markdownDescription.length > 10, `${key} needs a markdownDescription`);
    }
  });

  it('setting defaults are valid --config values (the server parses the section as it comes)', () => {
    const section: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(settingProperties())) {
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
    assert.deepEqual(untrustedWorkspaces.restrictedConfigurations.sort(), ['devguideExport.destinations', 'devguideExport.sources', 'devguideExport.store', 'devguideExport.storePath', 'devguideExport.templatesDir']);
    for (const key of untrustedWorkspaces.restrictedConfigurations) assert.ok(key in settingProperties(), key);
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

  it('titles its settings "DevGuide Export", the product\'s name, in sections whose ids are their keys\' prefixes (so labels carry no "Devguide Export ›")', () => {
    const sections = manifest.contributes.configuration;
    assert.deepEqual(sections.map((s) => s.title), ['DevGuide Export', 'Review', 'Google Drive', 'Tool Output', 'Store', 'Limits']);
    assert.deepEqual(sections.map((s) => s.order), [0, 1, 2, 3, 4, 5]);
    for (const section of sections) {
      for (const key of Object.keys(section.properties)) {
        // VS Code trims the key's category by the section id, from the front, a dotted part at a time.
        const category = key.slice(0, key.lastIndexOf('.'));
        assert.ok(section.id === category || section.id.startsWith(`${category}.`), `${key} in section ${section.id}`);
      }
    }
  });

  it('binds Export Selection, in an editor with a selection, to a ctrl+k chord no default VS Code keybinding uses', () => {
    const bindings = (manifest.contributes.keybindings ?? []).filter((k) => k.command === 'devguideExport.exportSelection');
    assert.equal(bindings.length, 1, 'one default keybinding for Export Selection');
    const [binding] = bindings;
    assert.ok(binding);
    assert.match(binding.when ?? '', /(^|&& )editorHasSelection( &&|$)/);
    const linuxKey = binding.key;
    const macKey = binding.mac ?? binding.key;
    for (const [platform, key] of [['linux', linuxKey], ['windows', linuxKey], ['macos', macKey]] as const) {
      const [first, second, ...rest] = key.split(' ');
      assert.equal(rest.length, 0, `${platform}: a two-key chord`);
      // VS Code's own chord prefix; on macOS ctrl+k alone is deleteAllRight, which a ctrl+k chord would shadow.
      assert.equal(first, platform === 'macos' ? 'cmd+k' : 'ctrl+k', `${platform}: starts with VS Code's own chord prefix`);
      assert.ok(second, `${platform}: has a second key`);
      assert.ok(!DEFAULT_CHORDS[platform].split(' ').includes(second), `${platform}: ${key} is a default VS Code keybinding`);
    }
    // Lifting the modifier off the second key must not land on another default either.
    const bare = (key: string) => key.split(' ')[1]?.replace(/^(ctrl|cmd)\+/, '') ?? '';
    assert.ok(!DEFAULT_CHORDS.linux.split(' ').includes(bare(linuxKey)), `ctrl+k ${bare(linuxKey)} is a default`);
    assert.ok(!DEFAULT_CHORDS.macos.split(' ').includes(bare(macKey)), `cmd+k ${bare(macKey)} is a default`);
  });
});
