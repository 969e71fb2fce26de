import * as vscode from 'vscode';
import { ListJobsRequest } from '../../../server/src/protocol';
import type { Logger } from '../logging/logger';
import type { ServerConnection } from '../languageClient/serverConnection';
import { filterDescription, filterMessage, isFiltered, listParamsOf, type HistoryFilter } from './historyModel';
import { HistoryTree, type HistoryLoad, type HistoryNode } from './historyTree';

/**
 * The Export History view (its own activity-bar container): the tree, its
 * filter shown as the view's description, and live updates — the server's
 * devguide/jobsChanged and the progress of running jobs (refreshSoon) both
 * trigger a (coalesced) refresh.
 */

export const HISTORY_VIEW_ID = 'devguideExport.history';
/** Context key: a filter is on (shows Clear Filter, picks the welcome text). */
const FILTERED_CONTEXT = 'devguideExport.historyFiltered';
/** Bursts of notifications (a batch, a job's stages) become one reload. */
const REFRESH_DELAY_MS = 150;
/**
 * While the view is visible it reloads its page this often: another editor
 * or a CI run writing to the same store (the team store, or a shared
 * folder) sends this one no notification. One page (HISTORY_LIMIT jobs), filtered by the store: cheap.
 */
const POLL_MS = 30_000;

export class HistoryView implements vscode.Disposable {
  readonly tree: HistoryTree;
  private readonly view: vscode.TreeView<HistoryNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private poll: ReturnType<typeof setInterval> | undefined;
  private lastLoad: HistoryLoad = { count: 0 };

  constructor(server: ServerConnection, logger: Logger) {
    // A time range is measured from each load: the timer's reload moves the window along.
    this.tree = new HistoryTree(async (filter) => (await server.request(ListJobsRequest.type, listParamsOf(filter, new Date()))).jobs);
    this.view = vscode.window.createTreeView(HISTORY_VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: true });
    this.disposables.push(
      this.tree,
      this.view,
      this.tree.onDidLoad((load) => {
        if (load.problem && load.problem !== this.lastLoad.problem) logger.warn(load.problem);
        this.lastLoad = load;
        this.showMessage();
      }),
      server.onJobsChanged(() => this.refreshSoon()),
      // Jobs of other processes: reloaded when the view is shown again, when the window gets focus, and on a timer while shown.
      this.view.onDidChangeVisibility(({ visible }) => {
        if (visible) this.refreshSoon();
        this.pollWhile(visible);
      }),
      vscode.window.onDidChangeWindowState(({ focused }) => {
        if (focused && this.view.visible) this.refreshSoon();
      }),
    );
    this.pollWhile(this.view.visible);
    void vscode.commands.executeCommand('setContext', FILTERED_CONTEXT, false);
  }

  get filter(): HistoryFilter {
    return this.tree.filter;
  }

  get description(): string | undefined {
    return this.view.description;
  }

  setFilter(filter: HistoryFilter): void {
    this.tree.setFilter(filter);
    // The description sits in the view's title, which a narrow side bar cuts off: the message line says it too.
    this.view.description = filterDescription(filter);
    this.showMessage();
    void vscode.commands.executeCommand('setContext', FILTERED_CONTEXT, isFiltered(filter));
  }

  /**
   * A load failure, else the active filter, on the line above the tree. Not
   * when nothing matches: a message would hide the welcome with Clear Filter.
   */
  private showMessage(): void {
    const { problem, count } = this.lastLoad;
    this.view.message = problem ?? (count > 0 ? filterMessage(this.tree.filter) : undefined);
  }

  refresh(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.tree.refresh();
  }

  /** Opens the view's container and focuses the view. */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${HISTORY_VIEW_ID}.focus`);
  }

  /** A refresh shortly, with whatever else arrives meanwhile (a running job reports its stages). */
  refreshSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  private pollWhile(visible: boolean): void {
    if (visible && !this.poll) this.poll = setInterval(() => this.refreshSoon(), POLL_MS);
    else if (!visible && this.poll) {
      clearInterval(this.poll);
      this.poll = undefined;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearInterval(this.poll);
    for (const d of this.disposables) d.dispose();
  }
}
