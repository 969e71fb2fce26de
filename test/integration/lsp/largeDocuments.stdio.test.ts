import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type LspTestClient, type TempWorkspace, startBuiltServer, tempWorkspace } from './lspClient';

/**
 * Issue 11 item 7 over real stdio: a template far over the size limit (23 MB)
 * gets one diagnostic and no analysis; requests stay quick and the server's
 * memory bounded; typing into a large document does not stall the server.
 */

/** The server's resident memory, in MB (Linux /proc). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? Number.NaN) / 1024;
}

function template(bodyChars: number): string {
  const line = '- {{role}}: {{oneLine content}} {{#if agent_id}}({{agent_id}}){{/if}}\n';
  return `---\nname: Huge\noutput: markdown\n---\n# {{metadata.title}}\n{{#each messages}}\n${line.repeat(Math.ceil(bodyChars / line.length))}{{/each}}\n`;
}

describe('language server over stdio: documents over the template size limit', function () {
  this.timeout(60_000);
  let workspace: TempWorkspace;
  let client: LspTestClient;

  before(async () => {
    workspace = await tempWorkspace();
    client = startBuiltServer();
    await client.initialize(workspace.uri);
  });
  after(async () => {
    await client?.shutdown();
    await workspace?.cleanup();
  });

  it('a 23 MB template: one TEMPLATE_TOO_LARGE diagnostic, a quick answer to a request, memory under 300 MB', async () => {
    const uri = workspace.uriOf('.devguide/templates/huge.hbs');
    await client.open(uri, template(23 * 1024 * 1024));
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['TEMPLATE_TOO_LARGE']);
    assert.match(String(published.diagnostics[0]?.message ?? ''), /not analysed/);
    assert.equal(await client.hover(uri, { line: 6, character: 5 }), null, 'no analysis behind a hover either');
    const pid = client.serverPid;
    assert.ok(pid !== undefined);
    assert.ok(rssMb(pid) < 300, `the server holds ${rssMb(pid).toFixed(0)} MB`);
    await client.close(uri);
  });

  it('typing into a 1 MB template one character at a time: every keystroke answered, nothing stalls', async () => {
    const uri = workspace.uriOf('.devguide/templates/big.hbs');
    await client.open(uri, template(1024 * 1024));
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'TEMPLATE_TOO_LARGE'));
    let version = 1;
    for (let i = 0; i < 100; i++) version = await client.edit(uri, { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, 'x');
    await client.waitForDiagnostics(uri, (p) => p.version === version);
    await client.close(uri);
    const pid = client.serverPid;
    assert.ok(pid !== undefined && rssMb(pid) < 300, `the server holds ${pid === undefined ? '?' : rssMb(pid).toFixed(0)} MB after close`);
  });
});
