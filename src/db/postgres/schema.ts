import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * The PostgreSQL twin of src/db/sqlite/schema.ts: same tables, column names, indexes and constraints,
 * so the row mappers hand the core the same values on both databases. Comments on what a column or
 * index is for live there.
 */

const ms = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * JSON kept as text, as SQLite keeps it: a value reads back exactly as written (jsonb would reorder
 * keys and refuse `\u0000`), and queries that need a field cast it (`(col)::jsonb ->> 'summary'`).
 */
const jsonText = customType<{ data: unknown; driverData: string }>({
  dataType: () => 'text',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => JSON.parse(value),
});

/**
 * The order rows were written in, where SQLite reads `rowid`: events, hits and messages written in
 * the same millisecond keep their order (ids are random within a millisecond).
 */
const insertOrder = () => bigint('insert_order', { mode: 'number' }).generatedAlwaysAsIdentity();

export const issues = pgTable(
  'issues',
  {
    id: text('id').primaryKey(),
    number: integer('number').notNull(),
    channel: text('channel').notNull(),
    threadId: text('thread_id').notNull(),
    path: text('path').notNull(),
    priority: text('priority').notNull(),
    status: text('status').notNull(),
    customerId: text('customer_id'),
    openedBy: text('opened_by').notNull(),
    openedAt: ms('opened_at').notNull(),
    firstResponseAt: ms('first_response_at'),
    lastCustomerMessageAt: ms('last_customer_message_at'),
    messageCount: integer('message_count').notNull(),
    updatedAt: ms('updated_at').notNull(),
    firstResponseDueAt: ms('first_response_due_at'),
    resolveDueAt: ms('resolve_due_at'),
    firstResponseBreachedAt: ms('first_response_breached_at'),
    resolveBreachedAt: ms('resolve_breached_at'),
    lastResolvedAt: ms('last_resolved_at'),
  },
  (t) => [
    index('issues_first_response_due_idx')
      .on(t.firstResponseDueAt)
      .where(sql`first_response_at is null and first_response_breached_at is null`),
    index('issues_resolve_due_idx')
      .on(t.resolveDueAt)
      .where(sql`status != 'resolved' and resolve_breached_at is null`),
    uniqueIndex('issues_thread_uq').on(t.channel, t.threadId),
    uniqueIndex('issues_number_uq').on(t.number),
    index('issues_channel_status_opened_idx').on(t.channel, t.status, t.openedAt),
    index('issues_opened_idx').on(t.openedAt),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: text('id').primaryKey(),
    issueId: text('issue_id')
      .notNull()
      .references(() => issues.id),
    channel: text('channel').notNull(),
    messageId: text('message_id').notNull(),
    authorId: text('author_id').notNull(),
    authorRole: text('author_role').notNull(),
    text: text('text').notNull(),
    sentAt: ms('sent_at').notNull(),
    editedAt: ms('edited_at'),
    deletedAt: ms('deleted_at'),
    textPurgedAt: ms('text_purged_at'),
  },
  (t) => [
    uniqueIndex('messages_platform_uq').on(t.channel, t.messageId),
    index('messages_issue_sent_idx').on(t.issueId, t.sentAt),
    index('messages_text_sent_idx').on(t.sentAt).where(sql`text_purged_at is null`),
  ],
);

