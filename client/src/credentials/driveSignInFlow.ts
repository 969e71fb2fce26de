import { GoogleSignInError, signInWithGoogle, type SignInFailure } from './googleSignIn';

/**
 * "Sign in to Google Drive" for one Drive destination, as steps over small
 * seams (no `vscode`): the OAuth client from the user's settings, the
 * loopback flow (googleSignIn.ts), and only then the authorized-user JSON
 * into SecretStorage as the destination's `oauth_credentials`. A cancel, a
 * timeout or any failure stores nothing.
 */

export const DRIVE_CREDENTIAL_FIELD = 'oauth_credentials';

export type DriveSignInOutcome =
  | { status: 'signed-in'; destinationId: string }
  | { status: 'cancelled' }
  | { status: 'failed'; reason: Exclude<SignInFailure, 'cancelled'>; message: string }
  | { status: 'unsupported'; message: string };

export interface DriveSignInSeams {
  openBrowser(url: string): Promise<boolean>;
  signal?: AbortSignal;
  timeoutMs?: number;
  authUrl?: string;
}

export async function signInDriveDestination(
  destination: { id: string; name: string; tokenUrl?: string },
  client: { clientId?: string; clientSecret?: string },
  credentials: { set(destinationId: string, field: string, value: string): Promise<void> },
  seams: DriveSignInSeams,
): Promise<DriveSignInOutcome> {
  const clientId = client.clientId?.trim();
  const clientSecret = client.clientSecret?.trim();
  if (!clientId || !clientSecret) {
    return {
      status: 'unsupported',
      message: 'Set "devguideExport.googleDrive.clientId" and "devguideExport.googleDrive.clientSecret" in your user settings: the id and secret of an OAuth client of type "Desktop app" from the Google Cloud console.',
    };
  }
  let json: string;
  try {
    json = await signInWithGoogle({
      clientId,
      clientSecret,
      ...(destination.tokenUrl ? { tokenUrl: destination.tokenUrl } : {}),
      ...(seams.authUrl ? { authUrl: seams.authUrl } : {}),
      openBrowser: seams.openBrowser,
      ...(seams.signal ? { signal: seams.signal } : {}),
      ...(seams.timeoutMs ? { timeoutMs: seams.timeoutMs } : {}),
    });
  } catch (error) {
    if (error instanceof GoogleSignInError) {
      return error.reason === 'cancelled' ? { status: 'cancelled' } : { status: 'failed', reason: error.reason, message: error.message };
    }
    return { status: 'failed', reason: 'token', message: 'The Google sign-in failed unexpectedly.' };
  }
  await credentials.set(destination.id, DRIVE_CREDENTIAL_FIELD, json);
  return { status: 'signed-in', destinationId: destination.id };
}
