import type { EscalationPath } from '../../src/domain/policy.js';
import type { SqlRow } from './bulk-insert.js';

/**
 * Rows exactly as the repositories store them (snake_case columns, epoch milliseconds, JSON text),
 * built without the domain layer so a million of them cost seconds. Ids have the shape `newId`
 * gives (prefix, time in base 36, then 12 hex digits), here made unique by a counter instead of
 * randomness, and sortable by time like the real ones.
 */
export function seededId(prefix: 'iss' | 'esc' | 'msg' | 'evt', at: number, n: number): string {
  return `${prefix}_${at.toString(36).padStart(9, '0')}${n.toString(16).padStart(12, '0')}`;
}

export const SUPPORT_CHANNEL = 'slack:C0SUPPORT';

export const ISSUE_COLUMNS = [
  'id',
  'number',
  'channel',
  'thread_id',
  'path',
  'priority',
  'status',
  'customer_id',
  'opened_by',
  'opened_at',
  'first_response_at',
  'last_customer_message_at',
  'message_count',
  'updated_at',
  'first_response_due_at',
  'resolve_due_at',
  'first_response_breached_at',
  'resolve_breached_at',
  'last_resolved_at',
] as const;

export interface SeededIssue {
  id: string;
  number: number;
  openedAt: number;
  status: 'open' | 'escalated' | 'resolved';
  customer: string;
  firstResponseAt: number | null;
  firstResponseDueAt: number | null;
  resolveDueAt: number | null;
  firstResponseBreachedAt?: number | null;
  resolveBreachedAt?: number | null;
  lastResolvedAt?: number | null;
  priority?: string;
  messageCount?: number;
}

export function issueRow(issue: SeededIssue): SqlRow {
  return {
    id: issue.id,
    number: issue.number,
    channel: SUPPORT_CHANNEL,
    // A Slack `ts`: seconds, then a per-thread suffix that keeps it unique in the channel.
    thread_id: `${Math.floor(issue.openedAt / 1000)}.${String(issue.number).padStart(7, '0')}`,
    path: 'tech',
    priority: issue.priority ?? 'P3',
    status: issue.status,
    customer_id: issue.customer,
    opened_by: issue.customer,
    opened_at: issue.openedAt,
    first_response_at: issue.firstResponseAt,
    last_customer_message_at: issue.openedAt,
    message_count: issue.messageCount ?? 4,
    updated_at: issue.openedAt,
    first_response_due_at: issue.firstResponseDueAt,
    resolve_due_at: issue.resolveDueAt,
    first_response_breached_at: issue.firstResponseBreachedAt ?? null,
    resolve_breached_at: issue.resolveBreachedAt ?? null,
    last_resolved_at: issue.lastResolvedAt ?? null,
  };
}

export const MESSAGE_COLUMNS = [
  'id',
  'issue_id',
  'channel',
  'message_id',
  'author_id',
  'author_role',
  'text',
  'sent_at',
  'edited_at',
  'deleted_at',
] as const;

export function messageRow(m: {
  id: string;
  issueId: string;
  /** Unique in the channel (the thread root's `ts` for the first message). */
  messageId: string;
  authorId: string;
  role: 'customer' | 'staff';
  text: string;
  sentAt: number;
}): SqlRow {
  return {
    id: m.id,
    issue_id: m.issueId,
    channel: SUPPORT_CHANNEL,
    message_id: m.messageId,
    author_id: m.authorId,
    author_role: m.role,
    text: m.text,
    sent_at: m.sentAt,
    edited_at: null,
    deleted_at: null,
  };
}

export const ESCALATION_COLUMNS = [
  'id',
  'number',
  'issue_id',
  'status',
  'version',
  'type',
  'path',
  'level',
  'path_snapshot',
  'priority',
  'trigger',
  'evidence',
  'reason',
  'reason_category',
  'parent_id',
  'created_by',
  'created_at',
  'ack_due_at',
  'resolve_due_at',
  'claimed_by',
  'claimed_at',
  'resolved_by',
  'resolved_at',
  'resolution_note',
  'root_cause',
  'bounced_by',
  'bounced_at',
  'bounce_reason',
  'superseded_by',
  'reescalation_of',
  'ping_pong',
  'card_channel',
  'card_message_id',
  'updated_at',
] as const;

export interface SeededEscalation {
  id: string;
  number: number;
  issueId: string;
  status: 'open' | 'claimed' | 'resolved' | 'bounced' | 'superseded' | 'withdrawn' | 'dismissed';
  path: EscalationPath;
  level: number;
  priority: string;
  trigger: string;
  createdAt: number;
  ackDueAt: number | null;
  resolveDueAt: number | null;
  claimedBy?: string | null;
  claimedAt?: number | null;
  resolvedAt?: number | null;
  rootCause?: string | null;
  reasonCategory?: string | null;
  bouncedAt?: number | null;
  parentId?: string | null;
  supersededBy?: string | null;
  reescalationOf?: string | null;
  pingPong?: boolean;
  evidenceSummary?: string;
  updatedAt?: number;
}

export function escalationRow(e: SeededEscalation, pathSnapshotJson: string): SqlRow {
  const level = e.path.levels[e.level]!;
  const resolved = e.resolvedAt != null;
  return {
    id: e.id,
    number: e.number,
    issue_id: e.issueId,
    status: e.status,
    version: resolved ? 3 : e.claimedAt != null ? 2 : 1,
    type: e.path.type,
    path: e.path.name,
    level: e.level,
    path_snapshot: pathSnapshotJson,
    priority: e.priority,
    trigger: e.trigger,
    evidence: JSON.stringify({ summary: e.evidenceSummary ?? 'Escalated by hand by <@slack:U0AGENT>.' }),
    reason: 'Export fails for one account, needs engineering',
    reason_category: e.reasonCategory ?? null,
    parent_id: e.parentId ?? null,
    created_by: 'slack:U0AGENT',
    created_at: e.createdAt,
    ack_due_at: e.ackDueAt,
    resolve_due_at: e.resolveDueAt,
    claimed_by: e.claimedBy ?? (e.claimedAt != null ? 'slack:U0SPEC' : null),
    claimed_at: e.claimedAt ?? null,
    resolved_by: resolved ? 'slack:U0SPEC' : null,
    resolved_at: e.resolvedAt ?? null,
    resolution_note: resolved ? 'Fixed the export mapping; customer confirmed.' : null,
    root_cause: e.rootCause ?? null,
    bounced_by: e.bouncedAt != null ? 'slack:U0SPEC' : null,
    bounced_at: e.bouncedAt ?? null,
    bounce_reason: e.bouncedAt != null ? 'Frontline can answer this from the runbook' : null,
    superseded_by: e.supersededBy ?? null,
    reescalation_of: e.reescalationOf ?? null,
    ping_pong: e.pingPong ? 1 : 0,
    card_channel: level.channel ?? null,
    card_message_id: `${Math.floor(e.createdAt / 1000)}.${String(e.number).padStart(7, '0')}`,
    updated_at: e.updatedAt ?? e.resolvedAt ?? e.createdAt,
  };
}

export const TRIGGER_HIT_COLUMNS = ['id', 'issue_id', 'kind', 'evidence', 'matched', 'created_at'] as const;

export const CSAT_COLUMNS = ['id', 'escalation_id', 'issue_id', 'score', 'respondent', 'at'] as const;
