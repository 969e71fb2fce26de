import * as vscode from 'vscode';
import * as z from 'zod/mini';
import type { Logger } from '../logging/logger';
import type { LspClient } from './lspClient';
import { logLevelOf, messageSeverityOf } from './lspConversions';
import { LogMessage, ShowMessage, ShowMessageRequest, invalidParams } from './lspMessages';

/**
 * What the server says to the person: window/logMessage lines go through
 * the Logger (which scrubs known secrets) into the "DevGuide Export" log;
 * window/showMessage and window/showMessageRequest become VS Code
 * notifications, the latter answering with the action chosen (or null).
 */

const showMessageRequestParams = z.object({
  type: z.number(),
  message: z.string(),
  actions: z.optional(z.nullable(z.array(z.object({ title: z.string() })))),
});

function show(type: number, message: string, actions: string[]): Thenable<string | undefined> {
  const severity = messageSeverityOf(type);
  if (severity === 'error') return vscode.window.showErrorMessage(message, ...actions);
  if (severity === 'warning') return vscode.window.showWarningMessage(message, ...actions);
  return vscode.window.showInformationMessage(message, ...actions);
}

export function showServerMessages(client: LspClient, logger: Logger): vscode.Disposable {
  const subscriptions = [
    client.onNotification(LogMessage, ({ type, message }) => {
      logger[logLevelOf(type)](String(message));
    }),
    client.onNotification(ShowMessage, ({ type, message }) => {
      void show(type, String(message), []);
    }),
    client.onRequest(ShowMessageRequest, async (params) => {
      const parsed = showMessageRequestParams.safeParse(params);
      if (!parsed.success) return invalidParams(ShowMessageRequest.method);
      const titles = (parsed.data.actions ?? []).map((action) => action.title);
      const chosen = await show(parsed.data.type, parsed.data.message, titles);
      // The server gets back the very item it offered (it may carry more than a title).
      return params.actions?.find((action) => action.title === chosen) ?? null;
    }),
  ];
  return new vscode.Disposable(() => {
    for (const subscription of subscriptions) subscription.dispose();
  });
}
