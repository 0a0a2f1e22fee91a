import type { Escalation } from '../domain/escalation.js';

/**
 * An escalation someone still has to act on (open or claimed), with what the dashboard's list
 * shows beside it: its issue's thread and its level's name as the path snapshot had it.
 */
export interface ActiveEscalation
  extends Pick<
    Escalation,
    | 'id'
    | 'number'
    | 'issueId'
    | 'status'
    | 'path'
    | 'level'
    | 'priority'
    | 'trigger'
    | 'reason'
    | 'parentId'
    | 'createdBy'
    | 'createdAt'
    | 'ackDueAt'
    | 'resolveDueAt'
    | 'claimedBy'
    | 'claimedAt'
    | 'pingPong'
  > {
  issueNumber: number;
  /** The support channel and root message of the issue's thread. */
  channel: string;
  threadId: string;
  /** The level's name when the escalation started (`Level 2` when the snapshot has none). */
  levelName: string;
  /** The one-line "why it fired". */
  evidenceSummary: string;
}

/**
 * Reads for the dashboard that no other port has. The history of one escalation and the chain of
 * its issue come from `events.listForEscalation` and `escalations.listForIssue`; the digest's
 * figures from `analytics`.
 */
export interface DashboardRepository {
  /**
   * Open and claimed escalations, the one whose running deadline comes first at the top (the
   * claim deadline while open, the resolve deadline once claimed; none last), then by number.
   * Reads only the active rows of an index, never the whole history.
   */
  listActive(limit: number): Promise<ActiveEscalation[]>;
}
