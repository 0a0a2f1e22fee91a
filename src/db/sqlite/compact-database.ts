import Database from 'better-sqlite3';
import { sqlitePathOf } from './open-sqlite-store.js';

/**
 * Rewrites the database file from its live rows only (VACUUM) and empties the write-ahead log, so
 * text that was deleted or overwritten is not left behind in free pages or old WAL frames. Call it
 * with the store closed. False when another connection kept the log from being emptied (a live
 * Escalator in the middle of a read): the old frames are then overwritten as it keeps writing.
 */
export function compactDatabase(databaseUrl: string): boolean {
  const path = sqlitePathOf(databaseUrl);
  if (path === ':memory:') return true;
  const connection = new Database(path);
  try {
    connection.pragma('busy_timeout = 5000');
    connection.exec('VACUUM');
    const [result] = connection.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    return result?.busy === 0;
  } finally {
    connection.close();
  }
}
