import type { ErrorJson as ErrorInfo } from '../../../server/src/protocol';
import type { ExportRequestParams, PreviewResult } from '../../../server/src/protocol';
import type { JobJson as JobRecord } from '../../../server/src/protocol';
import type { TemplateSummary } from '../../../server/src/protocol';
import type { PanelError, Stage } from '../../../webview/src/protocol';
import type { ListedDestination } from '../ui/exportPrompts';

export type { PanelError, Stage };

/**
 * What the review panel needs from the rest of the extension; the
 * integrator wires these to the language client (devguide/previewExport,
 * createJob, rejectReview, …).
 */
export interface ReviewPanelDeps {
  /** devguide/previewExport: a fresh preview + review for the edited request. */
  preview(params: ExportRequestParams): Promise<PreviewResult>;
  /**
   * devguide/createJob with explicit: true. `progress` may be called with the
   * stages as they run (publish, commit); the panel shows them.
   */
  accept(
    transactionId: string,
    progress: (stage: Stage, message: string) => void,
    /** force: the person chose "Export anyway" for an output that is unchanged apart from the export time. */
    options?: { force: boolean },
  ): Promise<{ job: JobRecord; error?: ErrorInfo }>;
  /** devguide/rejectReview. */
  reject(transactionId: string): Promise<void>;
  /** The native diff editor: existing ↔ new. */
  viewDiff(preview: PreviewResult): Promise<void>;
  /** The whole output in a read-only editor. */
  viewContent(preview: PreviewResult): Promise<void>;
  /** Closes the diff / content editors viewDiff and viewContent opened (the review is over). */
  closeViews?(): Promise<void>;
  /** Opens the written file, commit, pull request or Drive file. */
  openResult(job: JobRecord): Promise<void>;
  listTemplates(): Promise<TemplateSummary[]>;
  listDestinations(): Promise<ListedDestination[]>;
  /** devguide/retryJob for a failed job; without it, Retry previews the same request again. */
  retry?(job: JobRecord): Promise<PreviewResult>;
  /** Turns a thrown error into what a person reads; defaults to the LSP ResponseError reading of ui/serverErrors. */
  describeError?(thrown: unknown): PanelError;
  /** Defaults to vscode.env.openExternal. Only http(s) URLs ever get here. */
  openLink?(url: string): Promise<void>;
  log?(level: 'info' | 'warn' | 'error', message: string): void;
}

/** How one review ended. */
export type ReviewOutcome =
  | { status: 'completed'; job: JobRecord }
  | { status: 'failed'; job: JobRecord | null; error: PanelError }
  | { status: 'rejected'; transactionId: string }
  /** The panel was closed before anyone decided; the review was rejected. */
  | { status: 'closed'; transactionId: string };
