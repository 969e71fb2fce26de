import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod/mini';

/**
 * "Sign in to Google Drive": the OAuth flow Google keeps for installed
 * (desktop) apps — authorization code with PKCE (RFC 7636, S256) and a
 * loopback redirect to 127.0.0.1 on a port chosen at random (RFC 8252 §7.3).
 * The browser is opened by the caller (vscode.env.openExternal); the code
 * comes back to a one-request HTTP server here, is checked against the
 * `state` sent, and is exchanged at the token endpoint with the verifier.
 * The outcome is an authorized-user JSON (client id and secret, refresh
 * token) — returned, never stored here: the caller stores it only once the
 * whole flow succeeded, so a cancel or a timeout leaves nothing behind.
 * No `vscode` import: unit-tested against the fake token endpoint.
 */

export const GOOGLE_AUTH_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** Full Drive access: the folder and the files in it were not created by this app (drive.file would not see them). */
export const DRIVE_SCOPE = 'https://www.googleapis.com/auth/drive';
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export type SignInFailure = 'cancelled' | 'timeout' | 'denied' | 'browser' | 'token';

export class GoogleSignInError extends Error {
  constructor(
    readonly reason: SignInFailure,
    message: string,
  ) {
    super(message);
    this.name = 'GoogleSignInError';
  }
}

export interface GoogleSignInOptions {
  clientId: string;
  clientSecret: string;
  tokenUrl?: string;
  authUrl?: string;
  scope?: string;
  /** Opens the consent page in the user's browser; false when it could not be opened. */
  openBrowser(url: string): Promise<boolean>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

const tokenAnswer = z.object({ refresh_token: z.optional(z.string().check(z.minLength(1))), access_token: z.optional(z.string()) });
const tokenError = z.object({ error: z.string(), error_description: z.optional(z.string()) });

const PAGE_STYLE = 'font-family: system-ui, sans-serif; max-width: 36em; margin: 4em auto; line-height: 1.5';
const page = (title: string, text: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="${PAGE_STYLE}"><h1>${title}</h1><p>${text}</p></body></html>`;

/** Runs the whole flow; resolves with the authorized-user JSON, or rejects with a GoogleSignInError. */
export async function signInWithGoogle(options: GoogleSignInOptions): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  const loopback = await openLoopback(state);
  try {
    const redirectUri = loopback.redirectUri;
    const url = new URL(options.authUrl ?? GOOGLE_AUTH_URL);
    url.search = new URLSearchParams({
      client_id: options.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: options.scope ?? DRIVE_SCOPE,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
      // A refresh token, every time (it is what gets stored).
      access_type: 'offline',
      prompt: 'consent',
    }).toString();
    if (!(await options.openBrowser(url.toString()))) throw new GoogleSignInError('browser', 'The browser could not be opened for the Google sign-in.');
    const code = await waitFor(loopback.code, options.signal, options.timeoutMs ?? SIGN_IN_TIMEOUT_MS);
    return await exchange(options, code, verifier, redirectUri);
  } finally {
    loopback.close();
  }
}

interface Loopback {
  redirectUri: string;
  /** The authorization code, once the browser comes back with it and the right state. */
  code: Promise<string>;
  close(): void;
}

/** An HTTP server on 127.0.0.1 (a random free port) that takes the redirect. Other requests are turned away. */
async function openLoopback(state: string): Promise<Loopback> {
  let settle: { resolve(code: string): void; reject(error: GoogleSignInError): void } | undefined;
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody may wait on it yet (the browser may fail to open): no unhandled rejection.
  code.catch(() => undefined);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const answer = (status: number, html: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
      res.end(html);
    };
    // Only the redirect, with the state this flow sent (another page cannot inject a code).
    if (req.method !== 'GET' || url.pathname !== '/' || url.searchParams.get('state') !== state) {
      answer(404, page('Not found', 'This address only takes the Google sign-in redirect of VS Code.'));
      return;
    }
    const error = url.searchParams.get('error');
    const received = url.searchParams.get('code');
    if (error || !received) {
      answer(200, page('Sign-in cancelled', 'Google Drive was not connected. You can close this tab and return to VS Code.'));
      settle?.reject(new GoogleSignInError('denied', error === 'access_denied' ? 'Access to Google Drive was not granted.' : `Google answered the sign-in with "${(error ?? 'no code').slice(0, 60)}".`));
      return;
    }
    answer(200, page('Signed in', 'VS Code is now connected to Google Drive. You can close this tab.'));
    settle?.resolve(received);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}`,
    code,
    close: () => {
      server.close();
      server.closeAllConnections();
    },
  };
}

function waitFor(code: Promise<string>, signal: AbortSignal | undefined, timeoutMs: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new GoogleSignInError('cancelled', 'The Google sign-in was cancelled.'));
      return;
    }
    const timer = setTimeout(() => done(() => reject(new GoogleSignInError('timeout', `The Google sign-in was not finished within ${Math.round(timeoutMs / 1000)} s.`))), timeoutMs);
    const onAbort = () => done(() => reject(new GoogleSignInError('cancelled', 'The Google sign-in was cancelled.')));
    const done = (settle: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    code.then(
      (value) => done(() => resolve(value)),
      (error: unknown) => done(() => reject(error)),
    );
  });
}

/** The code and verifier for tokens at the token endpoint; only the refresh token is kept. */
async function exchange(options: GoogleSignInOptions, code: string, verifier: string, redirectUri: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(options.tokenUrl ?? GOOGLE_TOKEN_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: redirectUri,
        client_id: options.clientId,
        client_secret: options.clientSecret,
      }),
      signal: options.signal ?? null,
    });
  } catch {
    if (options.signal?.aborted) throw new GoogleSignInError('cancelled', 'The Google sign-in was cancelled.');
    throw new GoogleSignInError('token', 'The Google token endpoint could not be reached.');
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const refused = tokenError.safeParse(body);
    const why = refused.success ? `${refused.data.error.slice(0, 60)}${refused.data.error_description ? `: ${refused.data.error_description.slice(0, 200)}` : ''}` : `HTTP ${response.status}`;
    throw new GoogleSignInError('token', `Google refused the sign-in (${why}). Check the OAuth client id and secret in your settings.`);
  }
  const tokens = tokenAnswer.safeParse(body);
  if (!tokens.success || !tokens.data.refresh_token) {
    throw new GoogleSignInError('token', 'Google answered without a refresh token. Remove the app\'s access at myaccount.google.com/permissions and sign in again.');
  }
  return JSON.stringify({ type: 'authorized_user', client_id: options.clientId, client_secret: options.clientSecret, refresh_token: tokens.data.refresh_token });
}
