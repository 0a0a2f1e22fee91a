import type { ChangeSource, Escalation, EscalationStatus } from '../domain/escalation.js';
import type { Issue, ThreadMessage } from '../domain/issue.js';
import type { Deflection, KnowledgeEntry } from '../domain/knowledge.js';
import type { AnalyticsRepository, DigestRepository } from './analytics.js';
import type { DashboardRepository } from './dashboard.js';
import type { ErasureRepository, RetentionRepository } from './data-protection.js';
import type { LocalWorkspaceRepository } from './local-workspace.js';
import type { Effect, OutboxEntry } from './outbox.js';

/**
 * Repositories, one per table, with the same verbs everywhere (get, find, list, create, update).
 * All methods return promises even on SQLite so a PostgreSQL store can arrive without touching the
 * core; SQL and dialect details stay in `src/db`.
 */
export interface IssueRepository {
  get(id: string): Promise<Issue | undefined>;
  findByThread(channel: string, threadId: string): Promise<Issue | undefined>;
  /** Issues of a support channel that are open and not escalated, newest first, for the thread picker. */
  listOpenInChannel(channel: string, limit: number): Promise<Issue[]>;
  nextNumber(): Promise<number>;
  create(issue: Issue): Promise<void>;
  update(issue: Issue): Promise<void>;
  /** Issues still waiting for a first staff answer whose deadline has passed (the checker's query). */
  listFirstResponseDue(now: Date, limit: number): Promise<Issue[]>;
  /** Unresolved issues past their resolution deadline, not yet handled. */
  listResolveDue(now: Date, limit: number): Promise<Issue[]>;
  /** Unresolved issues opened since `since`, newest first, with their first customer words (systemic detection). */
  listRecentOpenings(since: Date, limit: number): Promise<RecentOpening[]>;
}

/**
 * What the systemic check compares a new thread with: only what it reads, since it reads hundreds
 * of these for every new thread.
 */
export interface RecentOpening {
  issue: Pick<Issue, 'id' | 'number' | 'customerId'>;
  firstText: string;
}

export interface MessageRepository {
  findByMessageId(channel: string, messageId: string): Promise<ThreadMessage | undefined>;
  /** Messages of an issue, oldest first, deleted ones included (callers decide). */
  listForIssue(issueId: string): Promise<ThreadMessage[]>;
  create(message: ThreadMessage & { channel: string }): Promise<void>;
  update(message: ThreadMessage): Promise<void>;
  /** The first (not deleted) customer message of an issue, for previews. */
  firstCustomerText(issueId: string): Promise<string | undefined>;
  /** The latest customer messages of an issue (not deleted), oldest first. */
  listRecentCustomerTexts(issueId: string, limit: number): Promise<string[]>;
}

export interface EscalationRepository {
  get(id: string): Promise<Escalation | undefined>;
  /** The escalations of an issue, oldest first. */
  listForIssue(issueId: string): Promise<Escalation[]>;
  /** The open or claimed escalation of an issue, if any (there is at most one). */
  findActiveForIssue(issueId: string): Promise<Escalation | undefined>;
  nextNumber(): Promise<number>;
  create(escalation: Escalation): Promise<void>;
  /**
   * Saves `escalation` only if the stored row still has `expectedVersion`; false means someone
   * else changed it first and the caller lost the race.
   */
  update(escalation: Escalation, expectedVersion: number): Promise<boolean>;
  /** Records where the card was posted, once the outbox delivered it. */
  setCardRef(id: string, channel: string, messageId: string): Promise<void>;
  /** Open escalations whose ack deadline has passed: the ladder's next step. */
  listAckDue(now: Date, limit: number): Promise<Escalation[]>;
  /** Open or claimed escalations past their resolve deadline. */
  listResolveDue(now: Date, limit: number): Promise<Escalation[]>;
  /** Claimed escalations of one person, soonest resolve deadline first ("My escalations"). */
  listClaimedBy(actor: string, limit: number): Promise<Escalation[]>;
  /** Open (unclaimed) escalations, soonest claim deadline first; callers filter by channel. */
  listOpen(limit: number): Promise<Escalation[]>;
}

