// The extension manifest's `activationEvents`, `contributes` and
// `capabilities`, written into package.json (nothing else in it is touched):
//   node client/manifest/contributes.mjs [--check]
// Kept as code so the settings' JSON schema can share pieces and the
// command list is one table. --check exits 1 when package.json differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CATEGORY = 'DevGuide Export';
const TRANSCRIPT_FILE = 'resourceExtname =~ /^\\.(json|jsonl)$/';

const commands = [
  { command: 'devguideExport.exportSelection', title: 'Export Selection', icon: '$(export)' },
  { command: 'devguideExport.exportTranscript', title: 'Export Transcript…', icon: '$(file-symlink-file)' },
  { command: 'devguideExport.previewExport', title: 'Preview Export', icon: '$(open-preview)' },
  { command: 'devguideExport.showHistory', title: 'Show Export History', icon: '$(history)' },
  { command: 'devguideExport.retryExport', title: 'Retry Export', icon: '$(refresh)' },
  { command: 'devguideExport.rollbackExport', title: 'Roll Back Export', icon: '$(discard)' },
  { command: 'devguideExport.showJobDetails', title: 'Show Details', icon: '$(info)' },
  { command: 'devguideExport.openExportOutput', title: 'Open Output', icon: '$(go-to-file)' },
  { command: 'devguideExport.copyContentHash', title: 'Copy Content Hash', icon: '$(copy)' },
  { command: 'devguideExport.filterHistoryByStatus', title: 'Filter by Status…', icon: '$(filter)' },
  { command: 'devguideExport.filterHistoryByDestination', title: 'Filter by Destination…', icon: '$(server)' },
  { command: 'devguideExport.filterHistoryByTime', title: 'Filter by Time…', icon: '$(calendar)' },
  { command: 'devguideExport.clearHistoryFilter', title: 'Clear Filter', icon: '$(clear-all)' },
  { command: 'devguideExport.refreshHistory', title: 'Refresh', icon: '$(refresh)' },
  { command: 'devguideExport.newTemplate', title: 'New Template', icon: '$(new-file)' },
  { command: 'devguideExport.manageDestinations', title: 'Manage Destinations', icon: '$(server)' },
  { command: 'devguideExport.testDestination', title: 'Test Destination', icon: '$(debug-start)' },
  { command: 'devguideExport.setDestinationCredential', title: 'Set Destination Credential', icon: '$(key)' },
  { command: 'devguideExport.clearDestinationCredential', title: 'Clear Destination Credential', icon: '$(trash)' },
  { command: 'devguideExport.signInToGoogleDrive', title: 'Sign in to Google Drive', icon: '$(sign-in)' },
  { command: 'devguideExport.setTeamStoreKey', title: 'Set Team Store Key', icon: '$(key)' },
  { command: 'devguideExport.showLog', title: 'Show Log', icon: '$(output)' },
].map((c) => ({ ...c, category: CATEGORY }));

/** The same names the server's zod schema checks (server/src/db/identifiers.ts). */
const IDENTIFIER_PATTERN = '^[A-Za-z_][A-Za-z0-9_$]{0,63}$';
const IDENTIFIER_MESSAGE = 'A plain SQL name: a letter or "_", then up to 63 letters, digits, "_" or "$".';
const DATABASE_PATTERN = '^[A-Za-z0-9_$-]{1,64}$';
const HOST_PATTERN = '^[A-Za-z0-9.:_\\-\\[\\]%]+$';

