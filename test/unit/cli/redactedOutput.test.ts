import assert from 'node:assert/strict';
import { redactedIo } from '../../../server/src/cli/redactedOutput';
import { fakes } from '../governance/fakeSecrets';

/** Issue 11 item 4: nothing the CLI prints repeats a token, whichever rule set knows its format. */
describe('CLI output redaction', () => {
  function capture(json: boolean) {
    const written: string[] = [];
    const io = redactedIo({ stdout: (t) => written.push(`out:${t}`), stderr: (t) => written.push(`err:${t}`), stderrIsTty: false }, json);
    return { io, written };
  }

  it('redacts a format only secretlint knows (Hugging Face) and keeps the writes in order', async () => {
    const secret = fakes.huggingFace();
    const { io, written } = capture(false);
    io.stdout('first\n');
    io.stderr(`key ${secret} here\n`);
    io.stdout('last\n');
    await io.flushed();
    assert.equal(written.length, 3);
    assert.equal(written[0], 'out:first\n');
    assert.match(written[1] ?? '', /^err:key \[REDACTED:[^\]]+\] here\n$/);
    assert.equal(written[2], 'out:last\n');
    assert.ok(!written.join('').includes(secret));
  });

  it('redacts inside --json output and leaves clean text as it was', async () => {
    const secret = fakes.githubPat();
    const { io, written } = capture(true);
    const clean = JSON.stringify({ title: 'Plan \u001b[31m', n: 1 });
    io.stdout(clean);
    io.stdout(JSON.stringify({ error: { message: `bad ${secret}` } }));
    await io.flushed();
    assert.equal(written[0], `out:${clean}`);
    assert.ok(!(written[1] ?? '').includes(secret));
    assert.match(written[1] ?? '', /REDACTED/);
  });
});
