/**
 * The review panel (issue 5): one WebviewPanel per export target (a second
 * export of the same selection takes over its panel), showing the preview,
 * the fields that re-run it, validation, the Bin's impact analysis, and
 * Accept / Reject; after Accept it is the result. All of the panel's `vscode` use is here;
 * the logic is in ReviewController, the UI in webview/.
 *
 * Security (VS Code's webview guide): scripts only by nonce, styles from the
 * extension, local resources only from dist/, no command URIs, and every
 * message from the webview checked with zod (by the controller).
 */
import * as vscode from 'vscode';
import type { ExportRequestParams, PreviewResult } from '../../../server/src/protocol';
import { isWebUrl, type HostMessage, type PanelMode } from '../../../webview/src/protocol';
import { toUserFacingError } from '../languageClient/serverErrors';
import { buildPanelHtml, makeNonce } from './panelHtml';
import { describeFirstRender, type HostTimes } from './renderTiming';
import { ReviewController, type ControllerHost } from './reviewController';
import type { ReviewOutcome, ReviewPanelDeps } from './types';

/** The folder of the webview bundle (dist/webview.js, dist/webview.css), relative to the extension. */
export const WEBVIEW_BUNDLE_DIR = 'dist';

type Initial = { params: ExportRequestParams; preview: PreviewResult };
/** A webview message and when it arrived. */
type Received = { message: unknown; at: number };

export interface ReviewPanelOptions {
  viewColumn?: vscode.ViewColumn;
  /** Keep the focus where it is (e.g. in the editor the selection came from). */
  preserveFocus?: boolean;
  /** performance.now() when the command started: the first render is logged relative to it. */
  startedAt?: number;
  /** What is exported (exportTargetKey): an open panel for the same target is reused, not joined by another tab. */
  targetKey?: string;
  /** 'preview' (Preview Export): nothing can be accepted until the person chooses Export… in the panel. */
  mode?: PanelMode;
}

export class ReviewPanel {
  static readonly viewType = 'devguideExport.review';

  private static readonly open = new Set<ReviewPanel>();

  /**
   * Opens the panel at once — or takes over the open panel of the same
   * export target, whose pending review is rejected — and fills it when the
   * preview arrives, so the webview loads while the server previews (it
   * shows "Loading the preview…" until then). Rejects, closing the panel,
   * when the preview fails; resolves undefined when the person closed the
   * panel first (the review is then rejected).
   */
  static async showWhilePreviewing(
    context: vscode.ExtensionContext,
    deps: ReviewPanelDeps,
    pending: Promise<Initial>,
    options: ReviewPanelOptions & { title: string },
  ): Promise<ReviewPanel | undefined> {
    const reused = options.targetKey === undefined ? undefined : [...ReviewPanel.open].find((p) => p.targetKey === options.targetKey);
    const panel = reused ?? new ReviewPanel(context, options);
    return panel.load(deps, pending, options);
  }

  /** The open panels (e.g. to close them all when the language server restarts). */
  static all(): readonly ReviewPanel[] {
    return [...ReviewPanel.open];
  }

  private readonly panel: vscode.WebviewPanel;
  private readonly bundle: vscode.Uri;
  private readonly disposables: vscode.Disposable[] = [];
  private targetKey: string | undefined;
  private controller: ReviewController | undefined;
  /** Messages of a page whose controller is not there yet (its preview is still running). */
  private early: Received[] = [];
  /** Each load (the first, or a reuse) gets the next number; a load overtaken by a newer one gives up. */
  private loads = 0;
  private disposed = false;
  private pageCreatedAt = 0;
  private renderedAfterMs: number | undefined;
  /** Pages that rendered the state they were given (one more each time VS Code rebuilds the hidden page). */
  private renders = 0;
  private readyAt: number | undefined;
  /** The file of the first preview (fields edited in the panel may change it). */
  filename = '';

