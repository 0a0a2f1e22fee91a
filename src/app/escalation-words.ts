import { TRIGGER_LABELS } from '../domain/build-escalation-card.js';
import type { Escalation, Evidence, TriggerKind } from '../domain/escalation.js';
import type { EscalationWords } from '../ports/data-protection.js';
import type { EscalationEvent } from '../ports/store.js';

/** What a removed text reads as, where the field must keep saying that there was one. */
export const WORDS_REMOVED = '(removed)';

/**
 * Triggers whose one-line evidence Escalator writes itself, without quoting anyone ("SLA breached:
 * P2 target 1h …", "3 customers report a similar problem within 1h"). Every other trigger, including
 * ones added later, quotes the customer and loses its summary with the words.
 */
const OWN_WORDS_TRIGGERS: ReadonlySet<TriggerKind> = new Set([
  'manual',
  'sla_breach',
  'systemic',
  'ack_timeout',
  'bounce',
]);

/**
 * The escalation with people's words taken out: the reason, notes, the status note people write
 * (withdraw, not an escalation), the AI summary, and the trigger evidence that quotes the customer.
 * What the digest reads stays: trigger, statuses, timings, root cause, and the systemic cluster
 * with its count-only summary.
 */
export function withoutWords(e: Escalation): EscalationWords {
  const evidence: Evidence = {
    summary: OWN_WORDS_TRIGGERS.has(e.trigger)
      ? e.evidence.summary
      : `${TRIGGER_LABELS[e.trigger] ?? e.trigger} (the customer's words were removed)`,
    ...(e.evidence.cluster ? { cluster: e.evidence.cluster } : {}),
  };
  return {
    evidence,
    reason: e.reason === '' ? '' : WORDS_REMOVED,
    resolutionNote: e.resolutionNote === null ? null : WORDS_REMOVED,
    bounceReason: e.bounceReason === null ? null : WORDS_REMOVED,
    statusNote: null,
    aiSummary: null,
  };
}

/**
 * Audit actions whose detail Escalator writes itself, quoting nobody: the ladder's notes ("still
 * unresolved", "priority raised P3 → P2: …"), a thread joining a systemic cluster (an issue id),
 * and refusals (who may act). Every other detail holds people's words (a reason, a note, why) or
 * quotes them (an escalation the checker opened carries the evidence), including actions added later.
 */
const OWN_WORDS_ACTIONS: ReadonlySet<string> = new Set([
  'remind',
  'auto_escalate',
  'raise_priority',
  'systemic:join',
]);

/** The audit events of an escalation whose detail holds words (see OWN_WORDS_ACTIONS). */
export function eventsWithWords(events: readonly EscalationEvent[]): string[] {
  return events
    .filter((event) => event.detail !== null)
    .filter((event) => !OWN_WORDS_ACTIONS.has(event.action) && !event.action.startsWith('refused_'))
    .map((event) => event.id);
}
