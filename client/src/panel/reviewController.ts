/**
 * The review panel's host-side logic, without the `vscode` API (ReviewPanel
 * wraps it in a WebviewPanel), so it can be tested on its own and against
 * the real webview in a browser.
 *
 * It owns the export's state — request params, current preview, phase — and
 * answers the webview's requests (webview/src/protocol.ts). The webview can
 * be discarded and reloaded at any time (hidden tab): on `ready` it gets the
 * whole state again with `init`.
 *
 * Previews run one at a time, latest wins: field changes that arrive while
 * one runs are merged and previewed once it finishes. Every preview that is
 * replaced, and the pending one when the panel closes, is rejected so the
 * Bin's transaction does not stay open.
 */
import type { ExportRequestParams, PreviewResult } from '../../../server/src/protocol';
import {
  applyFields,
  fieldsFrom,
  parseWebviewMessage,
  toPanelDestination,
  toPanelJob,
  toPanelPreview,
  toPanelTemplate,
  type HostMessage,
  type PageTiming,
  type PanelDestination,
  type PanelMode,
  type PanelError,
  type PanelFields,
  type PanelPhase,
  type PanelTemplate,
  type Stage,
  type WebviewMessage,
} from '../../../webview/src/protocol';
import type { ReviewPanelDeps, ReviewOutcome } from './types';

export interface ControllerHost {
  /** Delivers a message to the webview (dropped while it is not loaded). */
  post(message: HostMessage): void;
  /** Closes the panel (after Reject). */
  close(): void;
  /** The tab's title changed (panelTitle): the file, and whether it is a preview, a review or a result. */
  retitle?(title: string): void;
  openLink(url: string): Promise<void>;
  describeError(thrown: unknown): PanelError;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** The webview painted the state it got with its first `init` (timing only). */
  rendered?(page: PageTiming): void;
}

interface WantedPreview {
  params: ExportRequestParams;
  revision: number;
}

type Request<T extends WebviewMessage['type']> = Extract<WebviewMessage, { type: T }>;

export class ReviewController {
  private params: ExportRequestParams;
  private preview: PreviewResult;
  private fields: PanelFields;
  private revision = 0;
  private filenameEdited: boolean;
  private phase: PanelPhase = { kind: 'review' };
  private mode: PanelMode;
  private previewError: PanelError | undefined;
  private job: Parameters<ReviewPanelDeps['openResult']>[0] | undefined;
  private templates: PanelTemplate[] = [];
  private destinations: PanelDestination[] = [];
  private ready = false;
  private disposed = false;
  private previewing = false;
  private wanted: WantedPreview | undefined;
  private lastOutcome: ReviewOutcome | undefined;
  private waiters: ((outcome: ReviewOutcome) => void)[] = [];
  /** Templates and destinations, asked for while the webview loads (the first `ready` uses them). */
  private prefetched: Promise<void> | undefined;

  constructor(
    private readonly deps: ReviewPanelDeps,
    initial: { params: ExportRequestParams; preview: PreviewResult; mode?: PanelMode },
    private readonly host: ControllerHost,
  ) {
    this.mode = initial.mode ?? 'review';
    this.params = initial.params;
    this.preview = initial.preview;
    this.fields = fieldsFrom(initial.params, initial.preview);
    this.filenameEdited = initial.params.filename !== undefined;
    this.prefetched = this.loadChoices();
  }

  get transactionId(): string {
    return this.preview.transaction_id;
  }

  /** What the panel's tab says now. */
  get title(): string {
    return panelTitle(this.mode, this.phase, this.preview.filename);
  }

  /** Resolves with the next final outcome: completed, failed, rejected or closed. */
  whenFinished(): Promise<ReviewOutcome> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The webview was discarded (hidden) or reloaded: wait for its next `ready`. */
  webviewGone(): void {
    this.ready = false;
  }

  /**
   * The page is still loading and has not said `ready`: post `init` now.
   * VS Code holds messages for a webview that is loading and hands them over
   * once the page has loaded (after its script set up its listener), so the
   * first render does not wait for the ready → init round trip. Its `ready`
   * still gets `init`, as always: VS Code drops a message it cannot hand
   * over (the page it was meant for was rebuilt meanwhile), and the page
   * ignores an `init` that repeats the one it has.
   */
  async prime(): Promise<void> {
    if (this.ready || this.disposed) return;
    await this.prefetched;
    // Its `ready` came meanwhile and was answered with the state already.
    if (this.ready || this.disposed) return;
    this.host.post(this.initMessage());
  }

