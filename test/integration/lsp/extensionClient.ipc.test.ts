import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerCapabilities } from 'vscode-languageserver-protocol';
import { LspClient, type LogLevel } from '../../../client/src/server/lspClient';
import { Configuration, RegisterCapability } from '../../../client/src/server/lspMessages';
import { RestartPolicy } from '../../../client/src/server/restartPolicy';
import { spawnServer } from '../../../client/src/server/serverProcess';
import { BUILT_SERVER, type TempWorkspace, tempWorkspace } from './lspClient';

/**
 * The extension's own LSP client (client/src/server/lspClient.ts, no
 * `vscode` in it) against the built server over Node IPC, as the extension
 * runs it: the handshake, server → client requests, a crash and its
 * restart, giving up, and a clean shutdown. The VS Code side (documents,
 * providers, settings) is covered in code-server by test/e2e/suite/.
 */

describe('extension LSP client over Node IPC (dist/server.js)', function () {
  this.timeout(30_000);
  let ws: TempWorkspace;
  let client: LspClient | undefined;
  let log: string[];
  let savedStore: string | undefined;

  before(() => {
    if (!existsSync(BUILT_SERVER)) throw new Error(`${BUILT_SERVER} is missing: run "node build.mjs" first.`);
  });
  beforeEach(async () => {
    ws = await tempWorkspace();
    log = [];
    // The forked server inherits the environment: never the real user data folder.
    savedStore = process.env['DEVGUIDE_EXPORT_STORE'];
    process.env['DEVGUIDE_EXPORT_STORE'] = join(ws.dir, '.store');
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    if (savedStore === undefined) delete process.env['DEVGUIDE_EXPORT_STORE'];
    else process.env['DEVGUIDE_EXPORT_STORE'] = savedStore;
    await ws.cleanup();
  });

  function newClient(options: { module?: string; policy?: RestartPolicy } = {}): LspClient {
    const created = new LspClient({
      spawn: () =>
        spawnServer({
          module: options.module ?? BUILT_SERVER,
          cwd: ws.dir,
          onOutput: (line, stream) => log.push(`[${stream}] ${line}`),
          onRpcError: (message) => log.push(`[rpc] ${message}`),
        }),
      initializeParams: () => ({
        processId: process.pid,
        rootUri: ws.uri,
        workspaceFolders: [{ uri: ws.uri, name: 'ws' }],
        initializationOptions: { trusted: true, workspaceDestinationIds: [] },
        capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, window: { workDoneProgress: true } },
      }),
      log: (level: LogLevel, message: string) => log.push(`[${level}] ${message}`),
      ...(options.policy ? { restartPolicy: options.policy } : {}),
    });
    client = created;
    return created;
  }

  const nextStart = (c: LspClient) =>
    new Promise<ServerCapabilities>((resolve) => {
      const once = c.onDidStart((capabilities) => {
        once.dispose();
        resolve(capabilities);
      });
    });

  it('starts the server, answers its registration and settings requests, and sends requests', async () => {
    const c = newClient();
    const registered: string[] = [];
    const asked: string[] = [];
    c.onRequest(RegisterCapability, (params) => {
      registered.push(...params.registrations.map((r) => `${r.method} ${JSON.stringify(r.registerOptions)}`));
    });
    c.onRequest(Configuration, (params) => params.items.map((item) => (asked.push(item.section ?? ''), { templatesDir: 'my-templates' })));
    const capabilities = nextStart(c);
    await c.start();
    assert.equal((await capabilities).textDocumentSync, 2, 'incremental sync');
    assert.ok(typeof c.pid === 'number');
    const templates = await c.sendRequestByName<{ id: string }[]>('devguide/listTemplates', {});
    assert.ok(templates.some((t) => t.id === 'markdown'), JSON.stringify(templates));
    assert.deepEqual(registered, ['workspace/didChangeConfiguration {"section":"devguideExport"}']);
    assert.deepEqual(asked, ['devguideExport']);
  });

  it('restarts a server that was killed: the request in flight fails plainly, later ones reach the new server', async () => {
    const c = newClient();
    let stops = 0;
    c.onDidStop(() => {
      stops += 1;
    });
    await c.start();
    const first = c.pid as number;
    const restarted = nextStart(c);
    // The request goes out after the kill (sending is asynchronous): it cannot be answered.
    const inFlight = c.sendRequestByName('devguide/listJobs', {});
    process.kill(first, 'SIGKILL');
    await assert.rejects(inFlight, (error: { message: string; data?: { code: string; recoverable: boolean } }) => {
      assert.equal(error.data?.code, 'INTERNAL_ERROR');
      assert.equal(error.data?.recoverable, true);
      assert.match(error.message, /stopped unexpectedly and is restarting/);
      assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace');
      return true;
    });
    await restarted;
    assert.notEqual(c.pid, first, 'a new process');
    assert.equal(stops, 1);
    const templates = await c.sendRequestByName<unknown[]>('devguide/listTemplates', {});
    assert.ok(templates.length > 0);
    assert.ok(log.some((l) => /\[error\] The language server stopped unexpectedly \(the process ended: signal SIGKILL\)/.test(l)), log.join('\n'));
  });

  it('gives up after the restarts the policy allows: requests then fail, and onDidFail says why', async () => {
    const c = newClient({ policy: new RestartPolicy(1, 60_000) });
    const failed = new Promise<Error>((resolve) => c.onDidFail(resolve));
    await c.start();
    const restarted = nextStart(c);
    process.kill(c.pid as number, 'SIGKILL');
    await restarted;
    process.kill(c.pid as number, 'SIGKILL');
    assert.match((await failed).message, /stopped unexpectedly too often/);
    await assert.rejects(c.sendRequestByName('devguide/listTemplates', {}), (error: { data?: { code: string } }) => error.data?.code === 'INTERNAL_ERROR');
  });

  it('reports a server that never starts, without restarting it', async () => {
    const c = newClient({ module: join(ws.dir, 'no-such-server.js') });
    const failed = new Promise<Error>((resolve) => c.onDidFail(resolve));
    await assert.rejects(c.start());
    assert.match((await failed).message, /did not start \(.*exit code 1\)/);
    assert.ok(log.some((l) => l.startsWith('[stderr]') && /Cannot find module/.test(l)), 'the server’s stderr is in the log');
    assert.equal(log.filter((l) => /Restarting/.test(l)).length, 0);
  });

  it('stops cleanly: shutdown and exit end the process, with no restart', async () => {
    const c = newClient();
    await c.start();
    const pid = c.pid as number;
    const started = Date.now();
    await c.stop();
    assert.ok(Date.now() - started < 2_000, 'the server exits on `exit`, no waiting for the kill timeout');
    assert.throws(() => process.kill(pid, 0), 'the process is gone');
    assert.equal(c.pid, undefined);
    assert.ok(!log.some((l) => /unexpectedly|did not exit/.test(l)), log.join('\n'));
    await assert.rejects(c.sendRequestByName('devguide/listTemplates', {}), /stopped/);
  });
});