export const escalations = pgTable(
  'escalations',
  {
    id: text('id').primaryKey(),
    number: integer('number').notNull(),
    issueId: text('issue_id')
      .notNull()
      .references(() => issues.id),
    status: text('status').notNull(),
    version: integer('version').notNull(),
    type: text('type').notNull(),
    path: text('path').notNull(),
    level: integer('level').notNull(),
    pathSnapshot: jsonText('path_snapshot').notNull(),
    priority: text('priority').notNull(),
    trigger: text('trigger').notNull(),
    evidence: jsonText('evidence').notNull(),
    reason: text('reason').notNull(),
    reasonCategory: text('reason_category'),
    parentId: text('parent_id'),
    createdBy: text('created_by').notNull(),
    createdAt: ms('created_at').notNull(),
    ackDueAt: ms('ack_due_at'),
    resolveDueAt: ms('resolve_due_at'),
    claimedBy: text('claimed_by'),
    claimedAt: ms('claimed_at'),
    resolvedBy: text('resolved_by'),
    resolvedAt: ms('resolved_at'),
    resolutionNote: text('resolution_note'),
    rootCause: text('root_cause'),
    bouncedBy: text('bounced_by'),
    bouncedAt: ms('bounced_at'),
    bounceReason: text('bounce_reason'),
    supersededBy: text('superseded_by'),
    statusNote: text('status_note'),
    aiSummary: text('ai_summary'),
    reescalationOf: text('reescalation_of'),
    pingPong: boolean('ping_pong').notNull().default(false),
    cardChannel: text('card_channel'),
    cardMessageId: text('card_message_id'),
    similarPast: jsonText('similar_past'),
    updatedAt: ms('updated_at').notNull(),
    textPurgedAt: ms('text_purged_at'),
  },
  (t) => [
    uniqueIndex('escalations_number_uq').on(t.number),
    index('escalations_issue_idx').on(t.issueId, t.createdAt),
    uniqueIndex('escalations_one_active_uq').on(t.issueId).where(sql`status in ('open', 'claimed')`),
    index('escalations_ack_due_idx').on(t.status, t.ackDueAt),
    index('escalations_resolve_due_idx').on(t.status, t.resolveDueAt),
    index('escalations_created_idx').on(t.createdAt),
    index('escalations_text_updated_idx').on(t.updatedAt).where(sql`text_purged_at is null`),
  ],
);

export const escalationEvents = pgTable(
  'escalation_events',
  {
    id: text('id').primaryKey(),
    escalationId: text('escalation_id')
      .notNull()
      .references(() => escalations.id),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    actor: text('actor').notNull(),
    source: text('source').notNull(),
    detail: text('detail'),
    at: ms('at').notNull(),
    insertOrder: insertOrder(),
  },
  (t) => [index('escalation_events_escalation_idx').on(t.escalationId, t.at)],
);

export const outbox = pgTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    seq: integer('seq').notNull(),
    orderKey: text('order_key').notNull(),
    kind: text('kind').notNull(),
    payload: jsonText('payload').notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: ms('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: ms('created_at').notNull(),
    deliveredAt: ms('delivered_at'),
    /**
     * The replica delivering the entry right now, and until when its claim holds: with several
     * replicas on one database each entry is sent by one, and a replica that dies mid-call
     * leaves its claim to expire instead of holding the entry forever.
     */
    claimedBy: text('claimed_by'),
    claimedUntil: ms('claimed_until'),
  },
  (t) => [
    uniqueIndex('outbox_seq_uq').on(t.seq),
    index('outbox_pending_idx').on(t.status, t.nextAttemptAt).where(sql`status = 'pending'`),
    index('outbox_order_key_idx').on(t.orderKey, t.status, t.seq),
    index('outbox_settled_created_idx').on(t.createdAt).where(sql`status != 'pending'`),
  ],
);

/**
 * Scheduled runs (checker ticks, digests, the daily purge) taken by one replica: node-cron's run
 * coordinator asks for a run's key (job and slot time) and only the first replica to claim it runs.
 */
export const runLeases = pgTable(
  'run_leases',
  {
    key: text('key').primaryKey(),
    holder: text('holder').notNull(),
    expiresAt: ms('expires_at').notNull(),
  },
  (t) => [index('run_leases_expires_idx').on(t.expiresAt)],
);

export const processedEvents = pgTable('processed_events', {
  key: text('key').primaryKey(),
  at: ms('at').notNull(),
});

export const people = pgTable('people', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email'),
  updatedAt: ms('updated_at').notNull(),
});

