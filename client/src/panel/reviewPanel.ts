/**
 * The review panel (issue 5): one WebviewPanel per pending export, showing
 * the preview, the fields that re-run it, validation, the Bin's impact
 * analysis, and Accept / Reject. All of the panel's `vscode` use is here;
 * the logic is in ReviewController, the UI in webview/.
 *
 * Security (VS Code's webview guide): scripts only by nonce, styles from the
 * extension, local resources only from dist/, no command URIs, and every
 * message from the webview checked with zod (by the controller).
 */
import * as vscode from 'vscode';
import type { ExportRequestParams, PreviewResult } from '../../../server/src/protocol';
import { isWebUrl, type HostMessage } from '../../../webview/src/protocol';
import { toUserFacingError } from '../languageClient/serverErrors';
import { buildPanelHtml, makeNonce } from './panelHtml';
import { describeFirstRender, type HostTimes } from './renderTiming';
import { ReviewController } from './reviewController';
import type { ReviewOutcome, ReviewPanelDeps } from './types';

/** The folder of the webview bundle (dist/webview.js, dist/webview.css), relative to the extension. */
export const WEBVIEW_BUNDLE_DIR = 'dist';

type Initial = { params: ExportRequestParams; preview: PreviewResult };
/** A review page loading in a new webview panel, and when it was created (performance.now()). */
type Page = { panel: vscode.WebviewPanel; createdAt: number };
/** A webview message and when it arrived. */
type Received = { message: unknown; at: number };

export interface ReviewPanelOptions {
  viewColumn?: vscode.ViewColumn;
  /** Keep the focus where it is (e.g. in the editor the selection came from). */
  preserveFocus?: boolean;
  /** performance.now() when the command started: the first render is logged relative to it. */
  startedAt?: number;
}

export class ReviewPanel {
  static readonly viewType = 'devguideExport.review';

  private static readonly open = new Set<ReviewPanel>();

  /** Opens a panel for this preview (each pending export gets its own). */
  static show(context: vscode.ExtensionContext, deps: ReviewPanelDeps, initial: Initial, options: ReviewPanelOptions = {}): ReviewPanel {
    const page = ReviewPanel.createPage(context, panelTitle(initial.preview), options);
    return ReviewPanel.attach(page, deps, initial, [], options);
  }

  /**
   * Opens the panel at once and fills it when the preview arrives, so the
   * webview loads while the server previews (it shows "Loading the
   * preview…" until then). Rejects, closing the panel, when the preview
   * fails; resolves undefined when the person closed the panel first (the
   * review is then rejected).
   */
  static async showWhilePreviewing(
    context: vscode.ExtensionContext,
    deps: ReviewPanelDeps,
    pending: Promise<Initial>,
    options: ReviewPanelOptions & { title: string },
  ): Promise<ReviewPanel | undefined> {
    const page = ReviewPanel.createPage(context, options.title, options);
    const { panel } = page;
    // The panel's template and destination lists load with the page, not after the preview.
    deps = withChoicesAskedNow(deps);
    // The webview's first requests (its `ready`) wait here for the controller.
    const early: Received[] = [];
    let closed = false;
    const buffering = [
      panel.webview.onDidReceiveMessage((message: unknown) => early.push({ message, at: performance.now() })),
      panel.onDidDispose(() => (closed = true)),
    ];
    let initial: Initial;
    try {
      initial = await pending;
    } catch (thrown) {
      panel.dispose();
      throw thrown;
    } finally {
      for (const d of buffering) d.dispose();
    }
    if (closed) {
      await deps.reject(initial.preview.transaction_id).catch(() => undefined);
      return undefined;
    }
    panel.title = panelTitle(initial.preview);
    return ReviewPanel.attach(page, deps, initial, early, options);
  }

  /** The open panels (e.g. to close them all when the language server restarts). */
  static all(): readonly ReviewPanel[] {
    return [...ReviewPanel.open];
  }

  /** A webview panel with the review page loading in it. */
  private static createPage(context: vscode.ExtensionContext, title: string, options: ReviewPanelOptions): Page {
    const bundle = vscode.Uri.joinPath(context.extensionUri, WEBVIEW_BUNDLE_DIR);
    const panel = vscode.window.createWebviewPanel(
      ReviewPanel.viewType,
      title,
      { viewColumn: options.viewColumn ?? vscode.ViewColumn.Active, preserveFocus: options.preserveFocus === true },
      {
        enableScripts: true,
        enableCommandUris: false,
        enableForms: false,
        localResourceRoots: [bundle],
        // The page is rebuilt when shown again; the controller re-sends its state.
        retainContextWhenHidden: false,
      },
    );
    const webview = panel.webview;
    webview.html = buildPanelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'webview.css')).toString(),
      title,
    });
    return { panel, createdAt: performance.now() };
  }

  private static attach(page: Page, deps: ReviewPanelDeps, initial: Initial, early: readonly Received[], options: ReviewPanelOptions): ReviewPanel {
    const timing = options.startedAt === undefined ? undefined : { commandAt: options.startedAt, panelCreatedAt: page.createdAt };
    const reviewPanel = new ReviewPanel(page.panel, deps, initial, timing);
    ReviewPanel.open.add(reviewPanel);
    for (const { message, at } of early) reviewPanel.receive(message, at);
    // A hidden panel's page is gone (VS Code rebuilds it when shown, and it then says `ready`).
    if (page.panel.visible && !early.some(({ message }) => isReady(message))) void reviewPanel.controller.prime();
    return reviewPanel;
  }

  private readonly controller: ReviewController;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private renderedAfterMs: number | undefined;
  /** Pages that rendered the state they were given (one more each time VS Code rebuilds the hidden page). */
  private renders = 0;
  private readyAt: number | undefined;
  /** The file of the first preview (fields edited in the panel may change it). */
  readonly filename: string;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    deps: ReviewPanelDeps,
    initial: Initial,
    timing: { commandAt: number; panelCreatedAt: number } | undefined,
  ) {
    const log = deps.log ?? (() => undefined);
    const filename = initial.preview.filename;
    this.filename = filename;
    const previewedAt = performance.now();
    this.controller = new ReviewController(deps, initial, {
      post: (message: HostMessage) => {
        void panel.webview.postMessage(message).then(undefined, (error: unknown) => log('warn', `Review panel: postMessage failed: ${String(error)}`));
      },
      close: () => this.dispose(),
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
    });

    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(({ webviewPanel }) => {
        // Hidden: VS Code discards the page; it says `ready` again when shown.
        if (!webviewPanel.visible) this.controller.webviewGone();
      }),
      panel.onDidDispose(() => this.onDisposed()),
    );
  }

  get transactionId(): string {
    return this.controller.transactionId;
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
    return this.controller.whenFinished();
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Closes the panel; a review still pending is rejected. */
  dispose(): void {
    if (!this.disposed) this.panel.dispose(); // fires onDidDispose → onDisposed
  }

  private receive(message: unknown, at = performance.now()): void {
    if (this.readyAt === undefined && isReady(message)) {
      this.readyAt = at;
    }
    void this.controller.handle(message);
  }

  private onDisposed(): void {
    if (this.disposed) return;
    this.disposed = true;
    ReviewPanel.open.delete(this);
    for (const d of this.disposables) d.dispose();
    void this.controller.dispose();
  }
}

function panelTitle(preview: PreviewResult): string {
  return `Review: ${preview.filename}`;
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
