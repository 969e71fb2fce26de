import assert from 'node:assert/strict';
import { FramingWatch } from '../../../server/src/lsp/framing';

/** Issue 11 item 10: the framing errors that used to leave the server waiting forever. */

function frame(body: string, headers = ''): Buffer {
  return Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n${headers}\r\n${body}`);
}

function watch(): { watch: FramingWatch; problems: string[] } {
  const problems: string[] = [];
  return { watch: new FramingWatch((p) => problems.push(p)), problems };
}

describe('lsp: framing watch over stdio', () => {
  it('passes well-framed messages, in one chunk or byte by byte, with other headers', () => {
    const messages = Buffer.concat([
      frame('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}'),
      frame('{"jsonrpc":"2.0","method":"initialized","params":{"é":"ü"}}', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n'),
    ]);
    const whole = watch();
    whole.watch.push(messages);
    assert.deepEqual(whole.problems, []);
    const split = watch();
    for (const byte of messages) split.watch.push(Buffer.from([byte]));
    assert.deepEqual(split.problems, []);
  });

  const bad: Array<[string, Buffer, RegExp]> = [
    ['Content-Length: abc', Buffer.from('Content-Length: abc\r\n\r\n{}'), /not a positive number/],
    ['Content-Length: -5', Buffer.from('Content-Length: -5\r\n\r\n{}'), /not a positive number/],
    ['no header at all (raw JSON)', Buffer.from('{"jsonrpc":"2.0","id":1,"method":"shutdown"}'), /not a header line/],
    ['no Content-Length', Buffer.from('Content-Type: application/json\r\n\r\n{}'), /without a Content-Length/],
    ['a length too small (the rest of the body reads as a header)', Buffer.from('Content-Length: 5\r\n\r\n{"jsonrpc":"2.0","id":1}'), /not a header line/],
    ['a header block that never ends', Buffer.from(`X-Pad: ${'a'.repeat(9000)}`), /no end of the header block/],
  ];
  for (const [name, bytes, problem] of bad) {
    it(`reports ${name}`, () => {
      const { watch: w, problems } = watch();
      w.push(bytes);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.match(problems[0] ?? '', problem);
    });
  }
});
