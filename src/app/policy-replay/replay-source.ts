/**
 * What `npm run policy:replay` reads, and only that: the threads of a period with their messages,
 * and what actually escalated them. A port, so the replay core stays free of the database; the
 * SQLite reader is src/db/sqlite/replay-repository.ts, and tests pass plain data.
 */
import type { TriggerKind } from '../../domain/escalation.js';
import type { AuthorRole, IssueStatus } from '../../domain/issue.js';
import type { Priority } from '../../domain/policy.js';

export interface ReplaySource {
  /** Issues opened in [from, to), oldest first, each with all its messages, oldest first. */
  listIssuesOpened(from: Date, to: Date): Promise<ReplayIssue[]>;
  /** What fired on the issues opened in [from, to): trigger firings and the escalations they opened or joined. */
  listStoredFirings(from: Date, to: Date): Promise<StoredFiring[]>;
  /** Escalations people opened by hand on the issues opened in [from, to) (first steps only). */
  listManualEscalations(from: Date, to: Date): Promise<StoredEscalation[]>;
}

export interface ReplayIssue {
  id: string;
  number: number;
  channel: string;
  customerId: string | null;
  openedAt: Date;
  /** The first staff answer, as recorded (it stopped the first-response clock). */
  firstResponseAt: Date | null;
  status: IssueStatus;
  lastResolvedAt: Date | null;
  messages: ReplayMessage[];
}

export interface ReplayMessage {
  authorId: string;
  /** As recorded when the message arrived (the author's team is not stored, so it cannot be re-decided). */
  authorRole: AuthorRole;
  authorEmail?: string;
  /** Empty when deleted or purged. */
  text: string;
  sentAt: Date;
  deleted: boolean;
  /** Retention emptied the text. */
  purged: boolean;
}

/** One escalation step as stored. */
export interface StoredEscalation {
  issueId: string;
  number: number;
  trigger: TriggerKind;
  path: string;
  /** 0-based, as stored. */
  level: number;
  levelName: string;
  priority: Priority;
  createdAt: Date;
}

/**
 * A trigger that fired on an issue: it opened `escalation` (when its trigger is this kind) or added
 * its evidence to it. Systemic threads that joined another issue's card have `joinedSystemic`.
 */
export interface StoredFiring {
  issueId: string;
  /** The trigger kind; the two SLA breaches (first response, resolution) are both `sla_breach`. */
  kind: TriggerKind;
  /** What "once per issue" counted: the kind, or `sla_breach:first_response` / `sla_breach:resolve`. */
  firingKey: string;
  firedAt: Date;
  escalation: StoredEscalation | null;
  /** The thread joined the systemic card of another issue instead of opening its own. */
  joinedSystemic?: boolean;
}
