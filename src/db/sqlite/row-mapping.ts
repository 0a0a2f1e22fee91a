import type { Escalation, Evidence } from '../../domain/escalation.js';
import type { Issue, ThreadMessage } from '../../domain/issue.js';
import type { EscalationPath } from '../../domain/policy.js';
import type { Effect, OutboxEntry } from '../../ports/outbox.js';
import { similarPastFromJson, similarPastToJson } from '../shared/similar-past-json.js';
import type { escalations, issues, messages, outbox } from './schema.js';

// Rows store enums as text; the domain types narrow them. Only rows written through these
// mappers reach the database, so the casts below hold.

export function issueFromRow(row: typeof issues.$inferSelect): Issue {
  return { ...row, priority: row.priority as Issue['priority'], status: row.status as Issue['status'] };
}

export function messageFromRow(row: typeof messages.$inferSelect): ThreadMessage {
  // The retention mark is bookkeeping of the purge, not part of the message.
  const { channel: _channel, textPurgedAt: _purged, ...rest } = row;
  return { ...rest, authorRole: row.authorRole as ThreadMessage['authorRole'] };
}

export function escalationFromRow(row: typeof escalations.$inferSelect): Escalation {
  const { textPurgedAt: _purged, similarPast, ...rest } = row;
  const similar = similarPastFromJson(similarPast);
  return {
    ...rest,
    ...(similar ? { similarPast: similar } : {}),
    status: row.status as Escalation['status'],
    type: row.type as Escalation['type'],
    pathSnapshot: row.pathSnapshot as EscalationPath,
    priority: row.priority as Escalation['priority'],
    trigger: row.trigger as Escalation['trigger'],
    evidence: row.evidence as Evidence,
    reasonCategory: row.reasonCategory as Escalation['reasonCategory'],
    rootCause: row.rootCause as Escalation['rootCause'],
  };
}

export function escalationToRow(e: Escalation): typeof escalations.$inferInsert {
  return { ...e, similarPast: similarPastToJson(e.similarPast) };
}

/** An outbox row as the dispatcher sees it (the claim columns are the repository's business). */
export function outboxEntryFromRow(row: typeof outbox.$inferSelect): OutboxEntry {
  return {
    id: row.id,
    orderKey: row.orderKey,
    effect: row.payload as Effect,
    status: row.status as OutboxEntry['status'],
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    createdAt: row.createdAt,
    deliveredAt: row.deliveredAt,
  };
}
