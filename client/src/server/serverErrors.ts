import * as z from 'zod/mini';

/**
 * What a failed request means to a person: the server's ResponseError carries
 * `data: {code, message, details, recoverable}` (server/src/errors.ts).
 * Anything else (a dropped connection, a bug) becomes a plain message —
 * never a stack trace.
 */

export interface UserFacingError {
  code: string;
  message: string;
  recoverable: boolean;
}

const errorInfoSchema = z.object({
  code: z.string(),
  message: z.string(),
  recoverable: z.optional(z.boolean()),
});

const responseErrorSchema = z.object({ message: z.string(), data: z.optional(z.unknown()) });

export function toUserFacingError(thrown: unknown): UserFacingError {
  const response = responseErrorSchema.safeParse(thrown);
  if (response.success) {
    const info = errorInfoSchema.safeParse(response.data.data);
    if (info.success) return { code: info.data.code, message: info.data.message, recoverable: info.data.recoverable ?? false };
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
