import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { RestartPolicy } from '../../../client/src/languageClient/restartPolicy';
import { toUserFacingError } from '../../../client/src/languageClient/serverErrors';
import { describeExit, ExitWatch, inspectPortOf, serverExecArgv } from '../../../client/src/languageClient/serverProcess';

describe('client: language server restart policy', () => {
  it('allows 3 restarts within 3 minutes, then refuses until the oldest is older than that', () => {
    let now = 0;
    const policy = new RestartPolicy(3, 180_000, () => now);
    assert.ok(policy.shouldRestart());
    now = 1_000;
    assert.ok(policy.shouldRestart());
    now = 2_000;
    assert.ok(policy.shouldRestart());
    now = 3_000;
    assert.ok(!policy.shouldRestart(), 'a fourth crash within 3 minutes');
    now = 180_000;
    assert.ok(policy.shouldRestart(), 'the first restart has aged out');
  });

  it('defaults to 3 restarts in 3 minutes', () => {
    let now = 0;
    const policy = new RestartPolicy(undefined, undefined, () => now);
    for (let i = 0; i < 3; i++) assert.ok(policy.shouldRestart());
    now = 179_999;
    assert.ok(!policy.shouldRestart());
  });
});

describe('client: the language server process', () => {
  it('says how the process ended', () => {
    assert.equal(describeExit({ code: null, signal: 'SIGKILL' }), 'the process ended: signal SIGKILL');
    assert.equal(describeExit({ code: 3, signal: null }), 'the process ended: exit code 3');
    assert.equal(describeExit(undefined), 'its connection closed');
  });

  it('reads DEVGUIDE_SERVER_INSPECT as a port, and gives the server the inspector flags only then', () => {
    assert.equal(inspectPortOf('6011'), 6011);
    for (const bad of [undefined, '', ' ', '0', '65536', '6011.5', 'yes']) assert.equal(inspectPortOf(bad), undefined, String(bad));
    assert.deepEqual(serverExecArgv(6011), ['--nolazy', '--inspect=6011']);
    assert.deepEqual(serverExecArgv(undefined), []);
  });

  it('remembers how the watched process exits, waiting a bounded time for it', async () => {
    const watch = new ExitWatch();
    assert.equal(await watch.lastExit(10), undefined, 'nothing watched');

    const child = Object.assign(new EventEmitter(), { exitCode: null, signalCode: null });
    watch.watch(child);
    assert.equal(await watch.lastExit(10), undefined, 'still running: the wait ends');
    setImmediate(() => child.emit('exit', null, 'SIGKILL'));
    assert.deepEqual(await watch.lastExit(1_000), { code: null, signal: 'SIGKILL' });

    const gone = Object.assign(new EventEmitter(), { exitCode: 1, signalCode: null });
    watch.watch(gone);
    assert.deepEqual(await watch.lastExit(0), { code: 1, signal: null }, 'it had exited before it was watched');
  });
});

describe('client: failed requests as people read them', () => {
  it('cancelled, interrupted by a crash, and no server at all — each with a code, never a stack', () => {
    assert.deepEqual(toUserFacingError({ code: -32800, message: 'Request got cancelled' }), { code: 'CANCELLED', message: 'Cancelled.', recoverable: false });
    const crashed = toUserFacingError({ code: -32097, message: 'Pending response rejected since connection got disposed' });
    assert.equal(crashed.code, 'INTERRUPTED');
    assert.equal(crashed.recoverable, true);
    const stopped = toUserFacingError({ code: -32096, message: 'Client is not running' });
    assert.equal(stopped.code, 'INTERRUPTED');
    assert.match(stopped.message, /not running/);
    // The server's own answer wins over the JSON-RPC code.
    const answered = toUserFacingError({ code: -32803, message: 'x', data: { code: 'CANCELLED', message: 'The export was cancelled.', recoverable: false } });
    assert.equal(answered.message, 'The export was cancelled.');
  });

  it('AUTH_EXPIRED names the destination whose credential to set again; other codes do not', () => {
    const expired = toUserFacingError({ code: -32803, message: 'x', data: { code: 'AUTH_EXPIRED', message: 'GitHub refused the token.', recoverable: false, details: { destination: 'gh', action: 'reauthenticate' } } });
    assert.equal(expired.credentialFor, 'gh');
    const denied = toUserFacingError({ code: -32803, message: 'x', data: { code: 'PERMISSION_DENIED', message: 'No push.', recoverable: false, details: { destination: 'gh' } } });
    assert.equal(denied.credentialFor, undefined);
  });
});
