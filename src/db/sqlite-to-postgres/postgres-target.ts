/**
 * The PostgreSQL side of the copy: one connection, one transaction, so a copy that fails anywhere
 * leaves the database as empty as it found it.
 */
import pg from 'pg';
import { openPostgresStore } from '../postgres/open-postgres-store.js';
import { parsePostgresUrl } from '../postgres/postgres-url.js';
import { type CopiedColumn, type TablePair, targetValue } from './table-pairs.js';

/** PostgreSQL's limit on the parameters of one statement. */
const MAX_PARAMETERS = 65_535;

export interface PostgresTarget {
  /**
   * Starts the transaction, locks the tables against other writers, and throws (naming the tables
   * and their rows) unless they are all empty: copying into data would mix two installations.
   */
  beginIntoEmpty(pairs: TablePair[]): Promise<void>;
  /** Inserts stored SQLite values (in `pair.columns` order); returns the rows inserted. */
  insert(pair: TablePair, rows: unknown[][]): Promise<number>;
  /** Moves identity and serial sequences past the copied values, so new rows are numbered after them. */
  resetSequences(pairs: TablePair[]): Promise<void>;
  rowCount(table: string): Promise<number>;
  commit(): Promise<void>;
  /** Rolls back a transaction still open, and disconnects. */
  close(): Promise<void>;
}

/** Rows per INSERT: `wanted`, or fewer when the table's columns would exceed the parameter limit. */
export function rowsPerInsert(pair: TablePair, wanted: number): number {
  return Math.max(1, Math.min(wanted, Math.floor(MAX_PARAMETERS / pair.columns.length)));
}

/** Brings the database to the current schema (as `npm start` would), then connects for the copy. */
export async function openPostgresTarget(databaseUrl: string): Promise<PostgresTarget> {
  await (await openPostgresStore(databaseUrl)).close();
  // No statement timeout: Escalator's (meant for a request) would cut a large table's count short.
  const client = new pg.Client({
    connectionString: parsePostgresUrl(databaseUrl).connectionString,
    application_name: 'escalator-migrate',
  });
  // A connection lost between two statements is reported by the next one; unheard, it would crash.
  client.on('error', () => undefined);
  await client.connect();
  const q = (name: string) => client.escapeIdentifier(name);
  let open = false;

  const target: PostgresTarget = {
    async beginIntoEmpty(pairs) {
      await client.query('begin');
      open = true;
      // Readers may go on; a second copy (or an Escalator already started on it) waits for this one.
      await client.query(`lock table ${pairs.map((pair) => q(pair.name)).join(', ')} in exclusive mode`);
      const filled: string[] = [];
      for (const pair of pairs) {
        const rows = await target.rowCount(pair.name);
        if (rows > 0)
          filled.push(`${pair.name} (${rows.toLocaleString('en-US')} row${rows === 1 ? '' : 's'})`);
      }
      if (filled.length > 0) {
        throw new Error(
          `The PostgreSQL database already holds data in ${filled.join(', ')}; the copy goes only into an empty database: create a new one (createdb) or point --to at an empty one. Nothing was copied.`,
        );
      }
    },
    async insert(pair, rows) {
      const width = pair.columns.length;
      const placeholders = rows.map(
        (_, r) => `(${pair.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`,
      );
      const values = rows.flatMap((row) => pair.columns.map((column, c) => convert(pair, column, row, c)));
      const result = await client.query(
        `insert into ${q(pair.name)} (${pair.columns.map((c) => q(c.name)).join(', ')})${pair.hasIdentity ? ' overriding system value' : ''} values ${placeholders.join(', ')}`,
        values,
      );
      return result.rowCount ?? 0;
    },
    async resetSequences(pairs) {
      for (const pair of pairs) {
        const { rows } = await client.query<{ column: string; sequence: string | null }>(
          `select attname as column, pg_get_serial_sequence($1, attname) as sequence
             from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped`,
          [q(pair.name)],
        );
        for (const { column, sequence } of rows) {
          if (!sequence) continue;
          // An empty table keeps its sequence at the start.
          await client.query(
            `select setval($1, max(${q(column)})) from ${q(pair.name)} having max(${q(column)}) is not null`,
            [sequence],
          );
        }
      }
    },
    async rowCount(table) {
      const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${q(table)}`);
      return Number(rows[0]!.n);
    },
    async commit() {
      await client.query('commit');
      open = false;
    },
    async close() {
      try {
        if (open) await client.query('rollback');
      } finally {
        await client.end();
      }
    },
  };
  return target;
}

/** A value that cannot be converted names its row, so the admin can find it in the SQLite file. */
function convert(pair: TablePair, column: CopiedColumn, row: unknown[], index: number): unknown {
  try {
    return targetValue(column, row[index]);
  } catch (error) {
    const key = pair.columns.findIndex((c) => c.target.primary);
    const where = key >= 0 ? ` of the row with ${pair.columns[key]!.name} ${String(row[key])}` : '';
    throw new Error(
      `Cannot copy ${pair.name}.${column.name}${where} (stored value ${JSON.stringify(row[index])}): ${(error as Error).message}`,
    );
  }
}
