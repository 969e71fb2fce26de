import { ExportError, toExportError } from '../errors';

/**
 * What mysql2 threw, as the project's errors. Errors are read by shape
 * (`errno`, `code`, `sqlMessage`), so this stays a pure function. Messages
 * name the server, user, database and table; never the password (mysql2's
 * own messages do not carry it either).
 */

/** TiDB's write conflicts (8002, 8005, 8022, 8028, 9007) and MySQL's deadlock (1213) and lock wait timeout (1205): the whole transaction may be tried again. */
export const RETRYABLE_ERRNOS: ReadonlySet<number> = new Set([8002, 8005, 8022, 8028, 9007, 1213, 1205]);

/** The connection broke or never came up: the transaction did not commit (or its outcome is unknown). */
const CONNECTION_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
]);

const TIMEOUT_CODES: ReadonlySet<string> = new Set(['ETIMEDOUT', 'PROTOCOL_SEQUENCE_TIMEOUT']);

/** 1044 database, 1142 table, 1143 column, 1227 super, 1370 routine: the user lacks a privilege. */
const PRIVILEGE_ERRNOS: ReadonlySet<number> = new Set([1044, 1142, 1143, 1227, 1370]);

export interface DbErrorLike {
  code?: string;
  errno?: number;
  sqlMessage?: string;
  message: string;
  fatal?: boolean;
}

export function isDbErrorLike(error: unknown): error is DbErrorLike & Error {
  return error instanceof Error && (typeof (error as { code?: unknown }).code === 'string' || typeof (error as { errno?: unknown }).errno === 'number');
}

export function errnoOf(error: unknown): number | undefined {
  return isDbErrorLike(error) && typeof error.errno === 'number' ? error.errno : undefined;
}

/** A write conflict, deadlock or lock wait: the transaction is retried whole. */
export function isRetryableConflict(error: unknown): boolean {
  const errno = errnoOf(error);
  return errno !== undefined && RETRYABLE_ERRNOS.has(errno);
}

/** A statement or connect that got no answer in time: it may or may not have run. */
export function isTimeout(error: unknown): boolean {
  return isDbErrorLike(error) && error.code !== undefined && TIMEOUT_CODES.has(error.code);
}

/** The connection is gone (server stopped, network): a later try may work. */
export function isConnectionLoss(error: unknown): boolean {
  // mysql2, asked to use a connection that already broke (no code on that one).
  if (error instanceof Error && /connection is in closed state/i.test(error.message)) return true;
  if (!isDbErrorLike(error)) return false;
  if (error.code !== undefined && CONNECTION_CODES.has(error.code)) return true;
  // 1053 server shutdown in progress, 2006/2013 server gone away / lost connection.
  return error.errno === 1053 || error.errno === 2006 || error.errno === 2013;
}

export interface DbFailureContext {
  /** What was being done, e.g. `write to docs.exported_artifacts`. */
  what: string;
  host: string;
  port: number;
  user: string;
  database: string;
  /** How a person sets the password here (VS Code / CLI), for AUTH_EXPIRED. */
  passwordHint: string;
  /** The error for a missing table (1146); default DESTINATION_NOT_FOUND. */
  missingTable?: (message: string) => ExportError;
  /** Attempts made, for the message. */
  attempts?: number;
}

function reason(error: DbErrorLike): string {
  return (error.sqlMessage ?? error.message).replace(/\s+/g, ' ').trim().slice(0, 300);
}

export function dbFailure(thrown: unknown, context: DbFailureContext): ExportError {
  if (thrown instanceof ExportError) return thrown;
  if (thrown instanceof Error && thrown.name === 'AbortError') return toExportError(thrown);
  const server = `${context.host}:${context.port}`;
  const tries = context.attempts && context.attempts > 1 ? ` after ${context.attempts} attempts` : '';
  const details = { host: context.host, port: context.port, user: context.user, database: context.database };
  if (!isDbErrorLike(thrown)) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return new ExportError('CONNECTION_FAILED', `Database call failed (${context.what} on ${server}): ${message}`, { details, recoverable: true });
  }
  const errno = thrown.errno;
  const code = thrown.code ?? '';
  const why = reason(thrown);
  if (errno === 1045 || code === 'ER_ACCESS_DENIED_ERROR') {
    return new ExportError('AUTH_EXPIRED', `The database at ${server} rejected user "${context.user}": wrong or missing password. ${context.passwordHint}`, {
      details: { ...details, action: 'reauthenticate' },
      recoverable: false,
    });
  }
  if (errno !== undefined && PRIVILEGE_ERRNOS.has(errno)) {
    return new ExportError('PERMISSION_DENIED', `User "${context.user}" may not ${context.what} on ${server}: ${why}`, { details: { ...details, errno }, recoverable: false });
  }
  if (errno === 1049) {
    return new ExportError('DESTINATION_NOT_FOUND', `Database "${context.database}" does not exist on ${server} (or user "${context.user}" cannot see it).`, { details, recoverable: false });
  }
  if (errno === 1146) {
    const message = `${why} (${context.what} on ${server})`;
    return context.missingTable?.(message) ?? new ExportError('DESTINATION_NOT_FOUND', message, { details, recoverable: false });
  }
  if (errno === 8025 || errno === 1153 || errno === 1301) {
    return new ExportError('CONTENT_TOO_LARGE', `The database refused the row as too large (${why}).`, { details: { ...details, errno }, recoverable: false });
  }
  if (errno !== undefined && RETRYABLE_ERRNOS.has(errno)) {
    return new ExportError('MAX_RETRIES_EXCEEDED', `The database kept reporting a write conflict (${errno}: ${why}) while trying to ${context.what}${tries}. Try again later.`, {
      details: { ...details, errno },
      recoverable: true,
    });
  }
  if (TIMEOUT_CODES.has(code)) {
    return new ExportError('TIMEOUT', `The database at ${server} did not answer in time (${context.what})${tries}.`, { details, recoverable: true });
  }
  if (code.startsWith('HANDSHAKE_') || /certificate|self.signed|TLS|SSL/i.test(`${code} ${why}`)) {
    return new ExportError('CONNECTION_FAILED', `A secure (TLS) connection to ${server} could not be made: ${why}. Check the "tls" setting (and its "ca" file).`, {
      details: { ...details, code },
      recoverable: false,
    });
  }
  if (isConnectionLoss(thrown) || thrown.fatal) {
    return new ExportError('CONNECTION_FAILED', `Could not reach the database at ${server} (${context.what})${tries}: ${why}. Nothing was written; try again when it is back.`, {
      details: { ...details, code },
      recoverable: true,
    });
  }
  return new ExportError('WRITE_FAILED', `The database refused to ${context.what} on ${server}: ${why}`, { details: { ...details, errno: errno ?? code }, recoverable: false });
}
