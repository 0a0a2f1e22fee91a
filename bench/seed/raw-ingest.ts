import Database from 'better-sqlite3';
import type { IncomingMessage } from '../../src/app/track-message.js';
import { isPostgresUrl } from '../../src/db/open-store.js';
import { sqlitePathOf } from '../../src/db/sqlite/open-sqlite-store.js';
import { insertRawPostgres, persistedPostgresRows } from './raw-ingest-postgres.js';

export type Row = Record<string, unknown>;

/** What the use case persisted for one message: the rows to write again, table by table. */
export type PersistedRows = Array<{ table: string; row: Row }>;

/**
 * The rows `trackMessage` inserted for each message, read back from its database (a DATABASE_URL)
 * after the run: the processed event, the issue when the message opened a thread, the message, and
 * the trigger hits its words produced.
 */
export async function persistedRowsByMessage(
  databaseUrl: string,
  messages: readonly IncomingMessage[],
  seeded: { issues: number; messages: number },
): Promise<PersistedRows[]> {
  return isPostgresUrl(databaseUrl)
    ? persistedPostgresRows(databaseUrl, messages)
    : persistedSqliteRows(sqlitePathOf(databaseUrl), messages, seeded);
}

/**
 * The baseline: the same rows written with the plain driver, one prepared INSERT per row and one
 * transaction per message, as the store writes them. Returns messages per second.
 */
export async function insertRaw(databaseUrl: string, perMessage: readonly PersistedRows[]): Promise<number> {
  return isPostgresUrl(databaseUrl)
    ? insertRawPostgres(databaseUrl, perMessage)
    : insertRawSqlite(sqlitePathOf(databaseUrl), perMessage);
}

/** What the baseline is, for the figure. */
export function rawInsertsName(databaseUrl: string): string {
  return `raw ${isPostgresUrl(databaseUrl) ? 'pg' : 'better-sqlite3'} inserts of the same rows`;
}

/** On SQLite the use case's rows are those with a rowid above the seeded ones, in rowid order. */
function persistedSqliteRows(
  dbPath: string,
  messages: readonly IncomingMessage[],
  seeded: { issues: number; messages: number },
): PersistedRows[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    const after = (table: string, rowid: number) =>
      db.prepare(`select * from ${table} where rowid > ? order by rowid`).all(rowid) as Row[];
    return persistedRows(messages, {
      events: after('processed_events', 0),
      messages: after('messages', seeded.messages),
      openedIssues: after('issues', seeded.issues),
      hits: after('trigger_hits', 0),
    });
  } finally {
    db.close();
  }
}

/** The rows the use case wrote, read back: events and messages in the order of `messages`. */
export interface WrittenRows {
  events: Row[];
  messages: Row[];
  /** Issues opened by the messages (any order). */
  openedIssues: Row[];
  /** In the order written. */
  hits: Row[];
}

/** Groups what was written by the message that wrote it. */
export function persistedRows(messages: readonly IncomingMessage[], written: WrittenRows): PersistedRows[] {
  if (written.events.length !== messages.length || written.messages.length !== messages.length) {
    throw new Error(`expected ${messages.length} messages stored, found ${written.messages.length}`);
  }
  const openedBy = new Map(written.openedIssues.map((r) => [r['thread_id'], r]));
  // A message's hits carry its issue and its time (a number on SQLite, a Date on PostgreSQL).
  const at = (issueId: unknown, time: unknown) =>
    `${issueId}@${time instanceof Date ? time.getTime() : time}`;
  const hits = new Map<string, Row[]>();
  for (const hit of written.hits) {
    const key = at(hit['issue_id'], hit['created_at']);
    hits.set(key, [...(hits.get(key) ?? []), hit]);
  }
  return messages.map((m, i) => {
    const message = written.messages[i]!;
    const issue = m.threadId === m.messageId ? openedBy.get(m.threadId) : undefined;
    return [
      { table: 'processed_events', row: written.events[i]! },
      ...(issue ? [{ table: 'issues', row: issue }] : []),
      { table: 'messages', row: message },
      ...(hits.get(at(message['issue_id'], message['sent_at'])) ?? []).map((row) => ({
        table: 'trigger_hits',
        row,
      })),
    ];
  });
}

/**
 * Plain better-sqlite3: one transaction per message is BEGIN IMMEDIATE … COMMIT, as the store does,
 * on a connection set up like the store's (WAL, foreign keys on, the default synchronous).
 */
function insertRawSqlite(dbPath: string, perMessage: readonly PersistedRows[]): number {
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
