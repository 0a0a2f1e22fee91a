import { ESCALATION_STATUSES, type EscalationStatus } from '../../domain/escalation.js';
import type { StoreStats } from '../../ports/store.js';

/** The stats from a count per escalation status (statuses without rows count 0) and the pending outbox. */
export function storeStatsFrom(
  countsByStatus: ReadonlyArray<{ status: string; n: number }>,
  outboxPending: number,
): StoreStats {
  const escalationsByStatus = Object.fromEntries(ESCALATION_STATUSES.map((status) => [status, 0])) as Record<
    EscalationStatus,
    number
  >;
  for (const row of countsByStatus) escalationsByStatus[row.status as EscalationStatus] = row.n;
  return { escalationsByStatus, outboxPending };
}