export interface EscalationEvent {
  id: string;
  escalationId: string;
  action: string;
  fromStatus: EscalationStatus | null;
  toStatus: EscalationStatus;
  actor: string;
  source: ChangeSource;
  detail: string | null;
  at: Date;
}

export interface EscalationEventRepository {
  append(event: EscalationEvent): Promise<void>;
  listForEscalation(escalationId: string): Promise<EscalationEvent[]>;
}

export interface OutboxRepository {
  add(orderKey: string, effect: Effect, at: Date): Promise<string>;
  /**
   * Pending entries whose time has come and that are first in line for their order key, oldest first.
   */
  listDue(now: Date, limit: number): Promise<OutboxEntry[]>;
  /**
   * Takes a listed entry for delivery by `holder` until `until`, so that with several replicas on
   * one database each entry is sent by one of them. Undefined when the entry is no longer pending
   * or another holder's claim has not expired at `now`. Marking the entry ends the claim.
   */
  claim(id: string, holder: string, until: Date, now: Date): Promise<OutboxClaim | undefined>;
  markDelivered(id: string, at: Date): Promise<void>;
  markRetry(id: string, error: string, nextAttemptAt: Date): Promise<void>;
  markDead(id: string, error: string): Promise<void>;
  countPending(): Promise<number>;
}

/**
 * Runs of the scheduled jobs, claimed by key (job and slot time) so one replica runs each one.
 * Leases that expired a week ago are pruned as new ones are taken.
 */
export interface RunLeaseRepository {
  /** True when `holder` may run `key`: nobody claimed it yet, or the last claim expired at `now`. */
  claim(key: string, holder: string, until: Date, now: Date): Promise<boolean>;
}

export interface OutboxClaim {
  /**
   * The entry was tried before, or claimed by someone who never marked it (a replica that died or
   * stalled mid-call): the platform may already have it, so look before posting again.
   */
  maybeSent: boolean;
}

export interface ProcessedEventRepository {
  /** Remembers an inbound event key; false when it was seen before (a retry or a duplicate). */
  remember(key: string, at: Date): Promise<boolean>;
}

export interface PeopleRepository {
  /** Records (or refreshes) a person's display name (and e-mail, when known) as a platform reported it. */
  save(id: string, name: string, at: Date, email?: string): Promise<void>;
  email(id: string): Promise<string | undefined>;
  /** Names of the given people; unknown ids are left out. */
  names(ids: string[]): Promise<Map<string, string>>;
}

export interface ConversationRefRepository {
  save(channel: string, platform: string, data: Record<string, unknown>, at: Date): Promise<void>;
  get(channel: string): Promise<Record<string, unknown> | undefined>;
  /** The most recently seen reference of a platform, for channels not seen yet. */
  latest(platform: string): Promise<Record<string, unknown> | undefined>;
}

export interface PendingTriggerHit {
  id: string;
  issueId: string;
  kind: string;
  evidence: TriggerEvidence;
  matched: string[];
  createdAt: Date;
}

/** Evidence of a trigger hit; `cluster` lists the issues of a systemic hit. */
export interface TriggerEvidence {
  summary: string;
  details: string[];
  cluster?: string[];
}

export interface TriggerRepository {
  addHit(hit: PendingTriggerHit): Promise<void>;
  /** Hits the checker has not handled yet, oldest first. */
  listPendingHits(limit: number): Promise<PendingTriggerHit[]>;
  /** Claims a pending hit for processing; false when another tick already took it. */
  markHitProcessed(id: string, outcome: string, at: Date): Promise<boolean>;
  recordHitOutcome(id: string, outcome: string): Promise<void>;
  recordFiring(firing: {
    id: string;
    issueId: string;
    kind: string;
    escalationId: string | null;
    firedAt: Date;
  }): Promise<void>;
  lastFiring(issueId: string, kind: string): Promise<Date | undefined>;
  recordFeedback(feedback: {
    id: string;
    escalationId: string;
    kind: string;
    verdict: 'false_positive';
    reason: string | null;
    matched: string[];
    actor: string;
    at: Date;
  }): Promise<void>;
  /** Counts of "Not an escalation" verdicts and of firings per trigger kind since `since`. */
  precision(since: Date): Promise<Array<{ kind: string; fired: number; falsePositives: number }>>;
  addSystemicMember(escalationId: string, issueId: string, at: Date): Promise<void>;
  listSystemicMembers(escalationId: string): Promise<string[]>;
  /** The active systemic escalation one of these issues belongs to, if any. */
  findActiveSystemicFor(issueIds: string[]): Promise<string | undefined>;
}

