import assert from 'node:assert/strict';
import { Logger, MemorySink, REDACTED } from '../../../client/src/logging/logger';
import { loggerChannel, withoutStackFrames } from '../../../client/src/logging/loggerChannel';

describe('client: logger', () => {
  it('writes every line to every sink, errors without stacks', () => {
    const a = new MemorySink();
    const b = new MemorySink();
    const logger = new Logger([a]);
    const remove = logger.addSink(b);
    logger.info('hello');
    remove();
    logger.error('failed', new Error('boom'));
    assert.deepEqual(a.snapshot(), ['[info] hello', '[error] failed: boom']);
    assert.deepEqual(b.snapshot(), ['[info] hello']);
  });

  it('blanks out registered secrets, also in their JSON-escaped spelling, and counts it', () => {
    const sink = new MemorySink();
    const logger = new Logger([sink]);
    const secret = 'pa"ss\\word-123';
    logger.protectSecret(secret);
    logger.protectSecret('abc'); // too short to scrub safely
    logger.trace(`Sending response 'devguide/getSecret - (4)'. Result: ${JSON.stringify({ value: secret })}`);
    logger.info(`raw ${secret} abc`);
    const lines = sink.snapshot();
    assert.ok(lines.every((l) => !l.includes('ss\\word') && !l.includes('pa"ss')), lines.join('\n'));
    assert.ok(lines.every((l) => l.includes(REDACTED)));
    assert.match(lines[1]!, / abc$/);
    assert.equal(logger.scrubbedCount, 2);
  });

  it('keeps only the last lines in memory', () => {
    const sink = new MemorySink(3);
    const logger = new Logger([sink]);
    for (let i = 0; i < 5; i++) logger.debug(String(i));
    assert.deepEqual(sink.snapshot(), ['[debug] 2', '[debug] 3', '[debug] 4']);
  });
});

describe('client: the log channel vscode-languageclient writes to', () => {
  function fakeChannel() {
    const calls: string[] = [];
    const channel = {
      name: 'DevGuide Export',
      logLevel: 2,
      onDidChangeLogLevel: () => ({ dispose: () => undefined }),
      show: (a?: unknown, b?: unknown) => calls.push(`show ${String(a)} ${String(b)}`),
      hide: () => calls.push('hide'),
      clear: () => calls.push('clear'),
      dispose: () => calls.push('dispose'),
    };
    return { calls, channel: channel as unknown as Parameters<typeof loggerChannel>[0] };
  }

  it('passes every line through the Logger (secrets scrubbed, stack frames dropped), and never disposes the channel', () => {
    const sink = new MemorySink();
    const logger = new Logger([sink]);
    const secret = 'ghp_secretTokenValue42';
    logger.protectSecret(secret);
    const { calls, channel } = fakeChannel();
    const wrapped = loggerChannel(channel, logger);
    wrapped.trace(`Received response 'devguide/getSecret'. Result: {"value":"${secret}"}`);
    wrapped.error('Request failed\nError: boom\n    at foo (client.js:1:2)\n    at bar (client.js:3:4)');
    wrapped.appendLine('plain line');
    wrapped.show(true);
    wrapped.dispose();
    assert.deepEqual(sink.snapshot(), [
      `[trace] Received response 'devguide/getSecret'. Result: {"value":"${REDACTED}"}`,
      '[error] Request failed\nError: boom',
      '[info] plain line',
    ]);
    assert.deepEqual(calls, ['show true undefined'], 'show goes to the channel; dispose does not');
    assert.equal(wrapped.name, 'DevGuide Export');
  });

  it('drops only the "at …" lines of a stack', () => {
    assert.equal(withoutStackFrames('a\n    at x (y:1:1)\nb'), 'a\nb');
    assert.equal(withoutStackFrames('what happened'), 'what happened');
  });
});