  /** Stage progress of the accepted export: what deps.accept reports while the job runs. */
  reportProgress(stage: Stage, message: string): void {
    if (this.phase.kind !== 'running') return;
    this.phase = { kind: 'running', stage, message };
    this.post({ type: 'progress', stage, message });
  }

  /** The panel closed. A review nobody decided on is rejected. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.ready = false;
    void this.closeViews();
    if (this.phase.kind === 'review') {
      const transactionId = this.preview.transaction_id;
      await this.rejectQuietly(transactionId, 'panel closed');
      this.finish({ status: 'closed', transactionId });
    } else {
      // Anyone still waiting learns how it ended (or that it was closed mid-run).
      this.finish(this.lastOutcome ?? { status: 'closed', transactionId: this.preview.transaction_id });
    }
  }

  /** Handles one message from the webview; never throws. */
  async handle(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.host.log('warn', `Review panel: refused a webview message (${parsed.problem}).`);
      const id = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'number' ? raw.id : undefined;
      if (id !== undefined) this.replyError(id, { code: 'PANEL_ERROR', message: `Invalid message: ${parsed.problem}`, recoverable: false });
      return;
    }
    const message = parsed.value;
    try {
      await this.dispatch(message);
    } catch (thrown) {
      this.replyError(message.id, this.host.describeError(thrown));
    }
  }

  private async dispatch(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.onReady(message);
      case 'updateFields':
        return this.onUpdateFields(message);
      case 'accept':
        return this.onAccept(message);
      case 'reject':
        return this.onReject(message);
      case 'startReview':
        return this.onStartReview(message);
      case 'viewDiff':
      case 'viewContent':
        return this.onView(message);
      case 'redact':
        return this.onRedact(message);
      case 'retry':
        return this.onRetry(message);
      case 'openResult':
        return this.onOpenResult(message);
      case 'showAll':
        return this.onShowAll(message);
      case 'rendered':
        this.replyOk(message.id);
        this.host.rendered?.(message.timing);
        return;
      case 'openLink':
        // VS Code may ask the person first: answer now rather than hold the webview's request.
        this.replyOk(message.id);
        return this.host.openLink(message.url).catch((thrown: unknown) => this.host.log('warn', `Review panel: opening a link failed: ${this.host.describeError(thrown).message}`));
    }
  }

  // ------------------------------------------------------------ requests

  private async onReady(message: Request<'ready'>): Promise<void> {
    // Later handshakes (the webview was hidden and rebuilt) list them afresh.
    const loading = this.prefetched ?? this.loadChoices();
    this.prefetched = undefined;
    await loading;
    this.ready = true;
    this.replyOk(message.id);
    this.sendInit();
  }

  private onUpdateFields(message: Request<'updateFields'>): void {
    if (this.phase.kind !== 'review') return this.replyError(message.id, notInReview());
    const { fields } = message;
    if (fields.filename !== undefined && fields.filename !== this.preview.filename) this.filenameEdited = true;
    this.fields = { ...this.fields, ...definedOnly(fields) };
    this.revision = Math.max(this.revision, message.revision);
    this.replyOk(message.id);
    this.schedulePreview(applyFields(this.params, this.fields, this.filenameEdited));
  }

  private async onAccept(message: Request<'accept'>): Promise<void> {
    const refusal = this.acceptRefusal(message.transactionId);
    if (refusal) return this.replyError(message.id, refusal);
    const preview = this.preview;
    this.phase = { kind: 'running', stage: 'publish', message: 'Publishing…' };
    this.retitle();
    this.replyOk(message.id);
    this.post({ type: 'progress', stage: 'publish', message: 'Publishing…' });
    try {
      const result = await this.deps.accept(preview.transaction_id, (stage, text) => this.reportProgress(stage, text), { force: preview.unchanged });
      this.job = result.job;
      const error: PanelError | undefined = result.error
        ? { code: result.error.code, message: result.error.message, recoverable: result.error.recoverable }
        : undefined;
      this.phase = { kind: 'done', job: toPanelJob(result.job), ...(error ? { error } : {}) };
      this.post({ type: 'result', job: toPanelJob(result.job), ...(error ? { error } : {}) });
      this.finish(error ? { status: 'failed', job: result.job, error } : { status: 'completed', job: result.job });
    } catch (thrown) {
      const error = this.host.describeError(thrown);
      this.phase = { kind: 'done', job: null, error };
      this.post({ type: 'result', job: null, error });
      this.finish({ status: 'failed', job: null, error });
    }
    // The panel is the result now: the diff it opened has nothing left to decide.
    this.retitle();
    await this.closeViews();
  }

  private acceptRefusal(transactionId: string): PanelError | undefined {
    if (this.phase.kind !== 'review') return notInReview();
    if (this.mode === 'preview') return { code: 'PANEL_ERROR', message: 'This is a preview: choose Export… to review it for publishing.', recoverable: true };
    if (transactionId !== this.preview.transaction_id || this.previewing || this.wanted) return stalePreview();
    if (this.previewError) return { code: 'VALIDATION_FAILED', message: 'The last preview failed; fix the fields first.', recoverable: false };
    const { review, validation } = this.preview;
    if (review.blocked) return { code: review.reason ?? 'BIN_BLOCKED', message: review.reason_message ?? 'The Bin blocked this export.', recoverable: false };
    if (!validation.valid) return { code: 'VALIDATION_FAILED', message: 'The export has validation errors.', recoverable: false };
    return undefined;
  }

  private async onReject(message: Request<'reject'>): Promise<void> {
    if (this.phase.kind !== 'review') return this.replyError(message.id, notInReview());
    const transactionId = this.preview.transaction_id;
    this.phase = { kind: 'done', job: null };
    await this.rejectQuietly(transactionId, this.mode === 'preview' ? 'preview closed' : 'rejected in the review panel');
    this.replyOk(message.id);
    this.finish({ status: 'rejected', transactionId });
    this.host.close();
  }

  private onStartReview(message: Request<'startReview'>): void {
    if (this.phase.kind !== 'review') return this.replyError(message.id, notInReview());
    this.mode = 'review';
    this.replyOk(message.id);
    this.post({ type: 'mode', mode: 'review' });
    this.retitle();
  }

  private async onView(message: Request<'viewDiff' | 'viewContent'>): Promise<void> {
    if (message.transactionId !== this.preview.transaction_id) return this.replyError(message.id, stalePreview());
    if (message.type === 'viewDiff') await this.deps.viewDiff(this.preview);
    else await this.deps.viewContent(this.preview);
    this.replyOk(message.id);
  }

  private onRedact(message: Request<'redact'>): void {
    if (this.phase.kind !== 'review') return this.replyError(message.id, notInReview());
    if (message.transactionId !== this.preview.transaction_id) return this.replyError(message.id, stalePreview());
    this.params = { ...this.params, redact: true };
    this.replyOk(message.id);
    this.schedulePreview(applyFields(this.params, this.fields, this.filenameEdited));
  }

  private async onRetry(message: Request<'retry'>): Promise<void> {
    const { phase } = this;
    if (phase.kind !== 'done' || !phase.error?.recoverable) {
      return this.replyError(message.id, { code: 'PANEL_ERROR', message: 'There is no failed export to retry.', recoverable: false });
    }
    const next = this.job && this.deps.retry ? await this.deps.retry(this.job) : await this.deps.preview(this.params);
    if (this.disposed) return this.rejectQuietly(next.transaction_id, 'panel closed');
    this.preview = next;
    this.phase = { kind: 'review' };
    this.previewError = undefined;
    this.job = undefined;
    this.lastOutcome = undefined;
    this.replyOk(message.id);
    this.sendInit();
    this.retitle();
  }

  private async onOpenResult(message: Request<'openResult'>): Promise<void> {
    if (!this.job) return this.replyError(message.id, { code: 'JOB_NOT_FOUND', message: 'There is no result to open yet.', recoverable: false });
    // Opening a URL may wait on a confirmation dialog: answer now, log a failure.
    this.replyOk(message.id);
    await this.deps.openResult(this.job).catch((thrown: unknown) => this.host.log('warn', `Review panel: opening the result failed: ${this.host.describeError(thrown).message}`));
  }

  private onShowAll(message: Request<'showAll'>): void {
    if (message.transactionId !== this.preview.transaction_id) return this.replyError(message.id, stalePreview());
    this.post({ type: 'reply', id: message.id, ok: true, content: this.preview.content });
  }

  // ------------------------------------------------------------ previews

  private schedulePreview(params: ExportRequestParams): void {
    this.wanted = { params, revision: this.revision };
    if (!this.previewing) void this.drainPreviews();
  }

  private async drainPreviews(): Promise<void> {
    this.previewing = true;
    try {
      while (this.wanted && !this.disposed) {
        const wanted: WantedPreview = this.wanted;
        this.wanted = undefined;
        await this.runPreview(wanted);
      }
    } finally {
      this.previewing = false;
    }
  }

  private async runPreview({ params, revision }: WantedPreview): Promise<void> {
    let next: PreviewResult;
    try {
      next = await this.deps.preview(params);
    } catch (thrown) {
      if (this.disposed || this.phase.kind !== 'review') return;
      const error = this.host.describeError(thrown);
      this.previewError = error;
      this.post({ type: 'previewFailed', error, revision });
      return;
    }
    if (this.disposed || this.phase.kind !== 'review') {
      await this.rejectQuietly(next.transaction_id, 'replaced before review');
      return;
    }
    const replaced = this.preview.transaction_id;
    this.preview = next;
    this.params = params;
    this.previewError = undefined;
    this.post({ type: 'previewUpdated', preview: toPanelPreview(next), revision });
    this.retitle();
    if (replaced !== next.transaction_id) await this.rejectQuietly(replaced, 'replaced by a new preview');
  }

  // ------------------------------------------------------------ helpers

  private async loadChoices(): Promise<void> {
    const [templates, destinations] = await Promise.allSettled([this.deps.listTemplates(), this.deps.listDestinations()]);
    if (templates.status === 'fulfilled') this.templates = templates.value.map(toPanelTemplate);
    else this.host.log('warn', `Review panel: could not list templates (${this.host.describeError(templates.reason).message}).`);
    if (destinations.status === 'fulfilled') this.destinations = destinations.value.map(toPanelDestination);
    else this.host.log('warn', `Review panel: could not list destinations (${this.host.describeError(destinations.reason).message}).`);
  }

  private sendInit(): void {
    this.post(this.initMessage());
  }

  private initMessage(): HostMessage {
    return {
      type: 'init',
      preview: toPanelPreview(this.preview),
      templates: this.templates,
      destinations: this.destinations,
      fields: this.fields,
      revision: this.revision,
      phase: this.phase,
      mode: this.mode,
      ...(this.previewError ? { previewError: this.previewError } : {}),
    };
  }

  private async rejectQuietly(transactionId: string, why: string): Promise<void> {
    try {
      await this.deps.reject(transactionId);
    } catch (thrown) {
      // Already closed on the server (e.g. it restarted): nothing left to reject.
      this.host.log('warn', `Review panel: rejecting ${transactionId} (${why}) failed: ${this.host.describeError(thrown).message}`);
    }
  }

  private retitle(): void {
    if (!this.disposed) this.host.retitle?.(this.title);
  }

  private async closeViews(): Promise<void> {
    try {
      await this.deps.closeViews?.();
    } catch (thrown) {
      this.host.log('warn', `Review panel: closing its diff editor failed: ${this.host.describeError(thrown).message}`);
    }
  }

  private finish(outcome: ReviewOutcome): void {
    this.lastOutcome = outcome;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve(outcome);
  }

  private post(message: HostMessage): void {
    if (this.ready && !this.disposed) this.host.post(message);
  }

  private replyOk(id: number): void {
    this.post({ type: 'reply', id, ok: true });
  }

  private replyError(id: number, error: PanelError): void {
    this.post({ type: 'reply', id, ok: false, error });
  }
}

/** The tab's title: what the panel is about and where it stands, so finished panels do not read like pending ones. */
export function panelTitle(mode: PanelMode, phase: PanelPhase, filename: string): string {
  if (phase.kind === 'running') return `Exporting: ${filename}`;
  if (phase.kind === 'done') return phase.error ? `Export failed: ${filename}` : phase.job ? `Exported: ${filename}` : `Review: ${filename}`;
  return `${mode === 'preview' ? 'Preview' : 'Review'}: ${filename}`;
}

function notInReview(): PanelError {
  return { code: 'PANEL_ERROR', message: 'This export is no longer under review.', recoverable: false };
}

function stalePreview(): PanelError {
  return { code: 'STALE_PREVIEW', message: 'The preview changed since you looked at it; review the new one.', recoverable: true };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
