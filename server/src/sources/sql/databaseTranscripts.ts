import { createHash } from 'node:crypto';
import { openDbClient, type DbClient, type DbEndpoint } from '../../db/client';
import { dbFailure } from '../../db/errors';
import { ExportError } from '../../errors';
import type { ChatMessage, ParsedTranscript } from '../../model';
import { chatMessageRowSchema, messageFromRow, plainRowMessage } from '../canonical';
import { isPlainObject } from '../fields';
import { makeSession } from '../sessions';
import type { DatabaseAddress } from './address';
import { CHAT_COLUMNS, chatSourceSql } from './chatMessagesSql';

/**
 * The seed's `chat_messages` table as a transcript source: the sessions
 * (one line each, from an aggregate), and one session's rows as messages —
 * only that session's rows are read. Rows become messages through the same
 * code as chat_messages files (sources/canonical.ts), so a table and its
 * JSONL export give the same messages. A connection pool per server and
 * user is kept until dispose().
 */

export interface DatabaseCredentials {
  password: string | undefined;
  /** TLS required (the address asks for it, or the configured source does), with the configured source's CA file when it names one. */
  tls: DbEndpoint['tls'];
  /** How to set the password, for AUTH_EXPIRED. */
  hint: string;
}

export interface DatabaseSourceDeps {
  credentialsFor(address: DatabaseAddress): Promise<DatabaseCredentials>;
  timeoutMs(): number;
  workspaceRoot: string;
}

export interface SessionLine {
  id: string;
  messageCount: number;
  firstAt?: string;
  lastAt?: string;
}

const CONNECT_TIMEOUT_MS = 10_000;
/** Sessions kept parsed between the picker's listing and the export. */
const CACHED_SESSIONS = 4;

interface RawRow {
  id: unknown;
  session_id: unknown;
  surface: unknown;
  agent_id: unknown;
  role: unknown;
  content: unknown;
  metadata: unknown;
  created_at: unknown;
}

export class DatabaseTranscripts {
  private readonly clients = new Map<string, { client: Promise<DbClient>; checked?: Promise<void> }>();

  constructor(private readonly deps: DatabaseSourceDeps) {}

  async listSessions(address: DatabaseAddress): Promise<SessionLine[]> {
    return this.guard(address, 'list sessions of', async (client) => {
      const rows = await client.rows<{ session_id: unknown; message_count: unknown; first_at: unknown; last_at: unknown }>(chatSourceSql.sessions(address.table));
      return rows.map((r) => {
        const line: SessionLine = { id: String(r.session_id), messageCount: Number(r.message_count) };
        const first = isoOf(r.first_at);
        const last = isoOf(r.last_at);
        if (first) line.firstAt = first;
        if (last) line.lastAt = last;
        return line;
      });
    });
  }

  /**
   * One session's messages, in time order (then by id). The session the
   * picker listed is not read again for its export while its rows are the
   * same (their signature, one aggregate on the server, says so).
   */
  async loadSession(address: DatabaseAddress, sessionId: string): Promise<ParsedTranscript> {
    return this.guard(address, 'read', async (client, poolKey) => {
      const key = JSON.stringify([poolKey, address.table, sessionId]);
      const [signature] = await client.rows<{ n: unknown; last_at: unknown; checksum: unknown }>(chatSourceSql.sessionSignature(address.table), [sessionId]);
      const now = JSON.stringify([signature?.n, isoOf(signature?.last_at), signature?.checksum]);
      const cached = this.sessions.get(key);
      if (cached && cached.signature === now) {
        this.remember(key, cached);
        return cached.transcript;
      }
      const rows = await client.rows<RawRow>(chatSourceSql.sessionRows(address.table), [sessionId]);
      if (rows.length === 0) {
        throw new ExportError('SESSION_NOT_FOUND', `No session "${sessionId}" in ${tableOf(address)}.`, { details: { sessionId, table: address.table }, recoverable: false });
      }
      const messages = rows.map((row) => messageOfRow(row, address));
      const transcript: ParsedTranscript = { format: 'sql', sessions: [makeSession(sessionId, messages)] };
      // The signature read before the rows: a row added meanwhile makes the next read see a change.
      this.remember(key, { signature: now, transcript });
      return transcript;
    });
  }

  /** The most recently read sessions, the latest last. */
  private readonly sessions = new Map<string, { signature: string; transcript: ParsedTranscript }>();

  private remember(key: string, entry: { signature: string; transcript: ParsedTranscript }): void {
    this.sessions.delete(key);
    this.sessions.set(key, entry);
    for (const old of this.sessions.keys()) {
      if (this.sessions.size <= CACHED_SESSIONS) break;
      this.sessions.delete(old);
    }
  }

  async dispose(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    this.sessions.clear();
    await Promise.all(all.map(async (entry) => (await entry.client.catch(() => undefined))?.close()));
  }

