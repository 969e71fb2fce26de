import { z } from 'zod';
import { ExportError } from '../../errors';

/**
 * The `oauth_credentials` of a Drive destination: an OAuth authorized-user
 * JSON (what "Sign in to Google Drive" stores, or `gcloud auth
 * application-default login` writes) or a service-account key JSON. The
 * value is a secret: nothing here ever puts any part of it in a message.
 */

export const DRIVE_CREDENTIAL_FIELD = 'oauth_credentials';

const authorizedUserSchema = z.object({
  type: z.literal('authorized_user').optional(),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  refresh_token: z.string().min(1),
});

const serviceAccountSchema = z.object({
  type: z.literal('service_account'),
  client_email: z.string().min(1),
  private_key: z.string().min(1),
  private_key_id: z.string().optional(),
});

export type DriveCredentials =
  | { kind: 'authorized_user'; clientId: string; clientSecret: string; refreshToken: string }
  | { kind: 'service_account'; clientEmail: string; privateKey: string; privateKeyId?: string };

export function parseDriveCredentials(raw: string | undefined, destinationId: string, envName: string): DriveCredentials {
  const howToSet = `Run "DevGuide Export: Sign in to Google Drive" in VS Code, or set ${envName} to an authorized-user or service-account JSON for the CLI.`;
  if (raw === undefined || raw.trim() === '') {
    throw new ExportError('AUTH_EXPIRED', `Google Drive destination "${destinationId}" has no credentials. ${howToSet}`, {
      details: { destination: destinationId, field: DRIVE_CREDENTIAL_FIELD },
      recoverable: false,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw invalid(destinationId, 'it is not valid JSON', howToSet);
  }
  const type = typeof json === 'object' && json !== null ? (json as { type?: unknown }).type : undefined;
  if (type === 'service_account') {
    const parsed = serviceAccountSchema.safeParse(json);
    if (!parsed.success) throw invalid(destinationId, `the service-account key lacks ${missingFields(parsed.error)}`, howToSet);
    const { client_email, private_key, private_key_id } = parsed.data;
    return { kind: 'service_account', clientEmail: client_email, privateKey: private_key, ...(private_key_id ? { privateKeyId: private_key_id } : {}) };
  }
  const parsed = authorizedUserSchema.safeParse(json);
  if (!parsed.success) {
    const what = type === undefined || type === 'authorized_user' ? `the authorized-user JSON lacks ${missingFields(parsed.error)}` : 'its "type" is neither "authorized_user" nor "service_account"';
    throw invalid(destinationId, what, howToSet);
  }
  return { kind: 'authorized_user', clientId: parsed.data.client_id, clientSecret: parsed.data.client_secret, refreshToken: parsed.data.refresh_token };
}

/** Names the fields at fault, never their values. */
function missingFields(error: z.ZodError): string {
  const fields = [...new Set(error.issues.map((i) => String(i.path[0] ?? 'its fields')))];
  return fields.map((f) => `"${f}"`).join(', ');
}

function invalid(destinationId: string, reason: string, howToSet: string): ExportError {
  return new ExportError('DESTINATION_CONFIG_INVALID', `The credentials of Google Drive destination "${destinationId}" cannot be used: ${reason}. ${howToSet}`, {
    details: { destination: destinationId, field: DRIVE_CREDENTIAL_FIELD },
    recoverable: false,
  });
}
