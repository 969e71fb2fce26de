import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { destinationConfigSchema } from '../../../server/src/destinations/registry';

/**
 * The Settings editor checks `devguideExport.destinations` against the JSON
 * schema in package.json; the server checks the same entries with zod. The
 * two must agree, or a user is told an entry is fine that the export then
 * refuses (or squiggled for one that works).
 */
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { items?: object }> }[] };
};
const itemSchema = manifest.contributes.configuration.flatMap((section) => Object.entries(section.properties)).find(([key]) => key === 'devguideExport.destinations')?.[1].items;

// VS Code's own keywords (markdownDescription, patternErrorMessage, …) are not JSON Schema: ajv is told to ignore them.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const settingsAccept = ajv.compile(itemSchema ?? {});
const serverAccepts = (entry: unknown) => destinationConfigSchema.safeParse(entry).success;

const cases: { name: string; entry: Record<string, unknown>; valid: boolean }[] = [
  { name: 'local, minimal', entry: { id: 'docs', type: 'local', baseDir: './docs' }, valid: true },
  { name: 'github, minimal', entry: { id: 'gh', type: 'github', repo: 'acme/handbook' }, valid: true },
  {
    name: 'github, every key',
    entry: { id: 'gh', name: 'Handbook', type: 'github', repo: 'acme/handbook', branch: 'main', path: 'docs/skills', mode: 'pull_request', baseUrl: 'https://github.example.com/api/v3', commitMessage: 'docs: {title}' },
    valid: true,
  },
  { name: 'github without repo', entry: { id: 'gh', type: 'github' }, valid: false },
  { name: 'github, repo not owner/name', entry: { id: 'gh', type: 'github', repo: 'handbook' }, valid: false },
  { name: 'github, the old owner key', entry: { id: 'gh', type: 'github', owner: 'acme', repo: 'acme/handbook' }, valid: false },
  { name: 'github, mode spelled with a dash', entry: { id: 'gh', type: 'github', repo: 'acme/handbook', mode: 'pull-request' }, valid: false },
  { name: 'github, a token in the entry', entry: { id: 'gh', type: 'github', repo: 'acme/handbook', token: 'x' }, valid: false },
  { name: 'drive, minimal', entry: { id: 'wiki', type: 'drive', folderId: '1AbC-dEf_2' }, valid: true },
  {
    name: 'drive, every key',
    entry: { id: 'wiki', name: 'Wiki', type: 'drive', folderId: '1AbC-dEf_2', sharedDrive: true, rootUrl: 'https://www.googleapis.com/', tokenUrl: 'https://oauth2.googleapis.com/token' },
    valid: true,
  },
  { name: 'drive without folderId', entry: { id: 'wiki', type: 'drive' }, valid: false },
  { name: 'drive, a folder URL instead of its id', entry: { id: 'wiki', type: 'drive', folderId: 'https://drive.google.com/drive/folders/1AbC' }, valid: false },
  { name: 'drive, credentials in the entry', entry: { id: 'wiki', type: 'drive', folderId: '1AbC', oauth_credentials: '{}' }, valid: false },
];

describe('the destinations setting and the server agree', () => {
  it('finds the schema in package.json', () => assert.ok(itemSchema));
  for (const { name, entry, valid } of cases) {
    it(`${valid ? 'accepts' : 'refuses'} ${name}`, () => {
      assert.equal(serverAccepts(entry), valid, 'server');
      assert.equal(settingsAccept(entry), valid, `settings: ${JSON.stringify(settingsAccept.errors)}`);
    });
  }
});
