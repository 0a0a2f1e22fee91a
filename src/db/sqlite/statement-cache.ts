import type Database from 'better-sqlite3';

/** Distinct statement shapes the repositories use, with room to spare (an IN list per length). */
const KEPT_STATEMENTS = 500;

/**
 * Makes `connection.prepare` reuse the statements it prepared before, by their SQL text. drizzle
 * prepares every query it runs from scratch, and compiling the same SQL again and again took about a
 * fifth of a checker tick (bench/checker-tick.bench.ts). The most recently used statements are kept.
 */
export function reusePreparedStatements(connection: Database.Database): void {
  const prepare = connection.prepare.bind(connection);
  const kept = new Map<string, Database.Statement>();
  connection.prepare = ((source: string) => {
    let statement = kept.get(source);
    // One still being iterated cannot run again yet: that caller gets a statement of its own.
    if (statement?.busy) return prepare(source);
    if (statement) {
      kept.delete(source);
      // drizzle switches a statement to rows as arrays for some reads; every use starts as prepared.
      if (statement.reader) statement.raw(false);
    } else {
      statement = prepare(source);
      if (kept.size >= KEPT_STATEMENTS) kept.delete(kept.keys().next().value!);
    }
    kept.set(source, statement);
    return statement;
  }) as typeof connection.prepare;
}
