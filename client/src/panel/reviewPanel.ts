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
import { isWebUrl, type HostMessage, type Stage } from '../../../webview/src/protocol';
import { toUserFacingError } from '../server/serverErrors';
import { buildPanelHtml, makeNonce } from './panelHtml';
import { ReviewController } from './reviewController';
import type { ReviewOutcome, ReviewPanelDeps } from './types';

/** The folder of the webview bundle (dist/webview.js, dist/webview.css), relative to the extension. */
export const WEBVIEW_BUNDLE_DIR = 'dist';

export class ReviewPanel {
  static readonly viewType = 'devguideExport.review';

  private static readonly open = new Set<ReviewPanel>();

  /** Opens a panel for this preview (each pending export gets its own). */
  static show(
    context: vscode.ExtensionContext,
    deps: ReviewPanelDeps,
    initial: { params: ExportRequestParams; preview: PreviewResult },
    options: { viewColumn?: vscode.ViewColumn } = {},
  ): ReviewPanel {
    const bundle = vscode.Uri.joinPath(context.extensionUri, WEBVIEW_BUNDLE_DIR);
    const panel = vscode.window.createWebviewPanel(
      ReviewPanel.viewType,
      panelTitle(initial.preview),
      { viewColumn: options.viewColumn ?? vscode.ViewColumn.Active, preserveFocus: false },
      {
        enableScripts: true,
        enableCommandUris: false,
        enableForms: false,
        localResourceRoots: [bundle],
        // The page is rebuilt when shown again; the controller re-sends its state.
        retainContextWhenHidden: false,
      },
    );
    const reviewPanel = new ReviewPanel(panel, bundle, deps, initial);
    ReviewPanel.open.add(reviewPanel);
    return reviewPanel;
  }

  /** The open panels (e.g. to close them all when the language server restarts). */
  static all(): readonly ReviewPanel[] {
    return [...ReviewPanel.open];
  }

  private readonly controller: ReviewController;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    bundle: vscode.Uri,
    deps: ReviewPanelDeps,
    initial: { params: ExportRequestParams; preview: PreviewResult },
  ) {
    const log = deps.log ?? (() => undefined);
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
    });

    const webview = panel.webview;
    webview.html = buildPanelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'webview.css')).toString(),
      title: panelTitle(initial.preview),
    });

    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => void this.controller.handle(message)),
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

  /** The next final outcome (after a Retry, call again for the next one). */
  whenFinished(): Promise<ReviewOutcome> {
    return this.controller.whenFinished();
  }

  /** Stage progress of the accepted export, when it is tracked outside `deps.accept`. */
  reportProgress(stage: Stage, message: string): void {
    this.controller.reportProgress(stage, message);
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Closes the panel; a review still pending is rejected. */
  dispose(): void {
    if (!this.disposed) this.panel.dispose(); // fires onDidDispose → onDisposed
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
