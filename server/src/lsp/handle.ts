import { ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import type { z } from 'zod';
import type { App } from '../app/compose';
import { checkedParams, toExportError, type ErrorInfo } from '../errors';
import { EXPORT_ERROR_RESPONSE_CODE } from '../protocol';

/**
 * Registers protocol requests with one rule for all: params checked with the
 * request's schema, the cancellation token turned into an AbortSignal, every
 * failure sent as a ResponseError carrying `{code, message, details,
 * recoverable}` — never a stack trace.
 */

export type Work<P, R> = (app: App, params: P, signal: AbortSignal) => Promise<R> | R;

export function toResponseError(thrown: unknown): ResponseError<ErrorInfo> {
  const info = toExportError(thrown).toInfo();
  return new ResponseError(EXPORT_ERROR_RESPONSE_CODE, info.message, info);
}

export function requestHandler(connection: Connection, app: () => Promise<App>) {
  return <P extends z.ZodType, R extends z.ZodType>(request: { method: string; params: P; result: R }, work: Work<z.output<P>, z.input<R>>): void => {
    connection.onRequest(request.method, async (raw: unknown, token: CancellationToken) => {
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort());
      try {
        const params = checkedParams(request.params, raw, request.method);
        return await work(await app(), params, abort.signal);
      } catch (thrown) {
        return toResponseError(thrown);
      } finally {
        subscription.dispose();
      }
    });
  };
}
