/**
 * Secrets in what the user typed rather than in the content: the file name,
 * title, author, tags and custom metadata, the session, message and block
 * ids, the source path. These reach the file name, the job, audit and
 * security records and the JSON output, where a secret cannot be redacted
 * quietly (a file name is the user's to change): a finding blocks the
 * export whatever the destination, and only the sanitised values go on.
 * A finding names the field and the rule, never the value.
 */
import { ExportError } from '../errors';
import type { ExportChoices, ExportSource } from '../protocol';
import { redactionMarker } from './redact';
import { scanForSecrets, type SecretFinding } from './secretScan';

export interface FieldFinding {
  /** Which field, in words ("title", "tag 2", "meta.owner"); never its value. */
  field: string;
  ruleId: string;
  description: string;
}

export interface FieldValue {
  field: string;
  value: string;
  /** A file name gets a marker a file system accepts. */
  fileName?: boolean;
}

export interface FieldScan {
  findings: FieldFinding[];
  /** Each value with its secrets replaced by a marker, in the order given. */
  sanitised: string[];
}

/** `[REDACTED:rule]`, or `REDACTED-rule` in a file name (brackets and colons are not portable there). */
function markerFor(ruleId: string, fileName: boolean): string {
  return fileName ? `REDACTED-${ruleId}` : redactionMarker(ruleId);
}

function sanitise(value: string, findings: readonly SecretFinding[], fileName: boolean): string {
  let out = value;
  // From the last finding back, so earlier offsets stay valid.
  for (const f of [...findings].sort((a, b) => b.column - a.column)) {
    out = `${out.slice(0, f.column - 1)}${markerFor(f.ruleId, fileName)}${out.slice(f.column - 1 + f.length)}`;
  }
  return out;
}

/**
 * Scans every value in one pass: one value a line, a blank line between
 * (so no line join or multi-line rule reaches from one field into the next).
 */
export async function scanFields(values: readonly FieldValue[]): Promise<FieldScan> {
  if (values.length === 0) return { findings: [], sanitised: [] };
  const lines = values.map((v) => v.value.replace(/[\r\n\u2028\u2029]/g, ' '));
  const perField = new Map<number, SecretFinding[]>();
  for (const finding of await scanForSecrets(lines.join('\n\n'))) {
    const index = (finding.line - 1) / 2;
    if (!Number.isInteger(index)) continue;
    perField.set(index, [...(perField.get(index) ?? []), finding]);
  }
  const findings: FieldFinding[] = [];
  const sanitised = values.map((v, index) => {
    const found = perField.get(index);
    if (!found) return v.value;
    for (const f of found) findings.push({ field: v.field, ruleId: f.ruleId, description: f.description });
    return sanitise(lines[index] ?? v.value, found, v.fileName === true);
  });
  return { findings, sanitised };
}

/** "title (secretlint-github), tag 2 (jwt)". */
export function describeFieldFindings(findings: readonly FieldFinding[]): string {
  return [...new Set(findings.map((f) => `${f.field} (${f.ruleId})`))].join(', ');
}

/** What blocks an export whose fields hold secrets (the Bin's reason and the error's). */
export const SECRET_IN_FIELD = 'SECRET_IN_FIELD';

export function fieldSecretsMessage(findings: readonly FieldFinding[]): string {
  return (
    `Possible secret in ${describeFieldFindings(findings)}. These fields go into the file name, the export history and the audit log, ` +
    'where a secret cannot be redacted: change them and export again.'
  );
}

// --- an export request's fields ------------------------------------------------

/** The request fields used to find what to export: a secret there stops the export before anything is read. */
export function lookupFields(request: ExportChoices & { source: ExportSource }): FieldValue[] {
  return [
    { field: 'source path', value: request.source.path },
    ...(request.sessionId === undefined ? [] : [{ field: 'session id', value: request.sessionId }]),
    ...(request.messageIds ?? []).map((value, i) => ({ field: `message id ${i + 1}`, value })),
    ...(request.blockIds ?? []).map((value, i) => ({ field: `block id ${i + 1}`, value })),
  ];
}

/** The ids of what was assembled (they come from the transcript when the user named none). */
export function assembledIdFields(sessionId: string, messageIds: readonly string[]): FieldValue[] {
  return [{ field: 'session id', value: sessionId }, ...messageIds.map((value, i) => ({ field: `message id ${i + 1}`, value }))];
}

/** Thrown before a lookup field is used, so it never reaches an error message, a record or a destination. */
export function fieldSecretsError(findings: readonly FieldFinding[]): ExportError {
  return new ExportError('BIN_BLOCKED', fieldSecretsMessage(findings), {
    details: { reason: SECRET_IN_FIELD, fields: findings.map((f) => ({ field: f.field, rule: f.ruleId })) },
    recoverable: false,
  });
}

export interface DescriptiveFields {
  filename?: string;
  title?: string;
  author?: string;
  tags?: string[];
  meta?: Record<string, string>;
}

/**
 * Scans the fields that describe the export (file name, title, author,
 * tags, metadata names and values) and returns them sanitised: what the
 * export renders and records from then on.
 */
export async function scanDescriptiveFields<T extends DescriptiveFields>(request: T): Promise<{ request: T; findings: FieldFinding[] }> {
  const values: FieldValue[] = [];
  const put = (field: string, value: string | undefined, fileName = false) => {
    if (value !== undefined) values.push({ field, value, fileName });
  };
  put('file name', request.filename, true);
  put('title', request.title);
  put('author', request.author);
  (request.tags ?? []).forEach((tag, i) => put(`tag ${i + 1}`, tag));
  const metaEntries = Object.entries(request.meta ?? {});
  metaEntries.forEach(([key], i) => put(`metadata name ${i + 1}`, key));
  const keyScan = await scanFields(values.slice(values.length - metaEntries.length));
  const keyHasSecret = new Set(keyScan.findings.map((f) => f.field));
  metaEntries.forEach(([key, value], i) => put(keyHasSecret.has(`metadata name ${i + 1}`) ? `metadata value ${i + 1}` : `meta.${key}`, value));
  const { findings, sanitised } = await scanFields(values);
  if (findings.length === 0) return { request, findings };

  let at = 0;
  const next = (value: string | undefined) => (value === undefined ? undefined : sanitised[at++]);
  const result: T = { ...request };
  const filename = next(request.filename);
  const title = next(request.title);
  const author = next(request.author);
  if (filename !== undefined) result.filename = filename;
  if (title !== undefined) result.title = title;
  if (author !== undefined) result.author = author;
  if (request.tags) result.tags = request.tags.map((tag) => next(tag) ?? tag);
  if (request.meta) {
    const keys = metaEntries.map(([key]) => next(key) ?? key);
    const metaValues = metaEntries.map(([, value]) => next(value) ?? value);
    result.meta = Object.fromEntries(keys.map((key, i) => [key, metaValues[i] ?? '']));
  }
  return { request: result, findings };
}
