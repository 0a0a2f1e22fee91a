import { eq, sql } from 'drizzle-orm';
import type { StoreStats } from '../../ports/store.js';
import { storeStatsFrom } from '../shared/store-stats.js';
import type { SqliteDb } from './repositories.js';
import { escalations, outbox } from './schema.js';

/**
 * The counts `/metrics` shows, read at every scrape, from indexes alone (no table rows): pending
 * outbox entries are a seek in the partial outbox_pending_idx, so they cost what is pending;
 * escalations by status walk the narrow escalations_resolve_due_idx (about 6 ms per 100,000
 * escalations). Dead outbox entries are not counted here: no index isolates them, and counting them
 * would walk every entry ever sent, so `/metrics` counts them as they die instead.
 */
export function readStoreStats(db: SqliteDb): StoreStats {
  const rows = db
    .select({ status: escalations.status, n: sql<number>`count(*)` })
    .from(escalations)
    .groupBy(escalations.status)
    .all();
  const outboxPending =
    db.select({ n: sql<number>`count(*)` }).from(outbox).where(eq(outbox.status, 'pending')).get()?.n ?? 0;
  return storeStatsFrom(rows, outboxPending);
}
