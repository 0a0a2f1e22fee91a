import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const ms = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const issues = sqliteTable(
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
    /** SLA deadlines for the issue's priority, on its clock (business or calendar). */
    firstResponseDueAt: ms('first_response_due_at'),
    resolveDueAt: ms('resolve_due_at'),
    /** Set once the breach has been handled, so the checker never selects it again. */
    firstResponseBreachedAt: ms('first_response_breached_at'),
    resolveBreachedAt: ms('resolve_breached_at'),
    /** The last time an escalation of the issue was resolved: triggers re-arm after it. */
    lastResolvedAt: ms('last_resolved_at'),
  },
  (t) => [
    // The checker's SLA queries: only issues still waiting are in these indexes.
    index('issues_first_response_due_idx')
      .on(t.firstResponseDueAt)
      .where(sql`first_response_at is null and first_response_breached_at is null`),
    index('issues_resolve_due_idx')
      .on(t.resolveDueAt)
      .where(sql`status != 'resolved' and resolve_breached_at is null`),
    uniqueIndex('issues_thread_uq').on(t.channel, t.threadId),
    uniqueIndex('issues_number_uq').on(t.number),
    index('issues_channel_status_opened_idx').on(t.channel, t.status, t.openedAt),
    // The digest's issue counts: a range read over one period's openings.
    index('issues_opened_idx').on(t.openedAt),
  ],
);

export const messages = sqliteTable(
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
    /** Set when retention emptied `text` (metrics never read it; summaries of old threads lose it). */
    textPurgedAt: ms('text_purged_at'),
  },
  (t) => [
    uniqueIndex('messages_platform_uq').on(t.channel, t.messageId),
    index('messages_issue_sent_idx').on(t.issueId, t.sentAt),
    // The retention job's "text older than the cutoff": only messages still holding text are in it.
    index('messages_text_sent_idx').on(t.sentAt).where(sql`text_purged_at is null`),
  ],
);

export const escalations = sqliteTable(
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
    pathSnapshot: text('path_snapshot', { mode: 'json' }).notNull(),
    priority: text('priority').notNull(),
    trigger: text('trigger').notNull(),
    evidence: text('evidence', { mode: 'json' }).notNull(),
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
    /** Why the status last changed when no person did it ("escalated to L3 after 30m unclaimed"). */
    statusNote: text('status_note'),
    /** The narrative summary an AI endpoint wrote, when one is configured and answered in time. */
    aiSummary: text('ai_summary'),
    /** The earlier escalation of the same issue this one repeats (resolved or bounced before). */
    reescalationOf: text('reescalation_of'),
    /** Bounced back twice between the same two levels: flagged on the card. */
    pingPong: integer('ping_pong', { mode: 'boolean' }).notNull().default(false),
    cardChannel: text('card_channel'),
    cardMessageId: text('card_message_id'),
    /** Resolved escalations like this one, found when it opened (see src/db/shared/similar-past-json.ts). */
    similarPast: text('similar_past', { mode: 'json' }),
    updatedAt: ms('updated_at').notNull(),
    /** Set when retention removed the people's words (reason, notes, AI summary, quoted evidence). */
    textPurgedAt: ms('text_purged_at'),
  },
  (t) => [
    uniqueIndex('escalations_number_uq').on(t.number),
    index('escalations_issue_idx').on(t.issueId, t.createdAt),
    // At most one open or claimed escalation per issue, enforced by the database.
    uniqueIndex('escalations_one_active_uq').on(t.issueId).where(sql`status in ('open', 'claimed')`),
    // The checker's "unclaimed past ackWithin" and "unresolved past resolveWithin" queries.
    index('escalations_ack_due_idx').on(t.status, t.ackDueAt),
    index('escalations_resolve_due_idx').on(t.status, t.resolveDueAt),
    // The digest and the export read one period's escalations: a range read, never the history.
    index('escalations_created_idx').on(t.createdAt),
    // The retention job's "finished long ago and still holding words".
    index('escalations_text_updated_idx').on(t.updatedAt).where(sql`text_purged_at is null`),
  ],
);

export const escalationEvents = sqliteTable(
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
  },
  (t) => [index('escalation_events_escalation_idx').on(t.escalationId, t.at)],
);

export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    seq: integer('seq').notNull(),
    orderKey: text('order_key').notNull(),
    kind: text('kind').notNull(),
    payload: text('payload', { mode: 'json' }).notNull(),
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
    // Retention deletes delivered and dead entries (rendered cards quote customers) after the cutoff.
    index('outbox_settled_created_idx').on(t.createdAt).where(sql`status != 'pending'`),
  ],
);

/**
 * Scheduled runs (checker ticks, digests, the daily purge) taken by one replica: node-cron's run
 * coordinator asks for a run's key (job and slot time) and only the first replica to claim it runs.
 */
export const runLeases = sqliteTable(
  'run_leases',
  {
    key: text('key').primaryKey(),
    holder: text('holder').notNull(),
    expiresAt: ms('expires_at').notNull(),
  },
  (t) => [index('run_leases_expires_idx').on(t.expiresAt)],
);

export const processedEvents = sqliteTable('processed_events', {
  key: text('key').primaryKey(),
  at: ms('at').notNull(),
});

/** Display names of people seen on any platform, so cards can say "Alice" instead of an id. */
export const people = sqliteTable('people', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** For high-value accounts matched by e-mail domain. */
  email: text('email'),
  updatedAt: ms('updated_at').notNull(),
});

/**
 * How to reach a channel proactively (Teams needs the service URL and tenant of a conversation
 * it has seen). Opaque to the core: each adapter stores what it needs in `data`.
 */
