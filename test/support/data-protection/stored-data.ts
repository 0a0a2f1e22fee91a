import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { isPostgresUrl } from '../../../src/db/open-store.js';
import { sqlitePathOf } from '../../../src/db/sqlite/open-sqlite-store.js';
import { type Row, readDatabase } from '../core/raw-database.js';

/**
 * Reads a SQLite file through its own read-only connection, as an operator with the sqlite3 shell
 * would: for tests about the file itself. Tests for both databases read through `readDatabase`.
 */
export function inspect<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/**
 * Every value of every column of every table, as one text: what "no trace left" is checked against.
 * `leaveOut` names columns (per table) that keep words on purpose, such as the staff-written
 * resolution notes kept as knowledge.
 */
export function everyStoredValue(
  databaseUrl: string,
  leaveOut: Readonly<Record<string, readonly string[]>> = {},
): Promise<string> {
  return readDatabase(databaseUrl, async (db) => {
    const lines: string[] = [];
    for (const table of await db.tables()) {
      const without = leaveOut[table] ?? [];
      for (const row of await db.allRows(table)) {
        const kept = Object.entries(row).filter(([column]) => !without.includes(column));
        lines.push(JSON.stringify(Object.fromEntries(kept)));
      }
    }
    return lines.join('\n');
  });
}

/** Every row of a table, oldest first, with the named columns left out. */
export async function rowsOf(
  databaseUrl: string,
  table: string,
  without: readonly string[] = [],
): Promise<Row[]> {
  const rows = await readDatabase(databaseUrl, (db) => db.allRows(table));
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).filter(([column]) => !without.includes(column))),
  );
}

/**
 * Where deleted text could still be read. In SQLite: the bytes of the database file and of its
 * write-ahead log, since deleted rows live on there (in free pages, in old log frames) after every
 * query says they are gone. In PostgreSQL, whose files belong to the server: every stored value.
 */
export async function everyReadableTrace(databaseUrl: string): Promise<Buffer | string> {
  if (isPostgresUrl(databaseUrl)) return everyStoredValue(databaseUrl);
  const path = sqlitePathOf(databaseUrl);
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
