import { eq, sql } from 'drizzle-orm';
import { ESCALATION_STATUSES, type EscalationStatus } from '../../domain/escalation.js';
import type { StoreStats } from '../../ports/store.js';
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
  const escalationsByStatus = Object.fromEntries(ESCALATION_STATUSES.map((status) => [status, 0])) as Record<
    EscalationStatus,
    number
  >;
  const rows = db
    .select({ status: escalations.status, n: sql<number>`count(*)` })
    .from(escalations)
    .groupBy(escalations.status)
    .all();
  for (const row of rows) escalationsByStatus[row.status as EscalationStatus] = row.n;
  const outboxPending =
    db.select({ n: sql<number>`count(*)` }).from(outbox).where(eq(outbox.status, 'pending')).get()?.n ?? 0;
  return { escalationsByStatus, outboxPending };
}
