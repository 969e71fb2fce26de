import assert from 'node:assert/strict';
import { Logger, MemorySink, REDACTED } from '../../../client/src/logging/logger';

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
