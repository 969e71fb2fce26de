import assert from 'node:assert/strict';
import { scanForSecrets, type SecretFinding } from '../../../server/src/governance/secretScan';
import { fakes, reseed } from './fakeSecrets';

/**
 * Recall over the provider formats issue 11 lists: 37 tokens, one each,
 * planted in a chat transcript as people paste them (an env line, a curl
 * command, a config snippet). The bar: at least 35 found, each finding on
 * the token's line, naming its rule and never holding the secret.
 */

interface Planted {
  format: string;
  /** The line as it appears in the transcript; `secret` is inside it. */
  line: string;
  secret: string;
}

function plant(format: string, secret: string, frame: (s: string) => string): Planted {
  return { format, secret, line: frame(secret) };
}

function corpus(): Planted[] {
  const azure = fakes.azureStorage();
  const serviceAccount = fakes.gcpServiceAccount();
  return [
    plant('GitHub personal access token', fakes.githubPat(), (s) => `export GITHUB_TOKEN=${s}`),
    plant('GitHub fine-grained token', fakes.githubFineGrained(), (s) => `gh auth login --with-token <<< ${s}`),
    plant('GitHub OAuth token', fakes.githubOauth(), (s) => `"oauth_token": "${s}"`),
    plant('AWS access key id', fakes.awsAccessKeyId(), (s) => `aws_access_key_id = ${s}`),
    plant('AWS secret access key', fakes.awsSecret(), (s) => `aws_secret_access_key = ${s}`),
    plant('Slack bot token', fakes.slackBot(), (s) => `SLACK_BOT_TOKEN=${s}`),
    plant('Slack webhook', fakes.slackWebhook(), (s) => `curl -X POST -d '{"text":"hi"}' ${s}`),
    plant('Stripe secret key', fakes.stripeLive(), (s) => `Stripe.api_key = "${s}"`),
    plant('OpenAI API key', fakes.openaiProject(), (s) => `OPENAI_API_KEY=${s}`),
    plant('Anthropic API key', fakes.anthropic(), (s) => `client = Anthropic(api_key="${s}")`),
    plant('Google API key', fakes.google(), (s) => `const config = { apiKey: "${s}", authDomain: "acme.firebaseapp.com" };`),
    // The whole file pasted: its lines are planted as one.
    plant('GCP service-account JSON', serviceAccount, (s) => s),
    plant('PEM private key', fakes.privateKey('RSA ', true), (s) => s),
    plant('JWT', fakes.jwt(), (s) => `Authorization: Bearer ${s}`),
    plant('npm token', fakes.npm(), (s) => `//registry.npmjs.org/:_authToken=${s}`),
    plant('GitLab token', fakes.gitlab(), (s) => `curl --header "PRIVATE-TOKEN: ${s}" https://gitlab.example.com/api/v4/projects`),
    plant('Postgres URL', fakes.urlPassword(), (s) => `DATABASE_URL=postgres://app_user:${s}@db.internal:5432/app`),
    plant('basic-auth URL', fakes.urlPassword(), (s) => `git remote add origin https://deploy:${s}@git.acme-corp.io/app.git`),
    plant('SendGrid key', fakes.sendgrid(), (s) => `SENDGRID_API_KEY=${s}`),
    plant('Shopify token', fakes.shopify(), (s) => `X-Shopify-Access-Token: ${s}`),
    plant('Hugging Face token', fakes.huggingFace(), (s) => `huggingface-cli login --token ${s}`),
    plant('Databricks token', fakes.databricks(), (s) => `DATABRICKS_TOKEN=${s}`),
    plant('DigitalOcean token', fakes.digitalOcean(), (s) => `doctl auth init -t ${s}`),
    plant('Discord bot token', fakes.discordBot(), (s) => `bot.run("${s}")`),
    plant('Telegram bot token', fakes.telegramBot(), (s) => `https://api.telegram.org/bot${s}/getMe`),
    plant('Twilio API key', fakes.twilio(), (s) => `TWILIO_API_KEY=${s}`),
    plant('Mailgun key', fakes.mailgun(), (s) => `MAILGUN_API_KEY=${s}`),
    plant('Azure storage connection string', azure, (s) => `AZURE_STORAGE_CONNECTION_STRING="${s}"`),
    plant('Linear key', fakes.linear(), (s) => `LINEAR_API_KEY=${s}`),
    plant('Notion token', fakes.notion(), (s) => `NOTION_TOKEN=${s}`),
    plant('Grafana token', fakes.grafana(), (s) => `GRAFANA_SERVICE_ACCOUNT_TOKEN=${s}`),
    plant('Groq key', fakes.groq(), (s) => `GROQ_API_KEY=${s}`),
    plant('Tailscale key', fakes.tailscale(), (s) => `tailscale up --authkey=${s}`),
    plant('Docker Hub token', fakes.dockerHub(), (s) => `echo ${s} | docker login -u acme --password-stdin`),
    plant('HashiCorp Vault token', fakes.vault(), (s) => `export VAULT_TOKEN=${s}`),
    plant('Figma token', fakes.figma(), (s) => `curl -H "X-Figma-Token: ${s}" https://api.figma.com/v1/me`),
    plant('quoted password', fakes.password(), (s) => `db_password = "${s}"`),
  ];
}

