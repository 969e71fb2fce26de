import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ExportOutcome } from '../../../client/src/commands/exportFlow';
import type { PreviewOutcome } from '../../../client/src/commands/previewExport';
import { syntheticTranscript } from '../../bench/synthetic';
import { recordBench } from './benchRecord';
import { api, eventually, hooks, inWorkspace, openEditor, waitFor } from './helpers';

/** Issue 5's bar: the panel shows the preview of a 1 MB export ≤ 300 ms after the command (logged, reported). */
const TARGET_MS = 300;
/** Each run: a bare webview panel (the first is the cold start of webviews here), then the review panel; medians over all runs. */
const RUNS = 5;

/** Fires when either event fires. */
function eitherEvent(...events: vscode.Event<unknown>[]): vscode.Event<void> {
  return (listener, thisArgs?, disposables?) => {
    const subscriptions = events.map((event) => event(() => listener.call(thisArgs)));
    const all = vscode.Disposable.from(...subscriptions);
    disposables?.push(all);
    return all;
  };
}

/**
 * The workbench has laid out `path`'s editor in front: it is the active
 * editor and VS Code reports the lines it shows (visible ranges come from the
 * rendered editor, so they exist only once it has been laid out).
 */
async function laidOutInFront(path: string): Promise<void> {
  await waitFor(
    eitherEvent(vscode.window.onDidChangeActiveTextEditor, vscode.window.onDidChangeTextEditorVisibleRanges, vscode.window.onDidChangeVisibleTextEditors),
    () => {
      const editor = vscode.window.activeTextEditor;
      if (editor?.document.uri.fsPath !== path || !vscode.window.visibleTextEditors.includes(editor)) return undefined;
      const shown = editor.visibleRanges[0];
      return shown && shown.end.line > shown.start.line ? true : undefined;
    },
    `${path} laid out in front (its visible lines reported)`,
    20_000,
  );
}

async function closeReviewPanels(): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
  await vscode.window.tabGroups.close(tabs);
  await eventually(async () => ((await hooks()).reviewPanels().length === 0 ? true : undefined), 'the review panels to close');
}

/**
 * VS Code's own floor for the same measurement: a bare webview panel (no
 * bundle, one inline script that reports its first frame), created in the
 * same place, timed the same way (host clock, command → first paint message).
 */
async function bareWebviewPanelMs(): Promise<number> {
  const nonce = Buffer.from(Array.from({ length: 16 }, () => Math.floor(Math.random() * 256))).toString('base64');
  const startedAt = performance.now();
  const panel = vscode.window.createWebviewPanel('devguideExportTest.bare', 'Bare webview', vscode.ViewColumn.Active, { enableScripts: true });
  const painted = new Promise<number>((resolve) => panel.webview.onDidReceiveMessage(() => resolve(performance.now() - startedAt)));
  panel.webview.html =
    `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'"></head>` +
    `<body><p>Bare</p><script nonce="${nonce}">const api = acquireVsCodeApi(); requestAnimationFrame(() => api.postMessage('painted'));</script></body></html>`;
  try {
    return await painted;
  } finally {
    panel.dispose();
  }
}

