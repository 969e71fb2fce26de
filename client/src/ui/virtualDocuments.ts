import * as vscode from 'vscode';

/**
 * Read-only documents under the `devguide-export:` scheme: the two sides of
 * a review's diff, export previews and job details. Contents live in memory
 * (the most recent ones only) and are never written to disk.
 */

export const VIRTUAL_SCHEME = 'devguide-export';

const MAX_DOCUMENTS = 64;

export class VirtualDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** Stores `content` under `path` (e.g. "/review/tx_1/new/notes.md") and returns its URI. */
  put(path: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: VIRTUAL_SCHEME, path: path.startsWith('/') ? path : `/${path}` });
    const key = uri.toString();
    this.contents.delete(key);
    this.contents.set(key, content);
    while (this.contents.size > MAX_DOCUMENTS) {
      const oldest = this.contents.keys().next().value;
      if (oldest === undefined) break;
      this.contents.delete(oldest);
    }
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? 'This DevGuide Export document is no longer available. Run the command again.';
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}
