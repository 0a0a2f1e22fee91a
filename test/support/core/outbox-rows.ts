import type { Effect, OutboxStatus } from '../../../src/ports/outbox.js';
import { queryRows } from './raw-database.js';

export interface OutboxRow {
  id: string;
  orderKey: string;
  effect: Effect;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
}

/**
 * Every outbox row, in the order it was written, read through a separate connection so tests see
 * exactly what was committed (the store's interface only shows what is due).
 */
export async function readOutbox(databaseUrl: string): Promise<OutboxRow[]> {
  const rows = await queryRows<{
    id: string;
    order_key: string;
    payload: string;
    status: OutboxStatus;
    attempts: number;
    next_attempt_at: number;
    last_error: string | null;
  }>(
    databaseUrl,
    'select id, order_key, payload, status, attempts, next_attempt_at, last_error from outbox order by seq',
  );
  return rows.map((r) => ({
    id: r.id,
    orderKey: r.order_key,
    effect: JSON.parse(r.payload) as Effect,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: new Date(r.next_attempt_at),
    lastError: r.last_error,
  }));
}