  private async guard<T>(address: DatabaseAddress, verb: string, work: (client: DbClient, poolKey: string) => Promise<T>): Promise<T> {
    const credentials = await this.deps.credentialsFor(address);
    try {
      const { client, key } = await this.clientFor(address, credentials);
      return await work(client, key);
    } catch (error) {
      throw dbFailure(error, {
        what: `${verb} ${tableOf(address)}`,
        host: address.host,
        port: address.port,
        user: address.user,
        database: address.database,
        passwordHint: credentials.hint,
        missingTable: () => missingTable(address),
      });
    }
  }

  /** A pool per server, user, password and TLS; the table's columns checked once per pool. */
  private async clientFor(address: DatabaseAddress, credentials: DatabaseCredentials): Promise<{ client: DbClient; key: string }> {
    const key = createHash('sha256').update(JSON.stringify([address.host, address.port, address.user, address.database, credentials.tls, credentials.password ?? null])).digest('hex');
    let entry = this.clients.get(key);
    if (!entry) {
      const client = openDbClient(
        { host: address.host, port: address.port, user: address.user, database: address.database, tls: credentials.tls },
        { password: credentials.password, connectTimeoutMs: Math.min(CONNECT_TIMEOUT_MS, this.deps.timeoutMs()), queryTimeoutMs: this.deps.timeoutMs(), baseDir: this.deps.workspaceRoot },
      );
      entry = { client };
      this.clients.set(key, entry);
    }
    const client = await entry.client;
    const checkKey = `${key}/${address.table}`;
    let check = this.checked.get(checkKey);
    if (!check) {
      check = checkColumns(client, address);
      this.checked.set(checkKey, check);
      // A failed check (server down, table missing) is made again next time.
      check.catch(() => this.checked.delete(checkKey));
    }
    await check;
    return { client, key };
  }

  private readonly checked = new Map<string, Promise<void>>();
}

async function checkColumns(client: DbClient, address: DatabaseAddress): Promise<void> {
  const rows = await client.rows<{ name: unknown }>(chatSourceSql.columns, [address.table]);
  if (rows.length === 0) throw missingTable(address);
  const present = new Set(rows.map((r) => String(r.name).toLowerCase()));
  const missing = CHAT_COLUMNS.filter((c) => !present.has(c));
  if (missing.length > 0) {
    throw new ExportError('UNKNOWN_FORMAT', `Table ${tableOf(address)} is not a chat_messages table: it has no column ${missing.map((m) => `"${m}"`).join(', ')} (expected ${CHAT_COLUMNS.join(', ')}).`, {
      details: { table: address.table, missing },
      recoverable: false,
    });
  }
}

function missingTable(address: DatabaseAddress): ExportError {
  return new ExportError('UNKNOWN_FORMAT', `Table ${tableOf(address)} does not exist on ${address.host}:${address.port} (a chat_messages table is expected; ?table=NAME names another).`, {
    details: { table: address.table, database: address.database },
    recoverable: false,
  });
}

function tableOf(address: DatabaseAddress): string {
  return `${address.database}.${address.table}`;
}

function isoOf(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function text(value: unknown): unknown {
  return Buffer.isBuffer(value) ? value.toString('utf8') : value;
}

/** A row as a message; a row that is not one is INVALID_INPUT naming the table and the row's id. */
export function messageOfRow(raw: RawRow, address: DatabaseAddress): ChatMessage {
  const id = raw.id === null || raw.id === undefined ? '' : String(raw.id);
  const where = `${tableOf(address)} row id=${id || '(none)'}`;
  const fail = (problem: string, field: string) =>
    new ExportError('INVALID_INPUT', `${where}: ${problem}`, { details: { table: address.table, rowId: id, field }, recoverable: false });
  let metadata = text(raw.metadata);
  if (typeof metadata === 'string') {
    if (metadata.trim() === '') metadata = null;
    else {
      try {
        metadata = JSON.parse(metadata) as unknown;
      } catch {
        throw fail('metadata is not valid JSON', 'metadata');
      }
    }
  }
  if (metadata !== null && metadata !== undefined && !isPlainObject(metadata)) throw fail('metadata must be a JSON object (with "blocks")', 'metadata');
  const createdAt = raw.created_at instanceof Date ? (Number.isNaN(raw.created_at.getTime()) ? undefined : raw.created_at.toISOString()) : text(raw.created_at);
  const row = {
    id,
    session_id: raw.session_id === null || raw.session_id === undefined ? '' : String(raw.session_id),
    surface: text(raw.surface),
    agent_id: text(raw.agent_id),
    role: text(raw.role),
    content: text(raw.content),
    metadata,
    created_at: createdAt,
  };
  const location = `${address.canonical}#id=${encodeURIComponent(id)}`;
  const fast = plainRowMessage(row, location);
  if (fast) return fast;
  const parsed = chatMessageRowSchema.safeParse(row);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'row';
    throw fail(`${field}: ${issue?.message ?? 'invalid'}`, field);
  }
  return messageFromRow(parsed.data, location);
}
