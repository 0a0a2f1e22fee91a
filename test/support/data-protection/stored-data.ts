import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';

/** Reads the file through its own read-only connection, as an operator with the sqlite3 shell would. */
export function inspect<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const tablesOf = (db: Database.Database) =>
  (
    db
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name",
      )
      .all() as { name: string }[]
  ).map((t) => t.name);

/** Every value of every column of every table, as one text: what "no trace left" is checked against. */
export function everyStoredValue(path: string): string {
  return inspect(path, (db) =>
    tablesOf(db)
      .flatMap((table) => db.prepare(`select * from "${table}"`).all() as Record<string, unknown>[])
      .map((row) => JSON.stringify(row))
      .join('\n'),
  );
}

/** Every row of a table, oldest first, with the named columns left out. */
export function rowsOf(
  path: string,
  table: string,
  without: readonly string[] = [],
): Record<string, unknown>[] {
  return inspect(path, (db) =>
    (db.prepare(`select * from "${table}" order by rowid`).all() as Record<string, unknown>[]).map((row) =>
      Object.fromEntries(Object.entries(row).filter(([column]) => !without.includes(column))),
    ),
  );
}

/**
 * The bytes of the database file and of its write-ahead log: deleted rows can live on there (in
 * free pages, in old log frames) after every query says they are gone.
 */
export function fileBytes(path: string): Buffer {
  return Buffer.concat(
    [path, `${path}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file)),
  );
}

/** Which of `needles` occur in `haystack` (as UTF-8 bytes, or as text). */
export function tracesOf(haystack: Buffer | string, needles: readonly string[]): string[] {
  return needles.filter((needle) =>
    typeof haystack === 'string' ? haystack.includes(needle) : haystack.includes(Buffer.from(needle, 'utf8')),
  );
}
