import { ExportError } from '../../errors';

/**
 * What went wrong with one HTTP call to Drive or the token endpoint, told
 * from the thrown value's shape (gaxios errors, fetch errors, aborts) —
 * never from its message, and never keeping the request (it holds the
 * access token, and for the token endpoint the refresh token).
 */

export type FailureKind =
  /** 403 userRateLimitExceeded / rateLimitExceeded, 429: wait and retry. */
  | 'rate-limited'
  /** A daily or sharing quota: retrying now will not help. */
  | 'quota'
  /** 401: the access token was refused. */
  | 'unauthorized'
  /** 403 for any other reason: insufficient permissions. */
  | 'forbidden'
  | 'not-found'
  /** 400 and other 4xx: the request is wrong; retrying will not help. */
  | 'rejected'
  /** 408, 5xx: the server failed; retry. */
  | 'server'
  /** Connection refused or reset, DNS, a body cut short: retry. */
  | 'network'
  | 'timeout'
  | 'cancelled';

export interface DriveFailure {
  kind: FailureKind;
  status?: number;
  /** Drive's `errors[0].reason`, or the token endpoint's `error`. */
  reason?: string;
  /** Drive's message, shortened; safe to show (it never holds credentials). */
  message: string;
  retryAfterMs?: number;
}

const RATE_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded']);
const QUOTA_REASONS = new Set(['dailyLimitExceeded', 'sharingRateLimitExceeded', 'quotaExceeded']);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface ResponseLike {
  status: number;
  data?: unknown;
  headers?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function responseOf(error: unknown): ResponseLike | undefined {
  if (!isRecord(error) || !isRecord(error['response'])) return undefined;
  const status = error['response']['status'];
  return typeof status === 'number' ? { status, data: error['response']['data'], headers: error['response']['headers'] } : undefined;
}

/** The error codes of `error` and its causes (fetch wraps the socket's error in `cause`). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isRecord(current); depth++) {
    for (const key of ['code', 'name']) {
      const value = current[key];
      if (typeof value === 'string') codes.push(value);
    }
    current = current['cause'] ?? current['error'];
  }
  return codes;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  if (isRecord(headers)) {
    const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
    return typeof found?.[1] === 'string' ? found[1] : undefined;
  }
  return undefined;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function decode(data: unknown): unknown {
  if (typeof data === 'string') {
    try {
      return JSON.parse(data);
    } catch {
      return data;
    }
  }
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return decode(new TextDecoder().decode(bytes));
  }
  return data;
}

const clip = (text: string) => (text.length > 300 ? `${text.slice(0, 299)}…` : text);

/** Drive's `{error: {code, message, errors: [{reason}]}}`, or the token endpoint's `{error, error_description}`. */
function describeBody(data: unknown): { reason?: string; message?: string } {
  const body = decode(data);
  if (!isRecord(body)) return {};
  const error = body['error'];
  if (typeof error === 'string') {
    // OAuth token endpoint (RFC 6749 §5.2): the description is Google's text, never the token.
    const description = body['error_description'];
    return { reason: clip(error), ...(typeof description === 'string' ? { message: clip(description) } : {}) };
  }
  if (!isRecord(error)) return {};
  const first = Array.isArray(error['errors']) ? error['errors'][0] : undefined;
  const reason = isRecord(first) && typeof first['reason'] === 'string' ? first['reason'] : undefined;
  const message = typeof error['message'] === 'string' ? error['message'] : undefined;
  return { ...(reason ? { reason: clip(reason) } : {}), ...(message ? { message: clip(message) } : {}) };
}

export function classifyFailure(error: unknown): DriveFailure {
  if (error instanceof ExportError && error.code === 'CANCELLED') return { kind: 'cancelled', message: error.message };
  const response = responseOf(error);
  if (response) {
    const { status } = response;
    const { reason, message } = describeBody(response.data);
    const text = message ?? `HTTP ${status}`;
    const after = retryAfterMs(headerValue(response.headers, 'retry-after'));
    const base = { status, message: text, ...(reason ? { reason } : {}), ...(after !== undefined ? { retryAfterMs: after } : {}) };
    if (status === 429 || (status === 403 && reason !== undefined && RATE_REASONS.has(reason))) return { kind: 'rate-limited', ...base };
    if (status === 403 && reason !== undefined && QUOTA_REASONS.has(reason)) return { kind: 'quota', ...base };
    if (status === 401) return { kind: 'unauthorized', ...base };
    if (status === 403) return { kind: 'forbidden', ...base };
    if (status === 404) return { kind: 'not-found', ...base };
    if (status === 408 || status >= 500) return { kind: 'server', ...base };
    return { kind: 'rejected', ...base };
  }
  const codes = codesOf(error);
  if (codes.includes('AbortError')) return { kind: 'cancelled', message: 'The operation was cancelled' };
  if (codes.includes('TimeoutError')) return { kind: 'timeout', message: 'the request timed out' };
  const network = codes.find((c) => NETWORK_CODES.has(c));
  if (network) return { kind: 'network', reason: network, message: `the connection failed (${network})` };
  // fetch's "TypeError: fetch failed" without a known code is still a network failure.
  if (codes.includes('TypeError') || codes.includes('FetchError')) return { kind: 'network', message: 'the connection failed' };
  return { kind: 'rejected', message: 'unexpected error' };
}

/** Worth trying again after a wait. */
export function isTransient(failure: DriveFailure): boolean {
  return failure.kind === 'rate-limited' || failure.kind === 'server' || failure.kind === 'network' || failure.kind === 'timeout';
}

/** The request may have reached Drive and been applied although no answer came back. */
export function mayHaveApplied(failure: DriveFailure): boolean {
  return failure.kind === 'server' || failure.kind === 'network' || failure.kind === 'timeout';
}
