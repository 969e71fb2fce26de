import { z } from 'zod';
import { secretEnvName } from '../secretNames';
import { defineDestination, destinationBaseFields } from './descriptor';
import { DRIVE_CREDENTIAL_FIELD } from './drive/credentials';

export const GOOGLE_API_ROOT = 'https://www.googleapis.com/';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** https, or http to this machine only (a local stand-in): tokens never cross a network in clear text. */
const endpointUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    if (url.username || url.password) return false;
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}, 'must be an https:// URL (http:// only for 127.0.0.1 or localhost), without a user name or password');

export const driveDestinationSchema = z.object({
  ...destinationBaseFields,
  type: z.literal('drive'),
  /** The folder's id, from its URL (…/folders/<id>). Drive ids are letters, digits, "-" and "_". */
  folderId: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'folderId is the id from the folder\'s URL: letters, digits, "-" and "_"'),
  /** The folder is in a shared drive: sets supportsAllDrives / includeItemsFromAllDrives. */
  sharedDrive: z.boolean().default(false),
  /** Google's API root, or a Google-compatible endpoint's. */
  rootUrl: endpointUrl.default(GOOGLE_API_ROOT),
  /** Google's OAuth token endpoint, or a compatible one's. */
  tokenUrl: endpointUrl.default(GOOGLE_TOKEN_URL),
})
  // An unknown key (a credential pasted into the entry, a typo) is refused, not dropped.
  .strict();
export type DriveDestinationConfig = z.infer<typeof driveDestinationSchema>;

/** A Google Drive folder: high risk (it leaves the machine, others may see it); OAuth or service-account credentials. */
export const driveDestination = defineDestination<DriveDestinationConfig>({
  type: 'drive',
  configSchema: driveDestinationSchema,
  risk: 'high',
  remote: true,
  secretFields: [
    {
      field: DRIVE_CREDENTIAL_FIELD,
      label: 'Google OAuth credentials (JSON)',
      prompt: 'Paste an OAuth authorized-user JSON (client_id, client_secret, refresh_token) or a service-account key JSON — or run "Sign in to Google Drive" instead.',
      placeHolder: '{"type": "authorized_user", "client_id": "…", "client_secret": "…", "refresh_token": "…"}',
      json: true,
    },
  ],
  async create(config, context) {
    // The Drive SDK and google-auth-library load here, only when a Drive destination is used.
    const { createDriveDestination } = await import('./drive/destination');
    return createDriveDestination(config, {
      credentials: () => context.getSecret(config.id, DRIVE_CREDENTIAL_FIELD),
      credentialsEnvName: secretEnvName(config.id, DRIVE_CREDENTIAL_FIELD),
    });
  },
});
