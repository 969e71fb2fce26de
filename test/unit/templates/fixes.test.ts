import assert from 'node:assert/strict';
import { LineIndex } from '../../../server/src/templates/positions';
import { closestNames, editDistance } from '../../../server/src/templates/suggest';
import { analyzeTemplateFile } from '../../../server/src/templates/templateFile';
import type { TemplateIssue } from '../../../server/src/templates/types';

/** The fixes issues carry (the language server's quick fixes): what each choice makes of the text. */

const header = '---\nname: A\n---\n';

function fixed(text: string, code: string): string[] {
  const issue = analyzeTemplateFile(text, { id: 'a', builtin: false }).issues.find((i) => i.code === code) as TemplateIssue | undefined;
  assert.ok(issue !== undefined, `no ${code}`);
  const fix = issue.fix;
  if (fix === undefined) return [];
  const lines = new LineIndex(text);
  assert.equal(lines.textAt(fix.range), fix.expected);
  const [start, end] = [lines.offsetAt(fix.range.start), lines.offsetAt(fix.range.end)];
  return fix.choices.map((choice) => text.slice(0, start) + choice + text.slice(end));
}

describe('template fixes', () => {
  it('ranks names by edit distance, counting a swap as one edit', () => {
    assert.equal(editDistance('titel', 'title'), 1);
    assert.deepEqual(closestNames('titel', ['content', 'title', 'tags', 'template']), ['title']);
    assert.deepEqual(closestNames('tokens', ['token_count', 'char_count']), ['token_count']);
    assert.deepEqual(closestNames('zzz', ['content', 'messages']), []);
  });

  it('replaces only the wrong part of a path, after ../, this. or @root.', () => {
    assert.deepEqual(fixed(`${header}{{#each messages}}{{../stats.tokn_count}}{{/each}}`, 'HBS_UNKNOWN_VARIABLE'), [`${header}{{#each messages}}{{../stats.token_count}}{{/each}}`]);
    assert.deepEqual(fixed(`${header}{{#each messages}}{{this.rol}}{{/each}}`, 'HBS_UNKNOWN_VARIABLE'), [`${header}{{#each messages}}{{this.role}}{{/each}}`]);
    assert.deepEqual(fixed(`${header}{{@root.stats.tokn_count}}`, 'HBS_UNKNOWN_VARIABLE'), [`${header}{{@root.stats.token_count}}`]);
    assert.deepEqual(fixed(`${header}{{#each messages}}{{@indx}}{{/each}}`, 'HBS_UNKNOWN_VARIABLE'), [`${header}{{#each messages}}{{@index}}{{/each}}`]);
  });

  it('offers @root for a top-level value used inside a block', () => {
    assert.deepEqual(fixed(`${header}{{#each messages}}{{metadata.title}}{{/each}}`, 'HBS_UNKNOWN_VARIABLE'), [`${header}{{#each messages}}{{@root.metadata.title}}{{/each}}`]);
  });

  it('offers no fix where the source cannot be mapped ([literal] segments) or nothing is close', () => {
    assert.deepEqual(fixed(`${header}{{[stats].tokn_count}}`, 'HBS_UNKNOWN_VARIABLE'), []);
    assert.deepEqual(fixed(`${header}{{zzzz}}`, 'HBS_UNKNOWN_VARIABLE'), []);
  });

  it('suggests helpers of the kind the tag needs', () => {
    assert.deepEqual(fixed(`${header}{{#iff a}}x{{/iff}}`, 'HBS_UNKNOWN_HELPER'), [`${header}{{#if a}}x{{/iff}}`]);
    assert.ok(fixed(`${header}{{jion metadata.tags}}`, 'HBS_UNKNOWN_HELPER').includes(`${header}{{join metadata.tags}}`));
  });

  it('closes an unclosed block where it belongs', () => {
    assert.deepEqual(fixed(`${header}{{#each messages}}\n  {{#each blocks}}\n{{kind}}\n  {{/each}}\n`, 'HBS_UNCLOSED_BLOCK'), [
      `${header}{{#each messages}}\n  {{#each blocks}}\n{{kind}}\n  {{/each}}\n{{/each}}\n`,
    ]);
    assert.deepEqual(fixed(`${header}{{#each messages}}\n- {{role}}`, 'HBS_UNCLOSED_BLOCK'), [`${header}{{#each messages}}\n- {{role}}\n{{/each}}\n`]);
    assert.deepEqual(fixed(`${header}{{#each messages}}{{#if role}}{{role}}{{/each}}`, 'HBS_UNCLOSED_BLOCK'), [`${header}{{#each messages}}{{#if role}}{{role}}{{/if}}{{/each}}`]);
  });

  it('offers every header key not written yet, the closest first', () => {
    const choices = fixed('---\nname: A\nrequired_field: [x]\n---\nx\n', 'HEADER_UNKNOWN_KEY').map((t) => t.split('\n')[2]?.split(':')[0]);
    assert.deepEqual(choices.slice(0, 2), ['required_fields', 'required_sections']);
    assert.ok(!choices.includes('name'));
  });
});
