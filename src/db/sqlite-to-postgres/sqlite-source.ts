/**
 * The SQLite side of the copy: the file opened read-only (SQLite itself refuses any write, so the
 * installation being migrated is never touched), read inside one read transaction so every table
 * comes from the same moment, each table in the order its rows were written (rowid).
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MIGRATIONS_FOLDER, sqlitePathOf } from '../sqlite/open-sqlite-store.js';
import { checkReadiness } from '../sqlite/readiness.js';
import type { TablePair } from './table-pairs.js';

/** Tables the copy leaves out: SQLite's own, and drizzle's record of applied migrations. */
const NOT_COPIED = /^(sqlite_|__drizzle_migrations$)/;

export interface SqliteSource {
  /** The database file's absolute path. */
  path: string;
  rowCount(table: string): number;
  /**
   * The stored values of a table's rows, `batchSize` rows at a time, in `pair.columns` order; a
   * column without a SQLite source gets the rowid.
   */
  batches(pair: TablePair, batchSize: number): Generator<unknown[][]>;
  close(): void;
}

/** Opens `databaseUrl` (`file:…`) read-only; throws an Error that says what to do when it cannot be copied. */
export function openSqliteSource(databaseUrl: string, pairs: TablePair[]): SqliteSource {
  const path = sqlitePathOf(databaseUrl);
  if (path === ':memory:' || !existsSync(path)) {
    throw new Error(
      `There is no SQLite database at ${path}: --from names the file Escalator ran on (file:./data/escalator.db by default).`,
    );
  }
  const connection = new Database(path, { readonly: true, fileMustExist: true });
  try {
    connection.pragma('busy_timeout = 5000');
    requireCurrentSchema(connection, path, pairs);
    // One snapshot for the whole copy: a write Escalator makes meanwhile is either in every table
    // read or in none (it is not copied: stop Escalator first).
    connection.exec('begin');
  } catch (error) {
    connection.close();
    throw error;
  }
  const q = quoteSqliteName;

  return {
    path,
    rowCount(table) {
      return (connection.prepare(`select count(*) as n from ${q(table)}`).get() as { n: number }).n;
    },
    *batches(pair, batchSize) {
      const select = `select rowid, ${pair.columns.map((c) => (c.source ? q(c.source.name) : 'rowid')).join(', ')} from ${q(pair.name)}`;
      // Keyset pages: each one a range seek on the rowid, however far into the table.
      const first = connection.prepare(`${select} order by rowid limit ?`).raw(true);
      const next = connection.prepare(`${select} where rowid > ? order by rowid limit ?`).raw(true);
      let rows = first.all(batchSize) as unknown[][];
      while (rows.length > 0) {
        yield rows.map((row) => row.slice(1));
        if (rows.length < batchSize) return;
        rows = next.all(rows.at(-1)![0], batchSize) as unknown[][];
      }
    },
    close() {
      if (connection.inTransaction) connection.exec('rollback');
      connection.close();
    },
  };
}

/**
 * A read-only connection cannot apply migrations, and a file from another version would have
 * tables or columns the schemas do not know: both are refused rather than copied in part.
 */
function requireCurrentSchema(connection: Database.Database, path: string, pairs: TablePair[]): void {
  const readiness = checkReadiness({ connection, path, migrationsFolder: MIGRATIONS_FOLDER });
  if (!readiness.ready) {
    const detail = readiness.checks.database.detail ?? readiness.checks.migrations.detail;
    throw new Error(
      `The SQLite database at ${path} is not at this version's schema (${detail}): start this version of Escalator on it once (npm start) so it applies its migrations, stop it, then copy.`,
    );
  }
  const known = new Map(pairs.map((pair) => [pair.name, pair]));
  const tables = (
    connection.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]
  )
    .map((row) => row.name)
    .filter((name) => !NOT_COPIED.test(name));
  const unknown = tables.filter((name) => !known.has(name));
  const differing = pairs.filter((pair) => {
    const stored = (connection.pragma(`table_info(${quoteSqliteName(pair.name)})`) as { name: string }[]).map(
      (column) => column.name,
    );
    const expected = pair.columns.flatMap((column) => (column.source ? [column.source.name] : []));
    return stored.length !== expected.length || !expected.every((name) => stored.includes(name));
  });
  if (unknown.length > 0 || differing.length > 0) {
    const found = [
      ...unknown.map((name) => `table ${name} is unknown`),
      ...differing.map((pair) => `the columns of ${pair.name} differ`),
    ];
    throw new Error(
      `The SQLite database at ${path} was written by another version of Escalator (${found.join('; ')}): copy it with the version that wrote it.`,
    );
  }
}

function quoteSqliteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
