/**
 * What the SQLite and PostgreSQL replay readers share: their rows have the same shape, so turning
 * them into the replay's values is written once.
 */
import type {
  ReplayIssue,
  ReplayMessage,
  ReplaySource,
  StoredEscalation,
  StoredFiring,
} from '../../app/policy-replay/replay-source.js';
import type { TriggerKind } from '../../domain/escalation.js';
import type { AuthorRole, IssueStatus } from '../../domain/issue.js';
import type { Priority } from '../../domain/policy.js';
import { levelNameOf } from './report-rows.js';

export interface ReplayReader extends ReplaySource {
  /** Ends the reader's connection (on PostgreSQL, with its read-only transaction). */
  close(): Promise<void>;
}

export interface ReplayEscalationRow {
  issueId: string;
  number: number;
  trigger: string;
  path: string;
  level: number;
  levelName: string | null;
  priority: string;
  createdAt: Date;
}

export interface ReplayIssueRow {
  id: string;
  number: number;
  channel: string;
  customerId: string | null;
  openedAt: Date;
  firstResponseAt: Date | null;
  status: string;
  lastResolvedAt: Date | null;
}

export interface ReplayMessageRow {
  issueId: string;
  authorId: string;
  authorRole: string;
  authorEmail: string | null;
  text: string;
  sentAt: Date;
  deletedAt: Date | null;
  textPurgedAt: Date | null;
}

/** A trigger firing, with the escalation it points at (all null when it points at none). */
export type ReplayFiringRow = { kind: string; firedAt: Date; issue: string } & {
  [K in keyof ReplayEscalationRow]: ReplayEscalationRow[K] | null;
};

/** A `systemic:join` audit event: `issue` is the thread that joined the escalation's card. */
export type ReplayJoinRow = { issue: string | null; at: Date } & ReplayEscalationRow;

export function storedEscalationFromRow(row: ReplayEscalationRow): StoredEscalation {
  return {
    ...row,
    trigger: row.trigger as TriggerKind,
    priority: row.priority as Priority,
    levelName: levelNameOf(row),
  };
}

/** The issues, in their order, each with its messages in theirs. */
export function replayIssuesFrom(
  issueRows: readonly ReplayIssueRow[],
  messageRows: readonly ReplayMessageRow[],
): ReplayIssue[] {
  const byIssue = new Map<string, ReplayMessage[]>();
  for (const row of messageRows) {
    const list = byIssue.get(row.issueId) ?? [];
    list.push({
      authorId: row.authorId,
      authorRole: row.authorRole as AuthorRole,
      ...(row.authorEmail ? { authorEmail: row.authorEmail } : {}),
      text: row.text,
      sentAt: row.sentAt,
      deleted: row.deletedAt !== null,
      purged: row.textPurgedAt !== null,
    });
    byIssue.set(row.issueId, list);
  }
  return issueRows.map(
    (row): ReplayIssue => ({
      id: row.id,
      number: row.number,
      channel: row.channel,
      customerId: row.customerId,
      openedAt: row.openedAt,
      firstResponseAt: row.firstResponseAt,
      status: row.status as IssueStatus,
      lastResolvedAt: row.lastResolvedAt,
      messages: byIssue.get(row.id) ?? [],
    }),
  );
}

/** Firings and systemic joins as one list, oldest first. */
export function storedFiringsFrom(
  firings: readonly ReplayFiringRow[],
  joins: readonly ReplayJoinRow[],
): StoredFiring[] {
  return [
    ...firings.map(
      (row): StoredFiring => ({
        issueId: row.issue,
        // First response and resolution are separate firings of one trigger.
        kind: row.kind.replace(/:.*$/, '') as TriggerKind,
        firingKey: row.kind,
        firedAt: row.firedAt,
        escalation: row.number === null ? null : storedEscalationFromRow(row as ReplayEscalationRow),
      }),
    ),
    ...joins.map(
      (row): StoredFiring => ({
        issueId: row.issue!,
        kind: 'systemic',
        firingKey: 'systemic',
        firedAt: row.at,
        escalation: storedEscalationFromRow(row),
        joinedSystemic: true,
      }),
    ),
  ].sort((a, b) => a.firedAt.getTime() - b.firedAt.getTime());
}
