import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkRequest, preloadDescription, type Flavor } from './openapi';
import { FakeRepo, type FakeCommit, type FakePull, type RepoOptions } from './gitModel';

/**
 * A local stand-in for GitHub's REST API on 127.0.0.1, reached through a
 * destination's `baseUrl`. Every request is checked against GitHub's
 * OpenAPI description (see openapi.ts): a request the real API would reject
 * is recorded in `violations`, which each test asserts empty. The state
 * (repositories, refs, blobs, trees, commits, pulls) behaves as GitHub
 * does for the calls the GitHub destination makes, including the answers to
 * a stale blob sha; `fault()` scripts the failures of issue 12.
 */

export type FaultAction =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** The connection is dropped before any answer (a reset). */
  | { reset: true }
  /** Runs first (e.g. a colleague pushes), then the request is served normally. */
  | { before: (fake: FakeGitHub) => void };

export interface Fault {
  operationId?: string;
  method?: string;
  /** How many matching requests it applies to (default 1; Infinity for all). */
  times?: number;
  action: FaultAction;
}

export interface RecordedRequest {
  method: string;
  path: string;
  operationId?: string;
  status: number;
  accept?: string;
}

export interface FakeGitHubOptions {
  /** `ghes`: GitHub Enterprise Server, its API under /api/v3 and checked against its own description. */
  flavor?: Flavor;
  token?: string;
}

