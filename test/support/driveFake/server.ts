import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { applyMask, checkMask, InvalidFieldSelection, parseFields, type FieldMask } from './fields';
import { boundaryOf, InvalidMultipart, parseMultipart } from './multipart';
import { InvalidQuery, parseDriveQuery, type QueryFile } from './query';
import { DRIVE_V3, type MethodShape } from './shapes';
import { FakeTokenEndpoint } from './tokens';

/**
 * A local stand-in for Google Drive v3 and Google's OAuth token endpoint, on
 * 127.0.0.1, for tests. It keeps files, folders and revisions in memory and
 * answers the REST calls the Drive destination makes as Drive does —
 * partial responses (`fields`), the `q` language, multipart and resumable
 * uploads, `alt=media`, trash, revisions, shared-drive flags — after
 * checking every request against the API's shapes (shapes.ts: method, path,
 * parameters and their types, upload types, writable fields). What Drive
 * would refuse is refused with Drive's error body, and noted in
 * `violations` so a test can insist there were none.
 *
 * Faults are scripted per operation (`fail`): any HTTP error with Drive's
 * reason, a connection reset before or after the request took effect, or an
 * upload cut off after some bytes.
 */

export const FOLDER_MIME = 'application/vnd.google-apps.folder';
const RESUMABLE_GRANULE = 256 * 1024;

export interface FakeRevision {
  id: string;
  content: Buffer;
  mimeType: string;
  modifiedTime: string;
}

export interface FakeFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  trashed: boolean;
  appProperties: Record<string, string>;
  createdTime: string;
  modifiedTime: string;
  /** Folders only: whether this account may add files to it. */
  canAddChildren: boolean;
  /** Set for items in a shared drive. */
  driveId?: string;
  revisions: FakeRevision[];
}

/** `files.create`, `files.update`, `files.get`, `files.list`, `revisions.get`, `upload.session` (resumable PUTs), `token`. */
export type Operation = string;

export interface Fault {
  on: Operation;
  /** Only requests with this uploadType (`multipart`, `resumable`, `media`), or `alt=media` downloads with 'download'. */
  kind?: 'multipart' | 'resumable' | 'media' | 'download';
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Answer with this status and Drive's error body for `reason`. */
  status?: number;
  reason?: string;
  message?: string;
  headers?: Record<string, string>;
  /** Close the connection without an answer. */
  reset?: boolean;
  /** Do what was asked, then fail as told (the answer is lost). */
  afterApplying?: boolean;
  /** Resumable chunks: take this many bytes of the body, keep them, then reset. */
  resetAfterBytes?: number;
}

export interface RequestRecord {
  operation: Operation;
  method: string;
  path: string;
  query: Record<string, string>;
  uploadType?: string;
  contentRange?: string;
  bodyBytes: number;
  status?: number;
}

interface Session {
  id: string;
  fileId?: string;
  metadata: Record<string, unknown>;
  mimeType: string;
  total: number;
  received: Buffer[];
  receivedBytes: number;
  fields?: string;
  supportsAllDrives: boolean;
  /** Set once the last byte arrived and the file was written. */
  doneFileId?: string;
}

class DriveHttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

const DOMAINS: Record<string, string> = { userRateLimitExceeded: 'usageLimits', rateLimitExceeded: 'usageLimits', dailyLimitExceeded: 'usageLimits' };

function driveErrorBody(status: number, reason: string, message: string, extra: Record<string, string> = {}): Record<string, unknown> {
  return { error: { code: status, message, errors: [{ message, domain: DOMAINS[reason] ?? 'global', reason, ...extra }] } };
}

const notFound = (id: string) => new DriveHttpError(404, 'notFound', `File not found: ${id}.`, { locationType: 'parameter', location: 'fileId' });
const invalidParameter = (name: string, message = 'Invalid Value') => new DriveHttpError(400, 'invalid', message, { locationType: 'parameter', location: name });

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

export class FakeDrive {
  readonly files = new Map<string, FakeFile>();
  readonly requests: RequestRecord[] = [];
  /** Requests Drive would have refused (the client's mistakes). A test passes only with none. */
  readonly violations: string[] = [];
  readonly tokens: FakeTokenEndpoint;
  private readonly faults: (Fault & { left: number })[] = [];
  private readonly sessions = new Map<string, Session>();
  private readonly sockets = new Set<Socket>();
  private tick = 0;
  private origin = '';

