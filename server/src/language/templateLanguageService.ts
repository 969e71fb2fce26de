import {
  type CodeAction,
  CodeActionKind,
  type CompletionItem,
  type Connection,
  type Disposable,
  type Hover,
  type ServerCapabilities,
  type TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { templateCodeActions } from './codeActions';
import { templateCompletions } from './completion';
import { templateHover } from './hover';
import { templateChecks } from './templateChecks';
import { ValidationScheduler } from './validationScheduler';
import { MAX_TEMPLATE_BYTES } from '../templates/registry';

/**
 * The language features of template files (`*.hbs`): diagnostics,
 * completion, hover, quick fixes. Thin handlers over the rule modules in this folder; the
 * server advertises TEMPLATE_LANGUAGE_CAPABILITIES and calls
 * registerTemplateLanguageFeatures once.
 */

export const TEMPLATE_LANGUAGE_CAPABILITIES = {
  textDocumentSync: TextDocumentSyncKind.Incremental,
  completionProvider: { triggerCharacters: ['{', '.', ' ', '#', ':', '@', '(', '/'] },
  hoverProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
} as const satisfies ServerCapabilities;

export interface TemplateLanguageOptions {
  isTemplateDocument(uri: string): boolean;
  /**
   * Minimum time between two quick checks of one document (default 100 ms).
   * Not a delay: an edit after a quiet period is checked at once; edits
   * within this window are coalesced into one check of the newest text.
   */
  debounceMs?: number;
  /** Quiet time before the sample render (the slow pass) runs (default 300 ms). */
  sampleRenderDelayMs?: number;
  /** The sample render runs the template: pass the workspace trust here (default: always). */
  canRenderSample?: (uri: string) => boolean;
  log?: (message: string) => void;
}

export interface TemplateLanguageFeatures {
  dispose(): void;
  /** Checks the document now, sample render included; resolves once its diagnostics are published. */
  validateNow(uri: string): Promise<void>;
}

export const DEFAULT_DEBOUNCE_MS = 100;
export const DEFAULT_SAMPLE_RENDER_DELAY_MS = 300;

type LanguageConnection = Pick<Connection, 'onCompletion' | 'onHover' | 'onCodeAction' | 'sendDiagnostics' | 'console'>;

export function registerTemplateLanguageFeatures(
  connection: LanguageConnection,
  documents: TextDocuments<TextDocument>,
  options: TemplateLanguageOptions,
): TemplateLanguageFeatures {
  const log = options.log ?? ((message: string) => connection.console.error(message));
  const scheduler = new ValidationScheduler({
    documents,
    checks: templateChecks(options.canRenderSample),
    publish: (uri, version, diagnostics) => connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics }),
    throttleMs: options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    fullDelayMs: options.sampleRenderDelayMs ?? DEFAULT_SAMPLE_RENDER_DELAY_MS,
    log,
  });

  /** An open template document small enough to analyse (a larger one gets its one diagnostic and nothing else). */
  const templateAt = (uri: string): TextDocument | undefined => {
    const document = documents.get(uri);
    if (document === undefined || !options.isTemplateDocument(uri)) return undefined;
    return document.getText().length > MAX_TEMPLATE_BYTES ? undefined : document;
  };

  /** A feature that throws answers "nothing here" and logs, rather than failing the request. */
  const guarded = <T>(feature: string, run: () => T): T | null => {
    try {
      return run();
    } catch (error) {
      log(`Template ${feature} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return null;
    }
  };

  const subscriptions: Disposable[] = [
    documents.onDidChangeContent(({ document }) => {
      if (options.isTemplateDocument(document.uri)) scheduler.changed(document.uri);
    }),
    documents.onDidClose(({ document }) => {
      if (options.isTemplateDocument(document.uri)) void scheduler.closed(document.uri);
    }),
    connection.onCompletion(({ textDocument, position }): CompletionItem[] | null => {
      const document = templateAt(textDocument.uri);
      return document === undefined ? null : guarded('completion', () => templateCompletions(document, position));
    }),
    connection.onHover(({ textDocument, position }): Hover | null => {
      const document = templateAt(textDocument.uri);
      return document === undefined ? null : guarded('hover', () => templateHover(document, position));
    }),
    connection.onCodeAction((params): CodeAction[] | null => {
      const document = templateAt(params.textDocument.uri);
      return document === undefined ? null : guarded('quick fixes', () => templateCodeActions(document, params));
    }),
  ];

  return {
    dispose() {
      for (const subscription of subscriptions) subscription.dispose();
      scheduler.dispose();
    },
    async validateNow(uri) {
      if (templateAt(uri) !== undefined) await scheduler.validateNow(uri);
    },
  };
}