/** A small Markdown file of the workspace, open with all its lines selected. */
async function notesWithSelection(name: string, text: string): Promise<vscode.TextEditor> {
  const path = inWorkspace(name);
  writeFileSync(path, text);
  const editor = await openEditor(path);
  const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
  editor.selection = new vscode.Selection(0, 0, end.line, end.character);
  return editor;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Export Selection / Preview Export without `accept`: the review panel, rendered in the workbench. */
export function panelTests(): void {
  describe('review panel', () => {
    before(async () => {
      await (await api()).whenServerReady();
    });

    afterEach(async () => {
      // Closing the panel rejects its pending review.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await eventually(async () => ((await hooks()).reviewPanels().length === 0 ? true : undefined), 'the review panels to close');
    });

    it('Export Selection opens the panel with the preview of a 1 MB export (time to first render logged)', async function () {
      // Ten webview panels: 44 s in one run here, past the suite's 60 s per test in another under heavy load.
      this.timeout(180_000);
      const transcript = inWorkspace('large-session.jsonl');
      writeFileSync(transcript, syntheticTranscript(5000));
      const editor = await openEditor(transcript);
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
  editor.selection = new vscode.Selection(0, 0, end.line, end.character);
      const test = await hooks();
      const samples: number[] = [];
      const bare: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        // A person looks at the transcript before exporting: let the workbench finish laying out the
        // 1 MB editor (opened just now, or shown again when the last panel closed) — it would
        // otherwise delay the webview's creation and be counted as the panel's time.
        await laidOutInFront(transcript);
        bare.push(await bareWebviewPanelMs());
        // The bare panel opened over the transcript in its group; it is back in front now.
        await laidOutInFront(transcript);
        const outcome = await vscode.commands.executeCommand<ExportOutcome>('devguideExport.exportSelection', {
          template: 'markdown',
          destination: 'local',
          title: `Large session ${run}`,
          tags: [],
        });
        assert.equal(outcome.status, 'in_review', JSON.stringify(outcome));
        if (outcome.status !== 'in_review') return;
        const ms = await eventually(
          async () => test.reviewPanels().find((p) => p.transactionId === outcome.transactionId)?.firstRenderMs,
          'the panel to render its preview',
          30_000,
        );
        samples.push(ms);
        await closeReviewPanels();
        assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, transcript, 'the transcript is in front again, selection kept');
      }
      console.log(
        `      review panel, 1 MB export (5,000 messages): command → first render ${samples.map((s) => `${s.toFixed(0)} ms`).join(', ')} ` +
          `(median ${median(samples).toFixed(0)} ms; target ≤ ${TARGET_MS} ms)\n` +
          `      a bare webview panel here (VS Code's floor): created → first paint ${bare.map((s) => `${s.toFixed(0)} ms`).join(', ')} (the first one cold; median ${median(bare).toFixed(0)} ms)`,
      );
      const breakdown = test.logLines().filter((l) => /Review panel for large-session-\d\.md: first render/.test(l));
      recordBench({ kind: 'reviewPanel', firstRenderMs: samples, bareWebviewMs: bare, breakdown });
      assert.ok(test.logLines().some((l) => /Review panel for large-session-\d\.md: first render with its preview \d+ ms after the command started \(ms since the command: panel created \d+, preview ready \d+, page loading from \d+/.test(l)));
      // A broken panel never renders; the 300 ms target itself is reported, not asserted (CI machines vary).
      assert.ok(median(samples) < 10_000, `median ${median(samples)} ms`);
    });

    it('a review panel hidden behind another editor and shown again gets its state back (VS Code rebuilt its page)', async () => {
      const editor = await notesWithSelection('panel-hidden.md', '# Hidden\n\nShown again later.\n');
      const notes = editor.document.uri.fsPath;
      const outcome = await vscode.commands.executeCommand<ExportOutcome>('devguideExport.exportSelection', {
        template: 'markdown',
        destination: 'local',
        title: 'Panel hidden',
        tags: [],
      });
      assert.equal(outcome.status, 'in_review', JSON.stringify(outcome));
      if (outcome.status !== 'in_review') return;
      const test = await hooks();
      const renders = () => test.reviewPanels().find((p) => p.transactionId === outcome.transactionId)?.renderCount ?? 0;
      await eventually(async () => (renders() >= 1 ? true : undefined), 'the first render');
      // The panel opened in the editor's group: showing the notes there hides it; VS Code discards its page.
      await vscode.window.showTextDocument(editor.document, { viewColumn: vscode.ViewColumn.Active, preview: false });
      await eventually(async () => (vscode.window.activeTextEditor?.document.uri.fsPath === notes ? true : undefined), 'the notes in front');
      await vscode.commands.executeCommand('workbench.action.previousEditor');
      await eventually(async () => (renders() >= 2 ? true : undefined), 'the rebuilt page to render the review again');
      assert.deepEqual(test.reviewPanels().map((p) => p.transactionId), [outcome.transactionId], 'still the same pending review');
    });

    it('Preview Export opens the panel beside the editor and keeps the focus there', async () => {
      const editor = await notesWithSelection('panel-notes.md', '# Notes\n\nKeep the export small.\n');
      const notes = editor.document.uri.fsPath;
      const outcome = await vscode.commands.executeCommand<PreviewOutcome>('devguideExport.previewExport', {
        template: 'markdown',
        destination: 'local',
        title: 'Panel notes',
        tags: [],
      });
      assert.equal(outcome.status, 'in_review', JSON.stringify(outcome));
      if (outcome.status !== 'in_review') return;
      assert.equal(outcome.filename, 'panel-notes.md');
      const panels = (await hooks()).reviewPanels();
      assert.deepEqual(panels.map((p) => p.transactionId), [outcome.transactionId]);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, notes, 'the editor keeps the focus');
      await eventually(
        async () => (vscode.window.tabGroups.all.some((g) => g.viewColumn !== editor.viewColumn && g.tabs.some((t) => t.input instanceof vscode.TabInputWebview)) ? true : undefined),
        'the panel in a second editor group',
        5_000,
      );
    });
  });
}
