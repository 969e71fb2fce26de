import type { DestinationSummary } from '../../../server/src/protocol';

/**
 * The client's side of destination credentials: where one is kept in
 * SecretStorage, and whether a typed-in value can be right. Which fields a
 * destination asks for comes from the server (DestinationSummary.secretFields).
 * Pure.
 */

/** One credential a destination asks for, and how to ask a person for it. */
export type SecretField = DestinationSummary['secretFields'][number];

/** The SecretStorage key of one credential: per destination id and field. */
export function secretKey(destinationId: string, field: string): string {
  return `devguideExport.credential/${destinationId}/${field}`;
}

/** Checks a typed-in value; returns a message when it cannot be right. */
export function checkCredentialValue(field: Pick<SecretField, 'json'>, value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return 'Enter a value, or press Escape to cancel.';
  if (/\s/.test(trimmed) && !field.json) return 'The value has spaces in it; paste it without them.';
  if (field.json && trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'The JSON must be an object.';
    } catch {
      return 'This is not valid JSON.';
    }
  }
  return undefined;
}
