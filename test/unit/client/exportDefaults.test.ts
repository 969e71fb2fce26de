import assert from 'node:assert/strict';
import type { TemplateSummary } from '../../../server/src/protocol';
import { defaultDestinationOf, defaultTemplateOf } from '../../../client/src/ui/exportDefaults';
import { exportTargetKey } from '../../../client/src/panel/targetKey';

function template(id: string, extra: Partial<TemplateSummary> = {}): TemplateSummary {
  return {
    id,
    name: id,
    description: '',
    output: 'markdown',
    type: 'builtin',
    source: 'builtin',
    path: `/templates/${id}.hbs`,
    file_extension: '.md',
    valid: true,
    enabled: true,
    ...extra,
  } as TemplateSummary;
}

const destination = (id: string, enabled = true) => ({ id, enabled });

describe('export defaults: the panel opens without prompts where a default exists', () => {
  it('the preferred template when it is listed, enabled and valid', () => {
    assert.equal(defaultTemplateOf([template('markdown'), template('xml')], 'xml'), 'xml');
  });

  it('no default template when the preferred one is missing, broken or disabled (the picker asks)', () => {
    assert.equal(defaultTemplateOf([template('markdown')], 'team-spec'), undefined);
    assert.equal(defaultTemplateOf([template('team-spec', { valid: false, problem: 'bad header' })], 'team-spec'), undefined);
    assert.equal(defaultTemplateOf([template('team-spec', { enabled: false, reason: 'Restricted Mode' })], 'team-spec'), undefined);
  });

  it('the preferred destination when enabled; else the only enabled one; else none', () => {
    assert.deepEqual(defaultDestinationOf([destination('local'), destination('docs')], 'docs'), destination('docs'));
    assert.deepEqual(defaultDestinationOf([destination('docs')], 'local'), destination('docs'), 'one destination: no question');
    assert.deepEqual(defaultDestinationOf([destination('local', false), destination('docs')], 'local'), destination('docs'));
    assert.equal(defaultDestinationOf([destination('a'), destination('b')], 'local'), undefined, 'two to choose from and no default: ask');
    assert.equal(defaultDestinationOf([], 'local'), undefined);
  });
});

describe('export target key: one review panel per export target', () => {
  const file = { kind: 'file' as const, path: '/w/chat.jsonl' };

  it('the same selection gives the same key, whatever the template or title', () => {
    const a = exportTargetKey({ source: file, sessionId: 's1', messageIds: ['m1', 'm2'] });
    const b = exportTargetKey({ source: { ...file }, sessionId: 's1', messageIds: ['m1', 'm2'] });
    assert.equal(a, b);
  });

  it('other messages, blocks, sessions, files or editor ranges give other keys', () => {
    const keys = [
      exportTargetKey({ source: file, sessionId: 's1', messageIds: ['m1'] }),
      exportTargetKey({ source: file, sessionId: 's1', messageIds: ['m1', 'm2'] }),
      exportTargetKey({ source: file, sessionId: 's1', messageIds: ['m1'], blockIds: ['b1'] }),
      exportTargetKey({ source: file, sessionId: 's2', messageIds: ['m1'] }),
      exportTargetKey({ source: { ...file, path: '/w/other.jsonl' }, sessionId: 's1', messageIds: ['m1'] }),
      exportTargetKey({ source: { ...file, lines: [{ startLine: 2, endLine: 2 }] } }),
      exportTargetKey({ source: { kind: 'editor', path: '/w/notes.md', ranges: [{ startLine: 1, endLine: 3, text: 'a' }] } }),
      exportTargetKey({ source: { kind: 'editor', path: '/w/notes.md', ranges: [{ startLine: 1, endLine: 4, text: 'a' }] } }),
    ];
    assert.equal(new Set(keys).size, keys.length);
  });
});
