import type pg from 'pg';
import { openPostgresStore } from '../../src/db/postgres/open-postgres-store.js';
import * as pgSchema from '../../src/db/postgres/schema.js';
import * as sqliteSchema from '../../src/db/sqlite/schema.js';
import { openSqliteSource } from '../../src/db/sqlite-to-postgres/sqlite-source.js';
import {
  type CopiedColumn,
  pairTables,
  type TablePair,
  targetValue,
} from '../../src/db/sqlite-to-postgres/table-pairs.js';
import { onServer } from './postgres-server.js';

/**
 * Rows per INSERT. One array per column, whatever the rows: no parameter limit, and a statement
 * PostgreSQL plans once per chunk instead of a VALUES list it parses row by row.
 */
const ROWS_PER_INSERT = 20_000;

/**
 * Fills the PostgreSQL database `pgUrl` with every row of the seeded SQLite file `sqliteUrl`, so
 * both databases hold the same rows (ids, texts, timestamps to the millisecond). The SQLite seeders
 * stay the one description of what a benchmark stores; this only moves their rows.
 *
 * `npm run migrate:sqlite-to-postgres` does the same with 1,000-row VALUES lists, each value
 * through the schemas' mappings: about 13,000 rows/s on this machine, well over a minute per
 * million. This sends each column of a chunk as one array for `unnest`, timestamps as the stored
 * milliseconds (the server turns them into timestamptz) and text as stored, with the secondary
 * indexes built after the load: the 1M checker history (1.2M rows) in about 47 s on a busy
 * machine. Afterwards VACUUM (FREEZE, ANALYZE): every copy of a freshly loaded database would
 * otherwise set hint bits on its first reads, and a database that has been running has planner
 * statistics.
 */
export async function loadSqliteIntoPostgres(sqliteUrl: string, pgUrl: string): Promise<void> {
  await (await openPostgresStore(pgUrl)).close();
  const pairs = pairTables(sqliteSchema, pgSchema);
  const source = openSqliteSource(sqliteUrl, pairs);
  try {
    await onServer(pgUrl, async (client) => {
      await client.query('begin');
      const rebuild = await dropSecondaryIndexes(client);
      for (const pair of pairs) {
        const insert = unnestInsert(pair);
        let copied = 0;
        for (const rows of source.batches(pair, ROWS_PER_INSERT)) {
          copied += (await client.query(insert.sql, insert.arrays(rows))).rowCount ?? 0;
        }
        const stored = source.rowCount(pair.name);
        if (copied !== stored) throw new Error(`${pair.name}: copied ${copied} of ${stored} rows`);
      }
      // Room to sort a million entries in memory: each index is built in one pass.
      await client.query("set local maintenance_work_mem = '256MB'");
      for (const definition of rebuild) await client.query(definition);
      await client.query('commit');
      await client.query('vacuum (freeze, analyze)');
    });
  } finally {
    source.close();
  }
}

interface UnnestInsert {
  sql: string;
  /** The parameters for a chunk of stored rows (in `pair.columns` order): one array per copied column. */
  arrays(rows: unknown[][]): unknown[][];
}

/**
 * An identity column standing in for SQLite's rowid is left to PostgreSQL: it numbers the rows in
 * the order they are inserted, which is the rowid order, and its sequence ends up past them.
 */
function unnestInsert(pair: TablePair): UnnestInsert {
  const copied = pair.columns.flatMap((column, index) => (column.source ? [{ column, index }] : []));
  const kinds = copied.map(({ column }) => kindOf(column));
  const alias = (i: number) => `c${i}`;
  const selected = kinds.map((kind, i) =>
    kind === 'timestamp' ? `'epoch'::timestamptz + ${alias(i)} * interval '1 millisecond'` : alias(i),
  );
  const arrayTypes = copied.map(({ column }, i) => {
    const kind = kinds[i]!;
    return kind === 'timestamp' ? 'bigint[]' : kind === 'text' ? 'text[]' : `${column.target.getSQLType()}[]`;
  });
  const sql =
    `insert into "${pair.name}" (${copied.map(({ column }) => `"${column.name}"`).join(', ')}) ` +
    `select ${selected.join(', ')} from unnest(${arrayTypes.map((type, i) => `$${i + 1}::${type}`).join(', ')}) ` +
    `as r(${copied.map((_, i) => alias(i)).join(', ')})`;
  return {
    sql,
    arrays: (rows) =>
      copied.map(({ column, index }, i) =>
        kinds[i] === 'mapped'
          ? rows.map((row) => targetValue(column, row[index]))
          : rows.map((row) => row[index]),
      ),
  };
}

/**
 * Timestamps are stored as epoch milliseconds and text (JSON included) as the text itself, both
 * sent as stored; anything else (booleans stored as 0/1) goes through the schemas' own mappings.
 */
function kindOf(column: CopiedColumn): 'timestamp' | 'text' | 'mapped' {
  const type = column.target.getSQLType();
  if (type.startsWith('timestamp')) return 'timestamp';
  return type === 'text' ? 'text' : 'mapped';
}

/**
 * Drops the indexes no constraint stands on and returns the statements that create them again.
 * Built once after the load (a sort) they cost less than kept up row by row during it: 47 s
 * instead of 76 s for the 1M checker history here. Primary keys stay, and a unique index built
 * afterwards refuses a duplicate as one kept up would have.
 */
async function dropSecondaryIndexes(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
       from pg_index i join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = 'public' and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
  );
  for (const { name } of rows) await client.query(`drop index ${name}`);
  return rows.map((r) => r.definition);
}
