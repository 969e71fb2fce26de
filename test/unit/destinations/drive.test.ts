import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { ExportError, type ErrorCode } from '../../../server/src/errors';
import { driveDestinationSchema, type DriveDestinationConfig } from '../../../server/src/destinations/driveDescriptor';
import { createDriveDestination, type DriveDestinationOptions } from '../../../server/src/destinations/drive/destination';
import { driveQueryString, fileInFolderQuery } from '../../../server/src/destinations/drive/query';
import { mimeTypeOf } from '../../../server/src/destinations/mimeTypes';
import { expectationOf, type Destination, type SaveRequest } from '../../../server/src/destinations/types';
import { startFakeDrive, type FakeDrive, type FakeFile } from '../../support/driveFake/server';

/**
 * The Drive destination against the local Drive v3 stand-in (every request
 * checked against the API's shapes; `violations` must stay empty), with the
 * faults of issue 15 scripted one by one. Backoff waits are recorded, not
 * slept.
 */

const TRICKY_NAME = `it's \\ "fine".md`;

type Unreviewed = Omit<SaveRequest, 'expected'> & { expected?: SaveRequest['expected'] };

function request(filename: string, content: string, jobId: string, expected?: SaveRequest['expected']): Unreviewed {
  return { filename, content, title: 'Title', metadata: {}, jobId, ...(expected ? { expected } : {}) };
}

/** A save as the real flow makes it: holding to what fetchExisting (the review) sees, unless the test says what the review saw. */
async function saveReviewed(destination: Destination, req: Unreviewed) {
  const expected = req.expected ?? expectationOf(await destination.fetchExisting(req.filename));
  return destination.save({ ...req, expected });
}

