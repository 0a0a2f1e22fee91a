import Database from 'better-sqlite3';
import pg from 'pg';
import { isPostgresUrl } from '../../../src/db/open-store.js';
import { sqlitePathOf } from '../../../src/db/sqlite/open-sqlite-store.js';

export type Row = Record<string, unknown>;

/**
 * A connection of the test's own to a store's database, as an operator with `sqlite3` or `psql`
 * would open one: it sees exactly what was committed. Write SQL both dialects accept, with `?`
 * placeholders. Rows come back in SQLite's shapes on both: timestamps as milliseconds, 64-bit
 * integers and counts as numbers (booleans stay booleans on PostgreSQL).
 */
export interface RawReader {
  rows<T = Row>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** The application's tables (not the migrations' record), by name. */
  tables(): Promise<string[]>;
  /**
   * `select * from table` oldest row first: SQLite's rowid order; on PostgreSQL the insertion
   * order column where the table has one, else its primary key (stable across updates).
   */
  allRows(table: string): Promise<Row[]>;
}

/** Opens a reader on `url` (a `file:` or `postgres://` DATABASE_URL), runs `read`, closes it. */
export async function readDatabase<T>(url: string, read: (db: RawReader) => Promise<T>): Promise<T> {
  const reader = isPostgresUrl(url) ? await postgresReader(url) : sqliteReader(url);
  try {
    return await read(reader);
  } finally {
    await reader.close();
  }
}

/** The rows of one query, through a connection opened for it alone. */
export function queryRows<T = Row>(url: string, sql: string, ...params: unknown[]): Promise<T[]> {
  return readDatabase(url, (db) => db.rows<T>(sql, ...params));
}

/**
 * Runs one writing statement through a connection of its own, as an operator fixing data by hand
 * would (the store under test may stay open).
 */
export async function runStatement(url: string, sql: string, ...params: unknown[]): Promise<void> {
  if (isPostgresUrl(url)) {
    await queryRows(url, sql, ...params);
    return;
  }
  // Not the reader's connection: that one is read-only.
  const db = new Database(sqlitePathOf(url), { fileMustExist: true });
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/** `select count(*) as n …` through a connection opened for it alone. */
export async function countRows(url: string, sql: string, ...params: unknown[]): Promise<number> {
  const [row] = await queryRows<{ n: number }>(url, sql, ...params);
  return row?.n ?? 0;
}

type OpenReader = RawReader & { close(): Promise<void> };

/** Read-only, so closing it never checkpoints or removes a running process's WAL file. */
function sqliteReader(url: string): OpenReader {
  const db = new Database(sqlitePathOf(url), { readonly: true, fileMustExist: true });
  const rows = async <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];
  return {
    rows,
    async tables() {
      const found = await rows<{ name: string }>(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name",
      );
      return found.map((t) => t.name);
    },
    allRows: (table) => rows(`select * from "${table}" order by rowid`),
    async close() {
      db.close();
    },
  };
}

const TIMESTAMP_TYPES = [pg.types.builtins.TIMESTAMPTZ, pg.types.builtins.TIMESTAMP];
const NUMBER_TYPES = [pg.types.builtins.INT8, pg.types.builtins.NUMERIC];

/**
 * Type parsers of this client alone: setting them on `pg.types` would change what the store under
 * test reads too.
 */
const sqliteShapedTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (TIMESTAMP_TYPES.includes(oid)) {
      const parseDate = pg.types.getTypeParser(oid, 'text') as (text: string) => Date;
      return (text: string) => parseDate(text).getTime();
    }
    if (NUMBER_TYPES.includes(oid)) return (text: string) => Number(text);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

async function postgresReader(url: string): Promise<OpenReader> {
  const client = new pg.Client({ connectionString: url, types: sqliteShapedTypes });
  await client.connect();
  const rows = async <T>(sql: string, ...params: unknown[]) =>
    (await client.query(numberedPlaceholders(sql), params)).rows as T[];
  return {
    rows,
    async tables() {
      const found = await rows<{ name: string }>(
        "select tablename as name from pg_tables where schemaname = 'public' and tablename not like '__drizzle%' order by tablename",
      );
      return found.map((t) => t.name);
    },
    async allRows(table) {
      const order = await rows<{ name: string }>(
        `select a.attname as name from pg_attribute a
           join pg_index i on i.indrelid = a.attrelid and a.attnum = any(i.indkey) and i.indisprimary
          where a.attrelid = ?::regclass order by array_position(i.indkey, a.attnum)`,
        `public."${table}"`,
      );
      const columns = await rows<{ name: string }>(
        "select column_name as name from information_schema.columns where table_schema = 'public' and table_name = ?",
        table,
      );
      const byInsertion = columns.some((c) => c.name === 'insert_order');
      const orderBy = byInsertion ? ['insert_order'] : order.map((c) => c.name);
      const clause = orderBy.length > 0 ? ` order by ${orderBy.map((c) => `"${c}"`).join(', ')}` : '';
      return rows(`select * from "${table}"${clause}`);
    },
    close: () => client.end(),
  };
}

/** `?` → `$1`, `$2`… outside quoted text, so one SQL text serves both dialects. */
function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"])*"|\?/g, (token) => (token === '?' ? `$${++n}` : token));
}

/** SQL reading one top-level text field of a JSON text column, in the dialect of `url`. */
export function jsonFieldSql(url: string, column: string, field: string): string {
  return isPostgresUrl(url) ? `((${column})::jsonb ->> '${field}')` : `json_extract(${column}, '$.${field}')`;
}
