import { strict as assert } from 'node:assert';
import { type InProcessServer, startInProcessServer } from './inProcessServer';
import { messageOf } from './lspClient';

/** The façade's options and validateNow, on a real LSP connection in this process. */

const MALFORMED_XML = '---\nname: X\noutput: xml\n---\n<doc>\n  <open>\n</doc>\n';
const UNCLOSED = '---\nname: U\n---\n{{#if metadata.author}}\n';

describe('registerTemplateLanguageFeatures (in process)', () => {
  let server: InProcessServer | undefined;

  afterEach(async () => {
    await server?.client.shutdown();
    server = undefined;
  });

  it('validateNow publishes the full check, sample render included, for the current version', async () => {
    // Timers far away: only validateNow can produce the sample-render result in time.
    server = await startInProcessServer({ sampleRenderDelayMs: 60_000 });
    const { client, features } = server;
    const uri = 'file:///w/.devguide/templates/x.hbs';
    await client.open(uri, MALFORMED_XML);
    await client.waitForDiagnostics(uri, (p) => p.version === 1);
    const before = client.published.length;
    await features.validateNow(uri);
    const published = await client.waitForDiagnostics(uri, () => true, { sinceIndex: before });
    assert.equal(published.version, 1);
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['SAMPLE_OUTPUT_INVALID']);
  });

  it('runs static checks only when the sample render is not allowed (untrusted workspace)', async () => {
    server = await startInProcessServer({ canRenderSample: () => false });
    const { client, features } = server;
    const uri = 'file:///w/.devguide/templates/x.hbs';
    await client.open(uri, MALFORMED_XML);
    const quick = await client.waitForDiagnostics(uri, (p) => p.version === 1);
    assert.deepEqual(quick.diagnostics, []);
    const before = client.published.length;
    await features.validateNow(uri);
    const full = await client.waitForDiagnostics(uri, () => true, { sinceIndex: before });
    assert.deepEqual(full.diagnostics, []);
  });

  it('leaves documents that are not templates alone: no diagnostics, completion or hover', async () => {
    server = await startInProcessServer({ isTemplateDocument: (uri) => uri.includes('/templates/') });
    const { client } = server;
    const notes = 'file:///w/notes/readme.hbs';
    const template = 'file:///w/templates/u.hbs';
    await client.open(notes, UNCLOSED);
    assert.deepEqual(await client.completion(notes, { line: 3, character: 2 }), []);
    assert.equal(await client.hover(notes, { line: 3, character: 4 }), null);
    await client.open(template, UNCLOSED);
    const published = await client.waitForDiagnostics(template);
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['HBS_UNCLOSED_BLOCK']);
    assert.equal(client.published.filter((p) => p.uri === notes).length, 0);
    await client.close(notes);
    await client.close(template);
    await client.waitForDiagnostics(template, (p) => p.version === undefined);
    assert.equal(client.published.filter((p) => p.uri === notes).length, 0);
  });

  it('checks each open template on its own and clears only the one closed', async () => {
    server = await startInProcessServer();
    const { client } = server;
    const a = 'file:///w/.devguide/templates/a.hbs';
    const b = 'file:///w/.devguide/templates/b.hbs';
    await client.open(a, UNCLOSED);
    await client.open(b, UNCLOSED.replace('{{#if', '{{#each'));
    const [first, second] = await Promise.all([client.waitForDiagnostics(a), client.waitForDiagnostics(b)]);
    assert.match(messageOf(first.diagnostics[0]), /\{\{#if\}\}/);
    assert.match(messageOf(second.diagnostics[0]), /\{\{#each\}\}/);
    await client.close(a);
    const cleared = await client.waitForDiagnostics(a, (p) => p.version === undefined);
    assert.deepEqual(cleared.diagnostics, []);
    assert.equal(client.published.filter((p) => p.uri === b && p.version === undefined).length, 0);
  });
});
