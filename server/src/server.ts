import { fileURLToPath } from 'node:url';
import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { userInfo } from 'node:os';
import { systemClock } from './clock';
import { toExportError } from './errors';
import { registerHandlers } from './lsp/handlers';
import { ServerSession } from './lsp/session';
import { DidChangeTrustNotification, GetSecretRequest, initializationOptionsSchema, JobsChangedNotification } from './protocol';
import { defaultBuiltinTemplatesDir } from './templates/registry';
import { registerTemplateLanguageFeatures, TEMPLATE_LANGUAGE_CAPABILITIES } from './language/templateLanguageService';
import { FramingWatch } from './lsp/framing';

/**
 * The DevGuide Export language server: the pipeline behind custom requests
 * (protocol.ts) and language features for template files. Runs under the
 * extension or standalone: `node dist/server.js --stdio`.
 */

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let session: ServerSession | undefined;
let templateFeatures: ReturnType<typeof registerTemplateLanguageFeatures> | undefined;
let supportsConfiguration = false;

function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

connection.onInitialize((params): InitializeResult => {
  const options = initializationOptionsSchema.safeParse(params.initializationOptions ?? {});
  const init = options.success ? options.data : { trusted: false, workspaceDestinationIds: [] as string[], actor: undefined };
  const rootUri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  const workspaceRoot = (rootUri ? uriToPath(rootUri) : undefined) ?? process.cwd();
  supportsConfiguration = params.capabilities.workspace?.configuration === true;
  session = new ServerSession({
    workspaceRoot,
    trusted: init.trusted,
    workspaceDestinationIds: init.workspaceDestinationIds,
    actor: init.actor ?? currentUser(),
    clock: systemClock,
    builtinTemplatesDir: defaultBuiltinTemplatesDir(),
    // Asked per use and never kept: the server holds a secret only for one job.
    getSecret: async (destinationId, field) => {
      const reply = await connection.sendRequest(GetSecretRequest.type, { destinationId, field });
      return reply?.value ?? undefined;
    },
    onJobChanged: (change) => void connection.sendNotification(JobsChangedNotification.type, change),
  });
  const activeSession = session;
  registerHandlers(connection, () => activeSession.ready());
  templateFeatures = registerTemplateLanguageFeatures(connection, documents, {
    // The sample render runs the template: only in a trusted workspace.
    canRenderSample: () => activeSession.trusted,
    isTemplateDocument: (uri) => {
      const path = uriToPath(uri);
      return path !== undefined && activeSession.isTemplateDocument(path);
    },
    log: (message) => connection.console.log(message),
  });
  return {
    // Incremental sync, completion and hover, declared once beside the features.
    capabilities: { ...TEMPLATE_LANGUAGE_CAPABILITIES },
    serverInfo: { name: 'devguide-export', version: '0.1.0' },
  };
});

/** Trust and settings change what is checked: re-check every open template. */
function revalidateOpenTemplates(): void {
  for (const document of documents.all()) void templateFeatures?.validateNow(document.uri);
}

async function loadSettings(): Promise<void> {
  if (!session) return;
  try {
    const settings = supportsConfiguration ? await connection.workspace.getConfiguration('devguideExport') : {};
    await session.configure(settings);
    revalidateOpenTemplates();
  } catch (thrown) {
    const error = toExportError(thrown);
    connection.window.showErrorMessage(`DevGuide Export settings: ${error.message}`);
    connection.console.error(`settings not applied: ${error.code}: ${error.message}`);
  }
}

connection.onInitialized(async () => {
  try {
    if (supportsConfiguration) {
      await connection.client.register(DidChangeConfigurationNotification.type, { section: 'devguideExport' });
    }
    await loadSettings();
  } finally {
    session?.markSettingsLoaded();
  }
});

connection.onDidChangeConfiguration(() => {
  void loadSettings();
});

connection.onNotification(DidChangeTrustNotification.type, (raw) => {
  const params = DidChangeTrustNotification.params.safeParse(raw);
  if (!params.success) return connection.console.error(`${DidChangeTrustNotification.method}: invalid parameters`);
  session?.setTrust(params.data.trusted, params.data.workspaceDestinationIds);
  revalidateOpenTemplates();
});

function currentUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

connection.onShutdown(async () => {
  await session?.dispose();
});

// Over stdio, a framing error ends the process (non-zero), so a client restarts the server instead of waiting forever.
if (process.argv.includes('--stdio')) {
  const watch = new FramingWatch((problem) => {
    process.stderr.write(`DevGuide Export language server: invalid LSP framing on stdin (${problem}); exiting.\n`);
    process.exit(1);
  });
  process.stdin.on('data', (chunk: Buffer) => watch.push(chunk));
}

documents.listen(connection);
connection.listen();
