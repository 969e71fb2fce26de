import assert from 'node:assert/strict';
import { parseCommandLine, UsageError } from '../../../server/src/cli/args';
import { exportersOf, mayAdminister, mayExport } from '../../../server/src/team/access';

describe('team store: command line and access rules', () => {
  it('parses templates publish and destinations add|list|remove|grant|revoke with the global flags', () => {
    assert.deepEqual(parseCommandLine(['templates', 'publish', 't.hbs', '--yes', '--config', 'c.json']), {
      name: 'templates-publish',
      file: 't.hbs',
      global: { config: 'c.json', yes: true, json: false, redact: false, force: false },
    });
    const add = parseCommandLine(['destinations', 'add', 'kb.json', '--replace', '--secret-env', 'password=KB_PW', '--json']);
    assert.equal(add.name, 'destinations-add');
    assert.ok(add.name === 'destinations-add' && add.replace && add.secretEnv['password'] === 'KB_PW' && add.global.json);
    assert.equal(parseCommandLine(['destinations', 'list']).name, 'destinations-list');
    assert.deepEqual(parseCommandLine(['destinations', 'grant', 'kb', 'bob', 'admin']), {
      name: 'destinations-grant',
      id: 'kb',
      user: 'bob',
      permission: 'admin',
      global: { yes: false, json: false, redact: false, force: false },
    });
    assert.equal(parseCommandLine(['destinations', 'revoke', 'kb', 'bob']).name, 'destinations-revoke');
    assert.equal(parseCommandLine(['destinations', 'remove', 'kb', '-y']).name, 'destinations-remove');
    // The existing templates commands are unchanged.
    assert.equal(parseCommandLine(['templates', 'list']).name, 'templates-list');
  });

  it('refuses wrong shapes as usage errors, never echoing a --secret-env value', () => {
    const refused: string[][] = [
      ['destinations', 'grant', 'kb', 'bob', 'owner'],
      ['destinations', 'grant', 'kb', 'bob'],
      ['destinations', 'add'],
      ['destinations', 'frobnicate'],
      ['templates', 'publish'],
      ['destinations', 'add', 'kb.json', '--secret-env', 'password=hunter2 with spaces'],
      ['destinations', 'add', 'kb.json', '--secret-env', 'hunter2'],
    ];
    for (const argv of refused) {
      assert.throws(() => parseCommandLine(argv), (e: Error) => e instanceof UsageError && !e.message.includes('hunter2'), argv.join(' '));
    }
  });

  it('access: the owner and write/admin grantees export; only the owner and admins administer', () => {
    const kb = {
      owner: 'alice',
      grants: [
        { userId: 'bob', permission: 'write' as const, grantedBy: 'alice', grantedAt: '' },
        { userId: 'carol', permission: 'admin' as const, grantedBy: 'alice', grantedAt: '' },
        { userId: 'dave', permission: 'read' as const, grantedBy: 'alice', grantedAt: '' },
      ],
    };
    assert.deepEqual(['alice', 'bob', 'carol', 'dave', 'eve'].map((u) => mayExport(kb, u)), [true, true, true, false, false]);
    assert.deepEqual(['alice', 'bob', 'carol', 'dave', 'eve'].map((u) => mayAdminister(kb, u)), [true, false, true, false, false]);
    assert.deepEqual(exportersOf(kb), ['alice', 'bob', 'carol']);
  });
});
