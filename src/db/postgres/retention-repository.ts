import { and, asc, eq, inArray, isNull, lt, notInArray, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { ACTIVE_STATUSES } from '../../domain/escalation.js';
import type { RetentionRepository } from '../../ports/data-protection.js';
import { escalationFromRow } from '../sqlite/row-mapping.js';
import type { PgDb } from './pg-db.js';
import {
  escalationEvents,
  escalations,
  knowledgeEntries,
  localMessages,
  messages,
  outbox,
  triggerFeedback,
  triggerHits,
} from './schema.js';

/**
 * The daily purge on PostgreSQL, as src/db/sqlite/retention-repository.ts: each batch is the
 * `limit` oldest rows due, read from a partial index of the rows still to purge. Freed space is
 * left to autovacuum (SQLite's erase compacts the file; PostgreSQL reuses dead rows by itself).
 */
export function createPgRetentionRepository(db: PgDb): RetentionRepository {
  return {
    async purgeMessageText(before, at, limit) {
      const due = db
        .select({ id: messages.id })
        .from(messages)
        .where(and(isNull(messages.textPurgedAt), lt(messages.sentAt, before)))
        .orderBy(asc(messages.sentAt))
        .limit(limit);
      const purged = await db
        .update(messages)
        .set({ text: '', textPurgedAt: at })
        .where(inArray(messages.id, due));
      return purged.rowCount ?? 0;
    },

    async listEscalationsHoldingWords(before, limit) {
      const rows = await db
        .select()
        .from(escalations)
        .where(
          and(
            isNull(escalations.textPurgedAt),
            lt(escalations.updatedAt, before),
            // An escalation someone still works on keeps its words, however old.
            notInArray(escalations.status, [...ACTIVE_STATUSES]),
          ),
        )
        .orderBy(asc(escalations.updatedAt))
        .limit(limit);
      return rows.map(escalationFromRow);
    },

    async replaceEscalationWords(id, words, clearEventIds, at) {
      await db
        .update(escalations)
        .set({ ...words, textPurgedAt: at })
        .where(eq(escalations.id, id));
      if (clearEventIds.length > 0) {
        await db
          .update(escalationEvents)
          .set({ detail: null })
          .where(and(eq(escalationEvents.escalationId, id), inArray(escalationEvents.id, clearEventIds)));
      }
      await db
        .update(triggerFeedback)
        .set({ matched: [], reason: null })
        .where(eq(triggerFeedback.escalationId, id));
      // As on SQLite: the knowledge entry's `problem` quotes the customer; its note and answer stay.
      await db.update(knowledgeEntries).set({ problem: '' }).where(eq(knowledgeEntries.escalationId, id));
    },

    async deleteSettledOutbox(before, limit) {
      // Spelled as in the partial index's predicate: a bound 'pending' would not match it.
      const settled = sql`${outbox.status} != 'pending'`;
      return deleteOldest(db, outbox, outbox.id, outbox.createdAt, settled, before, limit);
    },

    async deleteHandledTriggerHits(before, limit) {
      const handled = sql`${triggerHits.processedAt} is not null`;
      return deleteOldest(db, triggerHits, triggerHits.id, triggerHits.createdAt, handled, before, limit);
    },

    async deleteLocalMessages(before, limit) {
      const { id, updatedAt } = localMessages;
      return deleteOldest(db, localMessages, id, updatedAt, undefined, before, limit);
    },
  };
}

/**
 * Deletes up to `limit` rows of `table` matching `filter` whose `time` is before `before`, oldest
 * first (a range read on the index of `time`); how many.
 */
async function deleteOldest(
  db: PgDb,
  table: PgTable,
  id: PgColumn,
  time: PgColumn,
  filter: SQL | undefined,
  before: Date,
  limit: number,
): Promise<number> {
  const due = db
    .select({ id })
    .from(table)
    .where(and(filter, lt(time, before)))
    .orderBy(asc(time))
    .limit(limit);
  const deleted = await db.delete(table).where(inArray(id, due));
  return deleted.rowCount ?? 0;
}
