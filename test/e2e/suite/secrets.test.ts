import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DestinationSummary } from '../../../server/src/protocol';
import { api, eventually, hooks } from './helpers';

// Looks like a real token so every scanner would notice it in a log.
const SECRET = 'e2e-Pa55word-7f3c9a1b2d4e6f80';

/**
 * Credentials come from each destination type's descriptor (issue 9): the
 * server lists a destination's secret fields and the client asks for those.
 * This version publishes only to local folders, which take none — the
 * SecretStorage round trip through devguide/getSecret returns with the first
 * remote type (GitHub, issue 12). What holds now: the fields come from the
 * server, a destination without any stores nothing, and nothing reaches the log.
 */
export function secretsTests(): void {
  describe('credentials', () => {
    before(async () => {
      await (await api()).whenServerReady();
    });

    it('take their fields from the server: a local destination needs none, stores nothing and logs no value', async () => {
      const test = await hooks();
      const listed = await eventually(async () => {
        const destinations = await test.serverRequest<DestinationSummary[]>('devguide/listDestinations', {});
        return destinations.length > 0 ? destinations : undefined;
      }, 'the server to list its destinations');
      const local = listed.find((d) => d.id === 'local');
      assert.ok(local, JSON.stringify(listed));
      assert.deepEqual(local.secretFields, [], 'the descriptor of local lists no credential');
      assert.equal(local.remote, false);
      assert.equal(local.risk, 'low');

      const stored = await vscode.commands.executeCommand<{ status: string; message?: string }>('devguideExport.setDestinationCredential', {
        destinationId: 'local',
        value: SECRET,
      });
      assert.equal(stored.status, 'unsupported', JSON.stringify(stored));
      assert.equal(await test.resolveSecret('local', 'password', 'local'), null, 'nothing was stored');
      const log = test.logLines();
      assert.ok(!log.some((l) => l.includes(SECRET)), 'the value is never in the log');
      assert.equal(test.scrubbedSecretCount(), 0);
    });
  });
}