export interface CsatResponse {
  id: string;
  escalationId: string;
  issueId: string;
  /** 1 (very unhappy) to 5 (very happy). */
  score: number;
  respondent: string;
  at: Date;
}

export interface CsatRepository {
  /** Stores the answer; false when the escalation already has one (answers count once). */
  record(response: CsatResponse): Promise<boolean>;
  forEscalation(escalationId: string): Promise<CsatResponse | undefined>;
}

/**
 * Past resolutions (one entry per resolved escalation) and the escalations they spared: "before you
 * escalate" suggestions, the card's "similar past escalations", the knowledge export and the digest.
 */
export interface KnowledgeRepository {
  /** Keeps a resolution; a second entry for the same escalation replaces the first. */
  save(entry: KnowledgeEntry): Promise<void>;
  get(id: string): Promise<KnowledgeEntry | undefined>;
  /** Entries resolved at or after `since`, newest first (the candidates for suggestions). */
  listResolvedSince(since: Date, limit: number): Promise<KnowledgeEntry[]>;
  /** Entries with a reusable answer resolved in [from, to), oldest first; all of them without a period. */
  listAnswers(period?: { from: Date; to: Date }): Promise<KnowledgeEntry[]>;
  recordDeflection(deflection: Deflection): Promise<void>;
  /** "This solved it" clicks in [from, to), oldest first. */
  listDeflections(from: Date, to: Date): Promise<Deflection[]>;
}

export interface Repositories {
  issues: IssueRepository;
  messages: MessageRepository;
  escalations: EscalationRepository;
  events: EscalationEventRepository;
  outbox: OutboxRepository;
  processedEvents: ProcessedEventRepository;
  people: PeopleRepository;
  conversationRefs: ConversationRefRepository;
  triggers: TriggerRepository;
  csat: CsatRepository;
  knowledge: KnowledgeRepository;
  /** Read-only period queries for the digest and the export. */
  analytics: AnalyticsRepository;
  digests: DigestRepository;
  /** The daily purge of old text (messages, escalations' words, settled outbox entries). */
  retention: RetentionRepository;
  /** `npm run erase`: a person's messages, directory entry and ids. */
  erasure: ErasureRepository;
}

export interface Store extends Repositories {
  /** The simulated local workspace's messages (`adapters/local`); never part of a core transaction. */
  localWorkspace: LocalWorkspaceRepository;
  /**
   * Runs `work` as one transaction: all of its writes (state, audit, outbox) land together or not
   * at all. Transactions never interleave.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Who runs each scheduled run when several replicas share the database (outside transactions). */
  runLeases: RunLeaseRepository;
  /** Read-only queries of `/dashboard` (outside transactions: it only reads). */
  dashboard: DashboardRepository;
  /** True when the database answers and the migrations are applied (for `/readyz`). */
  isReady(): Promise<boolean>;
  /** `isReady()` with each check and, for a failed one, why. */
  readiness(): Promise<Readiness>;
  /** Cheap counts read when `/metrics` is scraped (index-only reads, never the tables' rows). */
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}

export interface Readiness {
  ready: boolean;
  checks: Record<'database' | 'migrations', ReadinessCheck>;
}

export interface ReadinessCheck {
  ok: boolean;
  /** What failed and what to do, when `ok` is false. */
  detail?: string;
}

export interface StoreStats {
  /** Every status, zero included. */
  escalationsByStatus: Record<EscalationStatus, number>;
  /** Outbox entries not delivered yet (the backlog), retries waiting for their time included. */
  outboxPending: number;
}
