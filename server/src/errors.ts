import type { z } from 'zod';
/**
 * Every failure a user can see carries one of these codes, a human message
 * and whether trying again may help. Nothing else crosses a boundary (CLI
 * output, LSP ResponseError data, webview messages): stack traces never do.
 */
export const ERROR_CODES = [
  // input and selection
  'INVALID_INPUT',
  'UNKNOWN_FORMAT',
  'SESSION_NOT_FOUND',
  'MESSAGE_NOT_FOUND',
  'EMPTY_SELECTION',
  // templates and validation
  'TEMPLATE_NOT_FOUND',
  'TEMPLATE_INVALID',
  'TEMPLATE_RENDER_FAILED',
  'SCHEMA_INVALID',
  'VALIDATION_FAILED',
  'CONTENT_TOO_LARGE',
  // governance
  'BIN_BLOCKED',
  'REVIEW_REQUIRED',
  'UNTRUSTED_WORKSPACE',
  // destinations
  'DESTINATION_NOT_FOUND',
  'DESTINATION_CONFIG_INVALID',
  'CONNECTION_FAILED',
  'AUTH_EXPIRED',
  'RATE_LIMITED',
  'PERMISSION_DENIED',
  'CONFLICT',
  'WRITE_FAILED',
  'TIMEOUT',
  'MAX_RETRIES_EXCEEDED',
  // jobs and store
  'JOB_NOT_FOUND',
  'ROLLBACK_FAILED',
  'INTERRUPTED',
  'CANCELLED',
  'STORE_FAILED',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes where the same request may succeed later without the user changing anything. */
const RECOVERABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'CONNECTION_FAILED',
  'RATE_LIMITED',
  'TIMEOUT',
  'CONFLICT',
  'WRITE_FAILED',
  'INTERRUPTED',
  'STORE_FAILED',
]);

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  recoverable: boolean;
}

export class ExportError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly recoverable: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; recoverable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ExportError';
    this.code = code;
    this.details = options.details;
    this.recoverable = options.recoverable ?? RECOVERABLE_BY_DEFAULT.has(code);
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message, recoverable: this.recoverable };
    if (this.details !== undefined) info.details = this.details;
    return info;
  }
}

export function isExportError(value: unknown): value is ExportError {
  return value instanceof ExportError;
}

/** Outside input checked with its schema; problems become one INVALID_INPUT naming each path. */
export function checkedParams<S extends z.ZodType>(schema: S, params: unknown, method: string): z.output<S> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ');
  throw new ExportError('INVALID_INPUT', `Invalid parameters for ${method}: ${problems}`, { recoverable: false });
}

/**
 * Turns anything thrown into an ExportError. Unknown errors become
 * INTERNAL_ERROR with their message only (never the stack).
 */
export function toExportError(value: unknown): ExportError {
  if (value instanceof ExportError) return value;
  // An AbortSignal fired (signal.throwIfAborted(), fetch, fs): the user cancelled.
  if (value instanceof Error && value.name === 'AbortError') {
    return new ExportError('CANCELLED', 'The operation was cancelled', { recoverable: false, cause: value });
  }
  const message = value instanceof Error ? value.message : String(value);
  return new ExportError('INTERNAL_ERROR', `Unexpected error: ${message}`, { recoverable: false, cause: value });
}
