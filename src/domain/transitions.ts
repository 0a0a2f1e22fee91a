import { EscalatorError } from './errors.js';
import type { Escalation, EscalationStatus } from './escalation.js';

/**
 * The one table of escalation status changes. Every use case that changes a status asks it,
 * so the lifecycle can be read (and changed) in one place.
 */
export const TRANSITIONS = {
  claim: { from: ['open'], to: 'claimed' },
  // Resolving straight from open is allowed: a manager who fixes it at once should not have to
  // click Claim first. The resolver is then recorded as the claimer too.
  resolve: { from: ['open', 'claimed'], to: 'resolved' },
  bounce: { from: ['open', 'claimed'], to: 'bounced' },
  escalate_further: { from: ['open', 'claimed'], to: 'superseded' },
  auto_escalate: { from: ['open'], to: 'superseded' },
  // A content trigger's false positive: closed without anyone acting on it.
  dismiss: { from: ['open', 'claimed'], to: 'dismissed' },
  // The agent who escalated takes it back while nobody owns it yet; once claimed, only the claimer
  // decides (bounce back or resolve).
  withdraw: { from: ['open'], to: 'withdrawn' },
} as const satisfies Record<string, { from: readonly EscalationStatus[]; to: EscalationStatus }>;

export type EscalationAction = keyof typeof TRANSITIONS;

/** Each action as a person reads it after "can" or "cannot" ("only members … can bounce back …"). */
export const ACTION_VERBS: Record<EscalationAction, string> = {
  claim: 'claim',
  resolve: 'resolve',
  bounce: 'bounce back',
  escalate_further: 'escalate further',
  auto_escalate: 'escalate',
  dismiss: 'close as not an escalation',
  withdraw: 'withdraw',
};

/** The status after `action`, or a coded error that tells the person why not. */
export function nextStatus(escalation: Escalation, action: EscalationAction): EscalationStatus {
  const rule = TRANSITIONS[action];
  if ((rule.from as readonly EscalationStatus[]).includes(escalation.status)) return rule.to;
  throw refusal(escalation, action);
}

function refusal(escalation: Escalation, action: EscalationAction): EscalatorError {
  const label = `Escalation #${escalation.number}`;
  const verb = ACTION_VERBS[action];
  switch (escalation.status) {
    case 'claimed':
      return new EscalatorError(
        'already_claimed',
        `${label} is already claimed by ${mention(escalation.claimedBy)}; you cannot ${verb} it.`,
      );
    case 'resolved':
      return new EscalatorError(
        'stale_action',
        `${label} was already resolved by ${mention(escalation.resolvedBy)}; there is nothing left to ${verb}.`,
      );
    case 'bounced':
      return new EscalatorError(
        'stale_action',
        `${label} was bounced back by ${mention(escalation.bouncedBy)}; it is no longer open here.`,
      );
    case 'superseded':
      return new EscalatorError(
        'stale_action',
        `${label} was escalated further; act on the newer card instead.`,
      );
    case 'dismissed':
      return new EscalatorError(
        'stale_action',
        `${label} was closed as not an escalation; there is nothing left to ${verb}.`,
      );
    case 'withdrawn':
      return new EscalatorError(
        'stale_action',
        `${label} was withdrawn by the agent who escalated it; there is nothing left to ${verb}.`,
      );
    default:
      return new EscalatorError('illegal_transition', `${label} cannot ${verb} while ${escalation.status}.`);
  }
}

/** People are written as `<@platform:id>` tokens that each adapter renders its own way. */
export function mention(personId: string | null): string {
  if (personId?.startsWith('system:')) return 'Escalator (automatic)';
  return personId ? `<@${personId}>` : 'someone';
}

/** The actor of changes the checker makes by itself. */
export const SYSTEM_ACTOR = 'system:escalator';
