import * as vscode from 'vscode';
import type { JobProgressValue } from '../../../server/src/protocol';
import { progressMessage, ProgressIncrements, type OngoingProgress } from '../jobs/jobProgress';

/**
 * A job's progress as a VS Code notification: the server's `begin` opens it
 * (its title; a Cancel button when the job is cancellable), each `report`
 * updates it, `end` — or the request being over (dispose) — closes it.
 */
export class JobProgressNotification implements vscode.Disposable {
  private progress: vscode.Progress<{ message?: string; increment?: number }> | undefined;
  private readonly waiting: OngoingProgress[] = [];
  private readonly increments = new ProgressIncrements();
  private opened = false;
  private closed = false;
  private finish: (() => void) | undefined;

  constructor(private readonly onCancel: () => void) {}

  update(value: JobProgressValue): void {
    if (this.closed) return;
    if (value.kind === 'end') return this.dispose();
    if (value.kind === 'begin' && !this.opened) this.open(value);
    this.show(value);
  }

  private open(begin: Extract<JobProgressValue, { kind: 'begin' }>): void {
    this.opened = true;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: begin.title, cancellable: begin.cancellable === true },
      (progress, cancellation) => {
        cancellation.onCancellationRequested(() => this.onCancel());
        this.progress = progress;
        for (const value of this.waiting.splice(0)) this.show(value);
        return this.closed ? Promise.resolve() : new Promise<void>((resolve) => (this.finish = resolve));
      },
    );
  }

  private show(value: OngoingProgress): void {
    if (!this.progress) {
      this.waiting.push(value);
      return;
    }
    const increment = this.increments.next(value.percentage);
    this.progress.report({ message: progressMessage(value), ...(increment === undefined ? {} : { increment }) });
  }

  dispose(): void {
    this.closed = true;
    this.finish?.();
  }
}
