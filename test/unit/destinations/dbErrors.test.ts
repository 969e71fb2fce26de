import { strict as assert } from 'node:assert';
import { dbFailure, isConnectionLoss, isRetryableConflict, type DbFailureContext } from '../../../server/src/db/errors';
import { RetriesExhausted, withTransactionRetries } from '../../../server/src/db/retry';

/** mysql2's errors (by shape) as the project's coded errors, and which ones retry the transaction. */

const context: DbFailureContext = { what: 'write to kb.exported_artifacts', host: 'db.example.com', port: 4000, user: 'ana', database: 'kb', passwordHint: 'Set DEVGUIDE_SECRET_KB_PASSWORD.' };

function mysqlError(fields: { errno?: number; code?: string; sqlMessage?: string; fatal?: boolean }): Error {
  return Object.assign(new Error(fields.sqlMessage ?? fields.code ?? 'error'), fields);
}

describe('db: errors and transaction retries', () => {
  it('maps each class of failure to its code', () => {
    const cases: [Error, string, boolean][] = [
      [mysqlError({ errno: 1045, code: 'ER_ACCESS_DENIED_ERROR', sqlMessage: "Access denied for user 'ana'@'10.0.0.1' (using password: YES)" }), 'AUTH_EXPIRED', false],
      [mysqlError({ errno: 1142, sqlMessage: "INSERT command denied to user 'ana'" }), 'PERMISSION_DENIED', false],
      [mysqlError({ errno: 1044 }), 'PERMISSION_DENIED', false],
      [mysqlError({ errno: 1049, sqlMessage: "Unknown database 'kb'" }), 'DESTINATION_NOT_FOUND', false],
      [mysqlError({ errno: 8025, sqlMessage: 'entry too large' }), 'CONTENT_TOO_LARGE', false],
      [mysqlError({ errno: 8002, sqlMessage: 'Write conflict' }), 'MAX_RETRIES_EXCEEDED', true],
      [mysqlError({ code: 'ECONNREFUSED' }), 'CONNECTION_FAILED', true],
      [mysqlError({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true }), 'CONNECTION_FAILED', true],
      [mysqlError({ code: 'ETIMEDOUT' }), 'TIMEOUT', true],
      [mysqlError({ code: 'HANDSHAKE_NO_SSL_SUPPORT', sqlMessage: 'Server does not support secure connection' }), 'CONNECTION_FAILED', false],
      [mysqlError({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', sqlMessage: 'self-signed certificate' }), 'CONNECTION_FAILED', false],
      [mysqlError({ errno: 1406, sqlMessage: "Data too long for column 'filename'" }), 'WRITE_FAILED', false],
    ];
    for (const [error, code, recoverable] of cases) {
      const mapped = dbFailure(error, context);
      assert.equal(mapped.code, code, `${error.message} → ${mapped.code}`);
      assert.equal(mapped.recoverable, recoverable, error.message);
    }
  });

  it('AUTH_EXPIRED names the user and the server and says how to set the password', () => {
    const mapped = dbFailure(mysqlError({ errno: 1045, sqlMessage: 'Access denied' }), context);
    assert.match(mapped.message, /db\.example\.com:4000 rejected user "ana".*DEVGUIDE_SECRET_KB_PASSWORD/);
  });

  it('retries TiDB write conflicts, deadlocks, lock waits and lost connections; nothing else', () => {
    for (const errno of [8002, 8005, 8022, 8028, 9007, 1213, 1205]) assert.equal(isRetryableConflict(mysqlError({ errno })), true, String(errno));
    assert.equal(isRetryableConflict(mysqlError({ errno: 1062 })), false);
    assert.equal(isConnectionLoss(mysqlError({ code: 'ECONNRESET' })), true);
    assert.equal(isConnectionLoss(mysqlError({ errno: 1045 })), false);
    assert.equal(isConnectionLoss(new Error("Can't add new command when connection is in closed state")), true);
    assert.equal(isConnectionLoss(mysqlError({ code: 'PROTOCOL_SEQUENCE_TIMEOUT' })), false, 'a timeout is not retried: the statement may have run');
  });

  it('tries the whole transaction again with growing waits, then hands back the last error with the attempts', async () => {
    const waits: number[] = [];
    let calls = 0;
    const failure = await withTransactionRetries(
      async () => {
        calls += 1;
        throw mysqlError({ errno: 9007 });
      },
      { maxRetries: 3, baseDelayMs: 100, jitter: () => 0, sleep: async (ms) => void waits.push(ms) },
    ).catch((e: unknown) => e);
    assert.ok(failure instanceof RetriesExhausted);
    assert.equal(failure.attempts, 4);
    assert.equal(calls, 4);
    assert.deepEqual(waits, [50, 100, 200]);
    let once = 0;
    await assert.rejects(withTransactionRetries(async () => { once += 1; throw mysqlError({ errno: 1062 }); }, { maxRetries: 3, sleep: async () => undefined }));
    assert.equal(once, 1, 'a duplicate key is not retried');
  });
});
