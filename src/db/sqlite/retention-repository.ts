import { and, asc, eq, inArray, isNull, lt, notInArray, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { ACTIVE_STATUSES } from '../../domain/escalation.js';
import type { RetentionRepository } from '../../ports/data-protection.js';
import type { SqliteDb } from './repositories.js';
import { escalationFromRow } from './row-mapping.js';
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
 * The daily purge. Every statement starts with a range read on a partial index that holds only
 * the rows still to purge (messages_text_sent_idx, escalations_text_updated_idx,
 * outbox_settled_created_idx, trigger_hits_processed_idx, local_messages_updated_idx), so a run costs what fell due since the
 * last one, not the history. Batches are bounded by `limit` so no transaction holds the writer long.
 * A resolution kept as knowledge loses the customer's words with its escalation's (both are as old:
 * the entry is written when the escalation is resolved), so it needs no index of its own.
 */
export function createRetentionRepository(db: SqliteDb): RetentionRepository {
  return {
    async purgeMessageText(before, at, limit) {
      const due = db
        .select({ id: messages.id })
        .from(messages)
        .where(and(isNull(messages.textPurgedAt), lt(messages.sentAt, before)))
        .orderBy(asc(messages.sentAt))
        .limit(limit);
      return db.update(messages).set({ text: '', textPurgedAt: at }).where(inArray(messages.id, due)).run()
        .changes;
    },

    async listEscalationsHoldingWords(before, limit) {
      return db
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
        .limit(limit)
        .all()
        .map(escalationFromRow);
    },

    async replaceEscalationWords(id, words, clearEventIds, at) {
      db.update(escalations)
        .set({ ...words, textPurgedAt: at })
        .where(eq(escalations.id, id))
        .run();
      if (clearEventIds.length > 0) {
        db.update(escalationEvents)
          .set({ detail: null })
          .where(and(eq(escalationEvents.escalationId, id), inArray(escalationEvents.id, clearEventIds)))
          .run();
      }
      db.update(triggerFeedback)
        .set({ matched: [], reason: null })
        .where(eq(triggerFeedback.escalationId, id))
        .run();
      // The resolution kept as knowledge quotes the customer and the reason in `problem`; its note
      // and answer are staff-written, reusable knowledge, and stay.
      db.update(knowledgeEntries).set({ problem: '' }).where(eq(knowledgeEntries.escalationId, id)).run();
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
function deleteOldest(
  db: SqliteDb,
  table: SQLiteTable,
  id: SQLiteColumn,
  time: SQLiteColumn,
  filter: SQL | undefined,
  before: Date,
  limit: number,
): number {
  const due = db
    .select({ id })
    .from(table)
    .where(and(filter, lt(time, before)))
    .orderBy(asc(time))
    .limit(limit);
  return db.delete(table).where(inArray(id, due)).run().changes;
}
