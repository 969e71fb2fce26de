import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LanguagePairs, typeText } from './autoClosing';

/**
 * client/language-configuration.json, the editor behaviour of template files:
 * typing a mustache by hand gives exactly what was typed (`{{x}}`, not
 * `{{x}}}`), whatever state the editor's auto-closing is in.
 */

interface LanguageConfiguration extends LanguagePairs {
  surroundingPairs: [string, string][];
  brackets: [string, string][];
}

const config = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'client', 'language-configuration.json'), 'utf8')) as LanguageConfiguration;

const TYPED = [
  '{{x}}',
  '{{{content}}}',
  '{{#if metadata.title}}# {{metadata.title}}{{/if}}',
  '{{!-- a comment --}}',
  '{{join metadata.tags ", "}}',
  '{{#each (lookup messages 0)}}[{{role}}]{{/each}}',
];

describe('language configuration: auto-closing of mustaches', () => {
  it('auto-closes only single characters, so "{{" closes through two "{" pairs and every closer can be typed over', () => {
    const opens = config.autoClosingPairs.map((p) => p.open);
    assert.deepEqual(
      config.autoClosingPairs.filter((p) => p.open.length !== 1 || p.close.length !== 1),
      [],
      `multi-character pairs make the closer VS Code inserts depend on what follows the cursor: ${opens.join(' ')}`,
    );
    assert.ok(config.autoClosingPairs.some((p) => p.open === '{' && p.close === '}'));
    assert.ok(config.surroundingPairs.every(([open, close]) => open.length === 1 && close.length === 1));
    assert.ok(config.surroundingPairs.some(([open, close]) => open === '{' && close === '}'));
  });

  it('completes "{{" with "}}" once', () => {
    for (const containment of [true, false]) {
      assert.equal(typeText(config, '{{', { containment }), '{{}}');
      assert.equal(typeText(config, '{{{', { containment }), '{{{}}}');
    }
  });

  for (const typed of TYPED) {
    it(`leaves exactly what was typed: ${typed}`, () => {
      // With and without the editor's containment rule (older editors, or a first "{" that was not auto-closed).
      for (const containment of [true, false]) {
        assert.equal(typeText(config, typed, { containment }), typed, `containment: ${containment}`);
        assert.equal(typeText(config, typed, { containment, after: ' rest' }), `${typed} rest`, `containment: ${containment}, text after`);
      }
    });
  }
});
