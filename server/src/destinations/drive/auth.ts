import { ExportError } from '../../errors';
import type { DriveCredentials } from './credentials';

/**
 * Access tokens for Drive from the destination's credentials, through
 * google-auth-library (loaded only here, when a Drive destination is used):
 * an authorized user's refresh token is exchanged at `tokenUrl`; a service
 * account signs a JWT assertion (the library's gtoken) that is sent there too.
 *
 * The library's own retries and 401 handling are switched off: the caller
 * (requests.ts) decides — one refresh after a 401, its own backoff on 5xx.
 */

export const DRIVE_SCOPE = 'https://www.googleapis.com/auth/drive';
/** Where the library sends service-account assertions; requests to it go to `tokenUrl` instead. */
const LIBRARY_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface DriveAuth {
  /** The `Authorization` header value: the cached access token, or a new one from `tokenUrl`. */
  authorization(): Promise<string>;
  /** Forgets the access token: the next `authorization()` asks `tokenUrl` for a new one. */
  invalidate(): void;
}

export async function createDriveAuth(credentials: DriveCredentials, tokenUrl: string, timeoutMs: number): Promise<DriveAuth> {
  const { OAuth2Client, JWT, gaxios } = await import('google-auth-library');
  const transporter = new gaxios.Gaxios({ timeout: timeoutMs, fetchImplementation: fetch });
  transporter.interceptors.request.add({
    resolved: async (config) => {
      // No library retries (they would wait with real timers, outside our backoff and cancel).
      config.retry = false;
      config.retryConfig = { retry: 0, noResponseRetries: 0 };
      if (String(config.url) === LIBRARY_TOKEN_URL) config.url = new URL(tokenUrl);
      return config;
    },
  });
  if (credentials.kind === 'authorized_user') {
    const client = new OAuth2Client({
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      endpoints: { oauth2TokenUrl: tokenUrl },
      transporter,
    });
    const reset = () => client.setCredentials({ refresh_token: credentials.refreshToken });
    reset();
    return { authorization: async () => bearer((await client.getAccessToken()).token), invalidate: reset };
  }
  const makeJwt = () =>
    new JWT({
      email: credentials.clientEmail,
      key: credentials.privateKey,
      ...(credentials.privateKeyId ? { keyId: credentials.privateKeyId } : {}),
      scopes: [DRIVE_SCOPE],
      transporter,
    });
  // A new client per invalidation: the library's token cache (gtoken) lives in the client.
  let jwt = makeJwt();
  return {
    authorization: async () => bearer((await jwt.getAccessToken()).token),
    invalidate: () => {
      jwt = makeJwt();
    },
  };
}

function bearer(token: string | null | undefined): string {
  if (!token) throw new ExportError('AUTH_EXPIRED', 'The Google token endpoint answered without an access token.', { recoverable: false });
  return `Bearer ${token}`;
}
