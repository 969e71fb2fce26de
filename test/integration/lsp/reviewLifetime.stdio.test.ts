import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type LspTestClient, REPO_ROOT, type TempWorkspace, startBuiltServer, tempWorkspace } from './lspClient';

/**
 * An open review (devguide/previewExport, waiting in the review panel for the
 * person's Accept) belongs to the server process, not to one reading of the
 * settings: a settings change (workspace/didChangeConfiguration) or Workspace
 * Trust being granted (devguide/didChangeTrust) while the panel is open must
 * not throw it away. Accepting it afterwards publishes it — or, when the
 * change removed its destination, fails saying exactly that.
 */

interface ResponseErrorLike {
  code: number;
  message: string;
  data?: { code: string; message: string; recoverable: boolean };
}

interface DestinationSummary {
  id: string;
  enabled: boolean;
}

interface CreateJobResult {
  job: { job_id: string; status: string; error_code?: string | null };
  error?: { code: string; message: string };
}

const SCRATCH = { id: 'scratch', type: 'local', name: 'Scratch', baseDir: './scratch' };
const ARCHIVE = { id: 'archive', type: 'local', name: 'Archive', baseDir: './archive' };

describe('open reviews across settings and trust changes, over stdio (dist/server.js)', function () {
  let client: LspTestClient;
  let ws: TempWorkspace;

  async function start(settings: unknown, init: { trusted?: boolean; workspaceDestinationIds?: string[] } = {}): Promise<void> {
    client = startBuiltServer({ storeDir: join(ws.dir, '.store') });
    client.settings = settings;
    await client.initialize(ws.uri, init);
  }

  beforeEach(async () => {
    ws = await tempWorkspace();
    await copyFile(join(REPO_ROOT, 'examples', 'chat-messages.jsonl'), join(ws.dir, 'chat.jsonl'));
  });
  afterEach(async () => {
    await client?.shutdown();
    await ws.cleanup();
  });

  const request = <R>(method: string, params: unknown) => client.connection.sendRequest<R>(method, params);
  const destinations = () => request<DestinationSummary[]>('devguide/listDestinations', {});

  /**
   * Polls the server's destination list until `check` holds: the server
   * applies settings after asking the client for them, with no reply to wait
   * on. Rejects with what it last saw.
   */
  async function untilDestinations(check: (list: DestinationSummary[]) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let wait = 10;
    for (;;) {
      const list = await destinations();
      if (check(list)) return;
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the server lists ${JSON.stringify(list)}.\n${client.serverLog.join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 200);
    }
  }

  /** The client's settings change: it answers workspace/configuration with `next` from now on. */
  async function changeSettings(next: Record<string, unknown>, applied: (list: DestinationSummary[]) => boolean, what: string): Promise<void> {
    client.settings = next;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await untilDestinations(applied, what);
  }

  /** Workspace Trust granted in VS Code: the client sends devguide/didChangeTrust. */
  async function grantTrust(workspaceDestinationIds: string[]): Promise<void> {
    await client.connection.sendNotification('devguide/didChangeTrust', { trusted: true, workspaceDestinationIds });
    await untilDestinations(
      (list) => workspaceDestinationIds.every((id) => list.find((d) => d.id === id)?.enabled === true),
      `the workspace's destinations (${workspaceDestinationIds.join(', ')}) to be enabled by trust`,
    );
  }

  async function preview(title: string, destination = 'local'): Promise<{ transaction_id: string; filename: string }> {
    const result = await request<{ transaction_id: string; filename: string; review: { blocked: boolean } }>('devguide/previewExport', {
      source: { kind: 'file', path: 'chat.jsonl' },
      title,
      destination,
      template: 'markdown',
    });
    assert.equal(result.review.blocked, false, JSON.stringify(result.review));
    return result;
  }

  /** Accepts the review as the panel does; the job completes and the file is there. */
  async function acceptAndExpectWritten(transactionId: string, file: string): Promise<void> {
    const created = await request<CreateJobResult>('devguide/createJob', { transactionId, explicit: true }).catch((error: ResponseErrorLike) => {
      throw new Error(`Accept after the change failed: ${error.data?.code ?? error.code}: ${error.message}`);
    });
    assert.equal(created.job.status, 'completed', JSON.stringify(created));
    assert.equal(created.error, undefined);
    assert.match(await readFile(join(ws.dir, file), 'utf8'), /Plan the export rollback/);
    const { jobs } = await request<{ jobs: { job_id: string; status: string }[] }>('devguide/listJobs', {});
    assert.deepEqual(jobs.map((j) => [j.job_id, j.status]), [[created.job.job_id, 'completed']]);
  }

  it('a settings change, then Workspace Trust granted, while a review is open: Accept publishes it', async () => {
    await start({ destinations: [SCRATCH] }, { trusted: false, workspaceDestinationIds: ['scratch'] });
    const review = await preview('Kept across changes');
    await changeSettings(
      { destinations: [SCRATCH, ARCHIVE], review: { requireAt: 'high' } },
      (list) => list.some((d) => d.id === 'archive'),
      'the added destination "archive"',
    );
    await grantTrust(['scratch']);
    await acceptAndExpectWritten(review.transaction_id, join('exports', 'kept-across-changes.md'));
  });

  it('a settings change alone keeps the open review', async () => {
    await start({});
    const review = await preview('Kept across settings');
    await changeSettings({ review: { requireAt: 'low' }, destinations: [ARCHIVE] }, (list) => list.some((d) => d.id === 'archive'), 'the added destination "archive"');
    await acceptAndExpectWritten(review.transaction_id, join('exports', 'kept-across-settings.md'));
  });

  it('Workspace Trust granted alone keeps the open review', async () => {
    await start({ destinations: [SCRATCH] }, { trusted: false, workspaceDestinationIds: ['scratch'] });
    assert.equal((await destinations()).find((d) => d.id === 'scratch')?.enabled, false, 'a workspace destination is disabled until trusted');
    const review = await preview('Kept across trust');
    await grantTrust(['scratch']);
    await acceptAndExpectWritten(review.transaction_id, join('exports', 'kept-across-trust.md'));
  });

  it('a review whose destination the settings removed fails on Accept with DESTINATION_NOT_FOUND, not "No pending export"', async () => {
    await start({ destinations: [SCRATCH] });
    const review = await preview('Gone destination', 'scratch');
    await changeSettings({ destinations: [ARCHIVE] }, (list) => !list.some((d) => d.id === 'scratch'), 'the destination "scratch" to be removed');
    // A failed job (result.error) or a ResponseError: either way the code and message say what happened.
    const outcome = await request<CreateJobResult>('devguide/createJob', { transactionId: review.transaction_id, explicit: true }).then(
      (result) => {
        assert.equal(result.job.status, 'failed', JSON.stringify(result));
        return result.error;
      },
      (error: ResponseErrorLike) => error.data,
    );
    assert.ok(outcome, 'the failure carries an error code and message');
    assert.doesNotMatch(outcome.message, /No pending export/, `the open review was lost: ${outcome.code}: ${outcome.message}`);
    assert.equal(outcome.code, 'DESTINATION_NOT_FOUND', `${outcome.code}: ${outcome.message}`);
    assert.match(outcome.message, /"?scratch"?/, 'the message names the destination');
    assert.match(outcome.message, /removed|no longer|not configured|unknown/i, 'the message says it is gone');
    assert.equal(existsSync(join(ws.dir, 'scratch')), false, 'nothing was written');
  });
});
