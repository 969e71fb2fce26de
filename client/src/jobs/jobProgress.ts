import { jobProgressSchema, type JobProgressValue, type Stage } from '../../../server/src/protocol';
import type { Stage as PanelStage } from '../../../webview/src/protocol';

/**
 * What a job's progress values (JobProgress on the createJob's workDoneToken)
 * mean for the notification and the review panel. The stage always comes
 * from the value's `stage` (and `step`) field. Pure: unit-tested.
 */

export type OngoingProgress = Exclude<JobProgressValue, { kind: 'end' }>;

/** The server's values are checked like any input from outside the extension host (the protocol's schema). */
export function parseJobProgress(raw: unknown): JobProgressValue | undefined {
  const parsed = jobProgressSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

const STAGE_TEXT: Readonly<Record<Stage, string>> = {
  assemble: 'Assembling the selection…',
  transform: 'Formatting…',
  validate: 'Validating…',
  preview: 'Rendering…',
  publish: 'Publishing…',
};
const COMMIT_TEXT = 'Recording the export…';

/** The line shown for a value: the server's message, else its stage's. */
export function progressMessage(value: OngoingProgress): string {
  if (value.message) return value.message;
  return isCommit(value) ? COMMIT_TEXT : STAGE_TEXT[value.stage];
}

/** The review panel's stage: the value's own (the commit step of publish says so in its message). */
export function panelStageOf(value: OngoingProgress): PanelStage {
  return value.stage;
}

function isCommit(value: OngoingProgress): boolean {
  return value.kind === 'report' && value.step === 'commit';
}

/** vscode.Progress.report takes increments; the server sends percentages of the whole job. */
export class ProgressIncrements {
  private reported = 0;

  /** The increment that brings the bar to `percentage` (clamped to 0–100); undefined when it would not move forward. */
  next(percentage: number | undefined): number | undefined {
    if (percentage === undefined || !Number.isFinite(percentage)) return undefined;
    const target = Math.max(0, Math.min(100, percentage));
    if (target <= this.reported) return undefined;
    const increment = target - this.reported;
    this.reported = target;
    return increment;
  }
}