  private constructor(context: vscode.ExtensionContext, options: ReviewPanelOptions & { title: string }) {
    this.bundle = vscode.Uri.joinPath(context.extensionUri, WEBVIEW_BUNDLE_DIR);
    this.targetKey = options.targetKey;
    this.panel = vscode.window.createWebviewPanel(
      ReviewPanel.viewType,
      options.title,
      { viewColumn: options.viewColumn ?? vscode.ViewColumn.Active, preserveFocus: options.preserveFocus === true },
      {
        enableScripts: true,
        enableCommandUris: false,
        enableForms: false,
        localResourceRoots: [this.bundle],
        // The page is rebuilt when shown again; the controller re-sends its state.
        retainContextWhenHidden: false,
      },
    );
    this.loadPage(options.title);
    ReviewPanel.open.add(this);
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      this.panel.onDidChangeViewState(({ webviewPanel }) => {
        // Hidden: VS Code discards the page; it says `ready` again when shown.
        if (!webviewPanel.visible) this.controller?.webviewGone();
      }),
      this.panel.onDidDispose(() => this.onDisposed()),
    );
  }

  get transactionId(): string {
    return this.controller?.transactionId ?? '';
  }

  /** How many times a page of this panel rendered its state: the first one, then once per rebuild. */
  get renderCount(): number {
    return this.renders;
  }

  /** From the command's start to the webview's first render with content (once it rendered). */
  get firstRenderMs(): number | undefined {
    return this.renderedAfterMs;
  }

  /** The next final outcome (after a Retry, call again for the next one). */
  whenFinished(): Promise<ReviewOutcome> {
    return this.controller ? this.controller.whenFinished() : Promise.resolve({ status: 'closed', transactionId: '' });
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Closes the panel; a review still pending is rejected. */
  dispose(): void {
    if (!this.disposed) this.panel.dispose(); // fires onDidDispose → onDisposed
  }

  /** (Re)fills the panel with the preview `pending` brings; a panel reused for a new export drops its old review first. */
  private async load(deps: ReviewPanelDeps, pending: Promise<Initial>, options: ReviewPanelOptions & { title: string }): Promise<ReviewPanel | undefined> {
    const load = ++this.loads;
    const previous = this.controller;
    if (previous) {
      this.controller = undefined;
      this.early = [];
      this.renderedAfterMs = undefined;
      this.readyAt = undefined;
      this.panel.title = options.title;
      this.loadPage(options.title);
      this.panel.reveal(undefined, options.preserveFocus === true);
      await previous.dispose();
    }
    // The panel's template and destination lists load with the page, not after the preview.
    deps = withChoicesAskedNow(deps);
    let initial: Initial;
    try {
      initial = await pending;
    } catch (thrown) {
      if (load === this.loads) this.dispose();
      throw thrown;
    }
    if (this.disposed || load !== this.loads) {
      await deps.reject(initial.preview.transaction_id).catch(() => undefined);
      return undefined;
    }
    this.attach(deps, { ...initial, ...(options.mode ? { mode: options.mode } : {}) }, options);
    return this;
  }

  /** A fresh review page loading in the webview (a reused panel's old page is replaced). */
  private loadPage(title: string): void {
    const webview = this.panel.webview;
    webview.html = buildPanelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.bundle, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.bundle, 'webview.css')).toString(),
      title,
    });
    this.pageCreatedAt = performance.now();
  }

  private attach(deps: ReviewPanelDeps, initial: Initial & { mode?: PanelMode }, options: ReviewPanelOptions): void {
    const timing = options.startedAt === undefined ? undefined : { commandAt: options.startedAt, panelCreatedAt: this.pageCreatedAt };
    this.filename = initial.preview.filename;
    const controller = new ReviewController(deps, initial, this.controllerHost(deps, timing, performance.now()));
    this.controller = controller;
    this.panel.title = controller.title;
    const early = this.early;
    this.early = [];
    for (const { message, at } of early) this.receive(message, at);
    // A hidden panel's page is gone (VS Code rebuilds it when shown, and it then says `ready`).
    if (this.panel.visible && !early.some(({ message }) => isReady(message))) void controller.prime();
  }

  private controllerHost(deps: ReviewPanelDeps, timing: { commandAt: number; panelCreatedAt: number } | undefined, previewedAt: number): ControllerHost {
    const log = deps.log ?? (() => undefined);
    const filename = this.filename;
    return {
      post: (message: HostMessage) => {
        void this.panel.webview.postMessage(message).then(undefined, (error: unknown) => log('warn', `Review panel: postMessage failed: ${String(error)}`));
      },
      close: () => this.dispose(),
      retitle: (title) => {
        if (!this.disposed) this.panel.title = title;
      },
      openLink: async (url) => {
        if (!isWebUrl(url)) return; // the controller's schema already refused anything else
        await (deps.openLink ? deps.openLink(url) : vscode.env.openExternal(vscode.Uri.parse(url, true)));
      },
      describeError: deps.describeError ?? toUserFacingError,
      log,
      rendered: (page) => {
        this.renders += 1;
        // The first paint with content: issue 5's "panel opens with a preview" time, split where it went.
        if (this.renderedAfterMs !== undefined || timing === undefined) return;
        const renderedReceivedAt = performance.now();
        this.renderedAfterMs = renderedReceivedAt - timing.commandAt;
        const host: HostTimes = {
          timeOrigin: performance.timeOrigin,
          commandAt: timing.commandAt,
          panelCreatedAt: timing.panelCreatedAt,
          previewReadyAt: previewedAt,
          ...(this.readyAt === undefined ? {} : { readyReceivedAt: this.readyAt }),
          renderedReceivedAt,
        };
        log('info', describeFirstRender(filename, host, page));
      },
    };
  }

  private receive(message: unknown, at = performance.now()): void {
    if (!this.controller) {
      // Its `ready` waits here until the preview arrives and the controller exists.
      this.early.push({ message, at });
      return;
    }
    if (this.readyAt === undefined && isReady(message)) this.readyAt = at;
    void this.controller.handle(message);
  }

  private onDisposed(): void {
    if (this.disposed) return;
    this.disposed = true;
    ReviewPanel.open.delete(this);
    for (const d of this.disposables) d.dispose();
    void this.controller?.dispose();
  }
}

function isReady(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'ready';
}

/** `deps` whose first listTemplates / listDestinations answer with lists asked for now. */
function withChoicesAskedNow(deps: ReviewPanelDeps): ReviewPanelDeps {
  const first = <T>(list: () => Promise<T>): (() => Promise<T>) => {
    let asked: Promise<T> | undefined = list();
    // Nobody may ever take it (the panel closed first): its failure must not go unhandled.
    asked.catch(() => undefined);
    return () => {
      const answer = asked ?? list();
      asked = undefined;
      return answer;
    };
  };
  return { ...deps, listTemplates: first(() => deps.listTemplates()), listDestinations: first(() => deps.listDestinations()) };
}
