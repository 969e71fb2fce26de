import * as vscode from 'vscode';
import type { ServerCapabilities } from 'vscode-languageserver-protocol';
import type { Logger } from '../logging/logger';
import type { LspClient } from './lspClient';
import { type DocumentFilter, toLspTriggerKind } from './lspConversions';
import { Completion, HoverRequest, PublishDiagnostics } from './lspMessages';
import { toVsCompletionList, toVsDiagnostic, toVsHover } from './vscodeConversions';

/**
 * The language features of template files, served by the language server:
 * its published diagnostics in one DiagnosticCollection, and completion and
 * hover providers (registered once the server has said it offers them, with
 * its trigger characters).
 */

export const DIAGNOSTIC_COLLECTION = 'devguide-export';

/** LSP's RequestCancelled: the request was cancelled (by the person typing on) — not a failure. */
const REQUEST_CANCELLED = -32800;

export function registerLanguageFeatures(client: LspClient, selector: readonly DocumentFilter[], logger: Logger): vscode.Disposable {
  const diagnostics = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_COLLECTION);
  let providers: vscode.Disposable[] = [];
  const disposeProviders = () => {
    for (const provider of providers.splice(0)) provider.dispose();
  };

  /** A failed request answers "nothing" (as VS Code would for a provider that throws) and is logged. */
  const orNothing = (feature: string, error: unknown): undefined => {
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    if (code !== REQUEST_CANCELLED) logger.warn(`Template ${feature} failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  };

  const registerProviders = (capabilities: ServerCapabilities) => {
    disposeProviders();
    const filters = [...selector];
    if (capabilities.completionProvider) {
      const provider: vscode.CompletionItemProvider = {
        async provideCompletionItems(document, position, token, context) {
          try {
            const result = await client.sendRequest(
              Completion,
              {
                textDocument: { uri: document.uri.toString() },
                position: { line: position.line, character: position.character },
                context: {
                  triggerKind: toLspTriggerKind(context.triggerKind),
                  ...(context.triggerCharacter === undefined ? {} : { triggerCharacter: context.triggerCharacter }),
                },
              },
              token,
            );
            return toVsCompletionList(result);
          } catch (error) {
            return orNothing('completion', error);
          }
        },
      };
      providers.push(vscode.languages.registerCompletionItemProvider(filters, provider, ...(capabilities.completionProvider.triggerCharacters ?? [])));
    }
    if (capabilities.hoverProvider) {
      const provider: vscode.HoverProvider = {
        async provideHover(document, position, token) {
          try {
            const result = await client.sendRequest(
              HoverRequest,
              { textDocument: { uri: document.uri.toString() }, position: { line: position.line, character: position.character } },
              token,
            );
            return result ? toVsHover(result) : undefined;
          } catch (error) {
            return orNothing('hover', error);
          }
        },
      };
      providers.push(vscode.languages.registerHoverProvider(filters, provider));
    }
  };

  const subscriptions = [
    client.onNotification(PublishDiagnostics, ({ uri, diagnostics: published }) => {
      diagnostics.set(vscode.Uri.parse(uri), published.map(toVsDiagnostic));
    }),
    // A restarted server publishes afresh for the documents it is given; a stopped one's are stale.
    client.onDidStop(() => diagnostics.clear()),
    // Providers stay registered while the server restarts: their requests wait for it.
    client.onDidStart(registerProviders),
  ];

  return new vscode.Disposable(() => {
    for (const subscription of subscriptions) subscription.dispose();
    disposeProviders();
    diagnostics.dispose();
  });
}
