import Database from 'better-sqlite3';
import type { IncomingMessage } from '../../src/app/track-message.js';

type Row = Record<string, unknown>;

/** What the use case persisted for one message: the rows to write again, table by table. */
export type PersistedRows = Array<{ table: string; row: Row }>;

/**
 * The rows `trackMessage` inserted for each message, read back from its database after the run
 * (rows with a rowid above the seeded ones): the processed event, the issue when the message opened
 * a thread, the message, and the trigger hits its words produced.
 */
export function persistedRowsByMessage(
  dbPath: string,
  messages: readonly IncomingMessage[],
  seeded: { issues: number; messages: number },
): PersistedRows[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    const after = (table: string, rowid: number) =>
      db.prepare(`select * from ${table} where rowid > ? order by rowid`).all(rowid) as Row[];
    const events = after('processed_events', 0);
    const written = after('messages', seeded.messages);
    const openedBy = new Map(after('issues', seeded.issues).map((r) => [r['thread_id'], r]));
    const hits = new Map<string, Row[]>();
    for (const hit of after('trigger_hits', 0)) {
      const key = `${hit['issue_id']}@${hit['created_at']}`;
      hits.set(key, [...(hits.get(key) ?? []), hit]);
    }
    if (events.length !== messages.length || written.length !== messages.length) {
      throw new Error(`expected ${messages.length} messages stored, found ${written.length}`);
    }
    return messages.map((m, i) => {
      const message = written[i]!;
      const issue = m.threadId === m.messageId ? openedBy.get(m.threadId) : undefined;
      return [
        { table: 'processed_events', row: events[i]! },
        ...(issue ? [{ table: 'issues', row: issue }] : []),
        { table: 'messages', row: message },
        ...(hits.get(`${message['issue_id']}@${message['sent_at']}`) ?? []).map((row) => ({
          table: 'trigger_hits',
          row,
        })),
      ];
    });
  } finally {
    db.close();
  }
}

/**
 * The baseline: the same rows written with plain better-sqlite3, one prepared INSERT per row and
 * one transaction per message (BEGIN IMMEDIATE … COMMIT, as the store does), on a connection set up
 * like the store's (WAL, foreign keys on, the default synchronous). Returns messages per second.
 */
export function insertRaw(dbPath: string, perMessage: readonly PersistedRows[]): number {
  const db = new Database(dbPath);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const inserts = new Map<string, Database.Statement>();
    for (const rows of perMessage) {
      for (const { table, row } of rows) {
        if (inserts.has(table)) continue;
        const columns = Object.keys(row);
        inserts.set(
          table,
          db.prepare(
            `insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
          ),
        );
      }
    }
    const begin = db.prepare('begin immediate');
    const commit = db.prepare('commit');
    const started = performance.now();
    for (const rows of perMessage) {
      begin.run();
      for (const { table, row } of rows) inserts.get(table)!.run(row);
      commit.run();
    }
    return perMessage.length / ((performance.now() - started) / 1000);
  } finally {
    db.close();
  }
}
