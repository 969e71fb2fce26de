import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExportOutcome } from '../../../client/src/commands/exportFlow';
import type { RollbackOutcome } from '../../../client/src/commands/history';
import type { PreviewOutcome } from '../../../client/src/commands/previewExport';
import type { DestinationSummary } from '../../../server/src/protocol';
import { api, eventually, extension, hooks, inWorkspace, openEditor } from './helpers';

/** Exports through the real language server, with every prompt answered by the command's arguments. */
export function exportTests(): void {
  describe('Export Selection', () => {
    let transcript: string;

    before(async () => {
      await (await api()).whenServerReady();
      transcript = inWorkspace('chat-messages.jsonl');
      copyFileSync(join(extension().extensionPath, 'examples', 'chat-messages.jsonl'), transcript);
    });

    afterEach(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('exports the transcript messages under the selection to the local destination', async () => {
      const editor = await openEditor(transcript);
      // Line 2 only (the selection ends at column 0 of line 3, which does not count).
      editor.selection = new vscode.Selection(1, 0, 2, 0);
      const outcome = await vscode.commands.executeCommand<ExportOutcome>('devguideExport.exportSelection', {
        template: 'markdown',
        destination: 'local',
        title: 'Rollback plan',
        tags: ['e2e', 'rollback'],
        accept: true,
      });
      assert.equal(outcome.status, 'completed', JSON.stringify(outcome));
      if (outcome.status !== 'completed') return;
      assert.ok(outcome.outputLocation, 'a local export has a path');
      const written = readFileSync(outcome.outputLocation, 'utf8');
      assert.ok(outcome.outputLocation.startsWith(inWorkspace('exports')), outcome.outputLocation);
      assert.match(written, /^# Rollback plan/m);
      assert.match(written, /Direct commits are reverted with a new commit\./, 'the selected message (line 2)');
      assert.doesNotMatch(written, /Plan the export rollback for GitHub\./, 'not the message on line 1');
      assert.match(written, /e2e, rollback/);
      assert.equal((await hooks()).runningJobs(), 0, 'the status bar item is gone once the job ended');
      // The job's progress came on the client's own workDoneToken, with its stage said explicitly.
      const progress = (await hooks()).logLines().filter((l) => l.startsWith(`[debug] Progress of ${outcome.filename}:`));
      assert.ok(progress.some((l) => /: begin \w+/.test(l)), progress.join('\n') || 'no progress of the job was logged');
      assert.ok(progress.some((l) => /: end\b/.test(l)), progress.join('\n'));
      // The history went to the workspace's own store, not the user data folder.
      assert.ok(readdirSync(inWorkspace('.devguide-store')).length > 0, 'the store is in the test workspace');
    });

    it('exports the raw selection of a file that is not a transcript', async () => {
      const notes = inWorkspace('notes.ts');
      writeFileSync(notes, 'const a = 1;\nexport function answer(): number {\n  return 42;\n}\n');
      const editor = await openEditor(notes);
      editor.selection = new vscode.Selection(1, 0, 3, 1);
      const outcome = await vscode.commands.executeCommand<ExportOutcome>('devguideExport.exportSelection', {
        template: 'markdown',
        destination: 'local',
        title: 'Answer function',
        tags: [],
        accept: true,
      });
      assert.equal(outcome.status, 'completed', JSON.stringify(outcome));
      if (outcome.status !== 'completed' || !outcome.outputLocation) return;
      const written = readFileSync(outcome.outputLocation, 'utf8');
      assert.match(written, /export function answer\(\): number \{\n {2}return 42;\n\}/);
      assert.doesNotMatch(written, /const a = 1/);
    });

    it('previews without writing, and rolls back a finished export', async () => {
      const editor = await openEditor(transcript);
      editor.selection = new vscode.Selection(0, 0, 1, 5);
      const previewed = await vscode.commands.executeCommand<PreviewOutcome>('devguideExport.previewExport', {
        template: 'markdown',
        destination: 'local',
        title: 'Preview only',
        tags: [],
        show: false,
      });
      assert.equal(previewed.status, 'previewed', JSON.stringify(previewed));

      const outcome = await vscode.commands.executeCommand<ExportOutcome>('devguideExport.exportSelection', {
        template: 'yaml-markdown',
        destination: 'local',
        title: 'To be rolled back',
        tags: [],
        accept: true,
      });
      assert.equal(outcome.status, 'completed', JSON.stringify(outcome));
      if (outcome.status !== 'completed' || !outcome.outputLocation) return;
      assert.ok(existsSync(outcome.outputLocation));
      const rolled = await vscode.commands.executeCommand<RollbackOutcome>('devguideExport.rollbackExport', { jobId: outcome.jobId, confirm: true });
      assert.deepEqual(rolled, { status: 'rolled_back', jobId: outcome.jobId });
      assert.equal(existsSync(outcome.outputLocation), false, 'the created file is gone');
    });

    it('exports a whole transcript file (Export Transcript…), as from the explorer', async () => {
      const outcome = await vscode.commands.executeCommand<ExportOutcome>('devguideExport.exportTranscript', {
        path: 'chat-messages.jsonl',
        allMessages: true,
        template: 'skill',
        destination: 'local',
        title: 'Rollback skill',
        tags: ['skill'],
        accept: true,
      });
      assert.equal(outcome.status, 'completed', JSON.stringify(outcome));
      if (outcome.status !== 'completed' || !outcome.outputLocation) return;
      const written = readFileSync(outcome.outputLocation, 'utf8');
      assert.match(written, /Plan the export rollback for GitHub\./);
      assert.match(written, /Pull requests are closed and their branch deleted\./);
    });

    it('retries a failed export once its cause is gone (Retry Export)', async () => {
      // A destination folder under a plain file cannot be created: the job fails at publish.
      const destinations = [{ id: 'flaky', type: 'local', baseDir: './blocker/out' }];
      await vscode.workspace.getConfiguration('devguideExport').update('destinations', destinations, vscode.ConfigurationTarget.Workspace);
      const test = await hooks();
      await eventually(async () => {
        const listed = await test.serverRequest<DestinationSummary[]>('devguide/listDestinations', {});
        return listed.some((d) => d.id === 'flaky') ? true : undefined;
      }, 'the server to list the flaky destination');
      writeFileSync(inWorkspace('blocker'), 'not a folder');
      try {
        const failed = await vscode.commands.executeCommand<ExportOutcome>('devguideExport.exportTranscript', {
          path: 'chat-messages.jsonl',
          allMessages: true,
          template: 'markdown',
          destination: 'flaky',
          title: 'Retry me',
          tags: [],
          accept: true,
        });
        assert.equal(failed.status, 'failed', JSON.stringify(failed));
        if (failed.status !== 'failed' || !failed.jobId) return assert.fail('a failed job has an id');

        rmSync(inWorkspace('blocker'));
        const retried = await vscode.commands.executeCommand<ExportOutcome>('devguideExport.retryExport', { jobId: failed.jobId, accept: true });
        assert.equal(retried.status, 'completed', JSON.stringify(retried));
        if (retried.status !== 'completed' || !retried.outputLocation) return;
        assert.equal(retried.outputLocation, inWorkspace('blocker', 'out', 'retry-me.md'));
        assert.match(readFileSync(retried.outputLocation, 'utf8'), /^# Retry me/m);
      } finally {
        rmSync(inWorkspace('blocker'), { recursive: true, force: true });
        await vscode.workspace.getConfiguration('devguideExport').update('destinations', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });

    it('refuses bad arguments with a message instead of a crash', async () => {
      const outcome = await vscode.commands.executeCommand<{ status: string; code: string }>('devguideExport.exportSelection', { template: 42 });
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.code, 'INVALID_INPUT');
    });
  });
}
