import { count, sql } from 'drizzle-orm';
import type { StoreStats } from '../../ports/store.js';
import { storeStatsFrom } from '../shared/store-stats.js';
import type { PgDb } from './pg-db.js';
import { escalations, outbox } from './schema.js';

/**
 * The counts `/metrics` shows, as src/db/sqlite/store-stats.ts reads them: escalations by status
 * and the pending outbox entries (dead ones are counted as they die, not here).
 */
export async function readPgStoreStats(db: PgDb): Promise<StoreStats> {
  const byStatus = await db
    .select({ status: escalations.status, n: count() })
    .from(escalations)
    .groupBy(escalations.status);
  // Spelled as the partial outbox_pending_idx's predicate, so the planner can use that index.
  const [pending] = await db.select({ n: count() }).from(outbox).where(sql`${outbox.status} = 'pending'`);
  return storeStatsFrom(byStatus, pending?.n ?? 0);
}
