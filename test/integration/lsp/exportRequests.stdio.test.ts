import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type LspTestClient, REPO_ROOT, type TempWorkspace, startBuiltServer, tempWorkspace } from './lspClient';

/**
 * The pipeline behind the devguide/* requests, through the built server over
 * stdio: preview → createJob, errors as ResponseErrors with ErrorInfo data,
 * and the batch request (review all, then publish the accepted ones).
 */

interface ResponseErrorLike {
  code: number;
  message: string;
  data?: { code: string; message: string; recoverable: boolean };
}

describe('export requests over stdio (dist/server.js)', function () {
  let client: LspTestClient;
  let ws: TempWorkspace;

  beforeEach(async () => {
    ws = await tempWorkspace();
    await copyFile(join(REPO_ROOT, 'examples', 'chat-messages.jsonl'), join(ws.dir, 'chat.jsonl'));
    client = startBuiltServer({ storeDir: join(ws.dir, '.store') });
    await client.initialize(ws.uri);
  });
  afterEach(async () => {
    await client.shutdown();
    await ws.cleanup();
  });

  const request = <R>(method: string, params: unknown) => client.connection.sendRequest<R>(method, params);

  it('previews, then accepts: the file is written and the job is in the history', async () => {
    const preview = await request<Record<string, any>>('devguide/previewExport', { source: { kind: 'file', path: 'chat.jsonl' }, title: 'Over LSP' });
    assert.equal(preview['filename'], 'over-lsp.md');
    assert.equal(preview['review'].risk_level, 'low');
    assert.equal(preview['validation'].valid, true);
    const created = await request<{ job: Record<string, any> }>('devguide/createJob', { transactionId: preview['transaction_id'], explicit: true });
    assert.equal(created.job['status'], 'completed');
    assert.match(await readFile(join(ws.dir, 'exports', 'over-lsp.md'), 'utf8'), /Plan the export rollback/);
    const list = await request<{ jobs: { job_id: string }[]; pagination: { total: number } }>('devguide/listJobs', {});
    assert.deepEqual(list.jobs.map((j) => j.job_id), [created.job['job_id']]);
    assert.equal(list.pagination.total, 1);
    const detail = await request<{ id: string; audit_events: { action: string }[] }>('devguide/getJob', { jobId: created.job['job_id'] });
    assert.equal(detail.id, created.job['job_id']);
    assert.deepEqual(detail.audit_events.map((e) => e.action), ['CreateExportJob.preflight', 'CreateExportJob.accept', 'CreateExportJob.commit']);
    assert.ok(existsSync(join(ws.dir, '.store', 'jobs.jsonl')), 'the store is where the test put it');
  });

  it('an unchanged export is not written unless forced: createJob answers REVIEW_REQUIRED and the review stays open', async () => {
    const first = await request<Record<string, any>>('devguide/previewExport', { source: { kind: 'file', path: 'chat.jsonl' }, title: 'Twice' });
    await request('devguide/createJob', { transactionId: first['transaction_id'], explicit: true });
    const second = await request<Record<string, any>>('devguide/previewExport', { source: { kind: 'file', path: 'chat.jsonl' }, title: 'Twice' });
    assert.equal(second['unchanged'], true);
    const refused = await request('devguide/createJob', { transactionId: second['transaction_id'], explicit: true }).then(
      () => assert.fail('expected an error'),
      (error: ResponseErrorLike) => error,
    );
    assert.equal(refused.data?.code, 'REVIEW_REQUIRED');
    const forced = await request<{ job: Record<string, any> }>('devguide/createJob', { transactionId: second['transaction_id'], explicit: true, force: true });
    assert.equal(forced.job['status'], 'completed');
    assert.equal(forced.job['action'], 'UPDATE');
  });

  it('finds the messages under selected lines without sending the transcript; a text file is no transcript', async () => {
    const found = await request<Record<string, any>>('devguide/findMessagesAtLines', { path: 'chat.jsonl', ranges: [{ startLine: 2, endLine: 2 }] });
    assert.deepEqual(found, { sessionCount: 1, match: { sessionId: 'sess_demo', title: 'Plan the export rollback for GitHub.', messageIds: ['msg_2'], otherSessionIds: [] } });
    const outside = await request<Record<string, any>>('devguide/findMessagesAtLines', { path: 'chat.jsonl', ranges: [{ startLine: 40, endLine: 41 }] });
    assert.equal(outside['match']?.['messageIds']?.length, 1, 'the last message runs to the end of the file');
    await writeFile(join(ws.dir, 'notes.md'), '# Notes\n\nNot a transcript.\n');
    const text = await request('devguide/findMessagesAtLines', { path: 'notes.md', ranges: [{ startLine: 1, endLine: 2 }] }).then(
      () => assert.fail('expected an error'),
      (error: ResponseErrorLike) => error,
    );
    assert.match(text.data?.code ?? '', /^(UNKNOWN_FORMAT|INVALID_INPUT)$/);
    const bad = await request('devguide/findMessagesAtLines', { path: 'chat.jsonl', ranges: [{ startLine: 3, endLine: 1 }] }).then(
      () => assert.fail('expected an error'),
      (error: ResponseErrorLike) => error,
    );
    assert.equal(bad.data?.code, 'INVALID_INPUT');
  });

  it('answers errors with ErrorInfo data, never a stack', async () => {
    const failure = await request('devguide/previewExport', { source: { kind: 'file', path: 'missing.jsonl' } }).then(
      () => assert.fail('expected an error'),
      (error: ResponseErrorLike) => error,
    );
    assert.equal(failure.data?.code, 'INVALID_INPUT');
    assert.equal(failure.data?.recoverable, false);
    assert.doesNotMatch(failure.message, /\n\s+at /);
    const bad = await request('devguide/createJob', { transactionId: 42 }).then(
      () => assert.fail('expected an error'),
      (error: ResponseErrorLike) => error,
    );
    assert.equal(bad.data?.code, 'INVALID_INPUT');
  });
});
