import * as z from 'zod/mini';

/**
 * What a failed request means to a person: the server's ResponseError carries
 * `data: {code, message, details, recoverable}` (server/src/errors.ts).
 * vscode-languageclient's own failures (cancelled, server gone) get a code of
 * ours; anything else (a bug) becomes a plain message — never a stack trace.
 */

export interface UserFacingError {
  code: string;
  message: string;
  recoverable: boolean;
  /** AUTH_EXPIRED: the destination whose credential to set again (the server's `details.destination`). */
  credentialFor?: string;
  /** AUTH_EXPIRED: which credential of it (`details.field`), e.g. the team store's `key`. */
  credentialField?: string;
}

/** JSON-RPC / LSP codes of failures that are not the server's answer. */
const REQUEST_CANCELLED = -32800; // LSP RequestCancelled
const PENDING_RESPONSE_REJECTED = -32097; // vscode-jsonrpc: the connection closed under the request
const CONNECTION_INACTIVE = -32096; // vscode-jsonrpc / vscode-languageclient: the client is not running

const errorInfoSchema = z.object({
  code: z.string(),
  message: z.string(),
  recoverable: z.optional(z.boolean()),
  details: z.optional(z.record(z.string(), z.unknown())),
});

const responseErrorSchema = z.object({ message: z.string(), code: z.optional(z.number()), data: z.optional(z.unknown()) });

export function toUserFacingError(thrown: unknown): UserFacingError {
  const response = responseErrorSchema.safeParse(thrown);
  if (response.success) {
    const info = errorInfoSchema.safeParse(response.data.data);
    if (info.success) {
      const { code, message, recoverable, details } = info.data;
      const destination = details?.['destination'];
      const credentialFor = code === 'AUTH_EXPIRED' && typeof destination === 'string' ? destination : undefined;
      const field = details?.['field'];
      const credentialField = credentialFor && typeof field === 'string' ? field : undefined;
      return { code, message, recoverable: recoverable ?? false, ...(credentialFor ? { credentialFor } : {}), ...(credentialField ? { credentialField } : {}) };
    }
    switch (response.data.code) {
      case REQUEST_CANCELLED:
        return { code: 'CANCELLED', message: 'Cancelled.', recoverable: false };
      case PENDING_RESPONSE_REJECTED:
        return { code: 'INTERRUPTED', message: 'The DevGuide Export language server stopped while it worked on this. Try again.', recoverable: true };
      case CONNECTION_INACTIVE:
        return { code: 'INTERRUPTED', message: 'The DevGuide Export language server is not running (see the DevGuide Export log).', recoverable: false };
    }
    return { code: 'INTERNAL_ERROR', message: firstLine(response.data.message), recoverable: false };
  }
  return { code: 'INTERNAL_ERROR', message: firstLine(String(thrown)), recoverable: false };
}

/** True for the answers of devguide/listSessions on a file that is not a transcript. */
export function isNotATranscript(error: UserFacingError): boolean {
  return error.code === 'UNKNOWN_FORMAT' || error.code === 'INVALID_INPUT';
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() || 'Something went wrong.';
}
