import * as vscode from 'vscode';
import * as z from 'zod/mini';
import type { LspClient } from './lspClient';
import { WorkDoneProgress, WorkDoneProgressCancel, WorkDoneProgressCreate, invalidParams, type WorkDoneProgressValue } from './lspMessages';
import type { ProgressClaims, ProgressListener, ProgressValue } from './progressClaims';

/**
 * Shows the server's work-done progress (devguide/createJob reports its
 * stages) as a cancellable notification; Cancel sends
 * window/workDoneProgress/cancel. A progress of a server that stops
 * (crash, restart, shutdown) ends with it.
 *
 * The same reports also go to whoever claimed the progress (the review panel
 * that sent the createJob, see ProgressClaims) and to `onActivity` (the
 * history view refreshes while jobs run).
 */

export type { ProgressListener, ProgressValue };

const createParams = z.object({ token: z.union([z.string(), z.number()]) });

export function showServerProgressAsNotifications(client: LspClient, claims: ProgressClaims, onActivity: () => void): vscode.Disposable {
  /** Ends each progress still shown. */
  const open = new Set<() => void>();
  const subscriptions = [
    client.onRequest(WorkDoneProgressCreate, (params) => {
      const parsed = createParams.safeParse(params);
      if (!parsed.success) return invalidParams(WorkDoneProgressCreate.method);
      trackProgress(client, parsed.data.token, claims.take(), onActivity, open);
      return undefined;
    }),
    client.onDidStop(() => {
      for (const end of [...open]) end();
    }),
  ];
  return new vscode.Disposable(() => {
    for (const subscription of subscriptions) subscription.dispose();
    for (const end of [...open]) end();
  });
}

function trackProgress(client: LspClient, token: string | number, claimant: ProgressListener | undefined, onActivity: () => void, open: Set<() => void>): void {
  let reportTo: vscode.Progress<{ message?: string; increment?: number }> | undefined;
  let finish: (() => void) | undefined;
  let ended = false;
  let reported = 0;
  let pending: Exclude<WorkDoneProgressValue, { kind: 'end' }> | undefined;

  const apply = (value: Exclude<WorkDoneProgressValue, { kind: 'end' }>) => {
    if (!reportTo) {
      pending = value;
      return;
    }
    const increment = value.percentage === undefined ? undefined : Math.max(0, Math.min(100, value.percentage) - reported);
    if (increment !== undefined) reported += increment;
    reportTo.report({ ...(value.message === undefined ? {} : { message: value.message }), ...(increment ? { increment } : {}) });
  };

  const end = () => {
    ended = true;
    finish?.();
    listener.dispose();
    open.delete(end);
  };
  open.add(end);

  const listener = client.onProgress(WorkDoneProgress, token, (value) => {
    claimant?.(value);
    onActivity();
    switch (value.kind) {
      case 'begin':
        void vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: value.title, cancellable: value.cancellable === true },
          (progress, cancellation) => {
            cancellation.onCancellationRequested(() => {
              client.notifyIfRunning(WorkDoneProgressCancel, { token });
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
        end();
        break;
    }
  });
}
