import * as vscode from 'vscode';
import {
  WorkDoneProgress,
  WorkDoneProgressCancelNotification,
  WorkDoneProgressCreateRequest,
  type LanguageClient,
  type WorkDoneProgressBegin,
  type WorkDoneProgressReport,
} from 'vscode-languageclient/node';
import type { ProgressClaims, ProgressListener, ProgressValue } from './progressClaims';

/**
 * Shows the server's work-done progress (devguide/createJob reports its
 * stages) as a cancellable notification. vscode-languageclient would show it
 * only in the status bar (ProgressLocation.Window) with no way to cancel, so
 * this replaces its window/workDoneProgress/create handler. Must be called
 * after client.start(): the client's own handler is installed during start.
 *
 * The same reports also go to whoever claimed the progress (the review panel
 * that sent the createJob, see ProgressClaims) and to `onActivity` (the
 * history view refreshes while jobs run).
 */

export type { ProgressListener, ProgressValue };

export function showServerProgressAsNotifications(client: LanguageClient, claims: ProgressClaims, onActivity: () => void): vscode.Disposable {
  return client.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
    trackProgress(client, token, claims.take(), onActivity);
  });
}

function trackProgress(client: LanguageClient, token: string | number, claimant: ProgressListener | undefined, onActivity: () => void): void {
  let reportTo: vscode.Progress<{ message?: string; increment?: number }> | undefined;
  let finish: (() => void) | undefined;
  let ended = false;
  let reported = 0;
  let pending: WorkDoneProgressBegin | WorkDoneProgressReport | undefined;

  const apply = (value: WorkDoneProgressBegin | WorkDoneProgressReport) => {
    if (!reportTo) {
      pending = value;
      return;
    }
    const increment = value.percentage === undefined ? undefined : Math.max(0, Math.min(100, value.percentage) - reported);
    if (increment !== undefined) reported += increment;
    reportTo.report({ ...(value.message === undefined ? {} : { message: value.message }), ...(increment ? { increment } : {}) });
  };

  const listener = client.onProgress(WorkDoneProgress.type, token, (value) => {
    claimant?.(value);
    onActivity();
    switch (value.kind) {
      case 'begin':
        void vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: value.title, cancellable: value.cancellable === true },
          (progress, cancellation) => {
            cancellation.onCancellationRequested(() => {
              void client.sendNotification(WorkDoneProgressCancelNotification.type, { token });
            });
            reportTo = progress;
            apply(value);
            if (pending) apply(pending);
            pending = undefined;
            return ended ? Promise.resolve() : new Promise<void>((resolve) => (finish = resolve));
          },
        );
        break;
      case 'report':
        apply(value);
        break;
      case 'end':
        ended = true;
        finish?.();
        listener.dispose();
        break;
    }
  });
}
