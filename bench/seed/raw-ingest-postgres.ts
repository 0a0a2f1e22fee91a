import type { IncomingMessage } from '../../src/app/track-message.js';
import { onServer } from './postgres-server.js';
import { type PersistedRows, persistedRows, type Row } from './raw-ingest.js';

/**
 * The order column PostgreSQL numbers itself (`generated always as identity`, SQLite's rowid):
 * the store never writes it, so the baseline does not either.
 */
const GENERATED = 'insert_order';

/**
 * On PostgreSQL there is no rowid to tell the use case's rows from the seeded ones: events are found
 * by their key, messages by their platform id, issues by the thread they opened, and trigger hits
 * in the order PostgreSQL numbered them.
 */
export async function persistedPostgresRows(
  databaseUrl: string,
  messages: readonly IncomingMessage[],
): Promise<PersistedRows[]> {
  return onServer(databaseUrl, async (client) => {
    const all = async (sql: string) =>
      (await client.query<Row>(sql)).rows.map(({ [GENERATED]: _, ...row }) => row);
    const byColumn = async (table: string, column: string) =>
      new Map((await all(`select * from ${table}`)).map((row) => [row[column], row]));
    const events = await byColumn('processed_events', 'key');
    const written = await byColumn('messages', 'message_id');
    // Missing rows are left out, so the count check in `persistedRows` reports them.
    return persistedRows(messages, {
      events: messages.flatMap<Row>((m) => events.get(m.eventKey) ?? []),
      messages: messages.flatMap<Row>((m) => written.get(m.messageId) ?? []),
      openedIssues: [...(await byColumn('issues', 'thread_id')).values()],
      hits: await all(`select * from trigger_hits order by ${GENERATED}`),
    });
  });
}

/**
 * Plain `pg`: one client, one named (prepared) INSERT per table, and one transaction per message
 * at the store's isolation level (SERIALIZABLE), each statement a round trip as the store's are.
 */
export async function insertRawPostgres(
  databaseUrl: string,
  perMessage: readonly PersistedRows[],
): Promise<number> {
  return onServer(databaseUrl, async (client) => {
    const inserts = new Map<string, { name: string; text: string; columns: string[] }>();
    for (const rows of perMessage) {
      for (const { table, row } of rows) {
        if (inserts.has(table)) continue;
        const columns = Object.keys(row);
        inserts.set(table, {
          name: `raw_insert_${table}`,
          text: `insert into ${table} (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
          columns,
        });
      }
    }
    const started = performance.now();
    for (const rows of perMessage) {
      await client.query('begin isolation level serializable');
      for (const { table, row } of rows) {
        const insert = inserts.get(table)!;
        await client.query({
          name: insert.name,
          text: insert.text,
          values: insert.columns.map((c) => row[c]),
        });
      }
      await client.query('commit');
    }
    return perMessage.length / ((performance.now() - started) / 1000);
  });
}
