import * as vscode from 'vscode';
import type { JobJson as JobRecord, JobStatus } from '../../../server/src/protocol';
import { toUserFacingError } from '../languageClient/serverErrors';
import {
  groupByDay,
  jobContextValue,
  jobDescription,
  jobTooltipLines,
  type DayGroup,
  type HistoryFilter,
} from './historyModel';

/** The Export History tree: day groups, then the jobs of each day. */

export class DayNode {
  readonly kind = 'day';
  constructor(readonly group: DayGroup, readonly expanded: boolean) {}
}

export class JobNode {
  readonly kind = 'job';
  constructor(readonly job: JobRecord, readonly day: DayNode) {}
}

export type HistoryNode = DayNode | JobNode;

const STATUS_ICON: Readonly<Record<JobStatus, { icon: string; color?: string }>> = {
  completed: { icon: 'pass', color: 'testing.iconPassed' },
  failed: { icon: 'error', color: 'testing.iconFailed' },
  running: { icon: 'sync~spin', color: 'charts.blue' },
  queued: { icon: 'clock', color: 'testing.iconQueued' },
  rolled_back: { icon: 'discard', color: 'disabledForeground' },
};

export interface HistoryLoad {
  count: number;
  problem?: string;
}

export type LoadJobs = (filter: HistoryFilter) => Promise<JobRecord[]>;

export class HistoryTree implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HistoryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly loaded = new vscode.EventEmitter<HistoryLoad>();
  /** Each load of the root: how many jobs, or why it failed. */
  readonly onDidLoad = this.loaded.event;
  private filterValue: HistoryFilter = {};

  constructor(
    private readonly load: LoadJobs,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get filter(): HistoryFilter {
    return this.filterValue;
  }

  setFilter(filter: HistoryFilter): void {
    this.filterValue = { ...filter };
    this.refresh();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: HistoryNode): Promise<HistoryNode[]> {
    if (node instanceof JobNode) return [];
    if (node instanceof DayNode) return node.group.jobs.map((job) => new JobNode(job, node));
    let jobs: JobRecord[];
    try {
      jobs = await this.load(this.filterValue);
    } catch (thrown) {
      this.loaded.fire({ count: 0, problem: `The export history could not be loaded: ${toUserFacingError(thrown).message}` });
      return [];
    }
    this.loaded.fire({ count: jobs.length });
    const today = this.now();
    // The newest day is open, and so are today and yesterday; older days start collapsed.
    return groupByDay(jobs, today).map((group, index) => new DayNode(group, index === 0 || group.label === 'Today' || group.label === 'Yesterday'));
  }

  getParent(node: HistoryNode): HistoryNode | undefined {
    return node instanceof JobNode ? node.day : undefined;
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    if (node instanceof DayNode) {
      const item = new vscode.TreeItem(node.group.label, node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `day:${node.group.key}`;
      item.description = `${node.group.jobs.length} export${node.group.jobs.length === 1 ? '' : 's'}`;
      item.tooltip = `${node.group.key}: ${node.group.jobs.length} export${node.group.jobs.length === 1 ? '' : 's'}`;
      item.contextValue = 'day';
      return item;
    }
    const { job } = node;
    const item = new vscode.TreeItem(job.filename, vscode.TreeItemCollapsibleState.None);
    item.id = `job:${job.job_id}`;
    item.description = jobDescription(job);
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.isTrusted = false;
    const [first, ...rest] = jobTooltipLines(job);
    tooltip.appendText(first ?? job.filename).appendMarkdown('\n\n');
    for (const line of rest) tooltip.appendText(line).appendMarkdown('  \n');
    item.tooltip = tooltip;
    const { icon, color } = STATUS_ICON[job.status];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = jobContextValue(job);
    item.accessibilityInformation = { label: `${job.filename}, ${job.status.replace('_', ' ')}, ${jobDescription(job)}` };
    // A click shows the details (job fields and audit trail).
    item.command = { command: 'devguideExport.showJobDetails', title: 'Show Details', arguments: [{ jobId: job.job_id }] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
    this.loaded.dispose();
  }
}
