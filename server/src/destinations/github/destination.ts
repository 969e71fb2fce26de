import { z } from 'zod';
import { ExportError } from '../../errors';
import type { PublishResult, RollbackInfo } from '../../model';
import { GITHUB_PUBLIC_API, checkedGitHubConfig, type GitHubDestinationConfig } from '../githubDescriptor';
import { sanitizeFilename } from '../safePath';
import type { ConnectionCheck, Destination, ExistingContent, Expectation, ImpactDescription, SaveRequest } from '../types';
import { createGitHubClient, type GitHubClient } from './client';
import {
  branchNotFound,
  gitHubFailure,
  isNotFastForward,
  isReferenceMissing,
  isReferenceTaken,
  isRequestErrorLike,
  isStaleShaAnswer,
  repositoryNotFound,
} from './errors';
import { gitBlobSha } from './gitBlob';
import { batchCommitMessageOf, commitMessageOf, encodeSegments, exportBranchName, pullRequestBody, repoPathOf } from './paths';

/**
 * The GitHub destination (issue 12). Commit mode writes one file through
 * the contents API with the blob sha the review saw; a batch, and pull
 * request mode, write through the git data API (one tree, one commit, a ref
 * that is only ever fast-forwarded or created). Whatever the review saw is
 * held to: a stale sha is re-read, and when the file really changed the
 * export stops with CONFLICT and the colleague's edit stays.
 */

export interface GitHubDestinationOptions {
  token: string;
  workspaceRoot: string;
  maxRetries?: number;
  maxWaitMs?: number;
  timeoutMs?: number;
  /** Tests shorten Octokit's waits. */
  retryBaseMs?: number;
  rateLimitUnitMs?: number;
}

interface RepoInfo {
  defaultBranch: string;
  visibility: 'public' | 'private' | 'internal';
  canPush: boolean;
  htmlUrl: string;
}

/** A file as GitHub holds it now: its blob sha, or absent. */
type RemoteFile = { sha: string } | undefined;

interface PlannedFile {
  request: SaveRequest;
  path: string;
  bytes: Buffer;
  sha: string;
}

/** How many times a write is tried again when the branch moved but the file is as reviewed. */
const MOVED_BRANCH_ATTEMPTS = 3;
const MAX_BRANCH_NAME_ATTEMPTS = 5;
/** The contents API lists at most 1,000 entries of a folder. */
const LISTING_LIMIT = 1000;

const saveRequestSchema = z.object({ filename: z.string().min(1), content: z.string(), title: z.string(), jobId: z.string().min(1) });

// Rollback info comes back from the job store: outside input.
const rollbackExtraSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('commit'), repo: z.string(), branch: z.string(), path: z.string().min(1), sha: z.string().min(1), previousSha: z.string().optional() }),
  z.object({ mode: z.literal('pull_request'), repo: z.string(), branch: z.string(), head: z.string().min(1), pull: z.string().regex(/^\d+$/), path: z.string(), sha: z.string() }),
]);

function matches(expected: Expectation, file: RemoteFile): boolean {
  return expected.exists ? file?.sha === expected.version : file === undefined;
}

function rollbackFailure(message: string, recoverable = false): ExportError {
  return new ExportError('ROLLBACK_FAILED', message, { recoverable });
}

async function bytesOf(body: unknown): Promise<Buffer> {
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body && typeof body === 'object' && 'getReader' in body) return Buffer.from(await new Response(body as ReadableStream<Uint8Array>).arrayBuffer());
  return Buffer.alloc(0);
}

class GitHubDestination implements Destination {
  readonly type = 'github' as const;
  readonly retriesInternally = true;
  readonly id: string;
  private readonly owner: string;
  private readonly name: string;
  private readonly baseUrl: string;
  private client: Promise<GitHubClient> | undefined;
  private repoInfo: Promise<RepoInfo> | undefined;
  private branch: Promise<string> | undefined;
  /** What fetchExisting read, so describeImpact does not ask again. */
  private readonly seen = new Map<string, RemoteFile>();

  constructor(
    private readonly config: GitHubDestinationConfig,
    private readonly options: GitHubDestinationOptions,
  ) {
    this.id = config.id;
    [this.owner, this.name] = config.repo.split('/') as [string, string];
    this.baseUrl = config.baseUrl ?? GITHUB_PUBLIC_API;
  }

