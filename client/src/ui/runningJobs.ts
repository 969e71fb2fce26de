import * as vscode from 'vscode';

/** A status bar item shown while at least one export job runs. */
export class RunningJobs implements vscode.Disposable {
  private item: vscode.StatusBarItem | undefined;
  private readonly running = new Map<number, string>();
  private nextId = 0;

  /** Marks a job as running; call the returned function when it ends. */
  begin(label: string): () => void {
    const id = this.nextId++;
    this.running.set(id, label);
    this.render();
    return () => {
      this.running.delete(id);
      this.render();
    };
  }

  get count(): number {
    return this.running.size;
  }

  private render(): void {
    if (this.running.size === 0) {
      this.item?.hide();
      return;
    }
    // Created on first use: activation stays free of UI work.
    this.item ??= vscode.window.createStatusBarItem('devguideExport.running', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'DevGuide Export';
    const labels = [...this.running.values()];
    this.item.text = labels.length === 1 ? `$(sync~spin) Exporting ${labels[0]}…` : `$(sync~spin) Exporting ${labels.length} files…`;
    this.item.tooltip = `DevGuide Export is publishing:\n${labels.join('\n')}\n\nClick for the export history.`;
    this.item.command = 'devguideExport.showHistory';
    this.item.show();
  }

  dispose(): void {
    this.item?.dispose();
  }
}
