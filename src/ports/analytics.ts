import type { EscalationStatus, TriggerKind } from '../domain/escalation.js';
import type { PathType, RootCause } from '../domain/policy.js';

/**
 * One escalation row (one step on one level) with what the digest, the report and the CSV export
 * need: its issue's support channel and thread, its timings, its root cause and its CSAT answer.
 */
export interface EscalationFact {
  id: string;
  number: number;
  issueId: string;
  issueNumber: number;
  /** The support channel of the issue (where the customer wrote). */
  channel: string;
  threadId: string;
  customerId: string | null;
  type: PathType;
  path: string;
  /** 0-based level index and the level's name as it was when the escalation started. */
  level: number;
  levelName: string;
  priority: string;
  trigger: TriggerKind;
  status: EscalationStatus;
  /** Set on every step after the first of one escalation (escalate further, the ladder, bounce down). */
  parentId: string | null;
  /** The earlier escalation of the same issue this one repeats. */
  reescalationOf: string | null;
  pingPong: boolean;
  reasonCategory: RootCause | null;
  rootCause: RootCause | null;
  createdBy: string;
  createdAt: Date;
  ackDueAt: Date | null;
  resolveDueAt: Date | null;
  claimedBy: string | null;
  claimedAt: Date | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  bouncedAt: Date | null;
  /** 1–5 when the customer answered the CSAT prompt of this escalation. */
  csatScore: number | null;
  /** The one-line "why it fired" of the escalation (for systemic clusters, what they share). */
  evidenceSummary: string;
  /** Threads a systemic escalation stands for (0 for other triggers). */
  systemicThreads: number;
}

/** Issues opened in a period for one support channel and path, and how many were ever escalated. */
export interface IssueCount {
  channel: string;
  path: string;
  issues: number;
  escalatedIssues: number;
}

/**
 * Read-only queries for the digest and the export. Every query is a range read on an index over
 * the period's timestamps: what a report costs grows with the period, not with the whole history.
 */
export interface AnalyticsRepository {
  /** Escalations created in [from, to), oldest first. */
  listEscalationFacts(from: Date, to: Date): Promise<EscalationFact[]>;
  /** Issues opened in [from, to), grouped by support channel and path. */
  countIssues(from: Date, to: Date): Promise<IssueCount[]>;
  /** When Escalator saw its first issue (undefined before the first one): it was not watching before. */
  firstIssueOpenedAt(): Promise<Date | undefined>;
}

/** One sent digest: a period (ISO week such as `2026-W48`) and a scope (`all` or a path). */
export interface DigestRecord {
  id: string;
  period: string;
  scope: string;
  channels: string[];
  sentAt: Date;
}

export interface DigestRepository {
  /**
   * Records that the digest of a period is being sent. False when it already was (after a restart,
   * a missed run caught up, or a second replica): the caller then sends nothing.
   */
  claim(record: DigestRecord): Promise<boolean>;
  find(period: string, scope: string): Promise<DigestRecord | undefined>;
}
