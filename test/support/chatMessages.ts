import type { Connection } from 'mysql2/promise';

/**
 * The seed's `chat_messages` table (§2.1) in a test database, indexed by
 * session_id, and rows for it.
 */

export interface ChatRow {
  id: string;
  session_id: string;
  surface?: string;
  agent_id?: string | null;
  role: string;
  content: string | null;
  metadata?: unknown;
  created_at: string;
}

export async function createChatMessagesTable(connection: Connection, table = 'chat_messages'): Promise<void> {
  await connection.query(`CREATE TABLE \`${table}\` (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    session_id VARCHAR(64) NOT NULL,
    surface VARCHAR(16) NOT NULL DEFAULT 'reasoning',
    agent_id VARCHAR(64) NULL,
    role VARCHAR(16) NOT NULL,
    content LONGTEXT NULL,
    metadata JSON NULL,
    created_at DATETIME(3) NOT NULL,
    KEY idx_session_time (session_id, created_at)
  ) DEFAULT CHARSET = utf8mb4`);
}

/** Inserts rows, 1,000 a statement. `metadata` objects are stored as JSON text; strings as they are (malformed ones too). */
export async function insertChatRows(connection: Connection, rows: readonly ChatRow[], table = 'chat_messages'): Promise<void> {
  for (let start = 0; start < rows.length; start += 1000) {
    const chunk = rows.slice(start, start + 1000);
    const values = chunk.map((r) => [
      r.id,
      r.session_id,
      r.surface ?? 'reasoning',
      r.agent_id ?? null,
      r.role,
      r.content,
      r.metadata === undefined || r.metadata === null ? null : typeof r.metadata === 'string' ? r.metadata : JSON.stringify(r.metadata),
      r.created_at.replace('T', ' ').replace('Z', ''),
    ]);
    await connection.query(`INSERT INTO \`${table}\` (id, session_id, surface, agent_id, role, content, metadata, created_at) VALUES ?`, [values]);
  }
}
