import { and, asc, count, desc, eq, gte, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import { newId } from '../../domain/ids.js';
import type { Repositories } from '../../ports/store.js';
import { claimPlan, UNCLAIMED } from '../shared/outbox-claims.js';
import {
  escalationFromRow,
  escalationToRow,
  issueFromRow,
  messageFromRow,
  outboxEntryFromRow,
} from '../sqlite/row-mapping.js';
import { createPgAnalyticsRepository } from './analytics-repository.js';
import { createPgDigestRepository } from './digest-repository.js';
import { createPgErasureRepository } from './erasure-repository.js';
import { createPgKnowledgeRepository } from './knowledge-repository.js';
import type { PgDb } from './pg-db.js';
import { createPgRetentionRepository } from './retention-repository.js';
import * as schema from './schema.js';

/**
 * The repositories over PostgreSQL, behaving as src/db/sqlite/repositories.ts does (same order,
 * limits and answers; the reasons for each query are written there). `db` is the pool or, inside
 * `store.transaction`, the transaction. The rows have the same shape as SQLite's, so the SQLite
 * row mappers serve both.
 */
export function createPgRepositories(db: PgDb): Repositories {
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

  const firstOf = async <T>(rows: Promise<T[]>): Promise<T | undefined> => (await rows)[0];
  const changedOne = (result: { rowCount: number | null }) => result.rowCount === 1;
  const maxPlusOne = async (column: typeof issues.number | typeof escalations.number) =>
    ((await firstOf(db.select({ max: sql<number | null>`max(${column})` }).from(column.table)))?.max ?? 0) +
    1;

  /** The first customer words of each row of a query over `issues` (drizzle leaves its columns unqualified). */
  const firstCustomerTextOfIssue = sql<string | null>`(
    select m.text from messages m
    where m.issue_id = issues.id and m.author_role = 'customer' and m.deleted_at is null
    order by m.sent_at limit 1)`;

  return {
    issues: {
      async get(id) {
        const row = await firstOf(db.select().from(issues).where(eq(issues.id, id)));
        return row && issueFromRow(row);
      },
      async findByThread(channel, threadId) {
        const row = await firstOf(
          db
            .select()
            .from(issues)
            .where(and(eq(issues.channel, channel), eq(issues.threadId, threadId))),
        );
        return row && issueFromRow(row);
      },
      async listOpenInChannel(channel, limit) {
        const rows = await db
          .select()
          .from(issues)
          .where(and(eq(issues.channel, channel), eq(issues.status, 'open')))
          .orderBy(desc(issues.openedAt))
          .limit(limit);
        return rows.map(issueFromRow);
      },
      // max + 1 under SERIALIZABLE: two replicas taking the same number conflict and one retries.
      nextNumber: () => maxPlusOne(issues.number),
      async create(issue) {
        await db.insert(issues).values(issue);
      },
      async update(issue) {
        await db.update(issues).set(issue).where(eq(issues.id, issue.id));
      },
      async listFirstResponseDue(now, limit) {
        const rows = await db
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
          .limit(limit);
        return rows.map(issueFromRow);
      },
      async listResolveDue(now, limit) {
        const rows = await db
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
          .limit(limit);
        return rows.map(issueFromRow);
      },
      async listRecentOpenings(since, limit) {
        const rows = await db
          .select({
            id: issues.id,
            number: issues.number,
            customerId: issues.customerId,
            firstText: firstCustomerTextOfIssue,
          })
          .from(issues)
          .where(and(gte(issues.openedAt, since), ne(issues.status, 'resolved')))
          .orderBy(desc(issues.openedAt))
          .limit(limit);
        return rows.map(({ firstText, ...issue }) => ({ issue, firstText: firstText ?? '' }));
      },
    },

    messages: {
      async findByMessageId(channel, messageId) {
        const row = await firstOf(
          db
            .select()
            .from(messages)
            .where(and(eq(messages.channel, channel), eq(messages.messageId, messageId))),
        );
        return row && messageFromRow(row);
      },
      async listForIssue(issueId) {
        const rows = await db
          .select()
          .from(messages)
          .where(eq(messages.issueId, issueId))
          .orderBy(asc(messages.sentAt), asc(messages.messageId));
        return rows.map(messageFromRow);
      },
      async create(message) {
        await db.insert(messages).values(message);
      },
      async update(message) {
        const { id, text, editedAt, deletedAt } = message;
        // An edit brings text back, so retention must see the message again.
        await db
          .update(messages)
          .set({ text, editedAt, deletedAt, textPurgedAt: null })
          .where(eq(messages.id, id));
      },
      async firstCustomerText(issueId) {
        const row = await firstOf(
          db
            .select({ text: messages.text })
            .from(messages)
            .where(
              and(
                eq(messages.issueId, issueId),
                eq(messages.authorRole, 'customer'),
                isNull(messages.deletedAt),
              ),
            )
            .orderBy(asc(messages.sentAt))
            .limit(1),
        );
        return row?.text;
      },
      async listRecentCustomerTexts(issueId, limit) {
        const rows = await db
          .select({ text: messages.text })
          .from(messages)
          .where(
            and(
              eq(messages.issueId, issueId),
              eq(messages.authorRole, 'customer'),
              isNull(messages.deletedAt),
            ),
          )
          .orderBy(desc(messages.sentAt))
          .limit(limit);
        return rows.map((r) => r.text).reverse();
      },
    },

    escalations: {
      async get(id) {
        const row = await firstOf(db.select().from(escalations).where(eq(escalations.id, id)));
        return row && escalationFromRow(row);
      },
      async listForIssue(issueId) {
        const rows = await db
          .select()
          .from(escalations)
          .where(eq(escalations.issueId, issueId))
          .orderBy(asc(escalations.createdAt), asc(escalations.number));
        return rows.map(escalationFromRow);
      },
      async findActiveForIssue(issueId) {
        const row = await firstOf(
          db
            .select()
            .from(escalations)
            .where(and(eq(escalations.issueId, issueId), inArray(escalations.status, ['open', 'claimed']))),
        );
        return row && escalationFromRow(row);
      },
      nextNumber: () => maxPlusOne(escalations.number),
      async create(escalation) {
        await db.insert(escalations).values(escalationToRow(escalation));
      },
      async update(escalation, expectedVersion) {
        // A concurrent update of the row makes this one wait, then re-check the version on the
        // row as the other left it: exactly one of two same-version updates wins.
        const result = await db
          .update(escalations)
          .set(escalationToRow(escalation))
          .where(and(eq(escalations.id, escalation.id), eq(escalations.version, expectedVersion)));
        return changedOne(result);
      },
      async setCardRef(id, channel, messageId) {
        await db
          .update(escalations)
          .set({ cardChannel: channel, cardMessageId: messageId })
          .where(eq(escalations.id, id));
      },
      async listAckDue(now, limit) {
        const rows = await db
          .select()
          .from(escalations)
          .where(and(eq(escalations.status, 'open'), lte(escalations.ackDueAt, now)))
          .orderBy(asc(escalations.ackDueAt))
          .limit(limit);
        return rows.map(escalationFromRow);
      },
      async listResolveDue(now, limit) {
        const due = (status: string) =>
          db
            .select()
            .from(escalations)
            .where(and(eq(escalations.status, status), lte(escalations.resolveDueAt, now)))
            .orderBy(asc(escalations.resolveDueAt))
            .limit(limit);
        // Open ones first, then claimed ones, as the SQLite store lists them.
        const [open, claimed] = await Promise.all([due('open'), due('claimed')]);
        return [...open, ...claimed].slice(0, limit).map(escalationFromRow);
      },
      async listClaimedBy(actor, limit) {
        const rows = await db
          .select()
          .from(escalations)
          .where(and(eq(escalations.status, 'claimed'), eq(escalations.claimedBy, actor)))
          .orderBy(asc(escalations.resolveDueAt), asc(escalations.number))
          .limit(limit);
        return rows.map(escalationFromRow);
      },
      async listOpen(limit) {
        const rows = await db
          .select()
          .from(escalations)
          .where(eq(escalations.status, 'open'))
          .orderBy(asc(escalations.ackDueAt), asc(escalations.number))
          .limit(limit);
        return rows.map(escalationFromRow);
      },
    },

    events: {
      async append(event) {
        await db.insert(escalationEvents).values(event);
      },
      async listForEscalation(escalationId) {
        const rows = await db
          .select()
          .from(escalationEvents)
          .where(eq(escalationEvents.escalationId, escalationId))
          .orderBy(asc(escalationEvents.at), asc(escalationEvents.insertOrder));
        return rows.map(({ insertOrder: _order, ...row }) => ({
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
        // Not a sequence: max + 1 under SERIALIZABLE makes `seq` follow commit order, so an entry
        // never becomes visible behind a later one of its order key (a sequence number is taken
        // before commit, and a transaction holding a lower one may commit after a higher one).
        // Taken in the insert itself: two adds of one transaction sent together (Promise.all)
        // would otherwise both read the same max before either inserts.
        await db.insert(outbox).values({
          id,
          seq: sql`(select coalesce(max(${outbox.seq}), 0) + 1 from ${outbox})`,
          orderKey,
          kind: effect.kind,
          payload: effect,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: at,
          createdAt: at,
        });
        return id;
      },
      async listDue(now, limit) {
        const rows = await db
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
          .limit(limit);
        return rows.map(outboxEntryFromRow);
      },
      async claim(id, holder, until, now) {
        const claimable = {
          status: outbox.status,
          attempts: outbox.attempts,
          claimedBy: outbox.claimedBy,
          claimedUntil: outbox.claimedUntil,
        };
        const row = await firstOf(db.select(claimable).from(outbox).where(eq(outbox.id, id)));
        const plan = claimPlan(outbox, id, row, holder, now);
        if (!plan) return undefined;
        const taken = await db
          .update(outbox)
          .set({ claimedBy: holder, claimedUntil: until })
          .where(plan.where)
          .returning({ id: outbox.id });
        return taken.length === 1 ? plan.claim : undefined;
      },
      async markDelivered(id, at) {
        await db
          .update(outbox)
          .set({ status: 'delivered', deliveredAt: at, attempts: sql`${outbox.attempts} + 1`, ...UNCLAIMED })
          .where(eq(outbox.id, id));
      },
      async markRetry(id, error, nextAttemptAt) {
        await db
          .update(outbox)
          .set({ lastError: error, nextAttemptAt, attempts: sql`${outbox.attempts} + 1`, ...UNCLAIMED })
          .where(eq(outbox.id, id));
      },
      async markDead(id, error) {
        await db
          .update(outbox)
          .set({ status: 'dead', lastError: error, attempts: sql`${outbox.attempts} + 1`, ...UNCLAIMED })
          .where(eq(outbox.id, id));
      },
      async countPending() {
        const row = await firstOf(db.select({ n: count() }).from(outbox).where(eq(outbox.status, 'pending')));
        return row?.n ?? 0;
      },
    },

    processedEvents: {
      async remember(key, at) {
        return changedOne(await db.insert(processedEvents).values({ key, at }).onConflictDoNothing());
      },
    },

    people: {
      async save(id, name, at, email) {
        const set = email ? { name, email, updatedAt: at } : { name, updatedAt: at };
        await db
          .insert(people)
          .values({ id, name, email: email ?? null, updatedAt: at })
          .onConflictDoUpdate({ target: people.id, set });
      },
      async email(id) {
        const row = await firstOf(db.select({ email: people.email }).from(people).where(eq(people.id, id)));
        return row?.email ?? undefined;
      },
      async names(ids) {
        if (ids.length === 0) return new Map();
        const rows = await db.select().from(people).where(inArray(people.id, ids));
        return new Map(rows.map((r) => [r.id, r.name]));
      },
    },

    conversationRefs: {
      async save(channel, platform, data, at) {
        await db
          .insert(conversationRefs)
          .values({ channel, platform, data, updatedAt: at })
          .onConflictDoUpdate({ target: conversationRefs.channel, set: { data, updatedAt: at } });
      },
      async get(channel) {
        const row = await firstOf(
          db.select().from(conversationRefs).where(eq(conversationRefs.channel, channel)),
        );
        return row?.data as Record<string, unknown> | undefined;
      },
      async latest(platform) {
        const row = await firstOf(
          db
            .select()
            .from(conversationRefs)
            .where(eq(conversationRefs.platform, platform))
            .orderBy(desc(conversationRefs.updatedAt))
            .limit(1),
        );
        return row?.data as Record<string, unknown> | undefined;
      },
    },

    triggers: {
      async addHit(hit) {
        await db.insert(triggerHits).values({ ...hit, processedAt: null, outcome: null });
      },
      async listPendingHits(limit) {
        const rows = await db
          .select()
          .from(triggerHits)
          .where(isNull(triggerHits.processedAt))
          .orderBy(asc(triggerHits.createdAt), asc(triggerHits.insertOrder))
          .limit(limit);
        return rows.map((r) => ({
          id: r.id,
          issueId: r.issueId,
          kind: r.kind,
          evidence: r.evidence as never,
          matched: r.matched as string[],
          createdAt: r.createdAt,
        }));
      },
      async markHitProcessed(id, outcome, at) {
        const result = await db
          .update(triggerHits)
          .set({ processedAt: at, outcome })
          .where(and(eq(triggerHits.id, id), isNull(triggerHits.processedAt)));
        return changedOne(result);
      },
      async recordHitOutcome(id, outcome) {
        await db.update(triggerHits).set({ outcome }).where(eq(triggerHits.id, id));
      },
      async recordFiring(firing) {
        await db.insert(triggerFirings).values(firing);
      },
      async lastFiring(issueId, kind) {
        const row = await firstOf(
          db
            .select({ at: triggerFirings.firedAt })
            .from(triggerFirings)
            .where(and(eq(triggerFirings.issueId, issueId), eq(triggerFirings.kind, kind)))
            .orderBy(desc(triggerFirings.firedAt))
            .limit(1),
        );
        return row?.at;
      },
      async recordFeedback(feedback) {
        await db.insert(triggerFeedback).values(feedback);
      },
      async precision(since) {
        const [fired, wrong] = await Promise.all([
          db
            .select({ kind: triggerFirings.kind, n: count() })
            .from(triggerFirings)
            .where(gte(triggerFirings.firedAt, since))
            .groupBy(triggerFirings.kind),
          db
            .select({ kind: triggerFeedback.kind, n: count() })
            .from(triggerFeedback)
            .where(gte(triggerFeedback.at, since))
            .groupBy(triggerFeedback.kind),
        ]);
        const falsePositives = new Map(wrong.map((r) => [r.kind, r.n]));
        return fired.map((r) => ({
          kind: r.kind,
          fired: r.n,
          falsePositives: falsePositives.get(r.kind) ?? 0,
        }));
      },
      async addSystemicMember(escalationId, issueId, at) {
        await db
          .insert(systemicMembers)
          .values({ escalationId, issueId, joinedAt: at })
          .onConflictDoNothing();
      },
      async listSystemicMembers(escalationId) {
        const rows = await db
          .select({ issueId: systemicMembers.issueId })
          .from(systemicMembers)
          .where(eq(systemicMembers.escalationId, escalationId))
          .orderBy(asc(systemicMembers.joinedAt), asc(systemicMembers.insertOrder));
        return rows.map((r) => r.issueId);
      },
      async findActiveSystemicFor(issueIds) {
        if (issueIds.length === 0) return undefined;
        const row = await firstOf(
          db
            .select({ id: escalations.id })
            .from(systemicMembers)
            .innerJoin(escalations, eq(escalations.id, systemicMembers.escalationId))
            .where(
              and(
                inArray(systemicMembers.issueId, issueIds),
                inArray(escalations.status, ['open', 'claimed']),
              ),
            )
            .limit(1),
        );
        return row?.id;
      },
    },

    csat: {
      async record(response) {
        return changedOne(await db.insert(csatResponses).values(response).onConflictDoNothing());
      },
      async forEscalation(escalationId) {
        return firstOf(db.select().from(csatResponses).where(eq(csatResponses.escalationId, escalationId)));
      },
    },

    knowledge: createPgKnowledgeRepository(db),
    analytics: createPgAnalyticsRepository(db),
    digests: createPgDigestRepository(db),
    retention: createPgRetentionRepository(db),
    erasure: createPgErasureRepository(db),
  };
}
