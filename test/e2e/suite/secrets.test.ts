import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DestinationSummary } from '../../../server/src/protocol';
import { api, eventually, hooks } from './helpers';

// Looks like a real token so every scanner would notice it in a log.
const SECRET = 'e2e-Pa55word-7f3c9a1b2d4e6f80';

export function secretsTests(): void {
  describe('credentials', () => {
    before(async () => {
      await (await api()).whenServerReady();
      const destinations = [{ id: 'team-db', type: 'tidb', host: '127.0.0.1', port: 9, user: 'exporter', database: 'docs', tls: false }];
      await vscode.workspace.getConfiguration('devguideExport').update('destinations', destinations, vscode.ConfigurationTarget.Workspace);
      const test = await hooks();
      // No event tells when the server has re-read its settings: ask it until it lists the new destination.
      await eventually(async () => {
        const listed = await test.serverRequest<DestinationSummary[]>('devguide/listDestinations', {});
        return listed.some((d) => d.id === 'team-db') ? true : undefined;
      }, 'the server to list team-db');
    });

    it('round-trip through SecretStorage (Set / Clear Destination Credential) and never reach the log', async () => {
      const test = await hooks();
      const stored = await vscode.commands.executeCommand<{ status: string; field?: string }>('devguideExport.setDestinationCredential', {
        destinationId: 'team-db',
        value: SECRET,
      });
      assert.deepEqual(stored, { status: 'stored', field: 'password' });
      assert.equal(await test.resolveSecret('team-db', 'password', 'tidb'), SECRET, 'what the server\'s devguide/getSecret gets');

      // Let the server ask for it the real way: testing the destination needs the password.
      const tested = await vscode.commands.executeCommand<{ status: string }>('devguideExport.testDestination', { destinationId: 'team-db' });
      assert.ok(['tested', 'failed'].includes(tested.status), JSON.stringify(tested));

      const cleared = await vscode.commands.executeCommand<{ status: string }>('devguideExport.clearDestinationCredential', { destinationId: 'team-db' });
      assert.deepEqual(cleared, { status: 'cleared', fields: ['password'] });
      assert.equal(await test.resolveSecret('team-db', 'password', 'tidb'), null);

      const log = test.logLines();
      assert.ok(log.some((l) => l.includes('team-db')), 'the log records what happened');
      assert.ok(!log.some((l) => l.includes(SECRET)), 'the value is never in the log');
      assert.equal(test.scrubbedSecretCount(), 0, 'and no code — ours or the server\'s — even tried to log it');
    });

    after(async () => {
      await vscode.workspace.getConfiguration('devguideExport').update('destinations', undefined, vscode.ConfigurationTarget.Workspace);
    });
  });
}
