import assert from 'node:assert/strict';
import { signInDriveDestination } from '../../../client/src/credentials/driveSignInFlow';
import { startFakeDrive, type FakeDrive } from '../../support/driveFake/server';

/**
 * "Sign in to Google Drive" (issue 15): the installed-app OAuth flow with
 * PKCE and a loopback redirect on 127.0.0.1, against the stand-in's token
 * endpoint. The test plays the browser: it opens the consent URL (the
 * stand-in authorizes), then follows the redirect to the loopback server.
 * Only a finished flow stores the authorized-user JSON; cancel, timeout,
 * denial and a refused exchange store nothing.
 */
describe('client: Sign in to Google Drive (loopback + PKCE)', function () {
  this.timeout(20_000);
  let fake: FakeDrive;
  let stored: { destinationId: string; field: string; value: string }[];
  const credentials = { set: async (destinationId: string, field: string, value: string) => void stored.push({ destinationId, field, value }) };
  const destination = () => ({ id: 'wiki', name: 'Wiki', tokenUrl: fake.tokenUrl });

  beforeEach(async () => {
    fake = await startFakeDrive();
    stored = [];
  });
  afterEach(() => fake.close());

  /** The browser: the consent screen approves (the stand-in issues a code), then the redirect goes to the loopback address. */
  const approvingBrowser = (answer: (url: URL, code: string) => URL = (redirect) => redirect) => async (consent: string): Promise<boolean> => {
    const url = new URL(consent);
    const code = fake.tokens.authorize(url.searchParams);
    const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
    redirect.search = new URLSearchParams({ code, state: url.searchParams.get('state') ?? '', scope: url.searchParams.get('scope') ?? '' }).toString();
    void fetch(answer(redirect, code));
    return true;
  };

  it('stores an authorized-user JSON whose refresh token the token endpoint accepts', async () => {
    const client = fake.tokens.addClient();
    let consentUrl = '';
    const outcome = await signInDriveDestination(destination(), client, credentials, {
      openBrowser: async (url) => {
        consentUrl = url;
        return approvingBrowser()(url);
      },
    });
    assert.deepEqual(outcome, { status: 'signed-in', destinationId: 'wiki' });
    const consent = new URL(consentUrl);
    assert.equal(consent.searchParams.get('code_challenge_method'), 'S256');
    assert.match(consent.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(consent.searchParams.get('access_type'), 'offline');
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.field, 'oauth_credentials');
    const json = JSON.parse(stored[0]?.value ?? '{}') as Record<string, string>;
    assert.equal(json['type'], 'authorized_user');
    assert.equal(json['client_id'], client.clientId);
    // The refresh token works: the endpoint exchanges it for an access token.
    const refreshed = fake.tokens.handle(
      'application/x-www-form-urlencoded',
      new URLSearchParams({ grant_type: 'refresh_token', refresh_token: json['refresh_token'] ?? '', client_id: client.clientId, client_secret: client.clientSecret }).toString(),
    );
    assert.equal(refreshed.status, 200);
  });

  it('a redirect with another state is turned away; the real one still completes', async () => {
    const client = fake.tokens.addClient();
    let forged: number | undefined;
    const outcome = await signInDriveDestination(destination(), client, credentials, {
      openBrowser: async (consent) => {
        const redirect = new URL(new URL(consent).searchParams.get('redirect_uri') ?? '');
        forged = (await fetch(`${redirect.origin}/?code=4/forged&state=not-the-state`)).status;
        return approvingBrowser()(consent);
      },
    });
    assert.equal(forged, 404);
    assert.equal(outcome.status, 'signed-in');
  });

  it('access denied on the consent screen, a cancel, a timeout, a refused exchange: nothing stored', async () => {
    const client = fake.tokens.addClient();
    const denied = await signInDriveDestination(destination(), client, credentials, {
      openBrowser: approvingBrowser((redirect) => {
        const url = new URL(redirect);
        url.search = new URLSearchParams({ error: 'access_denied', state: redirect.searchParams.get('state') ?? '' }).toString();
        return url;
      }),
    });
    assert.equal(denied.status, 'failed');

    const controller = new AbortController();
    const cancelled = await signInDriveDestination(destination(), client, credentials, {
      openBrowser: async () => {
        setImmediate(() => controller.abort());
        return true;
      },
      signal: controller.signal,
    });
    assert.deepEqual(cancelled, { status: 'cancelled' });

    const timedOut = await signInDriveDestination(destination(), client, credentials, { openBrowser: async () => true, timeoutMs: 50 });
    assert.equal(timedOut.status, 'failed');
    assert.equal(timedOut.status === 'failed' ? timedOut.reason : '', 'timeout');

    // The browser's code is fine, but the client secret is wrong: the token endpoint refuses it.
    const refused = await signInDriveDestination(destination(), { clientId: client.clientId, clientSecret: 'GOCSPX-wrong' }, credentials, { openBrowser: approvingBrowser() });
    assert.equal(refused.status, 'failed');
    assert.match(refused.status === 'failed' ? refused.message : '', /refused|client/i);
    assert.ok(refused.status === 'failed' && !refused.message.includes('GOCSPX-wrong'));

    assert.deepEqual(stored, [], 'nothing half-stored');
  });

  it('without a client id and secret in the settings: says which settings, stores nothing', async () => {
    const outcome = await signInDriveDestination(destination(), {}, credentials, { openBrowser: async () => assert.fail('no browser') });
    assert.equal(outcome.status, 'unsupported');
    assert.match(outcome.status === 'unsupported' ? outcome.message : '', /devguideExport\.googleDrive\.clientId/);
    assert.deepEqual(stored, []);
  });
});
