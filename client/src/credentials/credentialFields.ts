/**
 * Which credential each destination type asks for, under which field name
 * (the server's devguide/getSecret asks by destination id + field), and how
 * to ask a person for it. Pure data.
 */

export interface CredentialField {
  field: string;
  /** Shown in pickers and messages. */
  label: string;
  prompt: string;
  placeHolder: string;
  /** JSON documents (OAuth client / token) must parse. */
  json?: boolean;
}

export const CREDENTIAL_FIELDS: Readonly<Record<string, readonly CredentialField[]>> = {
  github: [
    {
      field: 'token',
      label: 'personal access token',
      prompt: 'A GitHub personal access token with the "repo" scope (Contents: read and write; Pull requests for pull-request mode).',
      placeHolder: 'github_pat_… or ghp_…',
    },
  ],
  tidb: [
    {
      field: 'password',
      label: 'database password',
      prompt: 'The password of the destination\'s database user.',
      placeHolder: 'password',
    },
  ],
  drive: [
    {
      field: 'credentials',
      label: 'OAuth credentials',
      prompt: 'Google OAuth credentials as JSON (an authorized-user or service-account JSON), or an OAuth access token.',
      placeHolder: '{"type": "authorized_user", …} or ya29.…',
      json: true,
    },
  ],
};

export function credentialFieldsFor(destinationType: string): readonly CredentialField[] {
  return CREDENTIAL_FIELDS[destinationType] ?? [];
}

export function needsCredential(destinationType: string): boolean {
  return credentialFieldsFor(destinationType).length > 0;
}

/** The SecretStorage key of one credential: per destination id and field. */
export function secretKey(destinationId: string, field: string): string {
  return `devguideExport.credential/${destinationId}/${field}`;
}

/** Checks a typed-in value; returns a message when it cannot be right. */
export function checkCredentialValue(field: CredentialField, value: string): string | undefined {
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
