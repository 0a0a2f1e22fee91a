import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { newId } from '../../domain/ids.js';
import type { Effect, OutboxEntry } from '../../ports/outbox.js';
import type { Repositories } from '../../ports/store.js';
import { escalationFromRow, escalationToRow, issueFromRow, messageFromRow } from './row-mapping.js';
import * as schema from './schema.js';

export type SqliteDb = BetterSQLite3Database<typeof schema>;

/**
 * The repositories over one SQLite connection. better-sqlite3 is synchronous; the methods are
 * async only to keep the interface the core sees identical for PostgreSQL.
 */
export function createRepositories(db: SqliteDb): Repositories {
  const {
    issues,
    messages,
    escalations,
    escalationEvents,
    outbox,
    processedEvents,
    people,
    conversationRefs,
  } = schema;

  return {
    issues: {
      async get(id) {
        const row = db.select().from(issues).where(eq(issues.id, id)).get();
        return row && issueFromRow(row);
      },
      async findByThread(channel, threadId) {
        const row = db
          .select()
          .from(issues)
          .where(and(eq(issues.channel, channel), eq(issues.threadId, threadId)))
          .get();
        return row && issueFromRow(row);
      },
      async listOpenInChannel(channel, limit) {
        return db
          .select()
          .from(issues)
          .where(and(eq(issues.channel, channel), eq(issues.status, 'open')))
          .orderBy(desc(issues.openedAt))
          .limit(limit)
          .all()
          .map(issueFromRow);
      },
      async nextNumber() {
        const row = db
          .select({ max: sql<number | null>`max(${issues.number})` })
          .from(issues)
          .get();
        return (row?.max ?? 0) + 1;
      },
      async create(issue) {
        db.insert(issues).values(issue).run();
      },
      async update(issue) {
        db.update(issues).set(issue).where(eq(issues.id, issue.id)).run();
      },
    },

    messages: {
      async findByMessageId(channel, messageId) {
        const row = db
          .select()
          .from(messages)
          .where(and(eq(messages.channel, channel), eq(messages.messageId, messageId)))
          .get();
        return row && messageFromRow(row);
      },
      async listForIssue(issueId) {
        return db
          .select()
          .from(messages)
          .where(eq(messages.issueId, issueId))
          .orderBy(asc(messages.sentAt), asc(messages.messageId))
          .all()
          .map(messageFromRow);
      },
      async create(message) {
        db.insert(messages).values(message).run();
      },
      async update(message) {
        const { id, text, editedAt, deletedAt } = message;
        db.update(messages).set({ text, editedAt, deletedAt }).where(eq(messages.id, id)).run();
      },
    },

    escalations: {
      async get(id) {
        const row = db.select().from(escalations).where(eq(escalations.id, id)).get();
        return row && escalationFromRow(row);
      },
      async listForIssue(issueId) {
        return db
          .select()
          .from(escalations)
          .where(eq(escalations.issueId, issueId))
          .orderBy(asc(escalations.createdAt), asc(escalations.number))
          .all()
          .map(escalationFromRow);
      },
      async findActiveForIssue(issueId) {
        const row = db
          .select()
          .from(escalations)
          .where(and(eq(escalations.issueId, issueId), inArray(escalations.status, ['open', 'claimed'])))
          .get();
        return row && escalationFromRow(row);
      },
      async nextNumber() {
        const row = db
          .select({ max: sql<number | null>`max(${escalations.number})` })
          .from(escalations)
          .get();
        return (row?.max ?? 0) + 1;
      },
      async create(escalation) {
        db.insert(escalations).values(escalationToRow(escalation)).run();
      },
      async update(escalation, expectedVersion) {
        const result = db
          .update(escalations)
          .set(escalationToRow(escalation))
          .where(and(eq(escalations.id, escalation.id), eq(escalations.version, expectedVersion)))
          .run();
        return result.changes === 1;
      },
      async setCardRef(id, channel, messageId) {
        db.update(escalations)
          .set({ cardChannel: channel, cardMessageId: messageId })
          .where(eq(escalations.id, id))
          .run();
      },
    },

    events: {
      async append(event) {
        db.insert(escalationEvents).values(event).run();
      },
      async listForEscalation(escalationId) {
        return db
          .select()
          .from(escalationEvents)
          .where(eq(escalationEvents.escalationId, escalationId))
          .orderBy(asc(escalationEvents.at), sql`rowid`) // same-millisecond events keep their order
          .all()
          .map((row) => ({
            ...row,
            fromStatus: row.fromStatus as never,
            toStatus: row.toStatus as never,
            source: row.source as never,
          }));
      },
    },

    outbox: {
      async add(orderKey, effect, at) {
        const id = newId('obx', at);
        const seq =
          (db
            .select({ max: sql<number | null>`max(${outbox.seq})` })
            .from(outbox)
            .get()?.max ?? 0) + 1;
        db.insert(outbox)
          .values({
            id,
            seq,
            orderKey,
            kind: effect.kind,
            payload: effect,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: at,
            createdAt: at,
          })
          .run();
        return id;
      },
      async listDue(now, limit) {
        // Only the oldest pending entry of each order key may go, so one escalation's card is
        // always posted before its updates and notes, even after retries.
        const rows = db
          .select()
          .from(outbox)
          .where(
            and(
              eq(outbox.status, 'pending'),
              lte(outbox.nextAttemptAt, now),
              sql`${outbox.seq} = (select min(o2.seq) from outbox o2 where o2.order_key = ${outbox.orderKey} and o2.status = 'pending')`,
            ),
          )
          .orderBy(asc(outbox.seq))
          .limit(limit)
          .all();
        return rows.map(
          (row): OutboxEntry => ({
            id: row.id,
            orderKey: row.orderKey,
            effect: row.payload as Effect,
            status: row.status as OutboxEntry['status'],
            attempts: row.attempts,
            nextAttemptAt: row.nextAttemptAt,
            lastError: row.lastError,
            createdAt: row.createdAt,
            deliveredAt: row.deliveredAt,
          }),
        );
      },
      async markDelivered(id, at) {
        db.update(outbox)
          .set({ status: 'delivered', deliveredAt: at, attempts: sql`${outbox.attempts} + 1` })
          .where(eq(outbox.id, id))
          .run();
      },
      async markRetry(id, error, nextAttemptAt) {
        db.update(outbox)
          .set({ lastError: error, nextAttemptAt, attempts: sql`${outbox.attempts} + 1` })
          .where(eq(outbox.id, id))
          .run();
      },
      async markDead(id, error) {
        db.update(outbox)
          .set({ status: 'dead', lastError: error, attempts: sql`${outbox.attempts} + 1` })
          .where(eq(outbox.id, id))
          .run();
      },
      async countPending() {
        return (
          db.select({ n: sql<number>`count(*)` }).from(outbox).where(eq(outbox.status, 'pending')).get()?.n ??
          0
        );
      },
    },

    processedEvents: {
      async remember(key, at) {
        const result = db.insert(processedEvents).values({ key, at }).onConflictDoNothing().run();
        return result.changes === 1;
      },
    },

    people: {
      async save(id, name, at) {
        db.insert(people)
          .values({ id, name, updatedAt: at })
          .onConflictDoUpdate({ target: people.id, set: { name, updatedAt: at } })
          .run();
      },
      async names(ids) {
        if (ids.length === 0) return new Map();
        const rows = db.select().from(people).where(inArray(people.id, ids)).all();
        return new Map(rows.map((r) => [r.id, r.name]));
      },
    },

    conversationRefs: {
      async save(channel, platform, data, at) {
        db.insert(conversationRefs)
          .values({ channel, platform, data, updatedAt: at })
          .onConflictDoUpdate({ target: conversationRefs.channel, set: { data, updatedAt: at } })
          .run();
      },
      async get(channel) {
        const row = db.select().from(conversationRefs).where(eq(conversationRefs.channel, channel)).get();
        return row?.data as Record<string, unknown> | undefined;
      },
      async latest(platform) {
        const row = db
          .select()
          .from(conversationRefs)
          .where(eq(conversationRefs.platform, platform))
          .orderBy(desc(conversationRefs.updatedAt))
          .limit(1)
          .get();
        return row?.data as Record<string, unknown> | undefined;
      },
    },
  };
}