const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', patternErrorMessage: '1–64 letters, digits, "_", "." or "-", starting with a letter or digit.' };
const base = {
  id: { ...id, markdownDescription: 'Unique id of the destination; credentials are stored per id.' },
  name: { type: 'string', markdownDescription: 'Display name (defaults to the id).' },
  allowedUsers: { type: 'array', items: { type: 'string', minLength: 1 }, markdownDescription: 'Only these users may export here (the Bin checks it).' },
};
const destinationSchemas = [
  {
    properties: {
      ...base,
      type: { const: 'local', markdownDescription: 'A folder on this machine.' },
      baseDir: { type: 'string', default: './exports', markdownDescription: 'Folder exports are written to, relative to the workspace. Nothing is written outside it.' },
      onExisting: { enum: ['update', 'rename'], default: 'update', markdownDescription: 'When the file exists: `update` it (with a backup for rollback) or write a `rename`d copy.' },
    },
  },
  {
    properties: {
      ...base,
      type: { const: 'github', markdownDescription: 'A GitHub repository. Credential: your GitHub sign-in, or a token stored with **Set Destination Credential**.' },
      repo: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$', patternErrorMessage: 'owner/name, e.g. acme/handbook', markdownDescription: 'The repository, as `owner/name`.' },
      branch: { type: 'string', markdownDescription: 'Branch to commit to (or the pull request\'s base). Default: the repository\'s default branch.' },
      path: { type: 'string', default: '', markdownDescription: 'Folder in the repository (no `..`); empty: the root.' },
      mode: {
        enum: ['commit', 'pull_request'],
        default: 'commit',
        markdownEnumDescriptions: ['Commit to the branch directly.', 'Commit to a new branch `devguide-export/<job>` and open a pull request into the branch.'],
      },
      baseUrl: { type: 'string', format: 'uri', markdownDescription: 'GitHub Enterprise Server: `https://HOST/api/v3`. Default: the public API.' },
      commitMessage: { type: 'string', minLength: 1, markdownDescription: 'Commit message; `{title}`, `{filename}` and `{path}` are filled in. Default: `docs: export {title}`.' },
    },
    required: ['repo'],
  },
  {
    properties: {
      ...base,
      type: { const: 'tidb', markdownDescription: 'A TiDB (or MySQL) table. Credential: the password (**Set Destination Credential**; the CLI: `DEVGUIDE_SECRET_<ID>_PASSWORD`).' },
      host: { type: 'string', minLength: 1, maxLength: 255, pattern: HOST_PATTERN, patternErrorMessage: 'A host name or IP address: no scheme, port, path or spaces.', markdownDescription: 'Server host, e.g. `gateway01.us-west-2.prod.aws.tidbcloud.com` or `127.0.0.1`.' },
      port: { type: 'integer', minimum: 1, maximum: 65535, default: 4000, markdownDescription: 'TiDB listens on 4000; MySQL on 3306.' },
      user: { type: 'string', minLength: 1, maxLength: 128, markdownDescription: 'Database user (TiDB Cloud Serverless: `<prefix>.root` or another `<prefix>.` user).' },
      database: { type: 'string', pattern: DATABASE_PATTERN, patternErrorMessage: '1–64 letters, digits, "_", "$" or "-".' },
      table: { type: 'string', pattern: IDENTIFIER_PATTERN, patternErrorMessage: IDENTIFIER_MESSAGE, default: 'exported_artifacts', markdownDescription: 'The table exports go to; created (by a versioned migration) when missing.' },
      columnMappings: {
        type: 'object',
        additionalProperties: false,
        markdownDescription: 'For an existing table of another shape: its columns that hold the `filename`, `content` and `metadata`.',
        properties: Object.fromEntries(['filename', 'content', 'metadata'].map((key) => [key, { type: 'string', pattern: IDENTIFIER_PATTERN, patternErrorMessage: IDENTIFIER_MESSAGE }])),
      },
      tls: {
        default: true,
        markdownDescription: '`true`: TLS ≥ 1.2 with the server certificate verified (TiDB Cloud requires it). `{"ca": "path/to/ca.pem"}`: verified against that CA. `false`: no TLS (a local server only).',
        oneOf: [{ type: 'boolean' }, { type: 'object', additionalProperties: false, required: ['ca'], properties: { ca: { type: 'string', minLength: 1, markdownDescription: 'CA certificate file (PEM), relative to the workspace.' } } }],
      },
    },
    required: ['host', 'user', 'database'],
  },
  {
    properties: {
      ...base,
      type: { const: 'drive', markdownDescription: 'A Google Drive folder. Credential: **Sign in to Google Drive**, or an OAuth authorized-user / service-account JSON (**Set Destination Credential**).' },
      folderId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,200}$', markdownDescription: 'The id of the Drive folder: the last part of its URL, `https://drive.google.com/drive/folders/<id>`.' },
      sharedDrive: { type: 'boolean', default: false, markdownDescription: 'The folder is in a shared drive (sets `supportsAllDrives` / `includeItemsFromAllDrives`).' },
      rootUrl: { type: 'string', format: 'uri', default: 'https://www.googleapis.com/', markdownDescription: 'API root of Google Drive, or of a Google-compatible endpoint (https; http only for 127.0.0.1).' },
      tokenUrl: { type: 'string', format: 'uri', default: 'https://oauth2.googleapis.com/token', markdownDescription: 'OAuth token endpoint, Google\'s or a compatible one\'s.' },
    },
    required: ['folderId'],
  },
].map((schema) => ({ type: 'object', additionalProperties: false, ...schema, required: ['id', 'type', ...(schema.required ?? [])] }));

