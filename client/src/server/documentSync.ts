import * as vscode from 'vscode';
import type { LspClient } from './lspClient';
import { type DocumentFilter, matchesSelector, syncOptionsOf, toLspContentChanges } from './lspConversions';
import { DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument } from './lspMessages';

/**
 * Keeps the server's copy of the template documents in step with VS Code:
 * didOpen (for those already open when the server starts, and each new
 * one), didChange (incremental, as the server asks), didClose. A document
 * whose language changes is closed and reopened by VS Code, which moves it
 * into or out of the selector. A (re)started server gets every open
 * document again, with its current text.
 */
export function syncDocuments(client: LspClient, selector: readonly DocumentFilter[]): vscode.Disposable {
  /** The documents the running server has open, by URI. */
  const synced = new Set<string>();
  let sync = syncOptionsOf(undefined);

  const open = (document: vscode.TextDocument) => {
    const uri = document.uri.toString();
    if (!sync.openClose || synced.has(uri) || !matchesSelector(document, selector)) return;
    const sent = client.notifyIfRunning(DidOpenTextDocument, {
      textDocument: { uri, languageId: document.languageId, version: document.version, text: document.getText() },
    });
    if (sent) synced.add(uri);
  };

  const change = (event: vscode.TextDocumentChangeEvent) => {
    const { document, contentChanges } = event;
    const uri = document.uri.toString();
    if (sync.change === 0 || contentChanges.length === 0 || !synced.has(uri)) return;
    client.notifyIfRunning(DidChangeTextDocument, {
      textDocument: { uri, version: document.version },
      contentChanges: sync.change === 2 ? toLspContentChanges(contentChanges) : [{ text: document.getText() }],
    });
  };

  const close = (document: vscode.TextDocument) => {
    const uri = document.uri.toString();
    if (synced.delete(uri)) client.notifyIfRunning(DidCloseTextDocument, { textDocument: { uri } });
  };

  const subscriptions = [
    client.onDidStart((capabilities) => {
      sync = syncOptionsOf(capabilities.textDocumentSync);
      synced.clear();
      for (const document of vscode.workspace.textDocuments) open(document);
    }),
    client.onDidStop(() => synced.clear()),
    vscode.workspace.onDidOpenTextDocument(open),
    vscode.workspace.onDidChangeTextDocument(change),
    vscode.workspace.onDidCloseTextDocument(close),
  ];
  return new vscode.Disposable(() => {
    for (const subscription of subscriptions) subscription.dispose();
  });
}
