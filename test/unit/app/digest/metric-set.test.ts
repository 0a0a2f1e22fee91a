import { describe, expect, it } from 'vitest';
import { metricSetOf } from '../../../../src/app/digest/metric-set.js';
import type { EscalationFact } from '../../../../src/ports/analytics.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 23, 9, minutes));

function fact(overrides: Partial<EscalationFact>): EscalationFact {
  return {
    id: 'esc_1',
    number: 1,
    issueId: 'iss_1',
    issueNumber: 1,
    channel: 'slack:C0SUPPORT',
    threadId: '1700000000.000100',
    customerId: null,
    type: 'functional',
    path: 'tech',
    level: 0,
    levelName: 'L2 Tech',
    priority: 'P3',
    trigger: 'manual',
    status: 'open',
    parentId: null,
    reescalationOf: null,
    pingPong: false,
    reasonCategory: null,
    rootCause: null,
    createdBy: 'slack:U0ALICE',
    createdAt: at(0),
    ackDueAt: at(30),
    resolveDueAt: at(240),
    claimedBy: null,
    claimedAt: null,
    resolvedBy: null,
    resolvedAt: null,
    bouncedAt: null,
    evidenceSummary: '',
    csatScore: null,
    systemicThreads: 0,
    ...overrides,
  };
}

describe('SLA compliance', () => {
  it('leaves out a step the agent withdrew before anyone claimed it', () => {
    const claimedInTime = fact({ id: 'esc_1', status: 'claimed', claimedAt: at(10) });
    const missed = fact({ id: 'esc_2', number: 2 });
    const withdrawn = fact({ id: 'esc_3', number: 3, status: 'withdrawn' });
    const now = at(300); // every deadline has passed
    // 1 of the 2 steps someone had to claim was claimed in time; the withdrawn one does not count.
    expect(metricSetOf([claimedInTime, missed, withdrawn], null, now).ackCompliance).toBe(0.5);
    // It still counts as an escalation, and never as resolved.
    const figures = metricSetOf([claimedInTime, missed, withdrawn], null, now);
    expect([figures.escalations, figures.csat.resolved]).toEqual([3, 0]);
  });
});