  private constructor(private readonly server: Server) {
    this.tokens = new FakeTokenEndpoint(() => ['https://oauth2.googleapis.com/token', this.tokenUrl]);
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<FakeDrive> {
    const server = createServer();
    const fake = new FakeDrive(server);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The `rootUrl` of a destination that uses this fake. */
  get rootUrl(): string {
    return `${this.origin}/`;
  }
  get tokenUrl(): string {
    return `${this.origin}/token`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- test set-up ---------------------------------------------------------

  addFolder(options: { name: string; id?: string; canAddChildren?: boolean; driveId?: string; parents?: string[] }): FakeFile {
    const now = this.now();
    const folder: FakeFile = {
      id: options.id ?? random(21),
      name: options.name,
      mimeType: FOLDER_MIME,
      parents: options.parents ?? [],
      trashed: false,
      appProperties: {},
      createdTime: now,
      modifiedTime: now,
      canAddChildren: options.canAddChildren ?? true,
      ...(options.driveId ? { driveId: options.driveId } : {}),
      revisions: [],
    };
    this.files.set(folder.id, folder);
    return folder;
  }

  addFile(options: { name: string; parent: string; content?: string; mimeType?: string; appProperties?: Record<string, string> }): FakeFile {
    const now = this.now();
    const mimeType = options.mimeType ?? 'text/markdown';
    const parent = this.files.get(options.parent);
    const file: FakeFile = {
      id: random(24),
      name: options.name,
      mimeType,
      parents: [options.parent],
      trashed: false,
      appProperties: { ...options.appProperties },
      createdTime: now,
      modifiedTime: now,
      canAddChildren: false,
      ...(parent?.driveId ? { driveId: parent.driveId } : {}),
      revisions: mimeType.startsWith('application/vnd.google-apps.') ? [] : [{ id: this.revisionId(), content: Buffer.from(options.content ?? '', 'utf8'), mimeType, modifiedTime: now }],
    };
    this.files.set(file.id, file);
    return file;
  }

  /** A person edits the file in Drive: a new revision. */
  edit(fileId: string, content: string): FakeFile {
    const file = this.files.get(fileId);
    if (!file) throw new Error(`no file ${fileId}`);
    file.modifiedTime = this.now();
    file.revisions.push({ id: this.revisionId(), content: Buffer.from(content, 'utf8'), mimeType: file.mimeType, modifiedTime: file.modifiedTime });
    return file;
  }

  /** The files directly in a folder (trashed ones too). */
  filesIn(folderId: string): FakeFile[] {
    return [...this.files.values()].filter((f) => f.parents.includes(folderId));
  }

  content(fileId: string): string | undefined {
    return this.files.get(fileId)?.revisions.at(-1)?.content.toString('utf8');
  }

  fail(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Requests of one operation, in order. */
  calls(operation: Operation): RequestRecord[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  // --- HTTP ------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const record: RequestRecord = { operation: 'unknown', method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), bodyBytes: 0 };
    this.requests.push(record);
    try {
      if (url.pathname === '/token' && req.method === 'POST') {
        record.operation = 'token';
        const fault = this.takeFault('token', undefined);
        if (fault && !fault.afterApplying && this.answerFault(fault, req, res, record)) return;
        const body = await readBody(req);
        const answer = this.tokens.handle(req.headers['content-type'], body.toString('utf8'));
        if (fault?.afterApplying && this.answerFault(fault, req, res, record)) return;
        return send(res, record, answer.status, answer.body);
      }
      const route = this.route(req.method ?? 'GET', url);
      if (!route) {
        record.operation = 'unknown';
        return send(res, record, 404, { error: { code: 404, message: `Not Found: ${req.method} ${url.pathname}` } });
      }
      record.operation = route.operation;
      const uploadType = url.searchParams.get('uploadType') ?? undefined;
      if (uploadType) record.uploadType = uploadType;
      const contentRange = req.headers['content-range'];
      if (typeof contentRange === 'string') record.contentRange = contentRange;
      this.authenticate(req);
      const kind = url.searchParams.get('alt') === 'media' ? 'download' : (uploadType as Fault['kind']);
      const fault = this.takeFault(route.operation, kind);
      if (fault && !fault.afterApplying && fault.resetAfterBytes === undefined && this.answerFault(fault, req, res, record)) return;
      if (route.method) this.checkRequest(route.method, url, route.media);
      if (route.operation === 'upload.session' && fault?.resetAfterBytes !== undefined) {
        return await this.cutUpload(req, url, fault.resetAfterBytes, record);
      }
      const body = await readBody(req);
      record.bodyBytes = body.length;
      const answer = await this.dispatch(route, req, url, body);
      if (fault?.afterApplying && this.answerFault(fault, req, res, record)) return;
      if (answer.raw) {
        record.status = answer.status;
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.raw);
        return;
      }
      return send(res, record, answer.status, answer.body, answer.headers);
    } catch (error) {
      if (error instanceof DriveHttpError) {
        if (error.status === 400 || (error.status === 403 && error.reason === 'fieldNotWritable')) this.violations.push(`${req.method} ${url.pathname}${url.search}: ${error.message}`);
        return send(res, record, error.status, driveErrorBody(error.status, error.reason, error.message, error.extra));
      }
      this.violations.push(`fake failed on ${req.method} ${url.pathname}: ${error instanceof Error ? error.message : String(error)}`);
      return send(res, record, 500, driveErrorBody(500, 'backendError', 'Backend Error'));
    }
  }

  private takeFault(operation: Operation, kind: Fault['kind'] | undefined): (Fault & { left: number }) | undefined {
    const fault = this.faults.find((f) => f.left > 0 && f.on === operation && (f.kind === undefined || f.kind === kind));
    if (fault) fault.left -= 1;
    return fault;
  }

  /** Answers as the fault says; false when it only cuts an upload (handled elsewhere). */
  private answerFault(fault: Fault, req: IncomingMessage, res: ServerResponse, record: RequestRecord): boolean {
    if (fault.reset) {
      record.status = 0;
      req.socket.destroy();
      return true;
    }
    if (fault.status === undefined) return false;
    const reason = fault.reason ?? (fault.status === 429 ? 'rateLimitExceeded' : fault.status >= 500 ? 'backendError' : fault.status === 401 ? 'authError' : 'forbidden');
    const message = fault.message ?? defaultMessage(reason, fault.status);
    const body = record.operation === 'token' ? { error: reason, error_description: message } : driveErrorBody(fault.status, reason, message);
    send(res, record, fault.status, body, fault.headers);
    return true;
  }

  private authenticate(req: IncomingMessage): void {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer (\S+)$/.exec(header)?.[1];
    if (!token || !this.tokens.isValidAccessToken(token)) {
      throw new DriveHttpError(401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', {
        locationType: 'header',
        location: 'Authorization',
      });
    }
  }

  private route(method: string, url: URL): { operation: Operation; method?: MethodShape; media: boolean; pathParams: Record<string, string> } | undefined {
    if (url.searchParams.has('upload_id') && method === 'PUT' && url.pathname.startsWith('/upload/drive/v3/files')) return { operation: 'upload.session', media: true, pathParams: {} };
    const candidates = [...DRIVE_V3.methods.values()].flatMap((shape) => [
      { shape, path: shape.path, media: false },
      ...(shape.mediaPath ? [{ shape, path: shape.mediaPath, media: true }] : []),
    ]);
    // Literal paths before templated ones (files/generateIds before files/{fileId}).
    candidates.sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
    for (const candidate of candidates) {
      if (candidate.shape.httpMethod !== method) continue;
      const names: string[] = [];
      const pattern = new RegExp(`^${candidate.path.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
      const match = pattern.exec(url.pathname);
      if (!match) continue;
      const pathParams = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1] ?? '')]));
      return { operation: candidate.shape.id, method: candidate.shape, media: candidate.media, pathParams };
    }
    return undefined;
  }

  /** Query parameters and upload types as the method's shape allows them. */
  private checkRequest(shape: MethodShape, url: URL, media: boolean): void {
    for (const [name, value] of url.searchParams) {
      const type = shape.params.get(name);
      if (type === undefined || shape.pathParams.includes(name)) throw invalidParameter(name, `Invalid parameter ${name} for ${shape.id}`);
      if (type === 'boolean' && value !== 'true' && value !== 'false') throw invalidParameter(name, `Invalid boolean value for ${name}: "${value}"`);
      if (type === 'number' && !/^\d+$/.test(value)) throw invalidParameter(name, `Invalid integer value for ${name}: "${value}"`);
    }
    for (const required of shape.requiredParams) {
      if (!shape.pathParams.includes(required) && !url.searchParams.has(required)) throw invalidParameter(required, `Required parameter: ${required}`);
    }
    const uploadType = url.searchParams.get('uploadType');
    if (media && !['media', 'multipart', 'resumable'].includes(uploadType ?? '')) throw invalidParameter('uploadType', 'Upload requests need uploadType media, multipart or resumable');
    if (!media && uploadType !== null) throw invalidParameter('uploadType', `uploadType is for the upload URL (/upload${shape.path})`);
    if (url.searchParams.get('includeItemsFromAllDrives') === 'true' && url.searchParams.get('supportsAllDrives') !== 'true') {
      throw new DriveHttpError(403, 'teamDrivesParameterNotSupported', 'The includeItemsFromAllDrives parameter can only be set to true if supportsAllDrives is also set to true.');
    }
  }

  private async dispatch(
    route: { operation: Operation; media: boolean; pathParams: Record<string, string> },
    req: IncomingMessage,
    url: URL,
    body: Buffer,
  ): Promise<{ status: number; body?: unknown; raw?: Buffer; headers?: Record<string, string> }> {
    const q = url.searchParams;
    const allDrives = q.get('supportsAllDrives') === 'true';
    const fileId = route.pathParams['fileId'] ?? '';
    switch (route.operation) {
      case 'files.get': {
        const file = this.visible(fileId, allDrives);
        if (q.get('alt') === 'media') {
          const head = file.revisions.at(-1);
          if (!head) throw new DriveHttpError(403, 'fileNotDownloadable', 'Only files with binary content can be downloaded. Use Export with Docs Editors files.');
          return { status: 200, raw: head.content, headers: { 'content-type': head.mimeType } };
        }
        return { status: 200, body: this.partial(this.resource(file), q.get('fields'), DEFAULT_FILE_FIELDS) };
      }
      case 'files.list':
        return { status: 200, body: this.list(q) };
      case 'files.create':
      case 'files.update': {
        const uploadType = q.get('uploadType');
        if (uploadType === 'resumable') return this.startSession(req, q, route.operation === 'files.update' ? fileId : undefined, body);
        const { metadata, media } = this.uploadParts(req, uploadType, body);
        const file = route.operation === 'files.create' ? this.create(metadata, media, allDrives) : this.update(fileId, metadata, media, allDrives);
        return { status: 200, body: this.partial(this.resource(file), q.get('fields'), DEFAULT_FILE_FIELDS) };
      }
      case 'revisions.get': {
        const file = this.visible(fileId, true);
        const revision = file.revisions.find((r) => r.id === route.pathParams['revisionId']);
        if (!revision) throw new DriveHttpError(404, 'notFound', `Revision not found: ${route.pathParams['revisionId']}.`, { locationType: 'parameter', location: 'revisionId' });
        if (q.get('alt') === 'media') return { status: 200, raw: revision.content, headers: { 'content-type': revision.mimeType } };
        return { status: 200, body: this.partial(this.revisionResource(revision), q.get('fields'), DEFAULT_REVISION_FIELDS, DRIVE_V3.revision.fields) };
      }
      case 'revisions.list': {
        const file = this.visible(fileId, true);
        const body = { kind: 'drive#revisionList', revisions: file.revisions.map((r) => this.revisionResource(r)) };
        return { status: 200, body: this.partial(body, q.get('fields'), 'kind,revisions(id,mimeType,kind,modifiedTime)', DRIVE_V3.revisionList.fields, { revisions: DRIVE_V3.revision.fields }) };
      }
      case 'upload.session':
        return this.continueSession(req, url, body);
      default:
        throw new DriveHttpError(501, 'notImplemented', `The fake does not implement ${route.operation}`);
    }
  }

  // --- files -----------------------------------------------------------------

  /** The file as this request may see it: items of a shared drive need supportsAllDrives=true. */
  private visible(fileId: string, supportsAllDrives: boolean): FakeFile {
    const file = this.files.get(fileId);
    if (!file || (file.driveId && !supportsAllDrives)) throw notFound(fileId);
    return file;
  }

  private list(q: URLSearchParams): Record<string, unknown> {
    let predicate: (f: QueryFile) => boolean = () => true;
    const query = q.get('q');
    if (query !== null) {
      try {
        predicate = parseDriveQuery(query);
      } catch (error) {
        if (error instanceof InvalidQuery) throw invalidParameter('q');
        throw error;
      }
    }
    const pageSize = Number(q.get('pageSize') ?? '100');
    if (pageSize < 1 || pageSize > 1000) throw invalidParameter('pageSize');
    const corpora = q.get('corpora') ?? 'user';
    if (!['user', 'drive', 'allDrives', 'domain'].includes(corpora)) throw invalidParameter('corpora');
    if (corpora === 'drive' && (!q.get('driveId') || q.get('includeItemsFromAllDrives') !== 'true')) throw invalidParameter('corpora', 'corpora=drive needs driveId and includeItemsFromAllDrives=true');
    const sharedItems = q.get('includeItemsFromAllDrives') === 'true';
    const matching = [...this.files.values()]
      .filter((f) => (f.driveId ? sharedItems && (corpora !== 'drive' || f.driveId === q.get('driveId')) : corpora !== 'drive'))
      .filter((f) => predicate(this.queryView(f)))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    const start = Number(q.get('pageToken') ?? '0');
    if (!Number.isInteger(start) || start < 0) throw invalidParameter('pageToken');
    const page = matching.slice(start, start + pageSize);
    const body: Record<string, unknown> = { kind: 'drive#fileList', incompleteSearch: false, files: page.map((f) => this.resource(f)) };
    if (start + pageSize < matching.length) body['nextPageToken'] = String(start + pageSize);
    return this.partial(body, q.get('fields'), 'kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)', DRIVE_V3.fileList.fields, { files: DRIVE_V3.file.fields }) as Record<string, unknown>;
  }

  private queryView(file: FakeFile): QueryFile {
    return {
      name: file.name,
      mimeType: file.mimeType,
      parents: file.parents,
      trashed: file.trashed,
      starred: false,
      modifiedTime: file.modifiedTime,
      createdTime: file.createdTime,
      appProperties: file.appProperties,
      properties: {},
      fullText: `${file.name} ${file.revisions.at(-1)?.content.toString('utf8') ?? ''}`,
    };
  }

  /** The metadata part and the media of an upload (or metadata only, on the non-upload URL). */
  private uploadParts(req: IncomingMessage, uploadType: string | null, body: Buffer): { metadata: Record<string, unknown>; media?: { content: Buffer; mimeType: string } } {
    const contentType = req.headers['content-type'];
    if (uploadType === 'multipart') {
      let parts;
      try {
        parts = parseMultipart(body, boundaryOf(contentType));
      } catch (error) {
        if (error instanceof InvalidMultipart) throw new DriveHttpError(400, 'badContent', `Malformed multipart body: ${error.message}`);
        throw error;
      }
      if (parts.length !== 2) throw new DriveHttpError(400, 'badContent', `A multipart upload has exactly two parts, not ${parts.length}`);
      const [meta, media] = parts as [(typeof parts)[0], (typeof parts)[0]];
      if (!/^application\/json/i.test(meta.headers['content-type'] ?? '')) throw new DriveHttpError(400, 'badContent', 'The first part must be the JSON metadata');
      return { metadata: jsonObject(meta.body), media: { content: media.body, mimeType: (media.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim() } };
    }
    if (uploadType === 'media') return { metadata: {}, media: { content: body, mimeType: (contentType ?? 'application/octet-stream').split(';')[0]!.trim() } };
    if (body.length > 0 && !/^application\/json/i.test(contentType ?? '')) throw new DriveHttpError(400, 'badContent', 'Metadata must be sent as application/json');
    return { metadata: body.length === 0 ? {} : jsonObject(body) };
  }

  /** Writable metadata only, as Drive checks it. `parents` only when creating. */
  private checkMetadata(metadata: Record<string, unknown>, creating: boolean): void {
    for (const [key, value] of Object.entries(metadata)) {
      const field = DRIVE_V3.file.fields.get(key);
      if (!field) throw new DriveHttpError(400, 'invalid', `Invalid JSON payload received. Unknown name "${key}" at 'resource': Cannot find field.`);
      if (field.outputOnly || (key === 'parents' && !creating)) throw new DriveHttpError(403, 'fieldNotWritable', 'The resource body includes fields which are not directly writable.');
      if (key === 'appProperties') {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DriveHttpError(400, 'invalid', 'appProperties must be an object');
        for (const [k, v] of Object.entries(value)) {
          if (v !== null && typeof v !== 'string') throw new DriveHttpError(400, 'invalid', `appProperties.${k} must be a string`);
          if (Buffer.byteLength(k) + Buffer.byteLength(v ?? '') > 124) throw new DriveHttpError(400, 'invalid', `appProperties.${k}: key and value are limited to 124 bytes`);
        }
      }
    }
    if (creating && Array.isArray(metadata['parents']) && metadata['parents'].length > 1) {
      throw new DriveHttpError(403, 'cannotAddParent', 'A shared drive item must have exactly one parent.');
    }
  }

  private create(metadata: Record<string, unknown>, media: { content: Buffer; mimeType: string } | undefined, allDrives: boolean): FakeFile {
    this.checkMetadata(metadata, true);
    const parents = Array.isArray(metadata['parents']) ? (metadata['parents'] as string[]) : [];
    let driveId: string | undefined;
    for (const parentId of parents) {
      const parent = this.visible(parentId, allDrives);
      if (parent.mimeType !== FOLDER_MIME || parent.trashed) throw notFound(parentId);
      if (!parent.canAddChildren) throw new DriveHttpError(403, 'insufficientFilePermissions', 'The user does not have sufficient permissions for this file.');
      driveId = parent.driveId;
    }
    const now = this.now();
    const mimeType = typeof metadata['mimeType'] === 'string' ? metadata['mimeType'] : (media?.mimeType ?? 'application/octet-stream');
    const file: FakeFile = {
      id: typeof metadata['id'] === 'string' ? metadata['id'] : random(24),
      name: typeof metadata['name'] === 'string' ? metadata['name'] : 'Untitled',
      mimeType,
      parents,
      trashed: metadata['trashed'] === true,
      appProperties: {},
      createdTime: now,
      modifiedTime: now,
      canAddChildren: mimeType === FOLDER_MIME,
      ...(driveId ? { driveId } : {}),
      revisions: media ? [{ id: this.revisionId(), content: media.content, mimeType, modifiedTime: now }] : [],
    };
    mergeAppProperties(file, metadata['appProperties']);
    this.files.set(file.id, file);
    return file;
  }

  private update(fileId: string, metadata: Record<string, unknown>, media: { content: Buffer; mimeType: string } | undefined, allDrives: boolean): FakeFile {
    const file = this.visible(fileId, allDrives);
    this.checkMetadata(metadata, false);
    if (media && !file.revisions.length) throw new DriveHttpError(403, 'fileNotDownloadable', 'Docs Editors files and folders have no binary content to replace.');
    const now = this.now();
    if (typeof metadata['name'] === 'string') file.name = metadata['name'];
    if (typeof metadata['trashed'] === 'boolean') file.trashed = metadata['trashed'];
    mergeAppProperties(file, metadata['appProperties']);
    if (media) {
      const mimeType = typeof metadata['mimeType'] === 'string' ? metadata['mimeType'] : media.mimeType;
      file.mimeType = mimeType;
      file.revisions.push({ id: this.revisionId(), content: media.content, mimeType, modifiedTime: now });
    }
    file.modifiedTime = now;
    return file;
  }

  // --- resumable uploads -----------------------------------------------------

  private startSession(req: IncomingMessage, q: URLSearchParams, fileId: string | undefined, body: Buffer): { status: number; headers: Record<string, string>; body?: unknown } {
    const metadata = body.length === 0 ? {} : jsonObject(body);
    this.checkMetadata(metadata, fileId === undefined);
    if (fileId !== undefined) this.visible(fileId, q.get('supportsAllDrives') === 'true');
    const total = Number(req.headers['x-upload-content-length']);
    if (!Number.isInteger(total) || total < 0) throw new DriveHttpError(400, 'invalid', 'X-Upload-Content-Length must be the size of the upload');
    const mimeType = String(req.headers['x-upload-content-type'] ?? metadata['mimeType'] ?? 'application/octet-stream');
    const session: Session = {
      id: random(30),
      ...(fileId === undefined ? {} : { fileId }),
      metadata,
      mimeType,
      total,
      received: [],
      receivedBytes: 0,
      ...(q.get('fields') ? { fields: q.get('fields') as string } : {}),
      supportsAllDrives: q.get('supportsAllDrives') === 'true',
    };
    this.sessions.set(session.id, session);
    const path = fileId === undefined ? '/upload/drive/v3/files' : `/upload/drive/v3/files/${encodeURIComponent(fileId)}`;
    return { status: 200, headers: { location: `${this.origin}${path}?uploadType=resumable&upload_id=${session.id}` } };
  }

  private session(url: URL): Session {
    const session = this.sessions.get(url.searchParams.get('upload_id') ?? '');
    if (!session) throw new DriveHttpError(404, 'notFound', 'Upload session not found or expired.');
    return session;
  }

  /** PUT to a session: a status query (`bytes * /total`) or the next chunk, which must start where the session is. */
  private continueSession(req: IncomingMessage, url: URL, body: Buffer): { status: number; body?: unknown; headers?: Record<string, string> } {
    const session = this.session(url);
    const range = String(req.headers['content-range'] ?? '');
    const status = /^bytes \*\/(\d+)$/.exec(range);
    if (status) {
      if (Number(status[1]) !== session.total) throw new DriveHttpError(400, 'invalid', 'Content-Range total differs from the session');
      if (session.doneFileId !== undefined) return this.finishSession(session);
      return { status: 308, headers: session.receivedBytes > 0 ? { range: `bytes=0-${session.receivedBytes - 1}` } : {} };
    }
    if (session.doneFileId !== undefined) return this.finishSession(session);
    const chunk = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
    if (!chunk) throw new DriveHttpError(400, 'invalid', `Content-Range "${range}" is not bytes first-last/total`);
    const [first, last, total] = [Number(chunk[1]), Number(chunk[2]), Number(chunk[3])];
    if (total !== session.total) throw new DriveHttpError(400, 'invalid', 'Content-Range total differs from the session');
    if (first !== session.receivedBytes) throw new DriveHttpError(400, 'invalid', `The chunk starts at ${first}, the session holds ${session.receivedBytes} bytes`);
    if (last - first + 1 !== body.length) throw new DriveHttpError(400, 'invalid', 'Content-Range does not match the body length');
    if (last + 1 < total && body.length % RESUMABLE_GRANULE !== 0) throw new DriveHttpError(400, 'invalid', 'Chunks other than the last must be multiples of 256 KiB');
    session.received.push(body);
    session.receivedBytes += body.length;
    if (session.receivedBytes < session.total) return { status: 308, headers: { range: `bytes=0-${session.receivedBytes - 1}` } };
    return this.finishSession(session);
  }

  private finishSession(session: Session): { status: number; body: unknown } {
    if (session.doneFileId === undefined) {
      const media = { content: Buffer.concat(session.received), mimeType: session.mimeType };
      const file = session.fileId === undefined ? this.create(session.metadata, media, session.supportsAllDrives) : this.update(session.fileId, session.metadata, media, session.supportsAllDrives);
      session.doneFileId = file.id;
    }
    // Asked again after it completed (the answer was lost), the session answers the file again.
    const file = this.files.get(session.doneFileId) as FakeFile;
    return { status: 200, body: this.partial(this.resource(file), session.fields ?? null, DEFAULT_FILE_FIELDS) };
  }

  /** Reads `limit` bytes of a chunk (keeping whole 256 KiB granules, as Drive persists them), then drops the connection. */
  private async cutUpload(req: IncomingMessage, url: URL, limit: number, record: RequestRecord): Promise<void> {
    const session = this.session(url);
    const chunks: Buffer[] = [];
    let received = 0;
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        if (received >= limit) {
          req.off('data', onData);
          resolve();
        }
      };
      req.on('data', onData);
      req.on('end', () => resolve());
    });
    const kept = Math.floor(Math.min(received, limit) / RESUMABLE_GRANULE) * RESUMABLE_GRANULE;
    session.received.push(Buffer.concat(chunks).subarray(0, kept));
    session.receivedBytes += kept;
    record.bodyBytes = received;
    record.status = 0;
    req.socket.destroy();
  }

  // --- resources -------------------------------------------------------------

  private resource(file: FakeFile): Record<string, unknown> {
    const head = file.revisions.at(-1);
    const resource: Record<string, unknown> = {
      kind: 'drive#file',
      id: file.id,
      name: file.name,
      mimeType: file.mimeType,
      parents: file.parents,
      trashed: file.trashed,
      createdTime: file.createdTime,
      modifiedTime: file.modifiedTime,
      webViewLink: `${this.origin}/file/d/${file.id}/view?usp=drivesdk`,
      capabilities: { canAddChildren: file.mimeType === FOLDER_MIME && file.canAddChildren, canEdit: true, canTrash: true },
    };
    if (Object.keys(file.appProperties).length > 0) resource['appProperties'] = { ...file.appProperties };
    if (file.driveId) resource['driveId'] = file.driveId;
    if (head) {
      resource['headRevisionId'] = head.id;
      resource['size'] = String(head.content.length);
      resource['md5Checksum'] = createHash('md5').update(head.content).digest('hex');
    }
    return resource;
  }

  private revisionResource(revision: FakeRevision): Record<string, unknown> {
    return {
      kind: 'drive#revision',
      id: revision.id,
      mimeType: revision.mimeType,
      modifiedTime: revision.modifiedTime,
      keepForever: false,
      size: String(revision.content.length),
      md5Checksum: createHash('md5').update(revision.content).digest('hex'),
    };
  }

  /** Applies `fields` (or the default set) and checks the answer against the API's resource shape. */
  private partial(
    body: Record<string, unknown>,
    fields: string | null,
    defaults: string,
    shape: ReadonlyMap<string, unknown> = DRIVE_V3.file.fields,
    nested: Record<string, ReadonlyMap<string, unknown>> = {},
  ): unknown {
    let mask: FieldMask;
    try {
      mask = parseFields(fields ?? defaults);
      checkMask(
        mask,
        new Set(shape.keys()),
        Object.fromEntries(Object.entries(nested).map(([k, v]) => [k, { known: new Set(v.keys()) }])),
      );
    } catch (error) {
      if (error instanceof InvalidFieldSelection) throw invalidParameter('fields', error.message);
      throw error;
    }
    const answer = applyMask(body, mask);
    assertShape(answer, shape, nested);
    return answer;
  }

  private now(): string {
    this.tick += 1;
    return new Date(Date.UTC(2026, 0, 1) + this.tick * 1000).toISOString();
  }

  private revisionId(): string {
    return `0B${random(24)}`;
  }
}

const DEFAULT_FILE_FIELDS = 'kind,id,name,mimeType';
const DEFAULT_REVISION_FIELDS = 'kind,id,mimeType,modifiedTime';

function defaultMessage(reason: string, status: number): string {
  const messages: Record<string, string> = {
    userRateLimitExceeded: 'User Rate Limit Exceeded',
    rateLimitExceeded: 'Rate Limit Exceeded',
    insufficientFilePermissions: 'The user does not have sufficient permissions for this file.',
    backendError: 'Backend Error',
    authError: 'Invalid Credentials',
    notFound: 'File not found.',
  };
  return messages[reason] ?? `HTTP ${status}`;
}

function mergeAppProperties(file: FakeFile, value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value as Record<string, string | null>)) {
    if (v === null) delete file.appProperties[key];
    else file.appProperties[key] = v;
  }
}

function jsonObject(body: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new DriveHttpError(400, 'parseError', 'Parse Error');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DriveHttpError(400, 'parseError', 'The metadata must be a JSON object');
  return value as Record<string, unknown>;
}

/** Every key the fake answers with is a field of the resource (and of the nested resources). */
function assertShape(answer: unknown, shape: ReadonlyMap<string, unknown>, nested: Record<string, ReadonlyMap<string, unknown>>): void {
  if (answer === null || typeof answer !== 'object') return;
  for (const [key, value] of Object.entries(answer)) {
    if (!shape.has(key)) throw new Error(`the fake answered with "${key}", which the Drive v3 resource does not have`);
    const inner = nested[key];
    if (inner && Array.isArray(value)) for (const item of value) assertShape(item, inner, {});
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, record: RequestRecord, status: number, body: unknown, headers: Record<string, string> = {}): void {
  record.status = status;
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json; charset=UTF-8' }), ...headers });
  res.end(text);
}

export async function startFakeDrive(): Promise<FakeDrive> {
  return FakeDrive.start();
}