const API_VERSION_PREFIX = '/api/v3';
const ONE_MB = 1024 * 1024;

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  path: string;
  params: Record<string, string>;
  body: Record<string, unknown>;
  raw: boolean;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export class FakeGitHub {
  readonly flavor: Flavor;
  token: string;
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  private readonly repos = new Map<string, FakeRepo>();
  private readonly faults: (Fault & { left: number })[] = [];
  private server: Server | undefined;
  private origin = '';

  constructor(options: FakeGitHubOptions = {}) {
    this.flavor = options.flavor ?? 'dotcom';
    this.token = options.token ?? 'ghp_fakeTokenForTests0000000000000000000';
  }

  /** The `baseUrl` a destination uses. */
  get baseUrl(): string {
    return this.flavor === 'ghes' ? `${this.origin}${API_VERSION_PREFIX}` : this.origin;
  }

  /** Where html_url links point (the web UI of this fake "host"). */
  get webUrl(): string {
    return this.origin;
  }

  async start(): Promise<this> {
    preloadDescription(this.flavor);
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  addRepo(fullName: string, options: RepoOptions = {}): FakeRepo {
    const repo = new FakeRepo(fullName, options);
    this.repos.set(fullName.toLowerCase(), repo);
    return repo;
  }

  repo(fullName: string): FakeRepo {
    const repo = this.repos.get(fullName.toLowerCase());
    if (!repo) throw new Error(`the fake has no repository ${fullName}`);
    return repo;
  }

  fault(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Requests of one operation (e.g. `repos/create-or-update-file-contents`). */
  calls(operationId: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operationId === operationId);
  }

  /** Write requests (the ones GitHub counts towards its content-creation limits). */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
  }

  /** Fails the test when a request broke GitHub's description. */
  assertNoViolations(): void {
    if (this.violations.length > 0) throw new Error(`requests GitHub's REST description rejects:\n  ${this.violations.join('\n  ')}`);
  }

  // --- HTTP ----------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.origin);
    const method = (req.method ?? 'GET').toUpperCase();
    let path = url.pathname;
    if (this.flavor === 'ghes') {
      if (path.startsWith(`${API_VERSION_PREFIX}/`)) path = path.slice(API_VERSION_PREFIX.length);
      else this.violations.push(`${method} ${path}: a GitHub Enterprise Server API is under ${API_VERSION_PREFIX}`);
    }
    const checked = checkRequest(this.flavor, { method, path, query: url.searchParams, body: text, contentType: req.headers['content-type'] });
    this.violations.push(...checked.violations);
    const record: RecordedRequest = { method, path, status: 0, ...(checked.operationId ? { operationId: checked.operationId } : {}), ...(req.headers.accept ? { accept: req.headers.accept } : {}) };
    this.requests.push(record);

    const fault = this.takeFault(checked.operationId, method);
    if (fault && 'reset' in fault.action) {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault && 'status' in fault.action) {
      record.status = fault.action.status;
      this.send(res, fault.action.status, fault.action.body ?? { message: `HTTP ${fault.action.status}` }, fault.action.headers);
      return;
    }
    if (fault && 'before' in fault.action) fault.action.before(this);

    try {
      if (!this.authorized(req.headers.authorization)) throw new HttpError(401, 'Bad credentials');
      if (!checked.operationId) throw new HttpError(404, 'Not Found');
      let body: Record<string, unknown> = {};
      if (text.length > 0) {
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          throw new HttpError(400, 'Problems parsing JSON');
        }
      }
      const accept = req.headers.accept ?? '';
      const exchange: Exchange = { req, res, url, path, params: checked.pathParams, body, raw: /vnd\.github(\.v3)?\.raw/.test(accept) };
      record.status = this.route(checked.operationId, exchange);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      record.status = status;
      const message = error instanceof Error ? error.message : String(error);
      this.send(res, status, { message, documentation_url: 'https://docs.github.com/rest', ...(error instanceof HttpError ? error.extra : {}) });
    }
  }

  private takeFault(operationId: string | undefined, method: string): (Fault & { left: number }) | undefined {
    const index = this.faults.findIndex((f) => f.left > 0 && (f.operationId === undefined || f.operationId === operationId) && (f.method === undefined || f.method === method));
    if (index === -1) return undefined;
    const fault = this.faults[index] as Fault & { left: number };
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private authorized(header: string | undefined): boolean {
    const match = /^(?:token|bearer)\s+(.+)$/i.exec(header ?? '');
    return match?.[1] === this.token;
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    const base: Record<string, string> = {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-used': '1',
      'x-ratelimit-reset': String(reset),
      'x-ratelimit-resource': 'core',
    };
    if (status === 204) {
      res.writeHead(204, { ...base, ...headers });
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...base, ...headers });
    res.end(JSON.stringify(body));
  }

  private sendRaw(res: ServerResponse, bytes: Buffer): number {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-ratelimit-remaining': '4999' });
    res.end(bytes);
    return 200;
  }

  private ok(res: ServerResponse, status: number, body: unknown): number {
    this.send(res, status, body);
    return status;
  }

  // --- the operations --------------------------------------------------------

  private route(operationId: string, x: Exchange): number {
    switch (operationId) {
      case 'repos/get':
        return this.ok(x.res, 200, this.repoJson(this.repoOf(x)));
      case 'repos/get-branch':
        return this.getBranch(x);
      case 'repos/get-content':
        return this.getContent(x);
      case 'repos/create-or-update-file-contents':
        return this.putContent(x);
      case 'repos/delete-file':
        return this.deleteFile(x);
      case 'git/get-ref':
        return this.getRef(x);
      case 'git/create-ref':
        return this.createRef(x);
      case 'git/update-ref':
        return this.updateRef(x);
      case 'git/delete-ref':
        return this.deleteRef(x);
      case 'git/create-blob':
        return this.createBlob(x);
      case 'git/get-blob':
        return this.getBlob(x);
      case 'git/create-tree':
        return this.createTree(x);
      case 'git/get-tree':
        return this.getTree(x);
      case 'git/create-commit':
        return this.createCommit(x);
      case 'git/get-commit':
        return this.getCommit(x);
      case 'pulls/create':
        return this.createPull(x);
      case 'pulls/get':
        return this.ok(x.res, 200, this.pullJson(this.repoOf(x), this.pullOf(x)));
      case 'pulls/update':
        return this.updatePull(x);
      default:
        this.violations.push(`${operationId}: the fake does not implement this operation`);
        throw new HttpError(501, `The fake does not implement ${operationId}`);
    }
  }

  private repoOf(x: Exchange): FakeRepo {
    const repo = this.repos.get(`${x.params['owner']}/${x.params['repo']}`.toLowerCase());
    if (!repo) throw new HttpError(404, 'Not Found');
    return repo;
  }

  private requirePush(repo: FakeRepo): void {
    if (!repo.push) throw new HttpError(403, `Permission to ${repo.fullName}.git denied to tester.`);
  }

  private api(repo: FakeRepo, rest: string): string {
    return `${this.baseUrl}/repos/${repo.fullName}${rest}`;
  }

  private web(repo: FakeRepo, rest = ''): string {
    return `${this.webUrl}/${repo.fullName}${rest}`;
  }

  private repoJson(repo: FakeRepo) {
    return {
      id: 1,
      node_id: 'R_1',
      name: repo.name,
      full_name: repo.fullName,
      private: repo.visibility === 'private',
      visibility: repo.visibility,
      owner: { login: repo.owner, id: 2, type: 'User' },
      html_url: this.web(repo),
      url: this.api(repo, ''),
      description: null,
      fork: false,
      default_branch: repo.defaultBranch,
      permissions: { admin: false, maintain: false, push: repo.push, triage: repo.push, pull: true },
    };
  }

  /** A branch name or a commit sha, as `ref` query parameters take them; absent: the default branch. */
  private commitOf(repo: FakeRepo, ref: string | undefined): string {
    const name = ref ?? repo.defaultBranch;
    const sha = repo.head(name) ?? (repo.commits.has(name) ? name : undefined);
    if (sha === undefined) throw new HttpError(404, `No commit found for the ref ${name}`);
    return sha;
  }

  private getBranch(x: Exchange): number {
    const repo = this.repoOf(x);
    const branch = x.params['branch'] as string;
    const sha = repo.head(branch);
    if (sha === undefined) throw new HttpError(404, 'Branch not found');
    return this.ok(x.res, 200, { name: branch, commit: { sha, url: this.api(repo, `/commits/${sha}`) }, protected: false, _links: { self: this.api(repo, `/branches/${branch}`), html: this.web(repo, `/tree/${branch}`) } });
  }

  private fileJson(repo: FakeRepo, ref: string, path: string, sha: string, withContent: boolean) {
    const bytes = repo.blobs.get(sha) ?? Buffer.alloc(0);
    const name = path.split('/').pop() ?? path;
    const large = bytes.length > ONE_MB;
    return {
      type: 'file',
      name,
      path,
      sha,
      size: bytes.length,
      url: this.api(repo, `/contents/${path}?ref=${ref}`),
      html_url: this.web(repo, `/blob/${ref}/${path}`),
      git_url: this.api(repo, `/git/blobs/${sha}`),
      download_url: `${this.webUrl}/raw/${repo.fullName}/${ref}/${path}`,
      ...(withContent ? { encoding: large ? 'none' : 'base64', content: large ? '' : bytes.toString('base64') } : {}),
      _links: { self: this.api(repo, `/contents/${path}`), git: this.api(repo, `/git/blobs/${sha}`), html: this.web(repo, `/blob/${ref}/${path}`) },
    };
  }

  private getContent(x: Exchange): number {
    const repo = this.repoOf(x);
    const path = (x.params['path'] ?? '').replace(/^\/+|\/+$/g, '');
    const ref = x.url.searchParams.get('ref') ?? repo.defaultBranch;
    const tree = repo.treeOf(this.commitOf(repo, ref));
    const blob = tree.get(path);
    if (blob !== undefined) {
      if (x.raw) return this.sendRaw(x.res, repo.blobs.get(blob) ?? Buffer.alloc(0));
      return this.ok(x.res, 200, this.fileJson(repo, ref, path, blob, true));
    }
    const prefix = path === '' ? '' : `${path}/`;
    const children = new Map<string, { type: 'file' | 'dir'; sha: string }>();
    for (const [file, sha] of tree) {
      if (!file.startsWith(prefix)) continue;
      const rest = file.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash === -1) children.set(rest, { type: 'file', sha });
      else if (!children.has(rest.slice(0, slash))) children.set(rest.slice(0, slash), { type: 'dir', sha: '0'.repeat(40) });
    }
    if (children.size === 0 && path !== '') throw new HttpError(404, 'Not Found');
    const listing = [...children].map(([name, entry]) =>
      entry.type === 'file'
        ? this.fileJson(repo, ref, `${prefix}${name}`, entry.sha, false)
        : { type: 'dir', name, path: `${prefix}${name}`, sha: entry.sha, size: 0, url: this.api(repo, `/contents/${prefix}${name}`), html_url: this.web(repo, `/tree/${ref}/${prefix}${name}`), git_url: null, download_url: null, _links: {} },
    );
    return this.ok(x.res, 200, listing);
  }

  private commitJson(repo: FakeRepo, commit: FakeCommit) {
    const who = { name: 'tester', email: 'tester@example.com', date: commit.date };
    return {
      sha: commit.sha,
      node_id: `C_${commit.sha.slice(0, 8)}`,
      url: this.api(repo, `/git/commits/${commit.sha}`),
      html_url: this.web(repo, `/commit/${commit.sha}`),
      author: who,
      committer: who,
      message: commit.message,
      tree: { sha: commit.tree, url: this.api(repo, `/git/trees/${commit.tree}`) },
      parents: commit.parents.map((sha) => ({ sha, url: this.api(repo, `/git/commits/${sha}`), html_url: this.web(repo, `/commit/${sha}`) })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    };
  }

  /** The contents API's write: the stale-sha rules GitHub applies, then one commit on the branch. */
  private putContent(x: Exchange): number {
    const repo = this.repoOf(x);
    this.requirePush(repo);
    const path = (x.params['path'] ?? '').replace(/^\/+/, '');
    const branch = typeof x.body['branch'] === 'string' ? x.body['branch'] : repo.defaultBranch;
    const head = repo.head(branch);
    if (head === undefined) throw new HttpError(404, `Branch ${branch} not found`);
    const content = x.body['content'];
    if (typeof content !== 'string' || !/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(content)) throw new HttpError(422, 'Invalid request.\n\ncontent is not valid Base64.');
    const tree = new Map(repo.treeOf(head));
    const current = tree.get(path);
    const given = typeof x.body['sha'] === 'string' ? x.body['sha'] : undefined;
    if ([...tree.keys()].some((p) => p.startsWith(`${path}/`))) throw new HttpError(422, 'Invalid request.\n\npath is a directory.');
    if (current !== undefined && given === undefined) throw new HttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
    if (given !== undefined && current !== given) {
      if (current === undefined) throw new HttpError(422, `${path} does not match ${given}`);
      throw new HttpError(409, `${path} does not match ${given}`);
    }
    const blob = repo.putBlob(Buffer.from(content, 'base64'));
    tree.set(path, blob);
    const commitSha = repo.putCommit(repo.putTree(tree), [head], String(x.body['message'] ?? ''));
    repo.refs.set(`heads/${branch}`, commitSha);
    const commit = repo.commits.get(commitSha) as FakeCommit;
    return this.ok(x.res, current === undefined ? 201 : 200, { content: this.fileJson(repo, branch, path, blob, false), commit: this.commitJson(repo, commit) });
  }

  private deleteFile(x: Exchange): number {
    const repo = this.repoOf(x);
    this.requirePush(repo);
    const path = (x.params['path'] ?? '').replace(/^\/+/, '');
    const branch = typeof x.body['branch'] === 'string' ? x.body['branch'] : repo.defaultBranch;
    const head = repo.head(branch);
    if (head === undefined) throw new HttpError(404, `Branch ${branch} not found`);
    const tree = new Map(repo.treeOf(head));
    const current = tree.get(path);
    if (current === undefined) throw new HttpError(404, 'Not Found');
    if (x.body['sha'] !== current) throw new HttpError(409, `${path} does not match ${String(x.body['sha'])}`);
    tree.delete(path);
    const commitSha = repo.putCommit(repo.putTree(tree), [head], String(x.body['message'] ?? ''));
    repo.refs.set(`heads/${branch}`, commitSha);
    return this.ok(x.res, 200, { content: null, commit: this.commitJson(repo, repo.commits.get(commitSha) as FakeCommit) });
  }

  private refJson(repo: FakeRepo, ref: string, sha: string) {
    return { ref: `refs/${ref}`, node_id: `REF_${ref}`, url: this.api(repo, `/git/refs/${ref}`), object: { type: 'commit', sha, url: this.api(repo, `/git/commits/${sha}`) } };
  }

  private getRef(x: Exchange): number {
    const repo = this.repoOf(x);
    const ref = x.params['ref'] as string;
    const sha = repo.refs.get(ref);
    if (sha === undefined) throw new HttpError(404, 'Not Found');
    return this.ok(x.res, 200, this.refJson(repo, ref, sha));
  }

  private createRef(x: Exchange): number {
    const repo = this.repoOf(x);
    this.requirePush(repo);
    const full = String(x.body['ref'] ?? '');
    const sha = String(x.body['sha'] ?? '');
    if (!/^refs\/[^/]+\/.+/.test(full)) throw new HttpError(422, `${full} is not a valid ref name.`);
    const ref = full.slice('refs/'.length);
    if (repo.refs.has(ref)) throw new HttpError(422, 'Reference already exists');
    if (!repo.commits.has(sha)) throw new HttpError(422, 'Object does not exist');
    repo.refs.set(ref, sha);
    return this.ok(x.res, 201, this.refJson(repo, ref, sha));
  }

  private updateRef(x: Exchange): number {
    const repo = this.repoOf(x);
    this.requirePush(repo);
    const ref = x.params['ref'] as string;
    const current = repo.refs.get(ref);
    const sha = String(x.body['sha'] ?? '');
    if (current === undefined) throw new HttpError(422, 'Reference does not exist');
    if (!repo.commits.has(sha)) throw new HttpError(422, 'Object does not exist');
    if (x.body['force'] !== true && !repo.isAncestor(current, sha)) throw new HttpError(422, 'Update is not a fast forward');
    repo.refs.set(ref, sha);
    return this.ok(x.res, 200, this.refJson(repo, ref, sha));
  }

  private deleteRef(x: Exchange): number {
    const repo = this.repoOf(x);
    this.requirePush(repo);
    const ref = x.params['ref'] as string;
    if (!repo.refs.has(ref)) throw new HttpError(422, 'Reference does not exist');
    repo.refs.delete(ref);
    this.send(x.res, 204, null);
    return 204;
  }

  private createBlob(x: Exchange): number {
    const repo = this.repoOf(x);
    this.requirePush(repo);
    const content = String(x.body['content'] ?? '');
    const bytes = x.body['encoding'] === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8');
    const sha = repo.putBlob(bytes);
    return this.ok(x.res, 201, { sha, url: this.api(repo, `/git/blobs/${sha}`) });
  }

  private getBlob(x: Exchange): number {
    const repo = this.repoOf(x);
    const sha = x.params['file_sha'] as string;
    const bytes = repo.blobs.get(sha);
    if (!bytes) throw new HttpError(404, 'Not Found');
    if (x.raw) return this.sendRaw(x.res, bytes);
    return this.ok(x.res, 200, { sha, node_id: `B_${sha.slice(0, 8)}`, size: bytes.length, url: this.api(repo, `/git/blobs/${sha}`), content: bytes.toString('base64'), encoding: 'base64' });
  }

  private treeJson(repo: FakeRepo, sha: string, entries: Map<string, string>) {
    return {
      sha,
      url: this.api(repo, `/git/trees/${sha}`),
      truncated: false,
      tree: [...entries].map(([path, blob]) => ({ path, mode: '100644', type: 'blob', sha: blob, size: repo.blobs.get(blob)?.length ?? 0, url: this.api(repo, `/git/blobs/${blob}`) })),
    };
  }

  private createTree(x: Exchange): number {
    const repo = this.repoOf(x);
    this.requirePush(repo);
    const baseTree = x.body['base_tree'];
    let entries = new Map<string, string>();
    if (typeof baseTree === 'string') {
      const base = repo.trees.get(baseTree);
      if (!base) throw new HttpError(422, 'Invalid request.\n\nbase_tree is not a valid tree.');
      entries = new Map(base);
    }
    for (const entry of (x.body['tree'] as Record<string, unknown>[] | undefined) ?? []) {
      const path = String(entry['path'] ?? '');
      if (path.startsWith('/') || path === '') throw new HttpError(422, 'Invalid request.\n\ntree.path is invalid.');
      if (entry['type'] !== 'blob') throw new HttpError(422, 'The fake supports blob entries only.');
      if ('content' in entry && 'sha' in entry) throw new HttpError(422, 'Invalid request.\n\nOnly one of content or sha is allowed.');
      if (typeof entry['content'] === 'string') entries.set(path, repo.putBlob(Buffer.from(entry['content'], 'utf8')));
      else if (entry['sha'] === null) entries.delete(path);
      else if (typeof entry['sha'] === 'string' && repo.blobs.has(entry['sha'])) entries.set(path, entry['sha']);
      else throw new HttpError(422, `Invalid request.\n\ntree.sha ${String(entry['sha'])} is not a valid blob.`);
    }
    const sha = repo.putTree(entries);
    return this.ok(x.res, 201, this.treeJson(repo, sha, entries));
  }

  private getTree(x: Exchange): number {
    const repo = this.repoOf(x);
    const given = x.params['tree_sha'] as string;
    const commit = repo.head(given);
    const sha = commit !== undefined ? (repo.commits.get(commit) as FakeCommit).tree : given;
    const entries = repo.trees.get(sha);
    if (!entries) throw new HttpError(404, 'Not Found');
    return this.ok(x.res, 200, this.treeJson(repo, sha, entries));
  }

  private createCommit(x: Exchange): number {
    const repo = this.repoOf(x);
    this.requirePush(repo);
    const tree = String(x.body['tree'] ?? '');
    const parents = (x.body['parents'] as string[] | undefined) ?? [];
    if (!repo.trees.has(tree)) throw new HttpError(422, 'Tree SHA does not exist');
    for (const parent of parents) if (!repo.commits.has(parent)) throw new HttpError(422, 'Parent SHA does not exist or is not a commit object');
    const sha = repo.putCommit(tree, parents, String(x.body['message'] ?? ''));
    return this.ok(x.res, 201, this.commitJson(repo, repo.commits.get(sha) as FakeCommit));
  }

  private getCommit(x: Exchange): number {
    const repo = this.repoOf(x);
    const commit = repo.commits.get(x.params['commit_sha'] as string);
    if (!commit) throw new HttpError(404, 'Not Found');
    return this.ok(x.res, 200, this.commitJson(repo, commit));
  }

  private pullOf(x: Exchange): FakePull {
    const pull = this.repoOf(x).pulls.get(Number(x.params['pull_number']));
    if (!pull) throw new HttpError(404, 'Not Found');
    return pull;
  }

  private pullJson(repo: FakeRepo, pull: FakePull) {
    const headSha = repo.head(pull.head) ?? null;
    return {
      id: 1000 + pull.number,
      node_id: `PR_${pull.number}`,
      number: pull.number,
      url: this.api(repo, `/pulls/${pull.number}`),
      html_url: this.web(repo, `/pull/${pull.number}`),
      state: pull.state,
      locked: false,
      title: pull.title,
      body: pull.body,
      merged: pull.merged,
      draft: false,
      head: { label: `${repo.owner}:${pull.head}`, ref: pull.head, sha: headSha },
      base: { label: `${repo.owner}:${pull.base}`, ref: pull.base, sha: repo.head(pull.base) ?? null },
    };
  }

  private createPull(x: Exchange): number {
    const repo = this.repoOf(x);
    this.requirePush(repo);
    const head = String(x.body['head'] ?? '');
    const base = String(x.body['base'] ?? '');
    const invalid = (field: string) => new HttpError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field, code: 'invalid' }] });
    const headSha = repo.head(head);
    const baseSha = repo.head(base);
    if (headSha === undefined) throw invalid('head');
    if (baseSha === undefined) throw invalid('base');
    if (repo.isAncestor(headSha, baseSha)) throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` }] });
    if ([...repo.pulls.values()].some((p) => p.head === head && p.state === 'open')) {
      throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.owner}:${head}.` }] });
    }
    const pull = repo.openPull({ title: String(x.body['title'] ?? ''), body: String(x.body['body'] ?? ''), head, base });
    return this.ok(x.res, 201, this.pullJson(repo, pull));
  }

  private updatePull(x: Exchange): number {
    const repo = this.repoOf(x);
    this.requirePush(repo);
    const pull = this.pullOf(x);
    if (x.body['state'] === 'closed' || x.body['state'] === 'open') pull.state = x.body['state'];
    if (typeof x.body['title'] === 'string') pull.title = x.body['title'];
    if (typeof x.body['body'] === 'string') pull.body = x.body['body'];
    return this.ok(x.res, 200, this.pullJson(repo, pull));
  }
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  return new FakeGitHub(options).start();
}
