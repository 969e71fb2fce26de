/**
 * Fake secrets for the scanner's tests, built at run time from a seeded
 * generator and from pieces, so no literal in the repository looks like a
 * live credential (GitHub push protection and our own scan of the project's
 * files stay quiet). Each follows its provider's published format.
 */

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
export const HEX = '0123456789abcdef';
export const BASE62 = UPPER + LOWER + DIGITS;
export const UPPER_ALNUM = UPPER + DIGITS;
export const BASE64URL = BASE62 + '-_';
export const BASE64 = BASE62 + '+/';

let random = seededRandom(20260102);

/** Restarts the generator, so each test sees the same fakes. */
export function reseed(seed: number): void {
  random = seededRandom(seed);
}

export function pick(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet.charAt(Math.floor(random() * alphabet.length));
  return out;
}

/** Random but always holding a digit and a letter, like real keys. */
export function mixed(alphabet: string, length: number): string {
  return pick(LOWER, 1) + pick(alphabet, length - 2) + pick(DIGITS, 1);
}

/** Prefixes in two pieces: no whole token prefix is spelled out in this file. */
const join2 = (a: string, b: string) => a + b;

export const fakes = {
  githubPat: () => `${join2('gh', 'p_')}${mixed(BASE62, 36)}`,
  githubFineGrained: () => `${join2('github', '_pat_')}${mixed(BASE62, 22)}_${mixed(BASE62, 59)}`,
  githubOauth: () => `${join2('gh', 'o_')}${mixed(BASE62, 36)}`,
  githubApp: () => `${join2('gh', 's_')}${mixed(BASE62, 36)}`,
  githubUser: () => `${join2('gh', 'u_')}${mixed(BASE62, 36)}`,
  githubRefresh: () => `${join2('gh', 'r_')}${mixed(BASE62, 36)}`,
  awsAccessKeyId: () => `${join2('AK', 'IA')}${pick(UPPER_ALNUM, 15)}${pick(DIGITS, 1)}`,
  awsSessionKeyId: () => `${join2('AS', 'IA')}${pick(UPPER_ALNUM, 15)}${pick(DIGITS, 1)}`,
  awsSecret: () => mixed(BASE64, 40),
  google: () => `${join2('AI', 'za')}Sy${mixed(BASE62, 33)}`,
  slackBot: () => `${join2('xo', 'xb')}-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${mixed(BASE62, 24)}`,
  slackUser: () => `${join2('xo', 'xp')}-${pick(DIGITS, 12)}-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${pick(HEX, 32)}`,
  slackApp: () => `${join2('xa', 'pp')}-1-A${pick(UPPER_ALNUM, 10)}-${pick(DIGITS, 13)}-${pick(HEX, 64)}`,
  slackWebhook: () => `https://hooks.${'slack'}.com/services/T${pick(UPPER_ALNUM, 8)}/B${pick(UPPER_ALNUM, 10)}/${mixed(BASE62, 24)}`,
  /** A PEM block; `der` starts the body as DER does ("MII…"), as real RSA and PKCS#8 keys do. */
  privateKey: (label: string, der = false) => {
    const lines: string[] = [];
    for (let i = 0; i < 8; i++) lines.push(pick(BASE64, 64));
    if (der) lines[0] = `MIIEow${(lines[0] ?? '').slice(6)}`;
    const marker = `${label}PRIVATE ${'KEY'}`;
    return `-----BEGIN ${marker}-----\n${lines.join('\n')}\n${pick(BASE64, 20)}==\n-----END ${marker}-----`;
  },
  /** OpenSSH bodies start with a fixed header full of zero bytes, i.e. runs of "AAAA" in base64. */
  opensshKey: () => {
    const header = Buffer.from('openssh-key-v1\0\0\0\0\x04none\0\0\0\x04none\0\0\0\0\0\0\0\x01\0\0\0\x33', 'latin1');
    const body = Buffer.concat([header, Buffer.from(pick(BASE62, 300), 'latin1')]).toString('base64');
    const marker = `OPENSSH PRIVATE ${'KEY'}`;
    return `-----BEGIN ${marker}-----\n${body.match(/.{1,70}/g)?.join('\n')}\n-----END ${marker}-----`;
  },
  pgpKey: () => {
    const lines = ['Version: GnuPG v2', ''];
    for (let i = 0; i < 6; i++) lines.push(pick(BASE64, 64));
    const marker = `PGP PRIVATE ${'KEY'} BLOCK`;
    return `-----BEGIN ${marker}-----\n${lines.join('\n')}\n=${pick(BASE64, 4)}\n-----END ${marker}-----`;
  },
  /** A Google Cloud service-account key file, as JSON. */
  gcpServiceAccount: () =>
    JSON.stringify(
      {
        type: `service_${'account'}`,
        project_id: 'acme-prod-42',
        private_key_id: pick(HEX, 40),
        private_key: `${fakes.privateKey('', true)}\n`,
        client_email: 'exporter@acme-prod-42.iam.gserviceaccount.com',
        client_id: pick(DIGITS, 21),
      },
      null,
      2,
    ),
  openaiClassic: () => `s${'k'}-${mixed(BASE62, 20)}T3Blb${'kFJ'}${mixed(BASE62, 20)}`,
  openaiProject: () => `s${'k'}-proj-${mixed(BASE64URL, 74)}T3Blb${'kFJ'}${mixed(BASE64URL, 74)}`,
  openaiServiceAccount: () => `s${'k'}-svcacct-${mixed(BASE64URL, 58)}T3Blb${'kFJ'}${mixed(BASE64URL, 58)}`,
  anthropic: () => `s${'k'}-ant-api03-${mixed(BASE64URL, 93)}AA`,
  anthropicAdmin: () => `s${'k'}-ant-admin01-${mixed(BASE64URL, 93)}AA`,
  stripeLive: () => `s${'k'}_live_${mixed(BASE62, 99)}`,
  stripeRestricted: () => `r${'k'}_live_${mixed(BASE62, 24)}`,
  stripeTest: () => `s${'k'}_test_${mixed(BASE62, 24)}`,
  npm: () => `${join2('np', 'm_')}${mixed(BASE62, 36)}`,
  gitlab: () => `${join2('gl', 'pat-')}${mixed(BASE62 + '_-', 20)}`,
  jwt: () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: pick(DIGITS, 10), name: 'Ada', iat: 1767225600 })).toString('base64url');
    return `${header}.${payload}.${pick(BASE64URL, 43)}`;
  },
  bearer: () => mixed(BASE64URL + '.', 40),
  basic: () => Buffer.from(`deploy:${mixed(BASE62, 18)}`).toString('base64'),
  urlPassword: () => mixed(BASE62, 14),
  generic: (length = 32) => mixed(BASE62, length),
  sendgrid: () => `${join2('S', 'G.')}${mixed(BASE62, 22)}.${mixed(BASE64URL, 43)}`,
  shopify: () => `${join2('shp', 'at_')}${pick(HEX, 32)}`,
  huggingFace: () => `${join2('h', 'f_')}${pick(UPPER + LOWER, 34)}`,
  databricks: () => `${join2('da', 'pi')}${pick(HEX, 32)}`,
  digitalOcean: () => `${join2('do', 'p_v1_')}${pick(HEX, 64)}`,
  /** The bot's user id (18 digits) in base64, a timestamp, an HMAC. */
  discordBot: () =>
    `${Buffer.from(`1${pick(DIGITS, 17)}`).toString('base64').replace(/=+$/, '')}.${mixed(BASE64URL, 6)}.${mixed(BASE64URL, 38)}`,
  discordWebhook: () => `https://${'discord'}.com/api/webhooks/${pick(DIGITS, 19)}/${mixed(BASE64URL, 68)}`,
  telegramBot: () => `${pick('123456789', 1)}${pick(DIGITS, 9)}:A${'A'}${mixed(BASE64URL, 33)}`,
  twilio: () => `${join2('S', 'K')}${pick(HEX, 32)}`,
  mailgun: () => `${join2('ke', 'y-')}${pick(HEX, 32)}`,
  azureStorage: () =>
    `DefaultEndpointsProtocol=https;AccountName=acmestore;${join2('Account', 'Key')}=${mixed(BASE64, 86)}==;EndpointSuffix=core.windows.net`,
  linear: () => `${join2('lin', '_api_')}${mixed(BASE62, 40)}`,
  notion: () => `${join2('nt', 'n_')}${pick(DIGITS, 11)}${mixed(BASE62, 35)}`,
  grafana: () => `${join2('gl', 'sa_')}${mixed(BASE62, 32)}_${pick(HEX, 8)}`,
  groq: () => `${join2('gs', 'k_')}${mixed(BASE62, 52)}`,
  tailscale: () => `${join2('tskey', '-auth-')}k${mixed(BASE62, 11)}-${mixed(BASE62, 32)}`,
  dockerHub: () => `${join2('dckr', '_pat_')}${mixed(BASE64URL, 27)}`,
  vault: () => `${join2('hv', 's.')}CAESI${mixed(BASE64URL, 86)}`,
  figma: () => `${join2('fi', 'gd_')}${mixed(BASE64URL, 40)}`,
  password: () => `${pick(UPPER, 1)}${pick(LOWER, 3)}${pick(DIGITS, 2)}!${pick(LOWER, 2)}#${pick(DIGITS, 1)}${pick(UPPER, 2)}`,
};