export const conversationRefs = sqliteTable(
  'conversation_refs',
  {
    channel: text('channel').primaryKey(),
    platform: text('platform').notNull(),
    data: text('data', { mode: 'json' }).notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [index('conversation_refs_platform_idx').on(t.platform, t.updatedAt)],
);

/**
 * What a content trigger found in a customer message, waiting for the checker's next tick (which
 * escalates, or adds the evidence to the escalation already open).
 */
export const triggerHits = sqliteTable(
  'trigger_hits',
  {
    id: text('id').primaryKey(),
    issueId: text('issue_id')
      .notNull()
      .references(() => issues.id),
    kind: text('kind').notNull(),
    evidence: text('evidence', { mode: 'json' }).notNull(),
    matched: text('matched', { mode: 'json' }).notNull(),
    createdAt: ms('created_at').notNull(),
    processedAt: ms('processed_at'),
    outcome: text('outcome'),
  },
  (t) => [
    index('trigger_hits_pending_idx').on(t.createdAt).where(sql`processed_at is null`),
    // Retention deletes handled hits (their evidence quotes the customer) after the cutoff.
    index('trigger_hits_processed_idx').on(t.createdAt).where(sql`processed_at is not null`),
  ],
);

/** Each trigger fires once per issue and kind until the issue is resolved and it happens again. */
export const triggerFirings = sqliteTable(
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

/** "Not an escalation" verdicts: the precision of each trigger as seen in production. */
export const triggerFeedback = sqliteTable(
  'trigger_feedback',
  {
    id: text('id').primaryKey(),
    escalationId: text('escalation_id')
      .notNull()
      .references(() => escalations.id),
    kind: text('kind').notNull(),
    verdict: text('verdict').notNull(),
    reason: text('reason'),
    matched: text('matched', { mode: 'json' }).notNull(),
    actor: text('actor').notNull(),
    at: ms('at').notNull(),
  },
  (t) => [index('trigger_feedback_kind_idx').on(t.kind, t.at)],
);

/** The threads a systemic escalation stands for (its card lists and links them all). */
export const systemicMembers = sqliteTable(
  'systemic_members',
  {
    escalationId: text('escalation_id')
      .notNull()
      .references(() => escalations.id),
    issueId: text('issue_id')
      .notNull()
      .references(() => issues.id),
    joinedAt: ms('joined_at').notNull(),
  },
  (t) => [
    uniqueIndex('systemic_members_uq').on(t.escalationId, t.issueId),
    index('systemic_members_issue_idx').on(t.issueId),
  ],
);

/**
 * One row per resolved escalation: what the next similar thread is compared with ("before you
 * escalate", the card's similar past escalations) and the reusable answers `knowledge:export` writes.
 * A snapshot, so a search reads one table.
 */
export const knowledgeEntries = sqliteTable(
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
    /** The customer's first words and the agent's reason (customer words: purged by retention). */
    problem: text('problem').notNull(),
    resolutionNote: text('resolution_note').notNull(),
    rootCause: text('root_cause').notNull(),
    answer: text('answer'),
    resolvedBy: text('resolved_by').notNull(),
    resolvedAt: ms('resolved_at').notNull(),
  },
  (t) => [
    uniqueIndex('knowledge_entries_escalation_uq').on(t.escalationId),
    // Suggestions read the newest resolutions; the digest and the export read answers by period.
    index('knowledge_entries_resolved_idx').on(t.resolvedAt),
    index('knowledge_entries_answer_idx').on(t.resolvedAt).where(sql`answer is not null`),
  ],
);

/** Issues closed by "This solved it" instead of being escalated (deflected escalations). */
export const deflections = sqliteTable(
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

/** Customer satisfaction after an escalation: one answer per escalation. */
export const csatResponses = sqliteTable(
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

/**
 * Digests sent, one row per period and scope: the unique index makes "send it once" hold across
 * restarts, catch-up runs and a second replica.
 */
export const digests = sqliteTable(
  'digests',
  {
    id: text('id').primaryKey(),
    /** `2026-W48` for an ISO week. */
    period: text('period').notNull(),
    /** `all` or a path name. */
    scope: text('scope').notNull(),
    channels: text('channels', { mode: 'json' }).notNull(),
    sentAt: ms('sent_at').notNull(),
  },
  (t) => [uniqueIndex('digests_period_scope_uq').on(t.period, t.scope)],
);

/**
 * The simulated local workspace (`adapters/local`): the messages people post as personas and what
 * Escalator delivers there (cards, thread notes, CSAT prompts, private replies). Kept beside the
 * rest so a restart keeps the workspace's history.
 */
export const localMessages = sqliteTable(
  'local_messages',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull(),
    /** The root message's id for a reply; null for a root. */
    threadId: text('thread_id'),
    /** A persona's id; null for Escalator itself. */
    authorId: text('author_id'),
    /** `text`, `card`, `note`, `csat` or `ephemeral`. */
    kind: text('kind').notNull(),
    text: text('text'),
    /** The neutral card as delivered (with its chart drawn as `chartPng`). */
    card: text('card', { mode: 'json' }),
    /** What a CSAT prompt asks about: `{ escalationId, number }`. */
    csat: text('csat', { mode: 'json' }),
    /** For an ephemeral: the only persona who sees it. */
    visibleTo: text('visible_to'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [
    index('local_messages_channel_thread_idx').on(t.channel, t.threadId, t.createdAt),
    // The daily retention purge reads the oldest first.
    index('local_messages_updated_idx').on(t.updatedAt),
  ],
);
