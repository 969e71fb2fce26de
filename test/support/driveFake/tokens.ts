import { createHash, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';

/**
 * The OAuth 2.0 token endpoint as Google's behaves (RFC 6749 §4.1.3, §6;
 * RFC 7636 PKCE; RFC 7523 JWT bearer for service accounts): form-encoded
 * POSTs, JSON answers, `invalid_grant` (400) for a refused grant and
 * `invalid_client` (401) for an unknown client. Tokens are random strings
 * that only this fake knows.
 */

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const DRIVE_SCOPE = 'https://www.googleapis.com/auth/drive';

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string;
}

const random = (bytes = 24) => randomBytes(bytes).toString('base64url');
const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class FakeTokenEndpoint {
  private readonly clients = new Map<string, string>();
  private readonly refreshTokens = new Map<string, string>(); // token → client id
  private readonly serviceAccounts = new Map<string, KeyObject>(); // email → public key
  private readonly accessTokens = new Map<string, number>(); // token → expiry (ms)
  private readonly codes = new Map<string, PendingCode>();
  /** Seconds an access token lives. */
  lifetimeSeconds = 3599;
  /** Every grant the endpoint answered, for assertions (no secrets: only the grant type and outcome). */
  readonly grants: { grantType: string; status: number }[] = [];

  constructor(private readonly audiences: () => string[]) {}

  addClient(clientId = `${random(6)}.apps.googleusercontent.com`, clientSecret = `GOCSPX-${random(18)}`): { clientId: string; clientSecret: string } {
    this.clients.set(clientId, clientSecret);
    return { clientId, clientSecret };
  }

  issueRefreshToken(clientId: string): string {
    const token = `1//${random(32)}`;
    this.refreshTokens.set(token, clientId);
    return token;
  }

  /** An authorized-user JSON, as "Sign in to Google Drive" stores it. */
  authorizedUser(): string {
    const { clientId, clientSecret } = this.addClient();
    return JSON.stringify({ type: 'authorized_user', client_id: clientId, client_secret: clientSecret, refresh_token: this.issueRefreshToken(clientId) });
  }

  /** A service-account key JSON with a fresh RSA key; the endpoint knows its public half. */
  serviceAccount(): string {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const email = `exporter-${random(4).toLowerCase()}@devguide-test.iam.gserviceaccount.com`;
    this.serviceAccounts.set(email, publicKey);
    return JSON.stringify({
      type: 'service_account',
      project_id: 'devguide-test',
      private_key_id: random(10),
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: email,
      client_id: random(8),
      token_uri: 'https://oauth2.googleapis.com/token',
    });
  }

  /** The consent screen's outcome: a one-time code bound to the PKCE challenge and redirect URI. */
  authorize(params: URLSearchParams): string {
    const clientId = params.get('client_id') ?? '';
    if (!this.clients.has(clientId)) throw new Error('unknown client_id');
    if (params.get('response_type') !== 'code') throw new Error('response_type must be code');
    if (params.get('code_challenge_method') !== 'S256') throw new Error('code_challenge_method must be S256');
    const challenge = params.get('code_challenge') ?? '';
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) throw new Error('code_challenge must be a base64url SHA-256');
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!/^http:\/\/127\.0\.0\.1:\d+(\/.*)?$/.test(redirectUri)) throw new Error('redirect_uri must be a loopback address');
    const code = `4/${random(30)}`;
    this.codes.set(code, { clientId, redirectUri, challenge, scope: params.get('scope') ?? '' });
    return code;
  }

  isValidAccessToken(token: string): boolean {
    const expiry = this.accessTokens.get(token);
    return expiry !== undefined && expiry > Date.now();
  }

  expireAccessTokens(): void {
    for (const token of this.accessTokens.keys()) this.accessTokens.set(token, 0);
  }

  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  handle(contentType: string | undefined, body: string): TokenAnswer {
    const answer = this.grant(contentType, body);
    this.grants.push({ grantType: new URLSearchParams(body).get('grant_type') ?? '', status: answer.status });
    return answer;
  }

  private grant(contentType: string | undefined, body: string): TokenAnswer {
    if (!/^application\/x-www-form-urlencoded/i.test(contentType ?? '')) return invalidRequest('Content-Type must be application/x-www-form-urlencoded');
    const form = new URLSearchParams(body);
    switch (form.get('grant_type')) {
      case 'refresh_token': {
        const client = this.client(form);
        if ('status' in client) return client;
        if (this.refreshTokens.get(form.get('refresh_token') ?? '') !== client.clientId) return invalidGrant('Token has been expired or revoked.');
        return this.tokens(DRIVE_SCOPE);
      }
      case 'authorization_code': {
        const client = this.client(form);
        if ('status' in client) return client;
        const code = this.codes.get(form.get('code') ?? '');
        this.codes.delete(form.get('code') ?? '');
        if (!code || code.clientId !== client.clientId) return invalidGrant('Malformed auth code.');
        if (code.redirectUri !== form.get('redirect_uri')) return invalidGrant('Bad Request');
        const verifier = form.get('code_verifier') ?? '';
        if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || base64url(createHash('sha256').update(verifier).digest()) !== code.challenge) {
          return invalidGrant('Invalid code verifier.');
        }
        const refresh = this.issueRefreshToken(client.clientId);
        return { status: 200, body: { ...this.tokens(code.scope).body, refresh_token: refresh } };
      }
      case JWT_BEARER:
        return this.jwtBearer(form.get('assertion') ?? '');
      default:
        return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' + (form.get('grant_type') ?? '') } };
    }
  }

  private client(form: URLSearchParams): { clientId: string } | TokenAnswer {
    const clientId = form.get('client_id') ?? '';
    const secret = this.clients.get(clientId);
    if (secret === undefined || secret !== form.get('client_secret')) return { status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } };
    return { clientId };
  }

  private jwtBearer(assertion: string): TokenAnswer {
    const [head = '', claims = '', signature = ''] = assertion.split('.');
    let header: { alg?: string };
    let payload: { iss?: string; scope?: string; aud?: string; exp?: number; iat?: number };
    try {
      header = JSON.parse(Buffer.from(head, 'base64url').toString());
      payload = JSON.parse(Buffer.from(claims, 'base64url').toString());
    } catch {
      return invalidGrant('Invalid JWT: malformed');
    }
    const key = this.serviceAccounts.get(payload.iss ?? '');
    if (header.alg !== 'RS256' || !key) return invalidGrant('Invalid JWT Signature.');
    if (!verify('RSA-SHA256', Buffer.from(`${head}.${claims}`), key, Buffer.from(signature, 'base64url'))) return invalidGrant('Invalid JWT Signature.');
    const now = Date.now() / 1000;
    if (!payload.exp || payload.exp < now || !payload.iat || payload.exp - payload.iat > 3600) return invalidGrant('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
    if (!this.audiences().includes(payload.aud ?? '')) return invalidGrant('Invalid JWT: audience');
    if (!(payload.scope ?? '').split(' ').includes(DRIVE_SCOPE)) return { status: 400, body: { error: 'invalid_scope', error_description: 'Invalid OAuth scope.' } };
    return this.tokens(DRIVE_SCOPE);
  }

  private tokens(scope: string): TokenAnswer {
    const token = `ya29.${random(40)}`;
    this.accessTokens.set(token, Date.now() + this.lifetimeSeconds * 1000);
    return { status: 200, body: { access_token: token, expires_in: this.lifetimeSeconds, scope, token_type: 'Bearer' } };
  }
}

function invalidGrant(description: string): TokenAnswer {
  return { status: 400, body: { error: 'invalid_grant', error_description: description } };
}

function invalidRequest(description: string): TokenAnswer {
  return { status: 400, body: { error: 'invalid_request', error_description: description } };
}