/**
 * The settings, in titled sections. Each section's id is the prefix of its
 * keys: VS Code's Settings editor derives a setting's category from its key
 * ("Devguide Export › Review") and drops the part its section's id repeats,
 * so under "DevGuide Export" › "Review" the setting reads "Require At".
 */
const settings = {
  'devguideExport.destinations': {
    type: 'array',
    order: 0,
    default: [],
    markdownDescription:
      'Where exports go: local folders, GitHub repositories, TiDB/MySQL tables, Google Drive folders. A `local` destination (`./exports`) exists unless you define your own `local`. **No secrets here**: use **DevGuide Export: Set Destination Credential**. The same entries as `destinations` in the CLI\'s `--config` file. Destinations from workspace settings are disabled in Restricted Mode.',
    items: {
      oneOf: destinationSchemas,
      defaultSnippets: [
        { label: 'Local folder', body: { id: '${1:docs}', type: 'local', baseDir: '${2:./docs/exports}' } },
        { label: 'GitHub repository', body: { id: '${1:github}', type: 'github', repo: '${2:owner}/${3:name}', path: '${4:docs}', mode: 'commit' } },
        { label: 'TiDB table', body: { id: '${1:team-db}', type: 'tidb', host: '${2:host}', port: 4000, user: '${3:user}', database: '${4:database}', table: 'exported_artifacts', tls: true } },
        { label: 'Google Drive folder', body: { id: '${1:drive}', type: 'drive', folderId: '${2:folder-id}', sharedDrive: false } },
      ],
    },
  },
  'devguideExport.sources': {
    type: 'array',
    order: 0,
    default: [],
    markdownDescription:
      'Databases whose `chat_messages` table (the seed\'s schema) is a transcript source: **Export Transcript…** offers them and lists their sessions and messages. **No password here**: you are asked for it once and it is kept in SecretStorage. The CLI takes the same entries under `sources` in `--config`, or an address `mysql://USER@HOST:PORT/DATABASE` with the password in `DEVGUIDE_SOURCE_PASSWORD`. Sources from workspace settings are ignored in Restricted Mode.',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'type', 'host', 'user', 'database'],
      properties: {
        id: { ...id, markdownDescription: 'Unique id of the source; its password is stored per id.' },
        name: { type: 'string', markdownDescription: 'Display name (defaults to the id).' },
        type: { const: 'tidb', markdownDescription: 'A TiDB (or MySQL) database.' },
        host: { type: 'string', minLength: 1, maxLength: 255, pattern: HOST_PATTERN, patternErrorMessage: 'A host name or IP address: no scheme, port, path or spaces.' },
        port: { type: 'integer', minimum: 1, maximum: 65535, default: 4000 },
        user: { type: 'string', minLength: 1, maxLength: 128 },
        database: { type: 'string', pattern: DATABASE_PATTERN, patternErrorMessage: '1–64 letters, digits, "_", "$" or "-".' },
        table: { type: 'string', pattern: IDENTIFIER_PATTERN, patternErrorMessage: IDENTIFIER_MESSAGE, default: 'chat_messages', markdownDescription: 'The table of chat messages.' },
        tls: {
          default: true,
          markdownDescription: '`true`: TLS ≥ 1.2 with the certificate verified (TiDB Cloud requires it). `{"ca": "path/to/ca.pem"}`: verified against that CA. `false`: no TLS (a local server only).',
          oneOf: [{ type: 'boolean' }, { type: 'object', additionalProperties: false, required: ['ca'], properties: { ca: { type: 'string', minLength: 1, markdownDescription: 'CA certificate file (PEM), relative to the workspace.' } } }],
        },
      },
    },
    defaultSnippets: [{ label: 'TiDB chat_messages', body: [{ id: '${1:team-chats}', type: 'tidb', host: '${2:host}', port: 4000, user: '${3:user}', database: '${4:database}', table: 'chat_messages', tls: true }] }],
  },
  'devguideExport.defaultTemplate': {
    type: 'string',
    order: 1,
    default: 'yaml-markdown',
    markdownDescription: 'Template offered first: `markdown`, `yaml-markdown`, `skill`, `xml`, or the id (file name) of one of your templates.',
  },
  'devguideExport.defaultDestination': {
    type: 'string',
    order: 2,
    default: 'local',
    markdownDescription: 'Destination id offered first.',
  },
  'devguideExport.templatesDir': {
    type: 'string',
    order: 3,
    default: '.devguide/templates',
    markdownDescription: 'Folder of your own templates (`*.hbs`), relative to the workspace. Workspace templates are code: they are used only in a trusted workspace.',
  },
  'devguideExport.googleDrive.clientId': {
    type: 'string',
    order: 4,
    default: '',
    scope: 'application',
    markdownDescription: 'Client id of your OAuth client of type **Desktop app** (Google Cloud console › APIs & Services › Credentials), for **Sign in to Google Drive**. User settings only.',
  },
  'devguideExport.googleDrive.clientSecret': {
    type: 'string',
    order: 4,
    default: '',
    scope: 'application',
    markdownDescription: 'Client secret of that OAuth client (Google does not treat a desktop client\'s secret as confidential). User settings only; the CLI takes its credentials from `DEVGUIDE_SECRET_<ID>_OAUTH_CREDENTIALS`.',
  },
  'devguideExport.review.requireAt': {
    type: 'string',
    order: 4,
    enum: ['low', 'medium', 'high', 'critical'],
    enumDescriptions: ['Every export needs an explicit Accept.', 'Database, GitHub and Drive exports need an Accept.', 'GitHub and Drive exports need an Accept.', 'Only changes to shared templates need an Accept.'],
    default: 'medium',
    markdownDescription: 'Lowest risk level at which the Bin\'s review needs an explicit **Accept** (the CLI: `--yes`). Local exports are `low`, databases `medium`, GitHub and Drive `high`.',
  },
  'devguideExport.store': {
    type: 'object',
    order: 5,
    default: { type: 'embedded' },
    // Where your history goes and which database your store password is sent to: never a workspace's choice.
    scope: 'application',
    oneOf: [
      {
        type: 'object',
        title: 'embedded',
        properties: { type: { const: 'embedded' } },
        required: ['type'],
        additionalProperties: false,
      },
      {
        type: 'object',
        title: 'tidb',
        properties: {
          type: { const: 'tidb' },
          host: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9.:_\\-\\[\\]%]+$', markdownDescription: 'Server host, e.g. `gateway01.us-west-2.prod.aws.tidbcloud.com` or `127.0.0.1`.' },
          port: { type: 'integer', minimum: 1, maximum: 65535, default: 4000, markdownDescription: 'TiDB listens on 4000; MySQL on 3306.' },
          user: { type: 'string', minLength: 1, maxLength: 128 },
          database: { type: 'string', pattern: '^[A-Za-z0-9_$-]{1,64}$' },
          tls: {
            oneOf: [{ type: 'boolean' }, { type: 'object', properties: { ca: { type: 'string', minLength: 1 } }, required: ['ca'], additionalProperties: false }],
            default: true,
            markdownDescription: '`true`: TLS ≥ 1.2 with the certificate verified (TiDB Cloud needs it); `{"ca": "PATH"}`: verified against that CA; `false`: only for a local server.',
          },
        },
        required: ['type', 'host', 'user', 'database'],
        additionalProperties: false,
      },
    ],
    defaultSnippets: [
      { label: 'TiDB team store', body: { type: 'tidb', host: '${1:host}', port: 4000, user: '${2:user}', database: '${3:devguide}', tls: true } },
    ],
    markdownDescription:
      'Where the export history and audit trail live. `{"type": "embedded"}`: a local store in your user data folder (or `storePath`), shared by the extension and the CLI. `{"type": "tidb", host, port, user, database, tls}`: the team store — one history, shared templates and destinations for the whole team. Its password: **Set Destination Credential** → *Team store*. User settings only.',
  },
  'devguideExport.user': {
    type: ['string', 'null'],
    order: 6,
    default: null,
    minLength: 1,
    maxLength: 128,
    // A workspace must not choose who you are: it would borrow someone else's access to the team's shared destinations.
    scope: 'application',
    markdownDescription:
      'Who you are in export jobs, audit events and the team store\'s access lists (a shared destination\'s owner and grants). Empty: your operating-system user name. The CLI reads `user` in `--config`, else `DEVGUIDE_USER`. User settings only.',
  },
  'devguideExport.storePath': {
    type: ['string', 'null'],
    order: 5,
    default: null,
    markdownDescription: 'Folder of the export history and audit log. Empty: your user data folder (shared with the CLI). `DEVGUIDE_EXPORT_STORE` also sets it.',
  },
  'devguideExport.toolOutput.mode': {
    type: 'string',
    order: 5,
    enum: ['summary', 'full', 'none'],
    enumDescriptions: [
      'A tool call is its name and a one-line input summary; a tool result its first lines and "… N more lines".',
      'Tool calls and results in full.',
      'Tool calls and results are left out.',
    ],
    default: 'summary',
    markdownDescription: 'How tool calls and results read in an export. Templates still get every block in full (`content`); `text` and the assembled `content` follow this setting. The review panel can change it per export.',
  },
  'devguideExport.toolOutput.maxLines': {
    type: 'integer',
    order: 5,
    minimum: 1,
    maximum: 10000,
    default: 8,
    markdownDescription: 'Lines of a tool result kept when `toolOutput.mode` is `summary`.',
  },
  'devguideExport.toolOutput.maxInputChars': {
    type: 'integer',
    order: 5,
    minimum: 20,
    maximum: 100000,
    default: 200,
    markdownDescription: 'Characters of a tool call\'s input summary when `toolOutput.mode` is `summary`.',
  },
  'devguideExport.limits.maxContentLength': {
    type: 'integer',
    order: 6,
    minimum: 1,
    maximum: 1000000,
    default: 1000000,
    markdownDescription: 'Largest export, in characters.',
  },
  'devguideExport.limits.defaultTimeoutMs': {
    type: 'integer',
    order: 7,
    minimum: 1,
    default: 30000,
    markdownDescription: 'Time limit of one destination call, in milliseconds.',
  },
  'devguideExport.limits.maxRetries': {
    type: 'integer',
    order: 8,
    minimum: 0,
    maximum: 10,
    default: 3,
    markdownDescription: 'How often a failed destination call is retried (with exponential backoff) when retrying may help.',
  },
  'devguideExport.limits.templateCacheTtlMs': {
    type: 'integer',
    order: 9,
    minimum: 0,
    default: 300000,
    markdownDescription: 'How long compiled templates are reused, in milliseconds (`0`: compile every time).',
  },
  'devguideExport.limits.maxInputBytes': {
    type: 'integer',
    order: 10,
    minimum: 1,
    maximum: 1073741824,
    default: 67108864,
    markdownDescription: 'Transcript files larger than this many bytes are refused before they are read (default 64 MiB).',
  },
  'devguideExport.rateLimits': {
    type: 'object',
    order: 10,
    default: {},
    markdownDescription: 'Requests per minute per destination id, e.g. `{"github": {"requestsPerMinute": 30, "burst": 5}}`.',
    additionalProperties: {
      type: 'object',
      additionalProperties: false,
      required: ['requestsPerMinute'],
      properties: {
        requestsPerMinute: { type: 'number', exclusiveMinimum: 0 },
        burst: { type: 'integer', minimum: 1 },
      },
    },
  },
};

