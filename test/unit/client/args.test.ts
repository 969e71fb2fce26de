import assert from 'node:assert/strict';
import { exportSelectionArgs, exportTranscriptArgs, historyTimeFilterArgs, InvalidArgumentsError, parseArgs, setCredentialArgs } from '../../../client/src/commands/args';
import { isNotATranscript, toUserFacingError } from '../../../client/src/languageClient/serverErrors';
import { destinationRefsOf, sameIds, workspaceDestinationIdsOf } from '../../../client/src/settingsValues';

describe('client: command arguments, server errors, settings values', () => {
  it('no arguments mean the interactive flow; given ones are checked', () => {
    assert.deepEqual(parseArgs(exportSelectionArgs, undefined, 'x'), {});
    assert.deepEqual(parseArgs(exportSelectionArgs, { template: 'markdown', tags: ['a'], accept: true, extra: 1 }, 'x'), { template: 'markdown', tags: ['a'], accept: true });
    assert.throws(() => parseArgs(exportSelectionArgs, { template: 3 }, 'Export Selection'), (e: unknown) => e instanceof InvalidArgumentsError && /Export Selection: template/.test(e.message));
    assert.throws(() => parseArgs(exportTranscriptArgs, { messageIds: [''] }, 'x'), InvalidArgumentsError);
    assert.throws(() => parseArgs(setCredentialArgs, { method: 'password' }, 'x'), InvalidArgumentsError);
    assert.deepEqual(parseArgs(historyTimeFilterArgs, { range: '7d' }, 'x'), { range: '7d' });
    assert.deepEqual(parseArgs(historyTimeFilterArgs, { range: null }, 'x'), { range: null }, 'null: all time');
    assert.throws(() => parseArgs(historyTimeFilterArgs, { range: '1y' }, 'Filter by Time'), InvalidArgumentsError);
  });

  it('server errors show their message and recoverability; anything else a first line, never a stack', () => {
    const response = Object.assign(new Error('Connection refused'), { code: -32803, data: { code: 'CONNECTION_FAILED', message: 'Connection refused', recoverable: true, details: {} } });
    assert.deepEqual(toUserFacingError(response), { code: 'CONNECTION_FAILED', message: 'Connection refused', recoverable: true });
    const crash = new Error('Cannot read properties of undefined\n    at foo (x.js:1:1)');
    assert.deepEqual(toUserFacingError(crash), { code: 'INTERNAL_ERROR', message: 'Cannot read properties of undefined', recoverable: false });
    assert.equal(toUserFacingError('weird').message, 'weird');
    assert.equal(isNotATranscript({ code: 'UNKNOWN_FORMAT', message: '', recoverable: false }), true);
    assert.equal(isNotATranscript({ code: 'CONNECTION_FAILED', message: '', recoverable: true }), false);
  });

  it('reads destination ids from raw setting values, ignoring half-typed entries', () => {
    assert.deepEqual(destinationRefsOf([{ id: 'a', type: 'local' }, { id: 'b' }, 'x', { id: 'c', type: 'github', name: 'C' }]), [
      { id: 'a', type: 'local', name: 'a' },
      { id: 'c', type: 'github', name: 'C' },
    ]);
    assert.deepEqual(destinationRefsOf(null), []);
    assert.deepEqual(workspaceDestinationIdsOf({ workspaceValue: [{ id: 'w', type: 'local' }], workspaceFolderValue: [{ id: 'f', type: 'tidb' }, { id: 'w', type: 'local' }] }), ['f', 'w']);
    assert.deepEqual(workspaceDestinationIdsOf(undefined), []);
    assert.equal(sameIds(['a', 'b'], ['a', 'b']), true);
    assert.equal(sameIds(['a'], ['a', 'b']), false);
  });
});

describe('client: reading a workspace settings file', () => {
  it('accepts comments and trailing commas like VS Code, and keeps strings intact', async () => {
    const { parseSettingsText } = await import('../../../client/src/settingsValues');
    const text = `{
      // a comment
      "devguideExport.destinations": [ /* inline */ { "id": "team-docs", "type": "local", "baseDir": "http://x//y", }, ],
      "quote": "a \\" // not a comment",
      "commas": "a,}",
    }`;
    assert.deepEqual(parseSettingsText(text), {
      'devguideExport.destinations': [{ id: 'team-docs', type: 'local', baseDir: 'http://x//y' }],
      quote: 'a " // not a comment',
      commas: 'a,}',
    });
    assert.equal(parseSettingsText('[1]'), undefined);
    assert.equal(parseSettingsText('{ broken'), undefined);
    assert.equal(parseSettingsText(''), undefined);
  });
});
