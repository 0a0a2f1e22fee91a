import { and, type Column, eq, isNull, type SQL } from 'drizzle-orm';
import type { OutboxClaim } from '../../ports/store.js';

/** Marking an entry delivered, retried or dead ends its claim (the same columns on both databases). */
export const UNCLAIMED = { claimedBy: null, claimedUntil: null };

/** What a claim reads first: the entry's state, to decide and to take it only if it is unchanged. */
export interface ClaimableRow {
  status: string;
  attempts: number;
  claimedBy: string | null;
  claimedUntil: Date | null;
}

type ClaimColumns = { id: Column; status: Column; claimedBy: Column; claimedUntil: Column };

/**
 * Decides a claim from the row as read, and gives the condition that takes it only if nobody
 * changed the row since (compare-and-set: of two replicas claiming at once, one updates a row).
 */
export function claimPlan(
  table: ClaimColumns,
  id: string,
  row: ClaimableRow | undefined,
  holder: string,
  now: Date,
): { where: SQL | undefined; claim: OutboxClaim } | undefined {
  if (row?.status !== 'pending') return undefined;
  const free = row.claimedUntil === null || row.claimedUntil < now || row.claimedBy === holder;
  if (!free) return undefined;
  return {
    where: and(
      eq(table.id, id),
      eq(table.status, 'pending'),
      row.claimedBy === null ? isNull(table.claimedBy) : eq(table.claimedBy, row.claimedBy),
      row.claimedUntil === null ? isNull(table.claimedUntil) : eq(table.claimedUntil, row.claimedUntil),
    ),
    claim: { maybeSent: row.attempts > 0 || row.claimedBy !== null },
  };
}