const SECTIONS = [
  { id: 'devguideExport', title: CATEGORY, keys: ['destinations', 'sources', 'defaultTemplate', 'defaultDestination', 'templatesDir', 'user'] },
  { id: 'devguideExport.review', title: 'Review', keys: ['review.requireAt'] },
  { id: 'devguideExport.googleDrive', title: 'Google Drive', keys: ['googleDrive.clientId', 'googleDrive.clientSecret'] },
  { id: 'devguideExport.toolOutput', title: 'Tool Output', keys: ['toolOutput.mode', 'toolOutput.maxLines', 'toolOutput.maxInputChars'] },
  { id: 'devguideExport.store', title: 'Store', keys: ['store', 'storePath'] },
  { id: 'devguideExport.limits', title: 'Limits', keys: ['limits.maxContentLength', 'limits.defaultTimeoutMs', 'limits.maxRetries', 'limits.templateCacheTtlMs', 'limits.maxInputBytes', 'rateLimits'] },
];

const sectioned = SECTIONS.flatMap((section) => section.keys.map((key) => `devguideExport.${key}`));
if (sectioned.length !== Object.keys(settings).length || sectioned.some((key) => !(key in settings))) {
  throw new Error('client/manifest/contributes.mjs: every setting belongs to exactly one section');
}

