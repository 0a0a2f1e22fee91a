import { describe, expect, it } from 'vitest';
import { type ErrorCode, EscalatorError } from '../../../src/domain/errors.js';
import { ESCALATION_STATUSES, type EscalationStatus } from '../../../src/domain/escalation.js';
import { type EscalationAction, nextStatus, TRANSITIONS } from '../../../src/domain/transitions.js';
import { makeEscalation } from '../../support/core/domain-builders.js';

type Outcome = EscalationStatus | { refused: ErrorCode };

const claimedErr = { refused: 'already_claimed' } as const;
const stale = { refused: 'stale_action' } as const;

/** The lifecycle from the design, written out by hand so a change to the table must be deliberate. */
const EXPECTED: Record<EscalationAction, Record<EscalationStatus, Outcome>> = {
  claim: {
    open: 'claimed',
    claimed: claimedErr,
    resolved: stale,
    bounced: stale,
    superseded: stale,
    dismissed: stale,
    withdrawn: stale,
  },
  resolve: {
    open: 'resolved',
    claimed: 'resolved',
    resolved: stale,
    bounced: stale,
    superseded: stale,
    dismissed: stale,
    withdrawn: stale,
  },
  bounce: {
    open: 'bounced',
    claimed: 'bounced',
    resolved: stale,
    bounced: stale,
    superseded: stale,
    dismissed: stale,
    withdrawn: stale,
  },
  escalate_further: {
    open: 'superseded',
    claimed: 'superseded',
    resolved: stale,
    bounced: stale,
    superseded: stale,
    dismissed: stale,
    withdrawn: stale,
  },
  auto_escalate: {
    open: 'superseded',
    claimed: claimedErr,
    resolved: stale,
    bounced: stale,
    superseded: stale,
    dismissed: stale,
    withdrawn: stale,
  },
  dismiss: {
    open: 'dismissed',
    claimed: 'dismissed',
    resolved: stale,
    bounced: stale,
    superseded: stale,
    dismissed: stale,
    withdrawn: stale,
  },
  withdraw: {
    open: 'withdrawn',
    claimed: claimedErr,
    resolved: stale,
    bounced: stale,
    superseded: stale,
    dismissed: stale,
    withdrawn: stale,
  },
};

/** An escalation in `status`, with the fields a real one in that status has. */
function inStatus(status: EscalationStatus) {
  const at = new Date('2026-03-02T01:00:00.000Z');
  return makeEscalation({
    number: 12,
    status,
    ...(status !== 'open' ? { claimedBy: 'slack:U0SPEC', claimedAt: at } : {}),
    ...(status === 'resolved'
      ? { resolvedBy: 'slack:U0SPEC', resolvedAt: at, resolutionNote: 'fixed', rootCause: 'system_issue' }
      : {}),
    ...(status === 'bounced'
      ? { bouncedBy: 'slack:U0BOUNCER', bouncedAt: at, bounceReason: 'not ours' }
      : {}),
    ...(status === 'superseded' ? { supersededBy: 'esc_next' } : {}),
  });
}

const actions = Object.keys(TRANSITIONS) as EscalationAction[];
const cases = actions.flatMap((action) =>
  ESCALATION_STATUSES.map((status) => ({ action, status, expected: EXPECTED[action][status] })),
);

describe('the escalation transition table', () => {
  it('has an expectation for every action it defines', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...actions].sort());
  });

  it.each(cases.filter((c) => typeof c.expected === 'string'))(
    '$action from $status gives $expected',
    ({ action, status, expected }) => {
      expect(nextStatus(inStatus(status), action)).toBe(expected);
    },
  );

  it.each(cases.filter((c) => typeof c.expected !== 'string'))(
    '$action from $status is refused ($expected.refused)',
    ({ action, status, expected }) => {
      let thrown: unknown;
      try {
        nextStatus(inStatus(status), action);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(EscalatorError);
      expect((thrown as EscalatorError).code).toBe((expected as { refused: ErrorCode }).refused);
      expect((thrown as EscalatorError).message).toContain('#12');
    },
  );
});

describe('refusals tell the person what happened', () => {
  const refusal = (status: EscalationStatus, action: EscalationAction) => {
    try {
      nextStatus(inStatus(status), action);
    } catch (error) {
      return (error as EscalatorError).message;
    }
    throw new Error('expected a refusal');
  };

  it('a second claim names who already claimed it', () => {
    expect(refusal('claimed', 'claim')).toBe(
      'Escalation #12 is already claimed by <@slack:U0SPEC>; you cannot claim it.',
    );
  });

  it('acting on a resolved escalation names the resolver', () => {
    expect(refusal('resolved', 'bounce')).toContain('already resolved by <@slack:U0SPEC>');
  });

  it('acting on a bounced escalation names who bounced it', () => {
    expect(refusal('bounced', 'claim')).toContain('bounced back by <@slack:U0BOUNCER>');
  });

  it('acting on a superseded escalation points at the newer card', () => {
    expect(refusal('superseded', 'resolve')).toContain('act on the newer card');
  });

  it('withdrawing a claimed escalation names who owns it now', () => {
    expect(refusal('claimed', 'withdraw')).toBe(
      'Escalation #12 is already claimed by <@slack:U0SPEC>; you cannot withdraw it.',
    );
  });

  it('acting on a withdrawn escalation says it was taken back', () => {
    expect(refusal('withdrawn', 'claim')).toContain('was withdrawn by the agent who escalated it');
  });
});
