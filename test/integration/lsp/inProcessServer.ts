import { PassThrough } from 'node:stream';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { StreamMessageReader, StreamMessageWriter, TextDocuments, createConnection } from 'vscode-languageserver/node';
import { createProtocolConnection } from 'vscode-languageserver-protocol/node';
import {
  TEMPLATE_LANGUAGE_CAPABILITIES,
  type TemplateLanguageFeatures,
  type TemplateLanguageOptions,
  registerTemplateLanguageFeatures,
} from '../../../server/src/language/templateLanguageService';
import { LspTestClient } from './lspClient';

/**
 * The template language features on a real LSP connection inside the test
 * process, for behaviour the built server cannot be steered into (options,
 * validateNow). Readers/writers, not raw streams, so closing them does not
 * make vscode-languageserver exit the process; never send `exit` to it.
 */

export interface InProcessServer {
  client: LspTestClient;
  features: TemplateLanguageFeatures;
  log: string[];
}

export async function startInProcessServer(options: Partial<TemplateLanguageOptions> = {}): Promise<InProcessServer> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  const documents = new TextDocuments(TextDocument);
  const log: string[] = [];
  let features: TemplateLanguageFeatures | undefined;
  serverConnection.onInitialize(() => {
    features = registerTemplateLanguageFeatures(serverConnection, documents, {
      isTemplateDocument: (uri) => uri.endsWith('.hbs'),
      log: (message) => log.push(message),
      ...options,
    });
    return { capabilities: { ...TEMPLATE_LANGUAGE_CAPABILITIES } };
  });
  documents.listen(serverConnection);
  serverConnection.listen();

  const clientConnection = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const client = new LspTestClient(clientConnection, {
    sendExit: false,
    onDispose: async () => {
      features?.dispose();
      serverConnection.dispose();
      toServer.end();
      toClient.end();
    },
  });
  await client.initialize('file:///in-process-workspace', { processId: null });
  if (features === undefined) throw new Error('the server did not register the template features');
  return { client, features, log };
}