function rejectsWith(code: ErrorCode, pattern?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ExportError, `not an ExportError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n\s+at /, 'message carries a stack');
    return true;
  };
}

describe('drive destination', function () {
  let fake: FakeDrive;
  let folder: FakeFile;
  let credentials: string;
  let delays: number[];

  function config(overrides: Partial<DriveDestinationConfig> = {}): DriveDestinationConfig {
    return driveDestinationSchema.parse({ id: 'team-drive', type: 'drive', folderId: folder.id, rootUrl: fake.rootUrl, tokenUrl: fake.tokenUrl, ...overrides });
  }

  function destination(overrides: Partial<DriveDestinationConfig> = {}, options: Partial<DriveDestinationOptions> = {}): Destination {
    return createDriveDestination(config(overrides), {
      credentials: async () => credentials,
      credentialsEnvName: 'DEVGUIDE_SECRET_TEAM_DRIVE_OAUTH_CREDENTIALS',
      retry: { sleep: async (ms) => void delays.push(ms), random: () => 0.5 },
      ...options,
    });
  }

  /** No error message, anywhere, holds a credential. */
  function assertNoSecretIn(text: string): void {
    const parsed = JSON.parse(credentials) as Record<string, string>;
    for (const key of ['client_secret', 'refresh_token', 'private_key']) {
      if (parsed[key]) assert.ok(!text.includes(parsed[key]), `${key} leaked`);
    }
    assert.doesNotMatch(text, /ya29\./, 'an access token leaked');
  }

  beforeEach(async () => {
    fake = await startFakeDrive();
    folder = fake.addFolder({ name: 'Team wiki' });
    credentials = fake.tokens.authorizedUser();
    delays = [];
  });
  afterEach(async function () {
    const violations = [...fake.violations];
    await fake.close();
    if (this.currentTest?.state === 'passed') assert.deepEqual(violations, [], 'requests Drive would refuse');
  });

  describe('pure parts', () => {
    it('escapes a query string as Drive requires: backslash first, then the quote', () => {
      assert.equal(driveQueryString(TRICKY_NAME), `'it\\'s \\\\ "fine".md'`);
      assert.equal(fileInFolderQuery("a'b", 'F1'), `name = 'a\\'b' and 'F1' in parents and trashed = false`);
    });

    it('picks the MIME type by extension', () => {
      assert.equal(mimeTypeOf('a.md'), 'text/markdown');
      assert.equal(mimeTypeOf('a.XML'), 'application/xml');
      assert.equal(mimeTypeOf('notes.txt'), 'text/plain');
      assert.equal(mimeTypeOf('data.yaml'), 'application/yaml');
      assert.equal(mimeTypeOf('README'), 'text/plain');
    });

    it('takes https endpoints, and http only on this machine', () => {
      const entry = (rootUrl: string) => driveDestinationSchema.safeParse({ id: 'd', type: 'drive', folderId: 'abc', rootUrl }).success;
      assert.equal(entry('https://www.googleapis.com/'), true);
      assert.equal(entry('http://127.0.0.1:8080/'), true);
      assert.equal(entry('http://drive.example.com/'), false);
      assert.equal(entry('https://user:pw@example.com/'), false);
      assert.equal(driveDestinationSchema.safeParse({ id: 'd', type: 'drive', folderId: "x' or '" }).success, false);
      const defaults = driveDestinationSchema.parse({ id: 'd', type: 'drive', folderId: 'abc' });
      assert.equal(defaults.rootUrl, 'https://www.googleapis.com/');
      assert.equal(defaults.tokenUrl, 'https://oauth2.googleapis.com/token');
      assert.equal(defaults.sharedDrive, false);
    });
  });

  describe('the fake answers as Drive does', () => {
    async function list(q: string): Promise<{ status: number; body: any }> {
      const token = (await (await fetch(fake.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', client_id: JSON.parse(credentials).client_id, client_secret: JSON.parse(credentials).client_secret, refresh_token: JSON.parse(credentials).refresh_token }) })).json()) as { access_token: string };
      const response = await fetch(`${fake.rootUrl}drive/v3/files?${new URLSearchParams({ q, fields: 'files(name)' })}`, { headers: { authorization: `Bearer ${token.access_token}` } });
      return { status: response.status, body: await response.json() };
    }

    it('rejects a badly escaped query with 400 invalid q, and finds exactly the name with a well escaped one', async () => {
      fake.addFile({ name: TRICKY_NAME, parent: folder.id });
      fake.addFile({ name: "it's", parent: folder.id });
      const unescapedBackslash = await list(`name = 'it\\'s \\ "fine".md'`);
      assert.equal(unescapedBackslash.status, 400);
      assert.equal(unescapedBackslash.body.error.errors[0].reason, 'invalid');
      assert.equal(unescapedBackslash.body.error.errors[0].location, 'q');
      const quoteFirst = await list(`name = 'it\\\\'s \\\\ "fine".md'`);
      assert.equal(quoteFirst.status, 400);
      const right = await list(fileInFolderQuery(TRICKY_NAME, folder.id));
      assert.deepEqual(right.body.files, [{ name: TRICKY_NAME }]);
      fake.violations.length = 0;
    });
  });

  describe('testConnection', () => {
    it('is ok for a folder that takes files', async () => {
      const check = await destination().testConnection();
      assert.equal(check.ok, true, check.message);
      assert.match(check.message, /Team wiki/);
    });

    it('names the folder id when the folder is not there, is a file, or takes no files', async () => {
      const missing = await destination({ folderId: 'noSuchFolder123' }).testConnection();
      assert.equal(missing.ok, false);
      assert.match(missing.message, /noSuchFolder123.*not found/);
      const file = fake.addFile({ name: 'a.md', parent: folder.id });
      const notFolder = await destination({ folderId: file.id }).testConnection();
      assert.equal(notFolder.ok, false);
      assert.match(notFolder.message, /not a Google Drive folder/);
      const readOnly = fake.addFolder({ name: 'Read only', canAddChildren: false });
      const denied = await destination({ folderId: readOnly.id }).testConnection();
      assert.equal(denied.ok, false);
      assert.match(denied.message, /cannot add files/);
    });
  });

  describe('save', () => {
    it('creates the file in the folder with a multipart upload, its MIME type, and tags it with the job', async () => {
      const result = await saveReviewed(destination(), request('report.md', '# Report\n', 'job_1', { exists: false }));
      assert.equal(result.action, 'CREATE');
      const [file] = fake.filesIn(folder.id);
      assert.ok(file);
      assert.equal(file.name, 'report.md');
      assert.equal(file.mimeType, 'text/markdown');
      assert.equal(fake.content(file.id), '# Report\n');
      assert.equal(file.appProperties['devguideJobId'], 'job_1');
      assert.equal(result.location, `${fake.rootUrl}file/d/${file.id}/view?usp=drivesdk`);
      assert.equal(result.url, result.location);
      assert.deepEqual(result.rollback.extra, { fileId: file.id, folderId: folder.id, revisionId: file.revisions[0]?.id, md5: createHash('md5').update('# Report\n').digest('hex') });
      assert.deepEqual(fake.calls('files.create').map((r) => r.uploadType), ['multipart']);
    });

    it('queries the tricky name escaped, and updates only that file', async () => {
      const target = fake.addFile({ name: TRICKY_NAME, parent: folder.id, content: 'old' });
      const decoys = [fake.addFile({ name: "it's", parent: folder.id, content: 'a' }), fake.addFile({ name: `x' or name contains '`, parent: folder.id, content: 'b' })];
      const result = await saveReviewed(destination(), request(TRICKY_NAME, 'new', 'job_2'));
      assert.equal(result.action, 'UPDATE');
      assert.equal(fake.content(target.id), 'new');
      for (const decoy of decoys) assert.equal(decoy.revisions.length, 1);
      assert.equal(fake.calls('files.list')[0]?.query['q'], `name = 'it\\'s \\\\ "fine".md' and '${folder.id}' in parents and trashed = false`);
      // A name made to widen the query finds only itself.
      const widened = await saveReviewed(destination(), request(`x' or name contains '`, 'c', 'job_3'));
      assert.equal(widened.action, 'UPDATE');
      assert.equal(fake.content(decoys[1]!.id), 'c');
      assert.equal(fake.content(target.id), 'new');
    });

    it('updates an existing file as a new revision and records the replaced one for rollback', async () => {
      const existing = fake.addFile({ name: 'spec.xml', parent: folder.id, content: '<a/>', mimeType: 'application/xml' });
      const before = existing.revisions[0]!.id;
      const result = await saveReviewed(destination(), request('spec.xml', '<b/>', 'job_4', { exists: true, version: before }));
      assert.equal(result.action, 'UPDATE');
      assert.equal(existing.revisions.length, 2);
      assert.equal(result.rollback.previous, before);
      assert.equal(result.rollback.extra?.['revisionId'], existing.revisions[1]!.id);
      assert.equal(existing.mimeType, 'application/xml');
      assert.deepEqual(fake.calls('files.update').map((r) => r.uploadType), ['multipart']);
    });

    it('refuses with CONFLICT when the folder changed since the review, and writes nothing', async () => {
      const drive = destination();
      fake.addFile({ name: 'new.md', parent: folder.id, content: 'someone else' });
      await assert.rejects(saveReviewed(drive, request('new.md', 'mine', 'job_5', { exists: false })), rejectsWith('CONFLICT', /created in the Google Drive folder after the review/));
      const seen = fake.addFile({ name: 'seen.md', parent: folder.id, content: 'v1' });
      const version = seen.revisions[0]!.id;
      fake.edit(seen.id, 'v2 by a colleague');
      await assert.rejects(saveReviewed(drive, request('seen.md', 'mine', 'job_6', { exists: true, version })), (error: unknown) => {
        rejectsWith('CONFLICT', /changed after the review/)(error);
        assert.equal((error as ExportError).details?.['attempts'], 1, 'decided here: the publish stage must not retry it');
        return true;
      });
      await assert.rejects(saveReviewed(drive, request('gone.md', 'mine', 'job_7', { exists: true, version })), rejectsWith('CONFLICT', /removed/));
      assert.equal(fake.content(seen.id), 'v2 by a colleague');
      assert.equal(fake.calls('files.create').length + fake.calls('files.update').length, 0);
    });

    it('refuses to replace a folder or a Google Docs file of that name', async () => {
      fake.addFile({ name: 'Plan.md', parent: folder.id, mimeType: 'application/vnd.google-apps.document' });
      await assert.rejects(saveReviewed(destination(), request('Plan.md', 'x', 'job_8')), rejectsWith('WRITE_FAILED', /Google Docs file/));
      await assert.rejects(destination().fetchExisting('Plan.md'), rejectsWith('WRITE_FAILED'));
      const impact = await destination().describeImpact('Plan.md');
      assert.ok(impact.warnings.some((w) => /will fail/.test(w)));
    });

    it('uploads above the multipart limit with a resumable session, in 256 KiB-multiple chunks', async () => {
      const content = 'x'.repeat(700 * 1024);
      const drive = destination({}, { multipartLimitBytes: 256 * 1024, chunkBytes: 256 * 1024 });
      const result = await saveReviewed(drive, request('big.md', content, 'job_9'));
      assert.equal(result.action, 'CREATE');
      const [file] = fake.filesIn(folder.id);
      assert.equal(fake.content(file!.id), content);
      assert.deepEqual(fake.calls('files.create').map((r) => r.uploadType), ['resumable']);
      assert.deepEqual(fake.calls('upload.session').map((r) => r.contentRange), ['bytes 0-262143/716800', 'bytes 262144-524287/716800', 'bytes 524288-716799/716800']);
    });

    it('resumes an interrupted resumable upload from the server\'s offset instead of starting over', async () => {
      const content = Array.from({ length: 120_000 }, (_, i) => `line ${i}\n`).join('');
      const total = Buffer.byteLength(content);
      fake.fail({ on: 'upload.session', resetAfterBytes: 600_000 });
      const existing = fake.addFile({ name: 'big.md', parent: folder.id, content: 'old' });
      const result = await saveReviewed(destination({}, { multipartLimitBytes: 256 * 1024 }), request('big.md', content, 'job_10'));
      assert.equal(result.action, 'UPDATE');
      assert.equal(fake.content(existing.id), content);
      assert.equal(fake.calls('files.update').length, 1, 'one session');
      const puts = fake.calls('upload.session').map((r) => r.contentRange);
      // The cut-off PUT, the status query, then the rest from where the session was (2 × 256 KiB kept).
      assert.deepEqual(puts, [`bytes 0-${total - 1}/${total}`, `bytes */${total}`, `bytes 524288-${total - 1}/${total}`]);
      assert.equal(delays.length, 1);
    });
  });

  describe('fetchExisting and describeImpact', () => {
    it('downloads the current content (alt=media) with its revision, or nothing', async () => {
      const file = fake.addFile({ name: 'a.md', parent: folder.id, content: 'é content' });
      const existing = await destination().fetchExisting('a.md');
      assert.deepEqual(existing, { location: `${fake.rootUrl}file/d/${file.id}/view?usp=drivesdk`, content: 'é content', version: file.revisions[0]!.id });
      assert.equal(await destination().fetchExisting('b.md'), undefined);
      assert.ok(fake.requests.some((r) => r.operation === 'files.get' && r.query['alt'] === 'media'));
    });

    it('says CREATE or UPDATE as the folder holds it, and warns about duplicates', async () => {
      assert.equal((await destination().describeImpact('a.md')).action, 'CREATE');
      fake.addFile({ name: 'a.md', parent: folder.id });
      fake.addFile({ name: 'a.md', parent: folder.id });
      const impact = await destination().describeImpact('a.md');
      assert.equal(impact.action, 'UPDATE');
      assert.equal(impact.resource, 'Google Drive: Team wiki/a.md');
      assert.ok(impact.warnings.some((w) => /2 files in the folder are named "a.md"/.test(w)));
    });

    it('does not count trashed files', async () => {
      const file = fake.addFile({ name: 'a.md', parent: folder.id });
      file.trashed = true;
      assert.equal((await destination().describeImpact('a.md')).action, 'CREATE');
    });
  });

  describe('rollback', () => {
    it('trashes a created file (never deletes it), and is done when it is gone already', async () => {
      const drive = destination();
      const result = await saveReviewed(drive, request('a.md', 'x', 'job_11'));
      await drive.rollback(result.rollback);
      const file = fake.files.get(result.rollback.extra!['fileId']!);
      assert.equal(file?.trashed, true);
      await drive.rollback(result.rollback);
      assert.equal(fake.calls('files.delete').length, 0);
    });

    it('restores the replaced revision of an updated file; a second rollback changes nothing', async () => {
      const existing = fake.addFile({ name: 'a.md', parent: folder.id, content: 'original' });
      const drive = destination();
      const result = await saveReviewed(drive, request('a.md', 'exported', 'job_12'));
      await drive.rollback(result.rollback);
      assert.equal(fake.content(existing.id), 'original');
      assert.equal(existing.revisions.length, 3, 'restored as a new revision; history kept');
      await drive.rollback(result.rollback);
      assert.equal(existing.revisions.length, 3);
    });

    it('refuses when the file changed after the export, and leaves it as it is', async () => {
      const existing = fake.addFile({ name: 'a.md', parent: folder.id, content: 'original' });
      const drive = destination();
      const updated = await saveReviewed(drive, request('a.md', 'exported', 'job_13'));
      fake.edit(existing.id, 'a colleague\'s edit');
      await assert.rejects(drive.rollback(updated.rollback), rejectsWith('ROLLBACK_FAILED', /changed after the export.*version history/));
      assert.equal(fake.content(existing.id), 'a colleague\'s edit');
      const created = await saveReviewed(drive, request('b.md', 'exported', 'job_14'));
      fake.edit(created.rollback.extra!['fileId']!, 'edited');
      await assert.rejects(drive.rollback(created.rollback), rejectsWith('ROLLBACK_FAILED', /changed after the export/));
      assert.equal(fake.files.get(created.rollback.extra!['fileId']!)?.trashed, false);
    });

    it('rolls back an update, then the create before it (the file holds what the create wrote again)', async () => {
      const drive = destination();
      const created = await saveReviewed(drive, request('a.md', 'first', 'job_16'));
      const updated = await saveReviewed(drive, request('a.md', 'second', 'job_17'));
      await drive.rollback(updated.rollback);
      await drive.rollback(created.rollback);
      assert.equal(fake.files.get(created.rollback.extra!['fileId']!)?.trashed, true);
    });

    it('says so when Drive no longer keeps the replaced revision', async () => {
      const existing = fake.addFile({ name: 'a.md', parent: folder.id, content: 'original' });
      const drive = destination();
      const result = await saveReviewed(drive, request('a.md', 'exported', 'job_15'));
      existing.revisions.shift();
      await assert.rejects(drive.rollback(result.rollback), rejectsWith('ROLLBACK_FAILED', /no longer keeps revision/));
      assert.equal(fake.content(existing.id), 'exported');
    });
  });

  describe('faults', () => {
    it('waits out 403 userRateLimitExceeded with growing, jittered delays, then succeeds', async () => {
      fake.fail({ on: 'files.list', status: 403, reason: 'userRateLimitExceeded', times: 2 });
      await saveReviewed(destination(), request('a.md', 'x', 'job_20'));
      assert.deepEqual(delays, [750, 1500], 'equal jitter at 0.5 of 1 s, 2 s');
      assert.equal(fake.filesIn(folder.id).length, 1);
    });

    it('gives up on 429 with RATE_LIMITED and the time to retry, honouring Retry-After', async () => {
      fake.fail({ on: 'files.create', status: 429, headers: { 'retry-after': '7' }, times: 99 });
      await assert.rejects(saveReviewed(destination(), request('a.md', 'x', 'job_21')), (error: unknown) => {
        rejectsWith('RATE_LIMITED', /try again in \d+ s/)(error);
        const details = (error as ExportError).details ?? {};
        assert.equal(details['attempts'], 5);
        assert.ok(Number(details['retryAfterMs']) >= 7000);
        return true;
      });
      assert.equal(delays.length, 4);
      assert.ok(delays.every((d) => d >= 7000), 'Retry-After is a lower bound');
      assert.equal(fake.filesIn(folder.id).length, 0);
    });

    it('does not wait for a Retry-After beyond a minute: RATE_LIMITED at once', async () => {
      fake.fail({ on: 'files.list', status: 403, reason: 'rateLimitExceeded', headers: { 'retry-after': '3600' } });
      await assert.rejects(saveReviewed(destination(), request('a.md', 'x', 'job_22')), rejectsWith('RATE_LIMITED', /try again in 3600 s/));
      assert.deepEqual(delays, []);
    });

    it('refreshes an expired access token once at tokenUrl', async () => {
      const drive = destination();
      await drive.testConnection();
      fake.tokens.expireAccessTokens();
      await saveReviewed(drive, request('a.md', 'x', 'job_23'));
      assert.deepEqual(fake.tokens.grants.map((g) => `${g.grantType} ${g.status}`), ['refresh_token 200', 'refresh_token 200']);
    });

    it('answers AUTH_EXPIRED when a 401 follows the refresh', async () => {
      fake.fail({ on: 'files.get', status: 401, times: 2 });
      await assert.rejects(saveReviewed(destination(), request('a.md', 'x', 'job_24')), (error: unknown) => {
        rejectsWith('AUTH_EXPIRED', /also after refreshing/)(error);
        assertNoSecretIn(JSON.stringify((error as ExportError).toInfo()));
        return true;
      });
      assert.equal(fake.tokens.grants.length, 2, 'one refresh, not more');
    });

    it('answers AUTH_EXPIRED when the refresh token is revoked (invalid_grant), naming no secret', async () => {
      fake.tokens.revokeRefreshTokens();
      await assert.rejects(saveReviewed(destination(), request('a.md', 'x', 'job_25')), (error: unknown) => {
        rejectsWith('AUTH_EXPIRED', /invalid_grant/)(error);
        assertNoSecretIn(JSON.stringify((error as ExportError).toInfo()));
        return true;
      });
    });

    it('retries the token endpoint when it is down for a moment', async () => {
      fake.fail({ on: 'token', status: 503 });
      await saveReviewed(destination(), request('a.md', 'x', 'job_26'));
      assert.equal(delays.length, 1);
    });

    it('maps 403 insufficientFilePermissions to PERMISSION_DENIED', async () => {
      fake.fail({ on: 'files.create', status: 403, reason: 'insufficientFilePermissions' });
      await assert.rejects(saveReviewed(destination(), request('a.md', 'x', 'job_27')), rejectsWith('PERMISSION_DENIED', /insufficientFilePermissions/));
      assert.deepEqual(delays, []);
    });

    it('maps a missing folder to DESTINATION_NOT_FOUND naming its id', async () => {
      await assert.rejects(saveReviewed(destination({ folderId: 'gone123' }), request('a.md', 'x', 'job_28')), rejectsWith('DESTINATION_NOT_FOUND', /gone123/));
      const drive = destination();
      await drive.describeImpact('a.md');
      fake.files.delete(folder.id);
      await assert.rejects(saveReviewed(drive, request('a.md', 'x', 'job_29')), rejectsWith('DESTINATION_NOT_FOUND', new RegExp(folder.id)));
    });

    it('retries 5xx and resets; a create is looked for before it is sent again, so it is written once', async () => {
      fake.fail({ on: 'files.create', status: 500 });
      fake.fail({ on: 'files.create', reset: true });
      await saveReviewed(destination(), request('a.md', 'x', 'job_30'));
      assert.equal(fake.filesIn(folder.id).length, 1);
      assert.equal(fake.calls('files.create').length, 3);
    });

    it('a create whose answer was lost is recognised, not made twice', async () => {
      fake.fail({ on: 'files.create', reset: true, afterApplying: true });
      const result = await saveReviewed(destination(), request('a.md', 'x', 'job_31'));
      assert.equal(result.action, 'CREATE');
      assert.equal(fake.filesIn(folder.id).length, 1);
      assert.equal(fake.calls('files.create').length, 1);
    });

    it('an update whose answer was lost is recognised, not made twice', async () => {
      const existing = fake.addFile({ name: 'a.md', parent: folder.id, content: 'old' });
      fake.fail({ on: 'files.update', status: 503, afterApplying: true });
      const result = await saveReviewed(destination(), request('a.md', 'new', 'job_32'));
      assert.equal(result.action, 'UPDATE');
      assert.equal(existing.revisions.length, 2);
      assert.equal(result.rollback.previous, existing.revisions[0]!.id);
    });

    it('gives up on a server that keeps failing with CONNECTION_FAILED, having written nothing', async () => {
      fake.fail({ on: 'files.create', status: 502, times: 99 });
      await assert.rejects(saveReviewed(destination(), request('a.md', 'x', 'job_33')), (error: unknown) => {
        rejectsWith('CONNECTION_FAILED', /after 5 attempts/)(error);
        assert.equal((error as ExportError).details?.['attempts'], 5);
        return true;
      });
      assert.equal(fake.filesIn(folder.id).length, 0);
    });

    it('stops waiting when cancelled', async () => {
      fake.fail({ on: 'files.list', status: 503, times: 99 });
      const controller = new AbortController();
      const drive = createDriveDestination(config(), {
        credentials: async () => credentials,
        credentialsEnvName: 'X',
        retry: { sleep: async () => controller.abort(), random: () => 0.5 },
      });
      await assert.rejects(drive.save({ ...request('a.md', 'x', 'job_34', { exists: false }), expected: { exists: false }, signal: controller.signal }), rejectsWith('CANCELLED'));
    });
  });

  describe('credentials', () => {
    it('works with a service-account key (a signed JWT assertion at tokenUrl)', async () => {
      credentials = fake.tokens.serviceAccount();
      await saveReviewed(destination(), request('a.md', 'x', 'job_40'));
      assert.deepEqual(fake.tokens.grants.map((g) => `${g.grantType} ${g.status}`), ['urn:ietf:params:oauth:grant-type:jwt-bearer 200']);
    });

    it('says how to sign in when there are none, and never echoes malformed ones', async () => {
      const none = createDriveDestination(config(), { credentials: async () => undefined, credentialsEnvName: 'DEVGUIDE_SECRET_TEAM_DRIVE_OAUTH_CREDENTIALS' });
      await assert.rejects(none.describeImpact('a.md'), rejectsWith('AUTH_EXPIRED', /Sign in to Google Drive.*DEVGUIDE_SECRET_TEAM_DRIVE_OAUTH_CREDENTIALS/));
      const secretish = '{"client_id": "abc", "client_secret": "very-secret-value"';
      const broken = createDriveDestination(config(), { credentials: async () => secretish, credentialsEnvName: 'X' });
      await assert.rejects(broken.describeImpact('a.md'), (error: unknown) => {
        rejectsWith('DESTINATION_CONFIG_INVALID', /not valid JSON/)(error);
        assert.doesNotMatch(JSON.stringify((error as ExportError).toInfo()), /very-secret-value/);
        return true;
      });
      const partial = createDriveDestination(config(), { credentials: async () => '{"client_id": "abc", "client_secret": "very-secret-value"}', credentialsEnvName: 'X' });
      await assert.rejects(partial.describeImpact('a.md'), (error: unknown) => {
        rejectsWith('DESTINATION_CONFIG_INVALID', /"refresh_token"/)(error);
        assert.doesNotMatch(JSON.stringify((error as ExportError).toInfo()), /very-secret-value/);
        return true;
      });
    });
  });

  describe('shared drives', () => {
    it('needs sharedDrive: true for a folder in a shared drive, and then lists within that drive', async () => {
      const shared = fake.addFolder({ name: 'Shared wiki', driveId: '0AShared' });
      fake.addFile({ name: 'a.md', parent: shared.id, content: 'old' });
      await assert.rejects(saveReviewed(destination({ folderId: shared.id }), request('a.md', 'x', 'job_50')), rejectsWith('DESTINATION_NOT_FOUND'));
      const result = await saveReviewed(destination({ folderId: shared.id, sharedDrive: true }), request('a.md', 'x', 'job_51'));
      assert.equal(result.action, 'UPDATE');
      const list = fake.calls('files.list').at(-1);
      assert.equal(list?.query['supportsAllDrives'], 'true');
      assert.equal(list?.query['includeItemsFromAllDrives'], 'true');
      assert.equal(list?.query['corpora'], 'drive');
      assert.equal(list?.query['driveId'], '0AShared');
    });
  });
});
