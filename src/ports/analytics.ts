import type { Escalation } from '../domain/escalation.js';

/** The escalation's own columns a report reads. */
type EscalationColumns = Pick<
  Escalation,
  | 'id'
  | 'number'
  | 'issueId'
  | 'type'
  | 'path'
  | 'level'
  | 'priority'
  | 'trigger'
  | 'status'
  | 'parentId'
  | 'reescalationOf'
  | 'pingPong'
  | 'reasonCategory'
  | 'rootCause'
  | 'createdBy'
  | 'createdAt'
  | 'ackDueAt'
  | 'resolveDueAt'
  | 'claimedBy'
  | 'claimedAt'
  | 'resolvedBy'
  | 'resolvedAt'
  | 'bouncedAt'
>;

/**
 * One escalation row (one step on one level) with what the digest, the report and the CSV export
 * need: its issue's support channel and thread, its level's name, its CSAT answer.
 */
export interface EscalationFact extends EscalationColumns {
  issueNumber: number;
  /** The support channel of the issue (where the customer wrote). */
  channel: string;
  threadId: string;
  customerId: string | null;
  /** The level's name as it was when the escalation started. */
  levelName: string;
  /** The one-line "why it fired" of the escalation (for systemic clusters, what they share). */
  evidenceSummary: string;
  /** 1–5 when the customer answered the CSAT prompt of this escalation. */
  csatScore: number | null;
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
