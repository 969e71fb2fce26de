import type { WorkDoneProgressBegin, WorkDoneProgressEnd, WorkDoneProgressReport } from 'vscode-languageserver-protocol';

export type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;
export type ProgressListener = (value: ProgressValue) => void;

/**
 * Matches server-created work-done progress to the request that caused it.
 * The server creates one progress per devguide/createJob, in the order the
 * requests arrive, so the oldest waiting claim gets the next progress
 * created. Pure (no `vscode`): serverProgress.ts feeds it.
 */
export class ProgressClaims {
  private readonly waiting: ProgressListener[] = [];

  /** Call right before sending the request; dispose when it has answered. */
  claim(listener: ProgressListener): { dispose(): void } {
    let active = true;
    // Once disposed, later reports of the progress it got are not delivered.
    const entry: ProgressListener = (value) => {
      if (active) listener(value);
    };
    this.waiting.push(entry);
    return {
      dispose: () => {
        active = false;
        const at = this.waiting.indexOf(entry);
        if (at >= 0) this.waiting.splice(at, 1);
      },
    };
  }

  /** The listener for a newly created progress, if a request is waiting for one. */
  take(): ProgressListener | undefined {
    return this.waiting.shift();
  }
}
