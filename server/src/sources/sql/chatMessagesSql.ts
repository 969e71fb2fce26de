import { quoteIdentifier as q } from '../../db/identifiers';

/**
 * Every SQL statement of the `chat_messages` source, in one place, to be
 * read against TiDB's MySQL compatibility list: plain SELECTs with `?`
 * parameters; the table name comes in checked and backquoted. Reads touch
 * only the selected session's rows (the seed's index on session_id).
 */

/** The seed's columns (§2.1); all of them must be there. */
export const CHAT_COLUMNS = ['id', 'session_id', 'surface', 'agent_id', 'role', 'content', 'metadata', 'created_at'] as const;

/** A session listing shows at most this many sessions, the most recent first. */
export const MAX_LISTED_SESSIONS = 500;

export const chatSourceSql = {
  columns: 'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
  /** One line per session: how many messages, when it started and ended. */
  sessions: (table: string) =>
    `SELECT ${q('session_id')} AS session_id, COUNT(*) AS message_count, MIN(${q('created_at')}) AS first_at, MAX(${q('created_at')}) AS last_at FROM ${q(table)} GROUP BY ${q('session_id')} ORDER BY last_at DESC, session_id LIMIT ${MAX_LISTED_SESSIONS}`,
  /**
   * What one session's rows are now, in one value: their number, newest
   * time and a checksum of every row. Read before the rows, it tells a
   * later read whether they changed (it scans the rows on the server but
   * sends one).
   */
  sessionSignature: (table: string) =>
    `SELECT COUNT(*) AS n, MAX(${q('created_at')}) AS last_at, SUM(CRC32(CONCAT_WS('|', ${CHAT_COLUMNS.map((c) => q(c)).join(', ')}))) AS checksum FROM ${q(table)} WHERE ${q('session_id')} = ?`,
  /** The rows of one session, in time order (ties by id). */
  sessionRows: (table: string) =>
    `SELECT ${CHAT_COLUMNS.map((c) => q(c)).join(', ')} FROM ${q(table)} WHERE ${q('session_id')} = ? ORDER BY ${q('created_at')}, ${q('id')}`,
};
