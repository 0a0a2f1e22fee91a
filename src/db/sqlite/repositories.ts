import { and, asc, desc, eq, gte, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { newId } from '../../domain/ids.js';
import type { Issue } from '../../domain/issue.js';
import type { Repositories } from '../../ports/store.js';
import { claimPlan, UNCLAIMED } from '../shared/outbox-claims.js';
import { createAnalyticsRepository } from './analytics-repository.js';
import { createDigestRepository } from './digest-repository.js';
import { createErasureRepository } from './erasure-repository.js';
import { createKnowledgeRepository } from './knowledge-repository.js';
import { once, preparedInsert, preparedUpdateById } from './prepared-writes.js';
import { RecentRows } from './recent-rows.js';
import { createRetentionRepository } from './retention-repository.js';
import {
  escalationFromRow,
  escalationToRow,
  issueFromRow,
  messageFromRow,
  outboxEntryFromRow,
} from './row-mapping.js';
import * as schema from './schema.js';

/** A value bound when a prepared query runs. Where clauses bind as given: dates go in as epoch ms. */
const p = sql.placeholder;

/**
 * Issues as last read or written, so an update sets only the columns that changed (see
 * `preparedUpdateById`; a stale one costs a second statement, never a wrong row). A use case reads an
 * issue and updates it within one transaction, so a few suffice.
 */
const RECENT_ISSUES = 64;

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
    triggerHits,
    triggerFirings,
    triggerFeedback,
    systemicMembers,
    csatResponses,
  } = schema;

  /** The customer's first words in a thread: one indexed row, not the whole thread. */
  const firstCustomerText = (issueId: string): string | undefined =>
    db
      .select({ text: messages.text })
      .from(messages)
      .where(
        and(eq(messages.issueId, issueId), eq(messages.authorRole, 'customer'), isNull(messages.deletedAt)),
      )
      .orderBy(asc(messages.sentAt))
      .limit(1)
      .get()?.text;
  /** The same for each row of a query over `issues`, as a subquery (drizzle would not qualify its columns). */
  const firstCustomerTextOfIssue = sql<string | null>`(
    select m.text from messages m
    where m.issue_id = issues.id and m.author_role = 'customer' and m.deleted_at is null
    order by m.sent_at limit 1)`;

  // What storing a message runs every time (src/app/track-message.ts, detect-triggers.ts), prepared
  // once: building the SQL text per call cost more than SQLite's own work (bench/ingest.bench.ts).
  const hot = {
    issueByThread: once(() =>
      db
        .select()
        .from(issues)
        .where(and(eq(issues.channel, p('channel')), eq(issues.threadId, p('threadId'))))
        .prepare(),
    ),
    maxIssueNumber: once(() =>
      db
        .select({ max: sql<number | null>`max(${issues.number})` })
        .from(issues)
        .prepare(),
    ),
    insertIssue: preparedInsert(db, issues),
    updateIssue: preparedUpdateById(db, issues),
    recentOpenings: once(() =>
      db
        .select({
          issue: { id: issues.id, number: issues.number, customerId: issues.customerId },
          firstText: firstCustomerTextOfIssue,
        })
        .from(issues)
        .where(and(gte(issues.openedAt, p('since')), ne(issues.status, 'resolved')))
        .orderBy(desc(issues.openedAt))
        .limit(p('limit'))
        .prepare(),
    ),
    messageByPlatformId: once(() =>
      db
        .select()
        .from(messages)
        .where(and(eq(messages.channel, p('channel')), eq(messages.messageId, p('messageId'))))
        .prepare(),
    ),
    insertMessage: preparedInsert(db, messages),
    recentCustomerTexts: once(() =>
      db
        .select({ text: messages.text })
        .from(messages)
        .where(
          and(
            eq(messages.issueId, p('issueId')),
            eq(messages.authorRole, 'customer'),
            isNull(messages.deletedAt),
          ),
        )
        .orderBy(desc(messages.sentAt))
        .limit(p('limit'))
        .prepare(),
    ),
    rememberEvent: preparedInsert(db, processedEvents, { onConflictDoNothing: true }),
    personEmail: once(() =>
      db
        .select({ email: people.email })
        .from(people)
        .where(eq(people.id, p('id')))
        .prepare(),
    ),
    insertHit: preparedInsert(db, triggerHits),
  };
  const storedIssues = new RecentRows<Issue>(RECENT_ISSUES);

  return {
    issues: {
      async get(id) {
        const row = db.select().from(issues).where(eq(issues.id, id)).get();
        return row && storedIssues.remember(issueFromRow(row));
      },
      async findByThread(channel, threadId) {
        const row = hot.issueByThread().get({ channel, threadId });
        return row && storedIssues.remember(issueFromRow(row));
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
        return (hot.maxIssueNumber().get()?.max ?? 0) + 1;
      },
      async create(issue) {
        hot.insertIssue(issue);
        storedIssues.remember(issue);
      },
      async update(issue) {
        hot.updateIssue(issue, storedIssues.get(issue.id));
        storedIssues.remember(issue);
      },
      async listFirstResponseDue(now, limit) {
        // Matches the partial index issues_first_response_due_idx: cost follows what is due.
        return db
          .select()
          .from(issues)
          .where(
            and(
              isNull(issues.firstResponseAt),
              isNull(issues.firstResponseBreachedAt),
              lte(issues.firstResponseDueAt, now),
            ),
          )
          .orderBy(asc(issues.firstResponseDueAt))
          .limit(limit)
          .all()
          .map(issueFromRow);
      },
      async listResolveDue(now, limit) {
        return db
          .select()
          .from(issues)
          .where(
            and(
              ne(issues.status, 'resolved'),
              isNull(issues.resolveBreachedAt),
              lte(issues.resolveDueAt, now),
            ),
          )
          .orderBy(asc(issues.resolveDueAt))
          .limit(limit)
          .all()
          .map(issueFromRow);
      },
      async listRecentOpenings(since, limit) {
        // The first customer words come with each issue: one statement, not one more per issue.
        // Read as arrays: the columns need no decoding, and mapping 500 rows into nested objects
        // the generic way cost about a quarter of the read.
        const rows = hot.recentOpenings().values({ since: since.getTime(), limit }) as Array<
          [string, number, string | null, string | null]
        >;
        return rows.map(([id, number, customerId, firstText]) => ({
          issue: { id, number, customerId },
          firstText: firstText ?? '',
        }));
      },
    },

    messages: {
      async findByMessageId(channel, messageId) {
        const row = hot.messageByPlatformId().get({ channel, messageId });
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
        hot.insertMessage(message);
      },
      async update(message) {
        const { id, text, editedAt, deletedAt } = message;
        // An edit brings text back, so retention must see the message again.
        db.update(messages)
          .set({ text, editedAt, deletedAt, textPurgedAt: null })
          .where(eq(messages.id, id))
          .run();
      },
      async firstCustomerText(issueId) {
        return firstCustomerText(issueId);
      },
      async listRecentCustomerTexts(issueId, limit) {
        return hot
          .recentCustomerTexts()
          .all({ issueId, limit })
          .map((r) => r.text)
          .reverse();
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
      async listAckDue(now, limit) {
        // Served by escalations_ack_due_idx (status, ack_due_at).
        return db
          .select()
          .from(escalations)
          .where(and(eq(escalations.status, 'open'), lte(escalations.ackDueAt, now)))
          .orderBy(asc(escalations.ackDueAt))
          .limit(limit)
          .all()
          .map(escalationFromRow);
      },
      async listResolveDue(now, limit) {
        const due = (status: string) =>
          db
            .select()
            .from(escalations)
            .where(and(eq(escalations.status, status), lte(escalations.resolveDueAt, now)))
            .orderBy(asc(escalations.resolveDueAt))
            .limit(limit)
            .all();
        // Two index range scans (one per status) instead of an IN that would scan.
        return [...due('open'), ...due('claimed')].slice(0, limit).map(escalationFromRow);
      },
      async listClaimedBy(actor, limit) {
        // Served by escalations_resolve_due_idx (status, resolve_due_at); claimed rows are few.
        return db
          .select()
          .from(escalations)
          .where(and(eq(escalations.status, 'claimed'), eq(escalations.claimedBy, actor)))
          .orderBy(asc(escalations.resolveDueAt), asc(escalations.number))
          .limit(limit)
          .all()
          .map(escalationFromRow);
      },
      async listOpen(limit) {
        // Served by escalations_ack_due_idx (status, ack_due_at).
        return db
          .select()
          .from(escalations)
          .where(eq(escalations.status, 'open'))
          .orderBy(asc(escalations.ackDueAt), asc(escalations.number))
          .limit(limit)
          .all()
          .map(escalationFromRow);
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
        return rows.map(outboxEntryFromRow);
      },
      async claim(id, holder, until, now) {
        const claimable = {
          status: outbox.status,
          attempts: outbox.attempts,
          claimedBy: outbox.claimedBy,
          claimedUntil: outbox.claimedUntil,
        };
        const row = db.select(claimable).from(outbox).where(eq(outbox.id, id)).get();
        const plan = claimPlan(outbox, id, row, holder, now);
        if (!plan) return undefined;
        const taken = db
          .update(outbox)
          .set({ claimedBy: holder, claimedUntil: until })
          .where(plan.where)
          .run();
        return taken.changes === 1 ? plan.claim : undefined;
      },
      async markDelivered(id, at) {
        db.update(outbox)
          .set({ status: 'delivered', deliveredAt: at, attempts: sql`${outbox.attempts} + 1`, ...UNCLAIMED })
          .where(eq(outbox.id, id))
          .run();
      },
      async markRetry(id, error, nextAttemptAt) {
        db.update(outbox)
          .set({ lastError: error, nextAttemptAt, attempts: sql`${outbox.attempts} + 1`, ...UNCLAIMED })
          .where(eq(outbox.id, id))
          .run();
      },
      async markDead(id, error) {
        db.update(outbox)
          .set({ status: 'dead', lastError: error, attempts: sql`${outbox.attempts} + 1`, ...UNCLAIMED })
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
        return hot.rememberEvent({ key, at }).changes === 1;
      },
    },

    people: {
      async save(id, name, at, email) {
        const set = email ? { name, email, updatedAt: at } : { name, updatedAt: at };
        db.insert(people)
          .values({ id, name, email: email ?? null, updatedAt: at })
          .onConflictDoUpdate({ target: people.id, set })
          .run();
      },
      async email(id) {
        return hot.personEmail().get({ id })?.email ?? undefined;
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

    triggers: {
      async addHit(hit) {
        hot.insertHit({ ...hit, processedAt: null, outcome: null });
      },
      async listPendingHits(limit) {
        return db
          .select()
          .from(triggerHits)
          .where(isNull(triggerHits.processedAt))
          .orderBy(asc(triggerHits.createdAt), sql`rowid`)
          .limit(limit)
          .all()
          .map((r) => ({
            id: r.id,
            issueId: r.issueId,
            kind: r.kind,
            evidence: r.evidence as never,
            matched: r.matched as string[],
            createdAt: r.createdAt,
          }));
      },
      async markHitProcessed(id, outcome, at) {
        const result = db
          .update(triggerHits)
          .set({ processedAt: at, outcome })
          .where(and(eq(triggerHits.id, id), isNull(triggerHits.processedAt)))
          .run();
        return result.changes === 1;
      },
      async recordHitOutcome(id, outcome) {
        db.update(triggerHits).set({ outcome }).where(eq(triggerHits.id, id)).run();
      },
      async recordFiring(firing) {
        db.insert(triggerFirings).values(firing).run();
      },
      async lastFiring(issueId, kind) {
        return (
          db
            .select({ at: triggerFirings.firedAt })
            .from(triggerFirings)
            .where(and(eq(triggerFirings.issueId, issueId), eq(triggerFirings.kind, kind)))
            .orderBy(desc(triggerFirings.firedAt))
            .limit(1)
            .get()?.at ?? undefined
        );
      },
      async recordFeedback(feedback) {
        db.insert(triggerFeedback).values(feedback).run();
      },
      async precision(since) {
        const fired = db
          .select({ kind: triggerFirings.kind, n: sql<number>`count(*)` })
          .from(triggerFirings)
          .where(gte(triggerFirings.firedAt, since))
          .groupBy(triggerFirings.kind)
          .all();
        const wrong = new Map(
          db
            .select({ kind: triggerFeedback.kind, n: sql<number>`count(*)` })
            .from(triggerFeedback)
            .where(gte(triggerFeedback.at, since))
            .groupBy(triggerFeedback.kind)
            .all()
            .map((r) => [r.kind, r.n]),
        );
        return fired.map((r) => ({ kind: r.kind, fired: r.n, falsePositives: wrong.get(r.kind) ?? 0 }));
      },
      async addSystemicMember(escalationId, issueId, at) {
        db.insert(systemicMembers)
          .values({ escalationId, issueId, joinedAt: at })
          .onConflictDoNothing()
          .run();
      },
      async listSystemicMembers(escalationId) {
        return db
          .select({ issueId: systemicMembers.issueId })
          .from(systemicMembers)
          .where(eq(systemicMembers.escalationId, escalationId))
          .orderBy(asc(systemicMembers.joinedAt), sql`rowid`)
          .all()
          .map((r) => r.issueId);
      },
      async findActiveSystemicFor(issueIds) {
        if (issueIds.length === 0) return undefined;
        const row = db
          .select({ id: escalations.id })
          .from(systemicMembers)
          .innerJoin(escalations, eq(escalations.id, systemicMembers.escalationId))
          .where(
            and(inArray(systemicMembers.issueId, issueIds), inArray(escalations.status, ['open', 'claimed'])),
          )
          .limit(1)
          .get();
        return row?.id;
      },
    },

    csat: {
      async record(response) {
        return db.insert(csatResponses).values(response).onConflictDoNothing().run().changes === 1;
      },
      async forEscalation(escalationId) {
        return (
          db.select().from(csatResponses).where(eq(csatResponses.escalationId, escalationId)).get() ??
          undefined
        );
      },
    },

    knowledge: createKnowledgeRepository(db),
    analytics: createAnalyticsRepository(db),
    digests: createDigestRepository(db),
    retention: createRetentionRepository(db),
    erasure: createErasureRepository(db),
  };
}
