/**
 * Which SQLite table and column feeds which PostgreSQL one, read from the two drizzle schemas
 * themselves: a column added to both is copied without touching this code, and a column added to
 * only one stops the copy instead of being silently dropped.
 */
import { getTableName, is } from 'drizzle-orm';
import { type PgColumn, PgTable, getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import { type SQLiteColumn, SQLiteTable, getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';

export interface CopiedColumn {
  name: string;
  /**
   * The SQLite column, or undefined for a PostgreSQL identity column that stands in for SQLite's
   * rowid (the order rows were written in): it is filled with the rowid.
   */
  source: SQLiteColumn | undefined;
  target: PgColumn;
}

export interface TablePair {
  name: string;
  /** In the PostgreSQL table's order. */
  columns: CopiedColumn[];
  /** Values are given for an identity column, which PostgreSQL accepts only when told to. */
  hasIdentity: boolean;
}

/** The schemas disagree: a code problem to fix before any data can be copied. */
export class SchemaMismatchError extends Error {}

/**
 * The tables both schemas define, paired by name, in an order where every table comes after the
 * tables its foreign keys point to. Throws `SchemaMismatchError` when the schemas differ.
 */
export function pairTables(sqliteSchema: object, pgSchema: object): TablePair[] {
  const sqliteTables = new Map(
    Object.values(sqliteSchema)
      .filter((value): value is SQLiteTable => is(value, SQLiteTable))
      .map((table) => [getTableName(table), table]),
  );
  const pgTables = Object.values(pgSchema).filter((value): value is PgTable => is(value, PgTable));
  const pgNames = new Set(pgTables.map((table) => getTableName(table)));
  const onlyInSqlite = [...sqliteTables.keys()].filter((name) => !pgNames.has(name));
  const onlyInPg = [...pgNames].filter((name) => !sqliteTables.has(name));
  if (onlyInSqlite.length > 0 || onlyInPg.length > 0) {
    throw new SchemaMismatchError(
      `The SQLite and PostgreSQL schemas define different tables (${describeDifference(onlyInSqlite, onlyInPg)}): make src/db/postgres/schema.ts match src/db/sqlite/schema.ts before copying.`,
    );
  }
  const pairs = new Map(
    pgTables.map((table) => {
      const name = getTableName(table);
      return [name, pairTable(name, sqliteTables.get(name)!, table)] as const;
    }),
  );
  return inForeignKeyOrder(pgTables).map((name) => pairs.get(name)!);
}

function pairTable(name: string, sqliteTable: SQLiteTable, pgTable: PgTable): TablePair {
  const sourceColumns = new Map(
    sqliteTableConfig(sqliteTable).columns.map((column) => [column.name, column]),
  );
  const targetColumns = pgTableConfig(pgTable).columns;
  const columns: CopiedColumn[] = targetColumns.map((target) => ({
    name: target.name,
    source: sourceColumns.get(target.name),
    target,
  }));
  const onlyInSqlite = [...sourceColumns.keys()].filter(
    (column) => !targetColumns.some((t) => t.name === column),
  );
  const onlyInPg = columns
    .filter((column) => column.source === undefined && !column.target.generatedIdentity)
    .map((column) => column.name);
  const clashing = columns
    .filter(({ source, target }) => source && !compatible(source, target))
    .map(({ name, source, target }) => `${name} is ${source!.dataType} in SQLite but ${target.dataType}`);
  const problems = [describeDifference(onlyInSqlite, onlyInPg), ...clashing].filter(Boolean);
  if (problems.length > 0) {
    throw new SchemaMismatchError(
      `The SQLite and PostgreSQL schemas disagree on the columns of ${name} (${problems.join('; ')}): make src/db/postgres/schema.ts match src/db/sqlite/schema.ts before copying.`,
    );
  }
  return { name, columns, hasIdentity: columns.some((column) => column.target.generatedIdentity) };
}

/** Same kind of JavaScript value on both sides (a custom type says nothing about its kind). */
function compatible(source: SQLiteColumn, target: PgColumn): boolean {
  return source.dataType === target.dataType || source.dataType === 'custom' || target.dataType === 'custom';
}

function describeDifference(onlyInSqlite: string[], onlyInPg: string[]): string {
  return [
    onlyInSqlite.length > 0 ? `only in SQLite: ${onlyInSqlite.join(', ')}` : '',
    onlyInPg.length > 0 ? `only in PostgreSQL: ${onlyInPg.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * Referenced tables first; otherwise in the order the schema module lists them (by export name).
 * A table referring to itself is fine (rows are copied in the order they were written, parents
 * before their children); a cycle between tables is not, since foreign keys are checked as each
 * statement ends.
 */
function inForeignKeyOrder(tables: PgTable[]): string[] {
  const waitingFor = new Map(
    tables.map((table) => {
      const name = getTableName(table);
      const referenced = pgTableConfig(table).foreignKeys.map((key) =>
        getTableName(key.reference().foreignTable),
      );
      return [name, new Set(referenced.filter((other) => other !== name))] as const;
    }),
  );
  const ordered: string[] = [];
  while (waitingFor.size > 0) {
    const next = [...waitingFor].find(([, referenced]) => referenced.size === 0)?.[0];
    if (next === undefined) {
      throw new SchemaMismatchError(
        `The foreign keys of ${[...waitingFor.keys()].join(', ')} form a cycle: there is no order to copy them in.`,
      );
    }
    ordered.push(next);
    waitingFor.delete(next);
    for (const referenced of waitingFor.values()) referenced.delete(next);
  }
  return ordered;
}

/** The value to send PostgreSQL for one stored SQLite value, through both schemas' own mappings. */
export function targetValue(column: CopiedColumn, stored: unknown): unknown {
  if (stored === null) return null;
  const value = column.source ? column.source.mapFromDriverValue(stored) : stored;
  return column.target.mapToDriverValue(value);
}