/** A transcript in Markdown: each token in its own user message, between ordinary prose and code. */
function transcript(planted: Planted[]): { text: string; lines: Map<Planted, [number, number]> } {
  const parts: string[] = ['# Session: deploy fixes', ''];
  const lines = new Map<Planted, [number, number]>();
  planted.forEach((p, i) => {
    parts.push(`## User (message ${i + 1})`, '', `Step ${i + 1} still fails. Here is what I ran:`, '', '```sh');
    const first = parts.length + 1;
    parts.push(...p.line.split('\n'));
    lines.set(p, [first, parts.length]);
    parts.push('```', '', '## Assistant', '', 'Thanks. The error says the request was not authorised; check the scope of the credential.', '');
  });
  return { text: parts.join('\n'), lines };
}

describe('bin/secretScan: recall over 37 provider formats', function () {
  this.timeout(60_000);
  let planted: Planted[];
  let text: string;
  let lines: Map<Planted, [number, number]>;
  let findings: SecretFinding[];

  before(async () => {
    reseed(37);
    planted = corpus();
    ({ text, lines } = transcript(planted));
    findings = await scanForSecrets(text);
  });

  it('plants 37 formats', () => {
    assert.equal(planted.length, 37);
  });

  it('finds at least 35 of them, each on its own line', () => {
    const found = planted.filter((p) => {
      const [first, last] = lines.get(p) ?? [0, 0];
      return findings.some((f) => f.line >= first && f.line <= last);
    });
    const missed = planted.filter((p) => !found.includes(p)).map((p) => p.format);
    assert.ok(found.length >= 35, `found ${found.length} of 37; missed: ${missed.join(', ')}`);
  });

  it('reports nothing outside the planted lines', () => {
    const plantedLine = (line: number) => [...lines.values()].some(([first, last]) => line >= first && line <= last);
    assert.deepEqual(findings.filter((f) => !plantedLine(f.line)).map((f) => `${f.line} ${f.ruleId}`), []);
  });

  it('names a rule and a line in every finding, and never the secret', () => {
    const json = JSON.stringify(findings);
    for (const f of findings) {
      assert.match(f.ruleId, /^[a-z0-9-]+$/);
      assert.ok(f.description.length > 0);
      assert.ok(Number.isInteger(f.line) && f.line > 0);
      assert.deepEqual(Object.keys(f).sort(), ['column', 'description', 'fingerprint', 'length', 'line', 'ruleId']);
    }
    for (const p of planted) {
      // Any 12 characters of a secret would identify it; the key file's public parts (field names, markers) are not secret.
      const secret = p.format === 'GCP service-account JSON' ? (/"private_key_id": "([0-9a-f]+)"/.exec(p.secret)?.[1] ?? '') : p.secret;
      for (let i = 0; i + 12 <= secret.length; i += 4) assert.ok(!json.includes(secret.slice(i, i + 12)), `a finding holds part of the ${p.format}`);
    }
  });
});