const configuration = SECTIONS.map(({ id, title, keys }, order) => ({
  id,
  title,
  order,
  properties: Object.fromEntries(keys.map((key) => [`devguideExport.${key}`, settings[`devguideExport.${key}`]])),
}));

// The Export History view (its own activity-bar container).
const HISTORY_CONTAINER = 'devguideExport';
const HISTORY_VIEW = 'devguideExport.history';
const ICON = 'client/media/devguide-export.svg';
const IN_HISTORY = `view == ${HISTORY_VIEW}`;
/** Tree items carry space-separated flags in their contextValue (client/src/history/historyModel.ts). */
const itemHas = (flag) => `${IN_HISTORY} && viewItem =~ /\\b${flag}\\b/`;
/** Commands that need a job or the view: menus only. */
const VIEW_ONLY = [
  'devguideExport.showJobDetails',
  'devguideExport.openExportOutput',
  'devguideExport.copyContentHash',
  'devguideExport.filterHistoryByStatus',
  'devguideExport.filterHistoryByDestination',
  'devguideExport.filterHistoryByTime',
  'devguideExport.clearHistoryFilter',
  'devguideExport.refreshHistory',
];

const menus = {
  commandPalette: [{ command: 'devguideExport.showLog', when: 'true' }, ...VIEW_ONLY.map((command) => ({ command, when: 'false' }))],
  'view/title': [
    { command: 'devguideExport.filterHistoryByStatus', group: 'navigation@1', when: IN_HISTORY },
    { command: 'devguideExport.filterHistoryByDestination', group: 'navigation@2', when: IN_HISTORY },
    { command: 'devguideExport.filterHistoryByTime', group: 'navigation@3', when: IN_HISTORY },
    { command: 'devguideExport.clearHistoryFilter', group: 'navigation@4', when: `${IN_HISTORY} && devguideExport.historyFiltered` },
    { command: 'devguideExport.refreshHistory', group: 'navigation@5', when: IN_HISTORY },
  ],
  'view/item/context': [
    { command: 'devguideExport.openExportOutput', group: 'inline@1', when: itemHas('openable') },
    { command: 'devguideExport.retryExport', group: 'inline@2', when: itemHas('status-failed') },
    { command: 'devguideExport.rollbackExport', group: 'inline@3', when: itemHas('status-completed') },
    { command: 'devguideExport.openExportOutput', group: '1_open@1', when: itemHas('openable') },
    { command: 'devguideExport.showJobDetails', group: '1_open@2', when: itemHas('job') },
    { command: 'devguideExport.retryExport', group: '2_change@1', when: itemHas('status-failed') },
    { command: 'devguideExport.rollbackExport', group: '2_change@2', when: itemHas('status-completed') },
    { command: 'devguideExport.copyContentHash', group: '3_copy@1', when: itemHas('hashed') },
  ],
  'editor/context': [
    { command: 'devguideExport.exportSelection', group: '9_devguideExport@1', when: `editorHasSelection || ${TRANSCRIPT_FILE}` },
    { command: 'devguideExport.previewExport', group: '9_devguideExport@2', when: `editorHasSelection || ${TRANSCRIPT_FILE}` },
  ],
  'explorer/context': [{ command: 'devguideExport.exportTranscript', group: '7_devguideExport@1', when: `!explorerResourceIsFolder && ${TRANSCRIPT_FILE}` }],
};

