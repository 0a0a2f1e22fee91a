import { and, eq, getTableColumns, isNull, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';

// Any schema: these helpers only need the connection, not the relational query API.
// biome-ignore lint/suspicious/noExplicitAny: the schema type parameter is irrelevant here.
type AnyDb = BetterSQLite3Database<any>;

/** What a prepared write answers: how many rows it changed. */
export interface WriteResult {
  changes: number;
}

/**
 * Builds a value on first use and keeps it. Statements are prepared when a method first runs, not
 * when the repositories are created: a table may not exist yet before the migrations have run.
 */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
}

/**
 * A row writer that prepares its statement once per shape of row, and afterwards only binds values.
 * drizzle builds the SQL text of a one-time query on every call, which was the larger part of
 * storing a message (bench/ingest.bench.ts). The shape says, per column, whether the row leaves it
 * out (`undefined`: what a one-time `insert(...).values(row)` or `update(...).set(row)` does with
 * it), sets it to null (written as a literal: drizzle's column encoders do not take null), or gives
 * a value (bound through the column's encoder, so dates and JSON are stored as a one-time query
 * stores them).
 */
function writerPerShape(
  table: SQLiteTable,
  prepare: (set: Record<string, Placeholder | SQL>) => { run(values: Record<string, unknown>): WriteResult },
): (row: object) => WriteResult {
  const keys = Object.keys(getTableColumns(table));
  const prepared = new Map<string, { run(values: Record<string, unknown>): WriteResult }>();
  return (row) => {
    const values = row as Record<string, unknown>;
    let shape = '';
    for (const key of keys) {
      const value = values[key];
      shape += value === undefined ? '-' : value === null ? '0' : '1';
    }
    let statement = prepared.get(shape);
    if (!statement) {
      const set: Record<string, Placeholder | SQL> = {};
      for (const key of keys) {
        const value = values[key];
        if (value !== undefined) set[key] = value === null ? sql`null` : sql.placeholder(key);
      }
      statement = prepare(set);
      prepared.set(shape, statement);
    }
    return statement.run(values);
  };
}

/** `insert into table values (row)` (optionally `on conflict do nothing`), prepared once per shape of row. */
export function preparedInsert(
  db: AnyDb,
  table: SQLiteTable,
  options: { onConflictDoNothing?: boolean } = {},
): (row: object) => WriteResult {
  return writerPerShape(table, (set) => {
    const insert = db.insert(table).values(set as never);
    return (options.onConflictDoNothing ? insert.onConflictDoNothing() : insert).prepare();
  });
}

/**
 * `update table set (row) where id = row.id`, prepared once per shape of row. Given `stored`, the row
 * as last read or written, it sets only the columns that differ from it: setting an indexed column,
 * even to the value it has, rewrites its index entries, and with the issues' six indexes that
 * tripled the cost of committing a message (bench/ingest.bench.ts). `stored` is only a guess: the
 * statement also requires every column it leaves alone to hold the row's value already (`where id
 * = ? and status = ? and …`), so the row ends up exactly as a full update leaves it, and when it
 * does not match (`stored` was stale) the full update runs instead.
 */
export function preparedUpdateById(
  db: AnyDb,
  table: SQLiteTable & { id: SQLiteColumn },
): (row: object, stored?: object) => WriteResult {
  const full = writerPerShape(table, (set) =>
    db
      .update(table)
      .set(set as never)
      .where(eq(table.id, sql.placeholder('id')))
      .prepare(),
  );
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => key !== 'id');
  const changedOnly = new Map<string, { run(values: Record<string, unknown>): WriteResult }>();
  return (row, stored) => {
    if (!stored) return full(row);
    const values = row as Record<string, unknown>;
    const before = stored as Record<string, unknown>;
    const bound: Record<string, unknown> = { id: values.id };
    let shape = '';
    let changed = 0;
    for (const [key, column] of columns) {
      const value = values[key];
      if (value === undefined) shape += '-';
      else if (!sameValue(value, before[key])) {
        shape += value === null ? '0' : '1';
        bound[key] = value;
        changed++;
      } else if (value === null) shape += 'n';
      else {
        shape += 'w';
        bound[`kept_${key}`] = column.mapToDriverValue(value);
      }
    }
    // Nothing to set: a full update keeps the contract (the row ends up as given) without a guess.
    if (changed === 0 || (!changedOnly.has(shape) && changedOnly.size >= MAX_SHAPES)) return full(row);
    let statement = changedOnly.get(shape);
    if (!statement) {
      const set: Record<string, Placeholder | SQL> = {};
      const kept: SQL[] = [eq(table.id, sql.placeholder('id'))];
      columns.forEach(([key, column], i) => {
        const kind = shape[i];
        if (kind === '0') set[key] = sql`null`;
        else if (kind === '1') set[key] = sql.placeholder(key);
        else if (kind === 'n') kept.push(isNull(column));
        else if (kind === 'w') kept.push(eq(column, sql.placeholder(`kept_${key}`)));
      });
      statement = db
        .update(table)
        .set(set as never)
        .where(and(...kept))
        .prepare();
      changedOnly.set(shape, statement);
    }
    const result = statement.run(bound);
    return result.changes > 0 ? result : full(row);
  };
}

/** Shapes of partial update kept per table; past that, rare shapes take the full update. */
const MAX_SHAPES = 200;

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}
