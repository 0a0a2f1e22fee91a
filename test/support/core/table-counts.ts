import Database from 'better-sqlite3';

/** Rows per table of the database file, read through a separate read-only connection. */
export function tableCounts(dbPath: string): Record<string, number> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name",
      )
      .all() as { name: string }[];
    return Object.fromEntries(
      tables.map(({ name }) => [
        name,
        (db.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n,
      ]),
    );
  } finally {
    db.close();
  }
}

/** Tables whose row count differs between two snapshots, with the change (`{ issues: 1 }`). */
export function countChanges(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const changed: Record<string, number> = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const delta = (after[name] ?? 0) - (before[name] ?? 0);
    if (delta !== 0) changed[name] = delta;
  }
  return changed;
}