export const conversationRefs = pgTable(
  'conversation_refs',
  {
    channel: text('channel').primaryKey(),
    platform: text('platform').notNull(),
    data: jsonText('data').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [index('conversation_refs_platform_idx').on(t.platform, t.updatedAt)],
);

export const triggerHits = pgTable(
  'trigger_hits',
  {
    id: text('id').primaryKey(),
    issueId: text('issue_id')
      .notNull()
      .references(() => issues.id),
    kind: text('kind').notNull(),
    evidence: jsonText('evidence').notNull(),
    matched: jsonText('matched').notNull(),
    createdAt: ms('created_at').notNull(),
    processedAt: ms('processed_at'),
    outcome: text('outcome'),
    insertOrder: insertOrder(),
  },
  (t) => [
    index('trigger_hits_pending_idx').on(t.createdAt).where(sql`processed_at is null`),
    index('trigger_hits_processed_idx').on(t.createdAt).where(sql`processed_at is not null`),
  ],
);

export const triggerFirings = pgTable(
  'trigger_firings',
  {
    id: text('id').primaryKey(),
    issueId: text('issue_id')
      .notNull()
      .references(() => issues.id),
    kind: text('kind').notNull(),
    escalationId: text('escalation_id'),
    firedAt: ms('fired_at').notNull(),
  },
  (t) => [index('trigger_firings_issue_kind_idx').on(t.issueId, t.kind, t.firedAt)],
);

export const triggerFeedback = pgTable(
  'trigger_feedback',
  {
    id: text('id').primaryKey(),
    escalationId: text('escalation_id')
      .notNull()
      .references(() => escalations.id),
    kind: text('kind').notNull(),
    verdict: text('verdict').notNull(),
    reason: text('reason'),
    matched: jsonText('matched').notNull(),
    actor: text('actor').notNull(),
    at: ms('at').notNull(),
  },
  (t) => [index('trigger_feedback_kind_idx').on(t.kind, t.at)],
);

export const systemicMembers = pgTable(
  'systemic_members',
  {
    escalationId: text('escalation_id')
      .notNull()
      .references(() => escalations.id),
    issueId: text('issue_id')
      .notNull()
      .references(() => issues.id),
    joinedAt: ms('joined_at').notNull(),
    insertOrder: insertOrder(),
  },
  (t) => [
    uniqueIndex('systemic_members_uq').on(t.escalationId, t.issueId),
    index('systemic_members_issue_idx').on(t.issueId),
  ],
);

export const knowledgeEntries = pgTable(
  'knowledge_entries',
  {
    id: text('id').primaryKey(),
    escalationId: text('escalation_id')
      .notNull()
      .references(() => escalations.id),
    escalationNumber: integer('escalation_number').notNull(),
    issueId: text('issue_id')
      .notNull()
      .references(() => issues.id),
    issueNumber: integer('issue_number').notNull(),
    channel: text('channel').notNull(),
    threadId: text('thread_id').notNull(),
    path: text('path').notNull(),
    problem: text('problem').notNull(),
    resolutionNote: text('resolution_note').notNull(),
    rootCause: text('root_cause').notNull(),
    answer: text('answer'),
    resolvedBy: text('resolved_by').notNull(),
    resolvedAt: ms('resolved_at').notNull(),
  },
  (t) => [
    uniqueIndex('knowledge_entries_escalation_uq').on(t.escalationId),
    index('knowledge_entries_resolved_idx').on(t.resolvedAt),
    index('knowledge_entries_answer_idx').on(t.resolvedAt).where(sql`answer is not null`),
  ],
);

export const deflections = pgTable(
  'deflections',
  {
    id: text('id').primaryKey(),
    issueId: text('issue_id')
      .notNull()
      .references(() => issues.id),
    entryId: text('entry_id')
      .notNull()
      .references(() => knowledgeEntries.id),
    path: text('path').notNull(),
    actor: text('actor').notNull(),
    source: text('source').notNull(),
    at: ms('at').notNull(),
  },
  (t) => [index('deflections_at_idx').on(t.at)],
);

export const csatResponses = pgTable(
  'csat_responses',
  {
    id: text('id').primaryKey(),
    escalationId: text('escalation_id')
      .notNull()
      .references(() => escalations.id),
    issueId: text('issue_id')
      .notNull()
      .references(() => issues.id),
    score: integer('score').notNull(),
    respondent: text('respondent').notNull(),
    at: ms('at').notNull(),
  },
  (t) => [
    uniqueIndex('csat_responses_escalation_uq').on(t.escalationId),
    index('csat_responses_at_idx').on(t.at),
  ],
);

export const digests = pgTable(
  'digests',
  {
    id: text('id').primaryKey(),
    period: text('period').notNull(),
    scope: text('scope').notNull(),
    channels: jsonText('channels').notNull(),
    sentAt: ms('sent_at').notNull(),
  },
  (t) => [uniqueIndex('digests_period_scope_uq').on(t.period, t.scope)],
);

export const localMessages = pgTable(
  'local_messages',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull(),
    threadId: text('thread_id'),
    authorId: text('author_id'),
    kind: text('kind').notNull(),
    text: text('text'),
    card: jsonText('card'),
    csat: jsonText('csat'),
    visibleTo: text('visible_to'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
    insertOrder: insertOrder(),
  },
  (t) => [
    index('local_messages_channel_thread_idx').on(t.channel, t.threadId, t.createdAt),
    index('local_messages_updated_idx').on(t.updatedAt),
  ],
);