export const manifest = {
  activationEvents: ['onLanguage:devguide-template'],
  contributes: {
    commands,
    menus,
    viewsContainers: {
      activitybar: [{ id: HISTORY_CONTAINER, title: 'DevGuide Export', icon: ICON }],
    },
    views: {
      [HISTORY_CONTAINER]: [{ id: HISTORY_VIEW, name: 'Export History', icon: ICON, contextualTitle: 'DevGuide Export' }],
    },
    viewsWelcome: [
      {
        view: HISTORY_VIEW,
        contents: [
          'No exports yet.',
          'Select messages of a chat transcript (or any text in an editor) and run Export Selection from the editor\'s context menu, or export a whole transcript file:',
          '[Export Transcript…](command:devguideExport.exportTranscript)',
          'Each export is reviewed before it is written, and listed here: open it, retry it, or roll it back.',
        ].join('\n'),
        when: '!devguideExport.historyFiltered',
      },
      {
        view: HISTORY_VIEW,
        contents: ['No exports match the filter.', '[Clear Filter](command:devguideExport.clearHistoryFilter)'].join('\n'),
        when: 'devguideExport.historyFiltered',
      },
    ],
    configuration,
    // ctrl+k ctrl+g (cmd+k cmd+g): "g" for DevGuide. No default VS Code keybinding
    // (Linux, Windows, macOS) uses ctrl+k g or ctrl+k ctrl+g (test/unit/client/manifest.test.ts).
    keybindings: [
      {
        command: 'devguideExport.exportSelection',
        key: 'ctrl+k ctrl+g',
        mac: 'cmd+k cmd+g',
        when: 'editorTextFocus && editorHasSelection',
      },
    ],
    languages: [
      {
        id: 'devguide-template',
        aliases: ['DevGuide Template'],
        filenamePatterns: ['**/.devguide/templates/**/*.hbs'],
        configuration: './client/language-configuration.json',
      },
    ],
    grammars: [
      {
        language: 'devguide-template',
        scopeName: 'text.html.devguide-template',
        path: './client/syntaxes/devguide-template.tmLanguage.json',
        embeddedLanguages: { 'meta.embedded.block.yaml': 'yaml' },
      },
    ],
  },
  capabilities: {
    untrustedWorkspaces: {
      supported: 'limited',
      description:
        'In Restricted Mode, workspace templates (they are code) and destinations defined in workspace settings are disabled; built-in templates and destinations from your user settings keep working.',
      // Sources too: a workspace must not point a stored password at a server of its choosing.
      restrictedConfigurations: ['devguideExport.destinations', 'devguideExport.sources', 'devguideExport.templatesDir', 'devguideExport.store', 'devguideExport.storePath'],
    },
    virtualWorkspaces: {
      supported: false,
      description: 'DevGuide Export reads transcripts and writes exports through the local file system.',
    },
  },
};

const KEYS = ['activationEvents', 'contributes', 'capabilities'];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = join(root, 'package.json');
  const current = JSON.parse(readFileSync(file, 'utf8'));
  const differs = KEYS.some((key) => JSON.stringify(current[key]) !== JSON.stringify(manifest[key]));
  if (process.argv.includes('--check')) {
    console.log(differs ? 'package.json: activationEvents/contributes/capabilities are out of date' : 'package.json: up to date');
    process.exit(differs ? 1 : 0);
  }
  // Keep the key order of package.json; add missing keys after "main".
  const next = {};
  for (const [key, value] of Object.entries(current)) {
    next[key] = KEYS.includes(key) ? manifest[key] : value;
    if (key === 'main') for (const k of KEYS) if (!(k in current)) next[k] = manifest[k];
  }
  writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
  console.log(differs ? 'package.json updated' : 'package.json already up to date');
}