  private get repo(): string {
    return `${this.owner}/${this.name}`;
  }

  private get host(): string {
    return new URL(this.baseUrl).host;
  }

  validateConfig(): void {
    checkedGitHubConfig(this.config);
  }

  /** The name the file gets in the repository (the same clean-up as a local file, so a batch compares alike). */
  normalizeFilename(filename: string): string {
    return sanitizeFilename(filename);
  }

  async dispose(): Promise<void> {}

  // --- reading ---------------------------------------------------------------

  async fetchExisting(filename: string, signal?: AbortSignal): Promise<ExistingContent | undefined> {
    const path = repoPathOf(this.config.path, filename);
    const branch = await this.branchName(signal);
    const octokit = await this.octokit();
    try {
      const response = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
        owner: this.owner,
        repo: this.name,
        path,
        ref: branch,
        // Raw: the bytes themselves, for files over 1 MB too; their blob sha is computed from them.
        headers: { accept: 'application/vnd.github.raw+json' },
        request: { parseSuccessResponseBody: false, ...(signal ? { signal } : {}) },
      });
      if (String(response.headers['content-type'] ?? '').includes('json')) throw this.folderInTheWay(path);
      const bytes = await bytesOf(response.data);
      const sha = gitBlobSha(bytes);
      this.seen.set(path, { sha });
      return { location: this.fileUrl(branch, path), content: bytes.toString('utf8'), version: sha };
    } catch (error) {
      if (isRequestErrorLike(error) && error.status === 404) {
        this.seen.set(path, undefined);
        return undefined;
      }
      throw this.failure(error, `read ${path}`);
    }
  }

  async describeImpact(filename: string, signal?: AbortSignal): Promise<ImpactDescription> {
    const path = repoPathOf(this.config.path, filename);
    const [info, branch] = await Promise.all([this.repository(signal), this.branchName(signal)]);
    const current = this.seen.has(path) ? this.seen.get(path) : await this.readFile(path, branch, signal);
    const warnings: string[] = [];
    if (info.visibility === 'public') warnings.push(`The file will be publicly visible: ${this.repo} is a public repository.`);
    if (info.visibility === 'internal') warnings.push(`The file will be visible to everyone in the enterprise: ${this.repo} is an internal repository.`);
    if (!info.canPush) warnings.push(`The token cannot push to ${this.repo}: the export will fail (PERMISSION_DENIED).`);
    const sanitized = sanitizeFilename(filename);
    if (sanitized !== filename) warnings.push(`The filename "${filename}" will be saved as "${sanitized}"`);
    if (this.config.mode === 'pull_request') warnings.push(`Opens a pull request into ${branch} from a new branch devguide-export/…; ${branch} itself is not changed.`);
    return { resource: `${this.repo}@${branch}:${path}`, action: current ? 'UPDATE' : 'CREATE', warnings };
  }

  /** Repository reachable, push access, branch, visibility, folder. */
  async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
    const started = performance.now();
    const latency = () => Math.max(0, Math.round(performance.now() - started));
    try {
      const info = await this.repository(signal);
      const branch = await this.branchName(signal);
      const folder = await this.folderState(branch, signal);
      const parts = [
        `${this.repo} on ${this.host} is reachable (${info.visibility}${info.visibility === 'public' ? ': exports are publicly visible' : ''})`,
        info.canPush ? 'the token may push' : 'the token may NOT push',
        `branch ${branch} exists`,
        this.config.path === '' ? 'files go to the repository root' : folder === 'absent' ? `folder ${this.config.path}/ does not exist yet (the first export creates it)` : `folder ${this.config.path}/ exists`,
      ];
      if (folder === 'file') return { ok: false, message: `${this.config.path} in ${this.repo} is a file, not a folder`, latencyMs: latency() };
      return { ok: info.canPush, message: parts.join('; '), latencyMs: latency() };
    } catch (error) {
      const failure = this.failure(error, 'connect');
      return { ok: false, message: failure.message, latencyMs: latency() };
    }
  }

  // --- writing ---------------------------------------------------------------

  async save(request: SaveRequest): Promise<PublishResult> {
    const [file] = this.plan([request]);
    if (this.config.mode === 'pull_request') return (await this.openPullRequest([file as PlannedFile], request.signal))[0] as PublishResult;
    return this.writeWithContentsApi(file as PlannedFile, request.signal);
  }

  async saveBatch(requests: SaveRequest[], signal?: AbortSignal): Promise<PublishResult[]> {
    const files = this.plan(requests);
    const paths = new Set(files.map((f) => f.path));
    if (paths.size !== files.length) {
      throw new ExportError('INVALID_INPUT', `A batch writes each file once; ${files.length - paths.size} file(s) of this batch land on the same path in ${this.repo}.`, { recoverable: false });
    }
    if (this.config.mode === 'pull_request') return this.openPullRequest(files, signal);
    return this.commitToBranch(files, signal);
  }

  private plan(requests: SaveRequest[]): PlannedFile[] {
    return requests.map((request) => {
      request.signal?.throwIfAborted();
      if (!saveRequestSchema.safeParse(request).success) {
        throw new ExportError('INVALID_INPUT', 'Save request needs a filename, content, title and job id', { recoverable: false });
      }
      const bytes = Buffer.from(request.content, 'utf8');
      return { request, path: repoPathOf(this.config.path, request.filename), bytes, sha: gitBlobSha(bytes) };
    });
  }

  /** One file, one commit on the branch: the contents API, holding to the blob sha the review saw. */
  private async writeWithContentsApi(file: PlannedFile, signal?: AbortSignal): Promise<PublishResult> {
    const branch = await this.branchName(signal);
    const octokit = await this.octokit();
    const expected = file.request.expected;
    const message = commitMessageOf(this.config.commitMessage, { title: file.request.title, filename: file.path.split('/').pop() ?? file.path, path: file.path });
    const content = file.bytes.toString('base64');
    for (let attempt = 1; ; attempt++) {
      try {
        const { data } = await octokit.rest.repos.createOrUpdateFileContents({
          owner: this.owner,
          repo: this.name,
          path: file.path,
          message,
          content,
          branch,
          ...(expected.exists ? { sha: expected.version } : {}),
          ...this.cancel(signal),
        });
        const location = data.content?.html_url ?? this.fileUrl(branch, file.path);
        return this.result(file, location, branch, expected, { commit: data.commit.sha ?? '' });
      } catch (error) {
        if (!isStaleShaAnswer(error)) throw this.failure(error, `write ${file.path}`, () => branchNotFound(this.id, this.repo, branch));
        // Never overwrite blindly: what is there now?
        const now = await this.readFile(file.path, branch, signal);
        if (!matches(expected, now) || attempt >= MOVED_BRANCH_ATTEMPTS) throw this.conflict([{ path: file.path, expected, now }], branch);
        // The file is as reviewed: only the branch moved under the write. Send it again.
      }
    }
  }

  /** Many files, one commit: tree → commit → fast-forward of the branch (never forced). */
  private async commitToBranch(files: PlannedFile[], signal?: AbortSignal): Promise<PublishResult[]> {
    const branch = await this.branchName(signal);
    const message = batchCommitMessageOf(this.config.commitMessage, files.map((f) => ({ title: f.request.title, path: f.path })));
    const octokit = await this.octokit();
    for (let attempt = 1; ; attempt++) {
      const head = await this.headOf(branch, signal);
      const expected = await this.holdToReview(files, head, branch, signal);
      const commit = await this.commitOnto(head, files, message, signal);
      try {
        await octokit.rest.git.updateRef({ owner: this.owner, repo: this.name, ref: `heads/${branch}`, sha: commit, force: false, ...this.cancel(signal) });
      } catch (error) {
        // The branch moved since `head`: check the files again on its new head and rebuild the commit there.
        if (isNotFastForward(error) && attempt < MOVED_BRANCH_ATTEMPTS) continue;
        if (isNotFastForward(error)) throw new ExportError('CONFLICT', `Branch ${branch} of ${this.repo} kept moving while exporting; nothing was written. Try again.`, { recoverable: true });
        throw this.failure(error, `update branch ${branch}`, () => branchNotFound(this.id, this.repo, branch));
      }
      return files.map((file, i) => this.result(file, this.fileUrl(branch, file.path), branch, expected[i] as Expectation, { commit }));
    }
  }

  /**
   * Pull request mode: the commit on the base branch's head, a new branch
   * `devguide-export/<short job id>` pointing at it, then the pull request.
   * If the pull request cannot be opened, the branch is deleted again.
   */
  private async openPullRequest(files: PlannedFile[], signal?: AbortSignal): Promise<PublishResult[]> {
    const base = await this.branchName(signal);
    const octokit = await this.octokit();
    const head = await this.headOf(base, signal);
    const expected = await this.holdToReview(files, head, base, signal);
    const described = files.map((f) => ({ title: f.request.title, path: f.path }));
    const message = batchCommitMessageOf(this.config.commitMessage, described);
    const commit = await this.commitOnto(head, files, message, signal);
    const first = files[0] as PlannedFile;
    const branch = await this.createExportBranch(first.request.jobId, commit, signal);
    let pull: { number: number; html_url: string };
    try {
      const { data } = await octokit.rest.pulls.create({
        owner: this.owner,
        repo: this.name,
        title: message.split('\n')[0] ?? message,
        head: branch,
        base,
        body: pullRequestBody(
          files.map((f) => ({ path: f.path, title: f.request.title, jobId: f.request.jobId, ...(f.request.provenance ? { provenance: f.request.provenance } : {}) })),
          this.options.workspaceRoot,
        ),
        ...this.cancel(signal),
      });
      pull = data;
    } catch (error) {
      const failure = this.failure(error, 'open a pull request', () => branchNotFound(this.id, this.repo, base));
      const deleted = await this.deleteBranch(branch);
      throw new ExportError(failure.code, `${failure.message}${deleted ? ` The branch ${branch} was deleted again.` : ` The branch ${branch} could not be deleted: delete it on GitHub.`}`, {
        ...(failure.details ? { details: { ...failure.details, branch, branch_deleted: deleted } } : { details: { branch, branch_deleted: deleted } }),
        recoverable: failure.recoverable,
      });
    }
    return files.map((file, i) =>
      this.result(file, pull.html_url, base, expected[i] as Expectation, { commit, head: branch, pull: String(pull.number) }),
    );
  }

  private async createExportBranch(jobId: string, commit: string, signal?: AbortSignal): Promise<string> {
    const octokit = await this.octokit();
    for (let attempt = 1; ; attempt++) {
      const branch = exportBranchName(jobId, attempt);
      try {
        await octokit.rest.git.createRef({ owner: this.owner, repo: this.name, ref: `refs/heads/${branch}`, sha: commit, ...this.cancel(signal) });
        return branch;
      } catch (error) {
        if (!isReferenceTaken(error) || attempt >= MAX_BRANCH_NAME_ATTEMPTS) throw this.failure(error, `create branch ${branch}`);
      }
    }
  }

  /** Best effort, and not cancellable: a branch left behind is what this avoids. */
  private async deleteBranch(branch: string): Promise<boolean> {
    try {
      const octokit = await this.octokit();
      await octokit.rest.git.deleteRef({ owner: this.owner, repo: this.name, ref: `heads/${branch}` });
      return true;
    } catch (error) {
      return isReferenceMissing(error);
    }
  }

  /** A tree of the files on `head`'s tree and a commit of it whose parent is `head`. Nothing is on a branch yet. */
  private async commitOnto(head: string, files: PlannedFile[], message: string, signal?: AbortSignal): Promise<string> {
    const octokit = await this.octokit();
    const what = 'write the commit';
    try {
      const { data: parent } = await octokit.rest.git.getCommit({ owner: this.owner, repo: this.name, commit_sha: head, ...this.cancel(signal) });
      const { data: tree } = await octokit.rest.git.createTree({
        owner: this.owner,
        repo: this.name,
        base_tree: parent.tree.sha,
        // Contents inline: the blobs are made with the tree, in one request.
        tree: files.map((f) => ({ path: f.path, mode: '100644' as const, type: 'blob' as const, content: f.request.content })),
        ...this.cancel(signal),
      });
      const { data: commit } = await octokit.rest.git.createCommit({ owner: this.owner, repo: this.name, message, tree: tree.sha, parents: [head], ...this.cancel(signal) });
      return commit.sha;
    } catch (error) {
      throw this.failure(error, what);
    }
  }

  /**
   * Checks every file at `head` against what its review saw; any difference
   * stops the whole change with CONFLICT before anything is written.
   * Returns what each write replaces.
   */
  private async holdToReview(files: PlannedFile[], head: string, branch: string, signal?: AbortSignal): Promise<Expectation[]> {
    const current = await this.readFiles(files.map((f) => f.path), head, signal);
    const expected = files.map((f) => f.request.expected);
    const changed = files.flatMap((f, i) => (matches(expected[i] as Expectation, current.get(f.path)) ? [] : [{ path: f.path, expected: expected[i] as Expectation, now: current.get(f.path) }]));
    if (changed.length > 0) throw this.conflict(changed, branch);
    return expected;
  }

  private result(file: PlannedFile, location: string, branch: string, expected: Expectation, extra: Record<string, string>): PublishResult {
    const action = expected.exists ? 'UPDATE' : 'CREATE';
    const mode = this.config.mode;
    const rollbackExtra: Record<string, string> = { mode, repo: this.repo, branch, path: file.path, sha: file.sha, jobId: file.request.jobId, ...extra };
    if (expected.exists) rollbackExtra['previousSha'] = expected.version;
    const rollback: RollbackInfo = { destinationId: this.id, location, action, extra: rollbackExtra };
    return { location, url: location, action, bytesWritten: file.bytes.length, rollback };
  }

  private conflict(changed: { path: string; expected: Expectation; now: RemoteFile }[], branch: string): ExportError {
    const describe = (c: (typeof changed)[number]) =>
      !c.expected.exists ? `${c.path} was created by someone else` : c.now === undefined ? `${c.path} was deleted` : `${c.path} was changed`;
    return new ExportError(
      'CONFLICT',
      `${changed.map(describe).join('; ')} on ${branch} of ${this.repo} since the review; nothing was overwritten. Review the export again.`,
      { details: { repo: this.repo, branch, paths: changed.map((c) => c.path) }, recoverable: true },
    );
  }

  // --- rolling back ----------------------------------------------------------

  async rollback(info: RollbackInfo, signal?: AbortSignal): Promise<void> {
    if (info.destinationId !== this.id) throw rollbackFailure(`Rollback information belongs to destination "${info.destinationId}", not "${this.id}"`);
    const parsed = rollbackExtraSchema.safeParse(info.extra);
    if (!parsed.success) throw rollbackFailure('Rollback information for a GitHub export is malformed');
    const extra = parsed.data;
    if (extra.repo.toLowerCase() !== this.repo.toLowerCase()) throw rollbackFailure(`Rollback information is for ${extra.repo}, not ${this.repo}`);
    if (extra.mode === 'pull_request') return this.closePullRequest(Number(extra.pull), extra.head, signal);
    return this.undoCommit(info.action, extra.branch, extra.path, extra.sha, extra.previousSha, signal);
  }

  /** A new commit that deletes a created file or restores the previous content, only if nobody changed the file since. */
  private async undoCommit(action: 'CREATE' | 'UPDATE', branch: string, path: string, written: string, previous: string | undefined, signal?: AbortSignal): Promise<void> {
    const octokit = await this.octokit();
    const current = await this.readFile(path, branch, signal);
    if (action === 'CREATE' && current === undefined) return; // already gone
    if (action === 'UPDATE' && previous !== undefined && current?.sha === previous) return; // rolled back before
    if (current?.sha !== written) {
      throw rollbackFailure(`${path} in ${this.repo} was ${current === undefined ? 'deleted' : 'changed'} after the export; it was left as it is.`);
    }
    const message = `docs: roll back the export of ${path}`;
    try {
      if (action === 'CREATE') {
        await octokit.rest.repos.deleteFile({ owner: this.owner, repo: this.name, path, message, sha: written, branch, ...this.cancel(signal) });
        return;
      }
      if (previous === undefined) throw rollbackFailure(`No previous version of ${path} was recorded`);
      const blob = await octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
        owner: this.owner,
        repo: this.name,
        file_sha: previous,
        headers: { accept: 'application/vnd.github.raw+json' },
        request: { parseSuccessResponseBody: false, ...(signal ? { signal } : {}) },
      });
      const bytes = await bytesOf(blob.data);
      await octokit.rest.repos.createOrUpdateFileContents({ owner: this.owner, repo: this.name, path, message, content: bytes.toString('base64'), sha: written, branch, ...this.cancel(signal) });
    } catch (error) {
      if (error instanceof ExportError) throw error;
      if (isStaleShaAnswer(error)) throw rollbackFailure(`${path} in ${this.repo} changed while rolling back; it was left as it is.`);
      throw this.failure(error, `roll back ${path}`, () => new ExportError('ROLLBACK_FAILED', `The previous version of ${path} is no longer in ${this.repo}.`, { recoverable: false }));
    }
  }

  /** Closes the pull request (unless it was merged: that needs a revert) and deletes its branch. */
  private async closePullRequest(number: number, branch: string, signal?: AbortSignal): Promise<void> {
    const octokit = await this.octokit();
    try {
      const { data: pull } = await octokit.rest.pulls.get({ owner: this.owner, repo: this.name, pull_number: number, ...this.cancel(signal) });
      if (pull.merged) throw rollbackFailure(`Pull request #${number} of ${this.repo} was merged; revert it on GitHub instead.`);
      if (pull.state === 'open') await octokit.rest.pulls.update({ owner: this.owner, repo: this.name, pull_number: number, state: 'closed', ...this.cancel(signal) });
    } catch (error) {
      if (error instanceof ExportError) throw error;
      throw this.failure(error, `close pull request #${number}`, () => rollbackFailure(`Pull request #${number} no longer exists in ${this.repo}.`));
    }
    try {
      await octokit.rest.git.deleteRef({ owner: this.owner, repo: this.name, ref: `heads/${branch}`, ...this.cancel(signal) });
    } catch (error) {
      if (!isReferenceMissing(error)) throw this.failure(error, `delete branch ${branch}`);
    }
  }

  // --- GitHub calls ----------------------------------------------------------

  private octokit(): Promise<GitHubClient> {
    return (this.client ??= createGitHubClient({
      baseUrl: this.baseUrl,
      token: this.options.token,
      maxRetries: this.options.maxRetries ?? 3,
      maxWaitMs: this.options.maxWaitMs ?? 30_000,
      timeoutMs: this.options.timeoutMs ?? 30_000,
      ...(this.options.retryBaseMs === undefined ? {} : { retryBaseMs: this.options.retryBaseMs }),
      ...(this.options.rateLimitUnitMs === undefined ? {} : { rateLimitUnitMs: this.options.rateLimitUnitMs }),
    }));
  }

  private cancel(signal: AbortSignal | undefined): { request?: { signal: AbortSignal } } {
    return signal ? { request: { signal } } : {};
  }

  private failure(error: unknown, what: string, notFound?: () => ExportError): ExportError {
    return gitHubFailure(error, {
      destinationId: this.id,
      repo: this.repo,
      what,
      notFound: notFound ?? (() => repositoryNotFound(this.id, this.repo, this.host)),
      attempts: (this.options.maxRetries ?? 3) + 1,
    });
  }

  /** The repository once per destination: default branch, visibility, push access. */
  private repository(signal?: AbortSignal): Promise<RepoInfo> {
    const pending = (this.repoInfo ??= (async () => {
      const octokit = await this.octokit();
      try {
        const { data } = await octokit.rest.repos.get({ owner: this.owner, repo: this.name, ...this.cancel(signal) });
        const visibility = data.visibility === 'internal' ? 'internal' : data.private ? 'private' : 'public';
        this.knownHtmlUrl = data.html_url;
        return { defaultBranch: data.default_branch, visibility, canPush: data.permissions?.push === true, htmlUrl: data.html_url } satisfies RepoInfo;
      } catch (error) {
        throw this.failure(error, 'open the repository');
      }
    })());
    // A failure is not kept: the next call asks again.
    pending.catch(() => {
      if (this.repoInfo === pending) this.repoInfo = undefined;
    });
    return pending;
  }

  /** The configured branch (or the default one), checked to exist once. */
  private branchName(signal?: AbortSignal): Promise<string> {
    const pending = (this.branch ??= (async () => {
      const name = this.config.branch ?? (await this.repository(signal)).defaultBranch;
      const octokit = await this.octokit();
      try {
        await octokit.rest.repos.getBranch({ owner: this.owner, repo: this.name, branch: name, ...this.cancel(signal) });
      } catch (error) {
        if (isRequestErrorLike(error) && error.status === 404) {
          // Which is missing: the branch, or the repository itself?
          await this.repository(signal);
          throw branchNotFound(this.id, this.repo, name);
        }
        throw this.failure(error, `open branch ${name}`);
      }
      return name;
    })());
    pending.catch(() => {
      if (this.branch === pending) this.branch = undefined;
    });
    return pending;
  }

  private async headOf(branch: string, signal?: AbortSignal): Promise<string> {
    const octokit = await this.octokit();
    try {
      const { data } = await octokit.rest.git.getRef({ owner: this.owner, repo: this.name, ref: `heads/${branch}`, ...this.cancel(signal) });
      return data.object.sha;
    } catch (error) {
      throw this.failure(error, `read branch ${branch}`, () => branchNotFound(this.id, this.repo, branch));
    }
  }

  /** A file's blob sha at a branch or commit (JSON: no content for large files, the sha always). */
  private async readFile(path: string, ref: string, signal?: AbortSignal): Promise<RemoteFile> {
    const octokit = await this.octokit();
    try {
      const { data } = await octokit.rest.repos.getContent({ owner: this.owner, repo: this.name, path, ref, ...this.cancel(signal) });
      if (Array.isArray(data) || data.type !== 'file') throw this.folderInTheWay(path);
      return { sha: data.sha };
    } catch (error) {
      if (isRequestErrorLike(error) && error.status === 404) return undefined;
      throw this.failure(error, `read ${path}`);
    }
  }

  /** Many files' blob shas at a commit: one folder listing per folder (a file at a time past the listing's limit). */
  private async readFiles(paths: string[], ref: string, signal?: AbortSignal): Promise<Map<string, RemoteFile>> {
    const found = new Map<string, RemoteFile>();
    if (paths.length === 1) {
      const only = paths[0] as string;
      found.set(only, await this.readFile(only, ref, signal));
      return found;
    }
    const byFolder = new Map<string, string[]>();
    for (const path of paths) {
      const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), path]);
    }
    const octokit = await this.octokit();
    for (const [folder, inFolder] of byFolder) {
      let listing: { path: string; sha: string; type: string }[] = [];
      try {
        const { data } = await octokit.rest.repos.getContent({ owner: this.owner, repo: this.name, path: folder, ref, ...this.cancel(signal) });
        if (!Array.isArray(data)) throw this.folderInTheWay(folder);
        listing = data;
      } catch (error) {
        if (!(isRequestErrorLike(error) && error.status === 404)) throw this.failure(error, `list ${folder || 'the repository root'}`);
      }
      if (listing.length >= LISTING_LIMIT) {
        for (const path of inFolder) found.set(path, await this.readFile(path, ref, signal));
        continue;
      }
      for (const path of inFolder) {
        const entry = listing.find((e) => e.path === path);
        if (entry && entry.type !== 'file') throw this.folderInTheWay(path);
        found.set(path, entry ? { sha: entry.sha } : undefined);
      }
    }
    return found;
  }

  private async folderState(branch: string, signal?: AbortSignal): Promise<'exists' | 'absent' | 'file'> {
    if (this.config.path === '') return 'exists';
    const octokit = await this.octokit();
    try {
      const { data } = await octokit.rest.repos.getContent({ owner: this.owner, repo: this.name, path: this.config.path, ref: branch, ...this.cancel(signal) });
      return Array.isArray(data) ? 'exists' : 'file';
    } catch (error) {
      if (isRequestErrorLike(error) && error.status === 404) return 'absent';
      throw error;
    }
  }

  private folderInTheWay(path: string): ExportError {
    return new ExportError('WRITE_FAILED', `${path} in ${this.repo} is a folder (or not a plain file): choose another filename.`, { details: { repo: this.repo, path }, recoverable: false });
  }

  private fileUrl(branch: string, path: string): string {
    const web = this.webRoot();
    return `${web}/blob/${encodeSegments(branch)}/${encodeSegments(path)}`;
  }

  /** The repository's web address (from the API when known; else derived from the API URL). */
  private webRoot(): string {
    const known = this.knownHtmlUrl;
    if (known) return known;
    const api = new URL(this.baseUrl);
    const host = api.host === 'api.github.com' ? 'github.com' : api.host;
    return `${api.protocol}//${host}/${this.repo}`;
  }

  private knownHtmlUrl: string | undefined;
}

export function createGitHubDestination(config: GitHubDestinationConfig, options: GitHubDestinationOptions): Destination {
  return new GitHubDestination(config, options);
}
