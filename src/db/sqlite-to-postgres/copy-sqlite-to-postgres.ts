/**
 * `npm run migrate:sqlite-to-postgres`: copies an installation's SQLite database into an empty
 * PostgreSQL one, every table in one transaction, and compares the row counts before committing.
 */
import * as pgSchema from '../postgres/schema.js';
import * as sqliteSchema from '../sqlite/schema.js';
import { openPostgresTarget, type PostgresTarget, rowsPerInsert } from './postgres-target.js';
import { openSqliteSource } from './sqlite-source.js';
import { pairTables } from './table-pairs.js';

/** Rows per multi-row INSERT: large enough that round trips do not dominate, small enough to stay cheap. */
export const ROWS_PER_INSERT = 1_000;

export interface TableProgress {
  table: string;
  /** 0 when the table starts. */
  copied: number;
  /** The table's rows in SQLite. */
  total: number;
  /** True once, when the table is complete. */
  done: boolean;
}

export interface TableCount {
  table: string;
  sqlite: number;
  postgres: number;
}

export interface CopyResult {
  /** Every copied table, in the order copied. */
  counts: TableCount[];
  /** False when a count differed: the transaction was rolled back and the target left empty. */
  committed: boolean;
}

export interface CopyOptions {
  /** The SQLite database (`file:…`), opened read-only. */
  from: string;
  /** The PostgreSQL database (`postgres://…`), migrated and then filled only if it is empty. */
  to: string;
  onProgress?: (progress: TableProgress) => void;
}

/** Throws an Error that says what to do when nothing could be copied (the target is then unchanged). */
export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyResult> {
  const pairs = pairTables(sqliteSchema, pgSchema);
  const source = openSqliteSource(options.from, pairs);
  try {
    let target: PostgresTarget;
    try {
      target = await openPostgresTarget(options.to);
    } catch (error) {
      throw new Error(`Cannot open the PostgreSQL database given by --to: ${(error as Error).message}`);
    }
    try {
      await target.beginIntoEmpty(pairs);
      const counts: TableCount[] = [];
      for (const pair of pairs) {
        const total = source.rowCount(pair.name);
        let copied = 0;
        options.onProgress?.({ table: pair.name, copied, total, done: false });
        try {
          for (const rows of source.batches(pair, rowsPerInsert(pair, ROWS_PER_INSERT))) {
            copied += await target.insert(pair, rows);
            options.onProgress?.({ table: pair.name, copied, total, done: false });
          }
        } catch (error) {
          throw new Error(
            `Copying ${pair.name} failed after ${copied} of its ${total} rows: ${(error as Error).message}. Nothing was copied: the PostgreSQL database is still empty.`,
          );
        }
        options.onProgress?.({ table: pair.name, copied, total, done: true });
        counts.push({ table: pair.name, sqlite: total, postgres: 0 });
      }
      await target.resetSequences(pairs);
      // Counted inside the transaction: a difference rolls everything back instead of leaving half a copy.
      for (const count of counts) count.postgres = await target.rowCount(count.table);
      const committed = counts.every((count) => count.sqlite === count.postgres);
      if (committed) await target.commit();
      return { counts, committed };
    } finally {
      await target.close();
    }
  } finally {
    source.close();
  }
}
