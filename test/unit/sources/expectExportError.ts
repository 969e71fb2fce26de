import assert from 'node:assert/strict';
import { type ErrorCode, ExportError } from '../../../server/src/errors';

/** Runs `fn`, asserts it throws an ExportError with `code`, and returns it for further checks. */
export function expectExportError(fn: () => unknown, code: ErrorCode, messageIncludes?: string | RegExp): ExportError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof ExportError, `expected an ExportError ${code}, got ${String(thrown)}`);
  assert.equal(thrown.code, code, `code (message: ${thrown.message})`);
  if (typeof messageIncludes === 'string') assert.ok(thrown.message.includes(messageIncludes), `"${thrown.message}" should include "${messageIncludes}"`);
  else if (messageIncludes !== undefined) assert.match(thrown.message, messageIncludes);
  assert.ok(!/\n\s+at /.test(thrown.message), 'no stack trace in the message');
  return thrown;
}
