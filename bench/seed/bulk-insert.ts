import type Database from 'better-sqlite3';

/** A value as SQLite stores it: timestamps as epoch milliseconds, booleans as 0/1, JSON as text. */
export type SqlValue = string | number | null;
export type SqlRow = Record<string, SqlValue>;

/** SQLite's default limit is 32,766 bound values per statement; stay well below it. */
const VALUES_PER_STATEMENT = 8_000;

export interface BulkInserter {
  add(row: SqlRow): void;
  /** Writes what is buffered; call once at the end. */
  flush(): void;
  /** Rows written so far. */
  readonly count: number;
}

/**
 * Multi-row INSERTs into one table: a few hundred rows per statement, one prepared statement
 * reused for every full chunk. Seeding a million rows this way takes seconds, where one INSERT
 * per row through the repositories would take minutes. Columns left out of `columns` keep their
 * default (NULL or the schema's default).
 */
export function bulkInserter(db: Database.Database, table: string, columns: readonly string[]): BulkInserter {
  const rowsPerStatement = Math.max(1, Math.floor(VALUES_PER_STATEMENT / columns.length));
  const statementFor = (rows: number) =>
    db.prepare(
      `insert into ${table} (${columns.join(', ')}) values ${Array.from(
        { length: rows },
        () => `(${columns.map(() => '?').join(', ')})`,
      ).join(', ')}`,
    );
  const full = statementFor(rowsPerStatement);
  let buffer: SqlValue[] = [];
  let buffered = 0;
  let count = 0;

  return {
    add(row) {
      for (const column of columns) {
        const value = row[column];
        if (value === undefined) throw new Error(`${table}.${column} missing from a seeded row`);
        buffer.push(value);
      }
      buffered += 1;
      if (buffered === rowsPerStatement) {
        full.run(buffer);
        count += buffered;
        buffer = [];
        buffered = 0;
      }
    },
    flush() {
      if (buffered === 0) return;
      statementFor(buffered).run(buffer);
      count += buffered;
      buffer = [];
      buffered = 0;
    },
    get count() {
      return count;
    },
  };
}
