import { ErrorCodes, NotificationType, NotificationType0, ProgressType, RequestType, RequestType0, ResponseError } from 'vscode-jsonrpc';
import type {
  CompletionItem,
  CompletionList,
  CompletionParams,
  ConfigurationParams,
  DidChangeConfigurationParams,
  DidChangeTextDocumentParams,
  DidCloseTextDocumentParams,
  DidOpenTextDocumentParams,
  Hover,
  HoverParams,
  InitializeParams,
  InitializeResult,
  LogMessageParams,
  MessageActionItem,
  PublishDiagnosticsParams,
  RegistrationParams,
  ShowMessageParams,
  ShowMessageRequestParams,
  UnregistrationParams,
  WorkDoneProgressBegin,
  WorkDoneProgressCancelParams,
  WorkDoneProgressCreateParams,
  WorkDoneProgressEnd,
  WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';

/**
 * The standard LSP messages this client sends and answers, declared with
 * vscode-jsonrpc's types. The protocol package is imported for its types
 * only: importing its values would put all of it into the client bundle
 * (issue 4's 200 KB bar).
 */

export const Initialize = new RequestType<InitializeParams, InitializeResult, unknown>('initialize');
export const Initialized = new NotificationType<Record<string, never>>('initialized');
export const Shutdown = new RequestType0<null, unknown>('shutdown');
export const Exit = new NotificationType0('exit');

export const DidOpenTextDocument = new NotificationType<DidOpenTextDocumentParams>('textDocument/didOpen');
export const DidChangeTextDocument = new NotificationType<DidChangeTextDocumentParams>('textDocument/didChange');
export const DidCloseTextDocument = new NotificationType<DidCloseTextDocumentParams>('textDocument/didClose');
export const PublishDiagnostics = new NotificationType<PublishDiagnosticsParams>('textDocument/publishDiagnostics');
export const Completion = new RequestType<CompletionParams, CompletionItem[] | CompletionList | null, unknown>('textDocument/completion');
export const HoverRequest = new RequestType<HoverParams, Hover | null, unknown>('textDocument/hover');

export const RegisterCapability = new RequestType<RegistrationParams, void, unknown>('client/registerCapability');
export const UnregisterCapability = new RequestType<UnregistrationParams, void, unknown>('client/unregisterCapability');
export const Configuration = new RequestType<ConfigurationParams, unknown[], unknown>('workspace/configuration');
export const DidChangeConfiguration = new NotificationType<DidChangeConfigurationParams>('workspace/didChangeConfiguration');

export const LogMessage = new NotificationType<LogMessageParams>('window/logMessage');
export const ShowMessage = new NotificationType<ShowMessageParams>('window/showMessage');
export const ShowMessageRequest = new RequestType<ShowMessageRequestParams, MessageActionItem | null, unknown>('window/showMessageRequest');

export const WorkDoneProgressCreate = new RequestType<WorkDoneProgressCreateParams, void, unknown>('window/workDoneProgress/create');
export const WorkDoneProgressCancel = new NotificationType<WorkDoneProgressCancelParams>('window/workDoneProgress/cancel');
export type WorkDoneProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;
export const WorkDoneProgress = new ProgressType<WorkDoneProgressValue>();

/** The answer to a server request whose params do not have the expected shape. */
export function invalidParams(method: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `Unexpected params of ${method}.`);
}
