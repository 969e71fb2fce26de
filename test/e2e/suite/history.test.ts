import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExportOutcome } from '../../../client/src/commands/exportFlow';
import type { RollbackOutcome } from '../../../client/src/commands/history';
import type { HistoryDayItem } from '../../../client/src/api';
import { api, eventually, extension, hooks, inWorkspace } from './helpers';

/** The Export History view's tree, as the real view gets it: day groups, status icons, flags, filters. */
export function historyTests(): void {
  describe('Export History view', () => {
    let completed: Extract<ExportOutcome, { status: 'completed' }>;
    let rolledBack: Extract<ExportOutcome, { status: 'completed' }>;

    before(async () => {
      await (await api()).whenServerReady();
      const transcript = inWorkspace('chat-messages.jsonl');
      if (!existsSync(transcript)) copyFileSync(join(extension().extensionPath, 'examples', 'chat-messages.jsonl'), transcript);
      const exportOne = async (title: string) => {
        const outcome = await vscode.commands.executeCommand<ExportOutcome>('devguideExport.exportTranscript', {
          path: 'chat-messages.jsonl',
          allMessages: true,
          template: 'markdown',
          destination: 'local',
          title,
          tags: [],
          accept: true,
        });
        assert.equal(outcome.status, 'completed', JSON.stringify(outcome));
        return outcome as Extract<ExportOutcome, { status: 'completed' }>;
      };
      completed = await exportOne('History kept');
      rolledBack = await exportOne('History rolled back');
      const rolled = await vscode.commands.executeCommand<RollbackOutcome>('devguideExport.rollbackExport', { jobId: rolledBack.jobId, confirm: true });
      assert.equal(rolled.status, 'rolled_back');
    });

    afterEach(async () => {
      await vscode.commands.executeCommand('devguideExport.clearHistoryFilter');
    });

    const jobItem = (days: HistoryDayItem[], filename: string) => days.flatMap((d) => d.jobs).find((j) => j.label === filename);

    it('Show Export History reveals the view; today\'s jobs are under "Today", newest first, with status icons', async () => {
      const shown = await vscode.commands.executeCommand<{ status: string }>('devguideExport.showHistory');
      assert.equal(shown.status, 'shown');
      const days = await (await hooks()).historyItems();
      assert.equal(days[0]?.label, 'Today', JSON.stringify(days.map((d) => d.label)));
      const today = days[0]!;
      const names = today.jobs.map((j) => j.label);
      assert.ok(names.indexOf('history-rolled-back.md') < names.indexOf('history-kept.md'), `newest first: ${names.join(', ')}`);

      const kept = jobItem(days, 'history-kept.md');
      assert.ok(kept);
      assert.deepEqual([kept.icon, kept.color], ['pass', 'testing.iconPassed']);
      assert.match(kept.description, /^local · \d\d:\d\d$/);
      assert.match(kept.contextValue, /\bstatus-completed\b/);
      assert.match(kept.contextValue, /\bopenable\b/);
      assert.match(kept.contextValue, /\bhashed\b/);

      const rolled = jobItem(days, 'history-rolled-back.md');
      assert.ok(rolled);
      assert.deepEqual([rolled.icon, rolled.color], ['discard', 'disabledForeground']);
      assert.doesNotMatch(rolled.contextValue, /\bopenable\b/);
    });

    it('filters by status, destination and time; the description shows the filter; Clear Filter lifts it', async () => {
      const test = await hooks();
      const byStatus = await vscode.commands.executeCommand<{ status: string }>('devguideExport.filterHistoryByStatus', { status: 'rolled_back' });
      assert.equal(byStatus.status, 'filtered');
      assert.equal(test.historyDescription(), 'Filter: Rolled back');
      let days = await test.historyItems();
      const statuses = new Set(days.flatMap((d) => d.jobs).map((j) => /status-(\w+)/.exec(j.contextValue)?.[1]));
      assert.deepEqual([...statuses], ['rolled_back']);
      assert.ok(jobItem(days, 'history-rolled-back.md'));
      assert.equal(jobItem(days, 'history-kept.md'), undefined);

      await vscode.commands.executeCommand('devguideExport.filterHistoryByDestination', { destinationId: 'nowhere' });
      assert.equal(test.historyDescription(), 'Filter: Rolled back · nowhere');
      assert.deepEqual(await test.historyItems(), [], 'nothing matches: the welcome text for a filter shows');

      await vscode.commands.executeCommand('devguideExport.filterHistoryByStatus', { status: null });
      await vscode.commands.executeCommand('devguideExport.filterHistoryByDestination', { destinationId: 'local' });
      assert.equal(test.historyDescription(), 'Filter: local');
      days = await test.historyItems();
      assert.ok(jobItem(days, 'history-kept.md') && jobItem(days, 'history-rolled-back.md'));

      // The time range goes to the store as `since`: today's jobs are in the last 24 hours.
      await vscode.commands.executeCommand('devguideExport.filterHistoryByTime', { range: '24h' });
      assert.equal(test.historyDescription(), 'Filter: local · Last 24 hours');
      days = await test.historyItems();
      assert.ok(jobItem(days, 'history-kept.md'));
      await vscode.commands.executeCommand('devguideExport.filterHistoryByTime', { range: null });
      assert.equal(test.historyDescription(), 'Filter: local');

      await vscode.commands.executeCommand('devguideExport.clearHistoryFilter');
      assert.equal(test.historyDescription(), undefined);
    });

    it('job actions: details (readable, with the audit trail, current after a rollback), copy the content hash', async () => {
      const details = await vscode.commands.executeCommand<{ status: string; uri: string }>('devguideExport.showJobDetails', { jobId: completed.jobId });
      assert.equal(details.status, 'shown');
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(details.uri));
      const text = document.getText();
      assert.match(text, /^# History kept\n\n\*\*Completed\*\*/, 'a readable view, not raw JSON');
      assert.ok(text.includes(completed.jobId));
      assert.match(text, /## Audit trail\n\n- .*CreateExportJob\.preflight/);
      const hash = /Content hash:\*\* `(sha256:[0-9a-f]+)`/.exec(text)?.[1];
      assert.ok(hash, text);

      const copied = await vscode.commands.executeCommand<{ status: string; hash: string }>('devguideExport.copyContentHash', { jobId: completed.jobId });
      assert.equal(copied.status, 'copied');
      assert.equal(copied.hash, hash);
      assert.equal(await vscode.env.clipboard.readText(), hash);

      // The open view follows the job: rolled back, it says so without being opened again.
      const live = await vscode.commands.executeCommand<ExportOutcome>('devguideExport.exportTranscript', {
        path: 'chat-messages.jsonl',
        allMessages: true,
        template: 'markdown',
        destination: 'local',
        title: 'History details live',
        tags: [],
        accept: true,
      });
      assert.equal(live.status, 'completed', JSON.stringify(live));
      const liveJob = (live as Extract<ExportOutcome, { status: 'completed' }>).jobId;
      const shown = await vscode.commands.executeCommand<{ uri: string }>('devguideExport.showJobDetails', { jobId: liveJob });
      const liveDocument = await vscode.workspace.openTextDocument(vscode.Uri.parse(shown.uri));
      assert.match(liveDocument.getText(), /\*\*Completed\*\*/);
      const rolled = await vscode.commands.executeCommand<RollbackOutcome>('devguideExport.rollbackExport', { jobId: liveJob, confirm: true });
      assert.equal(rolled.status, 'rolled_back');
      await eventually(async () => (/\*\*Rolled back\*\*/.test(liveDocument.getText()) ? true : undefined), 'the open details to say "Rolled back"');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('updates when a job finishes (devguide/jobsChanged), without a manual refresh', async () => {
      const test = await hooks();
      let reloads = 0;
      const listening = test.onHistoryChanged(() => (reloads += 1));
      const outcome = await vscode.commands.executeCommand<ExportOutcome>('devguideExport.exportTranscript', {
        path: 'chat-messages.jsonl',
        allMessages: true,
        template: 'markdown',
        destination: 'local',
        title: 'History live',
        tags: [],
        accept: true,
      });
      assert.equal(outcome.status, 'completed');
      try {
        // Nothing here refreshes the view: the server's notification (and the job's progress) do.
        await eventually(async () => (reloads > 0 ? true : undefined), 'the view to reload', 5_000);
      } finally {
        listening.dispose();
      }
      assert.ok(jobItem(await test.historyItems(), 'history-live.md'), 'the new job is in the tree');
    });
  });
}
