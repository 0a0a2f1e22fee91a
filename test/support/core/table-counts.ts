import { readDatabase } from './raw-database.js';

/** Rows per table of the database, read through a separate connection. */
export function tableCounts(databaseUrl: string): Promise<Record<string, number>> {
  return readDatabase(databaseUrl, async (db) => {
    const counts: Record<string, number> = {};
    for (const name of await db.tables()) {
      const [row] = await db.rows<{ n: number }>(`select count(*) as n from "${name}"`);
      counts[name] = row?.n ?? 0;
    }
    return counts;
  });
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
