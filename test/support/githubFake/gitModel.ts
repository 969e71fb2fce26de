import { createHash } from 'node:crypto';

/**
 * The repositories the fake GitHub holds: blobs (with git's real blob ids,
 * as GitHub's contents API reports them), trees (flat: path → blob id),
 * commits, refs and pull requests. Tests use it directly to look at what was
 * written, or to play a colleague pushing between review and write.
 */

export function gitBlobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export interface FakeCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  date: string;
}

export interface FakePull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
}

export interface RepoOptions {
  visibility?: 'public' | 'private';
  /** The token's push access (false: writes answer 403). */
  push?: boolean;
  defaultBranch?: string;
  /** Files of the first commit on the default branch. */
  files?: Record<string, string>;
}

let commitCounter = 0;

export class FakeRepo {
  readonly owner: string;
  readonly name: string;
  visibility: 'public' | 'private';
  push: boolean;
  defaultBranch: string;
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, Map<string, string>>();
  readonly commits = new Map<string, FakeCommit>();
  /** `heads/main` → commit sha. */
  readonly refs = new Map<string, string>();
  readonly pulls = new Map<number, FakePull>();
  private nextPull = 1;

  constructor(fullName: string, options: RepoOptions = {}) {
    const [owner, name] = fullName.split('/') as [string, string];
    this.owner = owner;
    this.name = name;
    this.visibility = options.visibility ?? 'private';
    this.push = options.push ?? true;
    this.defaultBranch = options.defaultBranch ?? 'main';
    const tree = new Map<string, string>();
    for (const [path, content] of Object.entries(options.files ?? {})) tree.set(path, this.putBlob(Buffer.from(content, 'utf8')));
    const commit = this.putCommit(this.putTree(tree), [], 'Initial commit');
    this.refs.set(`heads/${this.defaultBranch}`, commit);
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  putBlob(bytes: Buffer): string {
    const sha = gitBlobSha(bytes);
    this.blobs.set(sha, bytes);
    return sha;
  }

  putTree(entries: Map<string, string>): string {
    const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const sha = sha1(`tree ${JSON.stringify(sorted)}`);
    this.trees.set(sha, new Map(sorted));
    return sha;
  }

  putCommit(tree: string, parents: string[], message: string): string {
    commitCounter += 1;
    const date = new Date().toISOString();
    const sha = sha1(`commit ${tree} ${parents.join(',')} ${message} ${date} ${commitCounter}`);
    this.commits.set(sha, { sha, tree, parents, message, date });
    return sha;
  }

  head(branch: string): string | undefined {
    return this.refs.get(`heads/${branch}`);
  }

  treeOf(commitSha: string): Map<string, string> {
    const commit = this.commits.get(commitSha);
    return (commit && this.trees.get(commit.tree)) ?? new Map();
  }

  /** The file's blob id at a branch or commit, or undefined. */
  blobAt(refOrSha: string, path: string): string | undefined {
    const commit = this.head(refOrSha) ?? (this.commits.has(refOrSha) ? refOrSha : undefined);
    return commit === undefined ? undefined : this.treeOf(commit).get(path);
  }

  /** The file's text at a branch (or commit), or undefined. */
  file(refOrSha: string, path: string): string | undefined {
    const blob = this.blobAt(refOrSha, path);
    return blob === undefined ? undefined : this.blobs.get(blob)?.toString('utf8');
  }

  /** What a colleague's push does: a commit on `branch` changing files (null deletes). */
  commitFiles(branch: string, changes: Record<string, string | null>, message = 'A colleague\'s change'): string {
    const head = this.head(branch);
    if (head === undefined) throw new Error(`no branch ${branch}`);
    const tree = new Map(this.treeOf(head));
    for (const [path, content] of Object.entries(changes)) {
      if (content === null) tree.delete(path);
      else tree.set(path, this.putBlob(Buffer.from(content, 'utf8')));
    }
    const commit = this.putCommit(this.putTree(tree), [head], message);
    this.refs.set(`heads/${branch}`, commit);
    return commit;
  }

  /** The commits of a branch, newest first (first parents). */
  history(branch: string): FakeCommit[] {
    const out: FakeCommit[] = [];
    let sha = this.head(branch);
    while (sha !== undefined) {
      const commit = this.commits.get(sha);
      if (!commit) break;
      out.push(commit);
      sha = commit.parents[0];
    }
    return out;
  }

  branches(): string[] {
    return [...this.refs.keys()].filter((r) => r.startsWith('heads/')).map((r) => r.slice('heads/'.length));
  }

  /** Is `ancestor` reachable from `descendant`? (A ref update that is not forced must be a fast-forward.) */
  isAncestor(ancestor: string, descendant: string): boolean {
    const queue = [descendant];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const sha = queue.pop() as string;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(this.commits.get(sha)?.parents ?? []));
    }
    return false;
  }

  openPull(fields: Omit<FakePull, 'number' | 'state' | 'merged'>): FakePull {
    const pull: FakePull = { ...fields, number: this.nextPull++, state: 'open', merged: false };
    this.pulls.set(pull.number, pull);
    return pull;
  }
}
