import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigestReport } from '../../src/app/digest/build-report.js';
import type { DigestReport, MetricSet, Period } from '../../src/domain/digest/report.js';
import type { Escalation, EscalationStatus, TriggerKind } from '../../src/domain/escalation.js';
import type { EscalationPath, RootCause } from '../../src/domain/policy.js';
import { instantAtLocalTime } from '../../src/domain/sla-clock.js';
import type { Store } from '../../src/ports/store.js';
import { makeEscalation, makeIssue, TECH_PATH } from '../support/core/domain-builders.js';
import { createTempStore, type TempStore } from '../support/core/temp-store.js';

/**
 * A known month of issues and escalations in New York, over the end of daylight saving time
 * (Sunday 2026-11-01 02:00 EDT → 01:00 EST), read back through the real SQLite store and checked
 * figure by figure against values counted by hand. Every expected value is a literal with its
 * arithmetic next to it; the definitions are docs/digest-metrics.md.
 */

const NY = 'America/New_York';
const MIN = 60_000;
const HOUR = 60 * MIN;
const SLACK = 'slack:C0SUPPORT';
const TEAMS = 'teams:19:support@thread.tacv2';

const BILLING_PATH: EscalationPath = {
  name: 'billing',
  type: 'hierarchical',
  levels: [
    { name: 'Billing L1', channel: 'slack:C0BILL', ackWithinMs: 60 * MIN, resolveWithinMs: 24 * HOUR },
    {
      name: 'Billing Managers',
      channel: 'slack:C0BILLMGR',
      ackWithinMs: 30 * MIN,
      resolveWithinMs: 8 * HOUR,
    },
  ],
};
const PATHS: Record<string, EscalationPath> = { tech: TECH_PATH, billing: BILLING_PATH };

const local = (date: string, time: string) => instantAtLocalTime(date, time, NY);
const after = (from: Date, minutes: number) => new Date(from.getTime() + minutes * MIN);

// ISO week 44: Monday 26 October 00:00 EDT (04:00Z) to Monday 2 November 00:00 EST (05:00Z), 169 hours.
const W44: Period = {
  label: '2026-W44',
  from: local('2026-10-26', '00:00'),
  to: local('2026-11-02', '00:00'),
};
const W43: Period = {
  label: '2026-W43',
  from: local('2026-10-19', '00:00'),
  to: local('2026-10-26', '00:00'),
};
// The month: four weeks, 19 October to 15 November inclusive; the four weeks before it hold nothing.
const MONTH: Period = { label: '2026-10-19..2026-11-15', from: W43.from, to: local('2026-11-16', '00:00') };
const MONTH_BEFORE: Period = {
  label: '2026-09-21..2026-10-18',
  from: local('2026-09-21', '00:00'),
  to: W43.from,
};
/** The weekly digest runs on Monday 09:00 EST; the monthly report four weeks later. */
const WEEK_NOW = new Date('2026-11-02T14:00:00Z');
const MONTH_NOW = new Date('2026-11-16T14:00:00Z');

interface IssueSeed {
  id: string;
  path: 'tech' | 'billing';
  channel: string;
  opened: Date;
}

/** One step. Durations are minutes after `created`; deadlines default to the level's windows. */
interface StepSeed {
  id: string;
  number: number;
  issue: string;
  level?: number;
  trigger?: TriggerKind;
  created: Date;
  parent?: string;
  claim?: number;
  resolve?: number;
  bounce?: number;
  status?: EscalationStatus;
  rootCause?: RootCause;
  csat?: number;
  reescalationOf?: string;
  pingPong?: boolean;
  /** Deadlines on a business clock, where the level's window does not apply. */
  ackDueAt?: Date;
  resolveDueAt?: Date;
  systemic?: { summary: string; members: string[] };
}

const ISSUES: IssueSeed[] = [
  // Week 43: five issues, three escalated (i1, i2, i5).
  { id: 'i1', path: 'tech', channel: SLACK, opened: local('2026-10-19', '09:00') },
  { id: 'i2', path: 'billing', channel: TEAMS, opened: local('2026-10-20', '10:00') },
  { id: 'i3', path: 'tech', channel: TEAMS, opened: local('2026-10-21', '09:00') },
  { id: 'i4', path: 'billing', channel: SLACK, opened: local('2026-10-22', '09:00') },
  { id: 'i5', path: 'tech', channel: SLACK, opened: local('2026-10-23', '09:00') },
  // Week 44: fifteen issues, eleven escalated (all but i17, i21, i22, i23).
  { id: 'i11', path: 'tech', channel: SLACK, opened: local('2026-10-26', '09:00') },
  { id: 'i12', path: 'tech', channel: SLACK, opened: local('2026-10-27', '10:00') },
  { id: 'i13', path: 'billing', channel: TEAMS, opened: local('2026-10-27', '11:00') },
  { id: 'i14', path: 'billing', channel: SLACK, opened: local('2026-10-28', '09:00') },
  { id: 'i15', path: 'tech', channel: TEAMS, opened: local('2026-10-29', '14:00') },
  { id: 'i16', path: 'tech', channel: SLACK, opened: local('2026-10-29', '15:00') },
  { id: 'i17', path: 'tech', channel: TEAMS, opened: local('2026-10-29', '15:10') },
  { id: 'i18', path: 'billing', channel: TEAMS, opened: local('2026-10-30', '09:00') },
  { id: 'i19', path: 'tech', channel: SLACK, opened: local('2026-10-31', '23:00') },
  { id: 'i20', path: 'billing', channel: SLACK, opened: local('2026-11-01', '23:00') },
  { id: 'i21', path: 'tech', channel: SLACK, opened: local('2026-10-28', '12:00') },
  { id: 'i22', path: 'billing', channel: TEAMS, opened: local('2026-10-30', '16:00') },
  { id: 'i23', path: 'tech', channel: TEAMS, opened: local('2026-10-31', '10:00') },
  { id: 'i24', path: 'billing', channel: SLACK, opened: local('2026-10-30', '10:00') },
  { id: 'i25', path: 'tech', channel: TEAMS, opened: local('2026-11-01', '20:00') },
  // Weeks 45 and 46: four issues, three escalated (not i33).
  { id: 'i31', path: 'tech', channel: SLACK, opened: local('2026-11-03', '10:00') },
  { id: 'i32', path: 'billing', channel: TEAMS, opened: local('2026-11-10', '09:00') },
  { id: 'i33', path: 'billing', channel: TEAMS, opened: local('2026-11-10', '09:05') },
  { id: 'i34', path: 'tech', channel: SLACK, opened: local('2026-11-15', '20:00') },
];

const STEPS: StepSeed[] = [
  // --- Week 43 (the weekly report's previous period) ---
  {
    id: 'W1',
    number: 901,
    issue: 'i1',
    created: local('2026-10-19', '09:30'),
    claim: 20,
    resolve: 60,
    rootCause: 'knowledge_gap',
    csat: 4,
  },
  // Claimed late (120 > 60) and resolved late (30 h > 24 h).
  {
    id: 'W2',
    number: 902,
    issue: 'i2',
    trigger: 'high_value',
    created: local('2026-10-20', '10:30'),
    claim: 120,
    resolve: 1800,
    rootCause: 'system_issue',
  },
  { id: 'W3', number: 903, issue: 'i5', created: local('2026-10-23', '09:30'), claim: 10, bounce: 40 },
  {
    id: 'W4',
    number: 904,
    issue: 'i1',
    created: local('2026-10-24', '10:00'),
    claim: 5,
    resolve: 60,
    rootCause: 'knowledge_gap',
    reescalationOf: 'W1',
  },

  // --- Week 44, over the change of clocks ---
  {
    id: 'E1',
    number: 1001,
    issue: 'i11',
    created: local('2026-10-26', '09:30'),
    claim: 10,
    resolve: 120,
    rootCause: 'knowledge_gap',
    csat: 5,
  },
  // Claimed late (45 > 30), then escalated further to L3 (E3), which resolved it.
  {
    id: 'E2',
    number: 1002,
    issue: 'i12',
    trigger: 'dissatisfaction',
    created: local('2026-10-27', '10:30'),
    claim: 45,
    status: 'superseded',
  },
  {
    id: 'E3',
    number: 1003,
    issue: 'i12',
    level: 1,
    trigger: 'dissatisfaction',
    parent: 'E2',
    created: local('2026-10-27', '11:20'),
    claim: 5,
    resolve: 180,
    rootCause: 'system_issue',
    csat: 2,
  },
  { id: 'E4', number: 1004, issue: 'i13', created: local('2026-10-27', '11:30'), claim: 20, bounce: 60 },
  {
    id: 'E5',
    number: 1005,
    issue: 'i14',
    trigger: 'high_value',
    created: local('2026-10-28', '09:15'),
    claim: 90,
    resolve: 360,
    rootCause: 'authority_gap',
  },
  // Re-escalation of W3 (bounced last week); resolved late (300 > 240).
  {
    id: 'E6',
    number: 1006,
    issue: 'i5',
    created: local('2026-10-28', '13:00'),
    claim: 15,
    resolve: 300,
    rootCause: 'knowledge_gap',
    csat: 4,
    reescalationOf: 'W3',
  },
  // Nobody claimed it in 30 minutes: the ladder opened E8 on L3 (same trigger).
  {
    id: 'E7',
    number: 1007,
    issue: 'i15',
    trigger: 'legal',
    created: local('2026-10-29', '14:30'),
    status: 'superseded',
  },
  {
    id: 'E8',
    number: 1008,
    issue: 'i15',
    level: 1,
    trigger: 'legal',
    parent: 'E7',
    created: local('2026-10-29', '15:00'),
    claim: 10,
    resolve: 60,
    rootCause: 'other',
    csat: 3,
  },
  {
    id: 'E9',
    number: 1009,
    issue: 'i16',
    trigger: 'systemic',
    created: local('2026-10-29', '15:30'),
    claim: 5,
    resolve: 120,
    rootCause: 'system_issue',
    systemic: { summary: '3 threads: checkout fails with error 502', members: ['i16', 'i17', 'i15'] },
  },
  {
    id: 'E10',
    number: 1010,
    issue: 'i18',
    trigger: 'manager_request',
    created: local('2026-10-30', '09:30'),
    claim: 30,
    status: 'dismissed',
  },
  // Up to Billing Managers (E13), bounced back down (E14, flagged ping-pong), resolved there.
  {
    id: 'E12',
    number: 1012,
    issue: 'i24',
    created: local('2026-10-30', '10:30'),
    claim: 5,
    status: 'superseded',
  },
  {
    id: 'E13',
    number: 1013,
    issue: 'i24',
    level: 1,
    parent: 'E12',
    created: local('2026-10-30', '11:00'),
    claim: 10,
    bounce: 30,
  },
  {
    id: 'E14',
    number: 1014,
    issue: 'i24',
    trigger: 'bounce',
    parent: 'E13',
    created: local('2026-10-30', '11:30'),
    claim: 20,
    resolve: 120,
    rootCause: 'authority_gap',
    csat: 1,
    pingPong: true,
  },
  // Saturday 23:30 EDT (03:30Z Sunday): the chart puts it on Saturday. Resolved 01:30 EST, after
  // the clocks went back: two hours on the wall clock, 180 minutes of real time.
  {
    id: 'E11',
    number: 1011,
    issue: 'i19',
    created: local('2026-10-31', '23:30'),
    claim: 20,
    resolve: 180,
    rootCause: 'customer_request',
    csat: 5,
  },
  // Sunday 20:30 EST (01:30Z Monday), claimed; its resolve deadline (business clock) is after WEEK_NOW.
  {
    id: 'E16',
    number: 1016,
    issue: 'i25',
    created: local('2026-11-01', '20:30'),
    claim: 10,
    status: 'claimed',
    resolveDueAt: local('2026-11-02', '13:00'),
  },
  // Sunday 23:30 EST (04:30Z Monday), still open; both deadlines are after WEEK_NOW.
  {
    id: 'E15',
    number: 1015,
    issue: 'i20',
    created: local('2026-11-01', '23:30'),
    status: 'open',
    ackDueAt: local('2026-11-02', '10:00'),
    resolveDueAt: local('2026-11-02', '17:00'),
  },

  // --- Weeks 45 and 46 (the month only) ---
  {
    id: 'M1',
    number: 1101,
    issue: 'i31',
    created: local('2026-11-03', '10:30'),
    claim: 20,
    resolve: 120,
    rootCause: 'knowledge_gap',
    csat: 5,
  },
  {
    id: 'M2',
    number: 1102,
    issue: 'i32',
    trigger: 'systemic',
    created: local('2026-11-10', '09:30'),
    claim: 30,
    resolve: 240,
    rootCause: 'system_issue',
    systemic: { summary: '2 threads: invoices show the wrong VAT', members: ['i32', 'i33'] },
  },
  // Open, deadlines (business clock) after MONTH_NOW.
  {
    id: 'M3',
    number: 1103,
    issue: 'i34',
    created: local('2026-11-15', '20:30'),
    status: 'open',
    ackDueAt: local('2026-11-16', '09:30'),
    resolveDueAt: local('2026-11-16', '11:00'),
  },
];

async function seed(store: Store): Promise<void> {
  const issuePath = new Map(ISSUES.map((i) => [i.id, i]));
  await store.transaction(async (tx) => {
    for (const [n, seedIssue] of ISSUES.entries()) {
      await tx.issues.create(
        makeIssue({
          id: seedIssue.id,
          number: n + 1,
          channel: seedIssue.channel,
          threadId: `thread-${seedIssue.id}`,
          path: seedIssue.path,
          status: 'open',
          openedAt: seedIssue.opened,
          updatedAt: seedIssue.opened,
        }),
      );
    }
    for (const step of STEPS) {
      const path = PATHS[issuePath.get(step.issue)!.path]!;
      const level = path.levels[step.level ?? 0]!;
      const at = (minutes: number | undefined) =>
        minutes === undefined ? null : after(step.created, minutes);
      const escalation: Escalation = makeEscalation({
        id: step.id,
        number: step.number,
        issueId: step.issue,
        type: path.type,
        path: path.name,
        pathSnapshot: path,
        level: step.level ?? 0,
        trigger: step.trigger ?? 'manual',
        parentId: step.parent ?? null,
        createdAt: step.created,
        ackDueAt: step.ackDueAt ?? after(step.created, level.ackWithinMs! / MIN),
        resolveDueAt: step.resolveDueAt ?? after(step.created, level.resolveWithinMs! / MIN),
        claimedBy: step.claim === undefined ? null : 'slack:U0SPEC',
        claimedAt: at(step.claim),
        resolvedBy: step.resolve === undefined ? null : 'slack:U0SPEC',
        resolvedAt: at(step.resolve),
        rootCause: step.rootCause ?? null,
        bouncedBy: step.bounce === undefined ? null : 'slack:U0SPEC',
        bouncedAt: at(step.bounce),
        status:
          step.status ??
          (step.resolve !== undefined ? 'resolved' : step.bounce !== undefined ? 'bounced' : 'open'),
        reescalationOf: step.reescalationOf ?? null,
        pingPong: step.pingPong ?? false,
        evidence: {
          summary: step.systemic?.summary ?? 'Escalated by hand.',
          cluster: step.systemic?.members,
        },
      });
      await tx.escalations.create(escalation);
      for (const member of step.systemic?.members ?? []) {
        await tx.triggers.addSystemicMember(step.id, member, step.created);
      }
      if (step.csat !== undefined) {
        await tx.csat.record({
          id: `csat_${step.id}`,
          escalationId: step.id,
          issueId: step.issue,
          score: step.csat,
          respondent: 'slack:UCUST1',
          at: after(step.created, step.resolve! + 30),
        });
      }
    }
  });
}

const minutes = (count: number, p50: number | null, p90: number | null) => ({
  count,
  p50Ms: p50 === null ? null : p50 * MIN,
  p90Ms: p90 === null ? null : p90 * MIN,
});

/** The figures of a slice with no steps at all. */
const EMPTY_STEPS = {
  escalations: 0,
  steps: 0,
  byType: {},
  byTrigger: {},
  timeToClaim: minutes(0, null, null),
  timeToResolve: minutes(0, null, null),
  ackCompliance: null,
  resolveCompliance: null,
  reescalationRate: null,
  bounceRate: null,
  pingPongs: 0,
  dismissed: 0,
  csat: { mean: null, responses: 0, resolved: 0, responseRate: null },
  avoidable: { count: 0, outOf: 0, share: null },
};

/** Billing in week 44: E4 E5 E10 E12 E13 E14 E15. */
const BILLING_W44: MetricSet = {
  // i13 i14 i18 i20 i22 i24; all but i22 escalated.
  issues: 6,
  deflected: 0,
  escalatedIssues: 5,
  escalationRate: 5 / 6,
  escalations: 5,
  steps: 7,
  byType: { hierarchical: 5 },
  byTrigger: { manual: 3, high_value: 1, manager_request: 1 },
  // E12 5, E13 10, E4 20, E14 20, E10 30, E5 90: p50 = 3rd = 20, p90 = ceil(5.4) = 6th = 90.
  timeToClaim: minutes(6, 20, 90),
  // E14 120, E5 360: p50 = 1st, p90 = ceil(1.8) = 2nd.
  timeToResolve: minutes(2, 120, 360),
  // E5 late (90 > 60); E15 ahead.
  ackCompliance: 5 / 6,
  // E5 and E14 in time; E4 E10 E12 E13 past their deadline unresolved; E15 ahead.
  resolveCompliance: 2 / 6,
  reescalationRate: 0,
  bounceRate: 2 / 7,
  pingPongs: 1,
  dismissed: 1,
  // Resolved E5 E14; answered E14 (1).
  csat: { mean: 1, responses: 1, resolved: 2, responseRate: 1 / 2 },
  // Both authority gaps.
  avoidable: { count: 2, outOf: 2, share: 1 },
};

/** The escalation figures of W2 alone (billing, Teams, high value; claimed and resolved late). */
const W2_ONLY = {
  escalations: 1,
  steps: 1,
  byType: { hierarchical: 1 },
  byTrigger: { high_value: 1 },
  timeToClaim: minutes(1, 120, 120),
  timeToResolve: minutes(1, 1800, 1800),
  ackCompliance: 0,
  resolveCompliance: 0,
  reescalationRate: 0,
  bounceRate: 0,
  pingPongs: 0,
  dismissed: 0,
  csat: { mean: null, responses: 0, resolved: 1, responseRate: 0 },
  avoidable: { count: 0, outOf: 1, share: 0 },
};

let temp: TempStore;
let week: DigestReport;
let billingWeek: DigestReport;
let month: DigestReport;

beforeAll(async () => {
  temp = await createTempStore();
  await seed(temp.store);
  const weekly = { period: W44, previousPeriod: W43, timeZone: NY, now: WEEK_NOW };
  week = await buildDigestReport(temp.store, { ...weekly, path: null });
  billingWeek = await buildDigestReport(temp.store, { ...weekly, path: 'billing' });
  month = await buildDigestReport(temp.store, {
    period: MONTH,
    previousPeriod: MONTH_BEFORE,
    path: null,
    timeZone: NY,
    now: MONTH_NOW,
  });
});
afterAll(() => temp.cleanup());

const slice = (breakdown: DigestReport['byPath'], key: string) => {
  const found = breakdown.find((b) => b.key === key);
  if (!found) throw new Error(`no slice ${key} in ${breakdown.map((b) => b.key).join(', ')}`);
  return found;
};

describe('the week over the end of daylight saving time (2026-W44 against 2026-W43)', () => {
  it('the periods are cut on New York midnights: the week lasts 169 hours', () => {
    expect(W44.from.toISOString()).toBe('2026-10-26T04:00:00.000Z');
    expect(W44.to.toISOString()).toBe('2026-11-02T05:00:00.000Z');
    expect(week.period).toEqual(W44);
    expect(week.previousPeriod).toEqual(W43);
    expect(week.path).toBeNull();
  });

  it('every figure of the whole week', () => {
    expect(week.current).toEqual({
      // i11..i25 opened in the week: 15; escalated: all but i17, i21, i22, i23 = 11.
      issues: 15,
      deflected: 0,
      escalatedIssues: 11,
      escalationRate: 11 / 15,
      // 16 steps; first steps: all but E3, E8, E13, E14 (they have a parent) = 12.
      escalations: 12,
      steps: 16,
      // tech E1 E2 E6 E7 E9 E11 E16 = 7; billing E4 E5 E10 E12 E15 = 5.
      byType: { functional: 7, hierarchical: 5 },
      // manual E1 E4 E6 E11 E12 E15 E16 = 7; one each for the rest.
      byTrigger: { manual: 7, dissatisfaction: 1, high_value: 1, legal: 1, systemic: 1, manager_request: 1 },
      // Claimed (14; E7 and E15 never): 5 5 5 10 10 10 10 15 20 20 20 30 45 90.
      // p50 = ceil(0.5·14) = 7th = 10; p90 = ceil(0.9·14) = 13th = 45.
      timeToClaim: minutes(14, 10, 45),
      // Resolved (8): E8 60, E1 120, E9 120, E14 120, E3 180, E11 180, E6 300, E5 360.
      // p50 = 4th = 120; p90 = ceil(7.2) = 8th = 360. E11 counts real time over the change: 180.
      timeToResolve: minutes(8, 120, 360),
      // Decided: 14 claimed + E7 (deadline passed) = 15 (E15's deadline is ahead); late: E2 45>30,
      // E5 90>60, E7 never → 12/15.
      ackCompliance: 12 / 15,
      // Decided: 8 resolved + E2 E4 E7 E10 E12 E13 past their deadline unresolved = 14 (E15 and E16
      // are ahead); in time: E1 E3 E5 E8 E9 E11 E14 = 7 (E6 300 > 240) → 7/14.
      resolveCompliance: 7 / 14,
      // E6 repeats W3: 1 of 12 first steps.
      reescalationRate: 1 / 12,
      // E4 and E13 bounced: 2/16.
      bounceRate: 2 / 16,
      pingPongs: 1,
      dismissed: 1,
      // 8 resolved; answered E1 5, E3 2, E6 4, E8 3, E11 5, E14 1: 20/6, 6/8.
      csat: { mean: 20 / 6, responses: 6, resolved: 8, responseRate: 6 / 8 },
      // Knowledge E1 E6, authority E5 E14 = 4 of the 8 resolved with a root cause.
      avoidable: { count: 4, outOf: 8, share: 4 / 8 },
    } satisfies MetricSet);
  });

  it('every figure of the week before, for the changes', () => {
    expect(week.previous).toEqual({
      // i1..i5: 5; escalated i1 i2 i5 = 3.
      issues: 5,
      deflected: 0,
      escalatedIssues: 3,
      escalationRate: 3 / 5,
      escalations: 4,
      steps: 4,
      byType: { functional: 3, hierarchical: 1 },
      byTrigger: { manual: 3, high_value: 1 },
      // 5 10 20 120: p50 = 2nd = 10, p90 = ceil(3.6) = 4th = 120.
      timeToClaim: minutes(4, 10, 120),
      // 60 60 1800: p50 = ceil(1.5) = 2nd = 60, p90 = ceil(2.7) = 3rd = 1800.
      timeToResolve: minutes(3, 60, 1800),
      // W2 claimed after 120 > 60.
      ackCompliance: 3 / 4,
      // W2 30 h > 24 h; W3 bounced, never resolved, deadline passed.
      resolveCompliance: 2 / 4,
      reescalationRate: 1 / 4,
      bounceRate: 1 / 4,
      pingPongs: 0,
      dismissed: 0,
      // Resolved W1 W2 W4; answered W1 (4).
      csat: { mean: 4, responses: 1, resolved: 3, responseRate: 1 / 3 },
      // W1 and W4 knowledge gaps, W2 a system issue.
      avoidable: { count: 2, outOf: 3, share: 2 / 3 },
    } satisfies MetricSet);
  });

  it('by path: busiest first, and every figure of billing in both weeks', () => {
    // tech: E1 E2 E3 E6 E7 E8 E9 E11 E16 = 9 steps; billing: E4 E5 E10 E12 E13 E14 E15 = 7.
    expect(week.byPath.map((b) => [b.key, b.label, b.current.steps])).toEqual([
      ['tech', 'tech', 9],
      ['billing', 'billing', 7],
    ]);
    expect(slice(week.byPath, 'billing').current).toEqual(BILLING_W44);
    expect(slice(week.byPath, 'billing').previous).toEqual({
      // i2 and i4; only i2 escalated (W2).
      issues: 2,
      deflected: 0,
      escalatedIssues: 1,
      escalationRate: 1 / 2,
      ...W2_ONLY,
    } satisfies MetricSet);
  });

  it('by level: keyed by path and level, labelled with the level name; L3 had no first steps', () => {
    // tech:0 E1 E2 E6 E7 E9 E11 E16 = 7; billing:0 E4 E5 E10 E12 E14 E15 = 6; tech:1 E3 E8; billing:1 E13.
    expect(week.byLevel.map((b) => [b.key, b.label, b.current.steps])).toEqual([
      ['tech:0', 'L2 Tech', 7],
      ['billing:0', 'Billing L1', 6],
      ['tech:1', 'L3 Engineering', 2],
      ['billing:1', 'Billing Managers', 1],
    ]);
    expect(slice(week.byLevel, 'tech:1').current).toEqual({
      issues: null,
      deflected: null,
      escalatedIssues: null,
      escalationRate: null,
      escalations: 0,
      steps: 2,
      byType: {},
      byTrigger: {},
      // E3 5, E8 10: p50 = 1st, p90 = ceil(1.8) = 2nd.
      timeToClaim: minutes(2, 5, 10),
      // E8 60, E3 180.
      timeToResolve: minutes(2, 60, 180),
      ackCompliance: 1,
      resolveCompliance: 1,
      // No first steps on L3: no denominator.
      reescalationRate: null,
      bounceRate: 0,
      pingPongs: 0,
      dismissed: 0,
      // E3 2, E8 3.
      csat: { mean: 2.5, responses: 2, resolved: 2, responseRate: 1 },
      // System issue and other: none avoidable.
      avoidable: { count: 0, outOf: 2, share: 0 },
    } satisfies MetricSet);
    // Nothing reached L3 in week 43.
    expect(slice(week.byLevel, 'tech:1').previous).toEqual({
      issues: null,
      deflected: null,
      escalatedIssues: null,
      escalationRate: null,
      ...EMPTY_STEPS,
    });
  });

  it('by support channel: every figure of the Teams channel in both weeks', () => {
    // Slack: E1 E2 E3 E5 E6 E9 E11 E12 E13 E14 E15 = 11; Teams: E4 E7 E8 E10 E16 = 5.
    expect(week.byChannel.map((b) => [b.key, b.current.steps])).toEqual([
      [SLACK, 11],
      [TEAMS, 5],
    ]);
    expect(slice(week.byChannel, TEAMS).current).toEqual({
      // Teams issues i13 i15 i17 i18 i22 i23 i25 = 7; escalated i13 i15 i18 i25 = 4.
      issues: 7,
      deflected: null,
      escalatedIssues: 4,
      escalationRate: 4 / 7,
      escalations: 4,
      steps: 5,
      byType: { hierarchical: 2, functional: 2 },
      byTrigger: { manual: 2, legal: 1, manager_request: 1 },
      // E8 10, E16 10, E4 20, E10 30: p50 = 2nd = 10, p90 = 4th = 30.
      timeToClaim: minutes(4, 10, 30),
      timeToResolve: minutes(1, 60, 60),
      // E4 E8 E10 E16 in time, E7 never claimed.
      ackCompliance: 4 / 5,
      // E8 in time; E4 E7 E10 past their deadline; E16 still ahead.
      resolveCompliance: 1 / 4,
      reescalationRate: 0,
      bounceRate: 1 / 5,
      pingPongs: 0,
      dismissed: 1,
      csat: { mean: 3, responses: 1, resolved: 1, responseRate: 1 },
      avoidable: { count: 0, outOf: 1, share: 0 },
    } satisfies MetricSet);
    // Teams in week 43: i2 and i3, W2 only.
    expect(slice(week.byChannel, TEAMS).previous).toEqual({
      issues: 2,
      deflected: null,
      escalatedIssues: 1,
      escalationRate: 1 / 2,
      ...W2_ONLY,
    } satisfies MetricSet);
  });

  it('by trigger (of each step): every figure of dissatisfaction in both weeks', () => {
    // manual E1 E4 E6 E11 E12 E13 E15 E16 = 8; dissatisfaction E2 E3; legal E7 E8; then one each,
    // ties by key.
    expect(week.byTrigger.map((b) => [b.key, b.label, b.current.steps])).toEqual([
      ['manual', 'Manual', 8],
      ['dissatisfaction', 'Dissatisfaction', 2],
      ['legal', 'Legal / compliance', 2],
      ['bounce', 'Bounced back', 1],
      ['high_value', 'High value', 1],
      ['manager_request', 'Manager request', 1],
      ['systemic', 'Systemic', 1],
    ]);
    expect(slice(week.byTrigger, 'dissatisfaction').current).toEqual({
      issues: null,
      deflected: null,
      escalatedIssues: null,
      escalationRate: null,
      escalations: 1,
      steps: 2,
      byType: { functional: 1 },
      byTrigger: { dissatisfaction: 1 },
      // E3 5, E2 45.
      timeToClaim: minutes(2, 5, 45),
      timeToResolve: minutes(1, 180, 180),
      // E2 late (45 > 30), E3 in time.
      ackCompliance: 1 / 2,
      // E2 never resolved (superseded, deadline passed), E3 in time.
      resolveCompliance: 1 / 2,
      reescalationRate: 0,
      bounceRate: 0,
      pingPongs: 0,
      dismissed: 0,
      csat: { mean: 2, responses: 1, resolved: 1, responseRate: 1 },
      avoidable: { count: 0, outOf: 1, share: 0 },
    } satisfies MetricSet);
    expect(slice(week.byTrigger, 'dissatisfaction').previous).toEqual({
      issues: null,
      deflected: null,
      escalatedIssues: null,
      escalationRate: null,
      ...EMPTY_STEPS,
    });
  });

  it('root causes: counts, shares of the 8 resolved with a cause, last week and the latest example', () => {
    const example = (number: number, channel: string, issue: string) => ({
      escalationNumber: number,
      channel,
      threadId: `thread-${issue}`,
    });
    expect(week.rootCauses).toEqual([
      // authority E5 E14; knowledge E1 E6 (last week W1 W4); system E3 E9 (last week W2).
      {
        cause: 'authority_gap',
        label: 'Authority gap',
        count: 2,
        share: 2 / 8,
        previousCount: 0,
        example: example(1014, SLACK, 'i24'),
      },
      {
        cause: 'knowledge_gap',
        label: 'Knowledge gap',
        count: 2,
        share: 2 / 8,
        previousCount: 2,
        example: example(1006, SLACK, 'i5'),
      },
      {
        cause: 'system_issue',
        label: 'System issue',
        count: 2,
        share: 2 / 8,
        previousCount: 1,
        example: example(1009, SLACK, 'i16'),
      },
      {
        cause: 'customer_request',
        label: 'Customer request',
        count: 1,
        share: 1 / 8,
        previousCount: 0,
        example: example(1011, SLACK, 'i19'),
      },
      {
        cause: 'other',
        label: 'Other',
        count: 1,
        share: 1 / 8,
        previousCount: 0,
        example: example(1008, TEAMS, 'i15'),
      },
    ]);
  });

  it('systemic clusters: the systemic escalation of the week and the threads it stands for', () => {
    expect(week.systemicClusters).toEqual([
      {
        escalationNumber: 1009,
        threads: 3,
        summary: '3 threads: checkout fails with error 502',
        example: { escalationNumber: 1009, channel: SLACK, threadId: 'thread-i16' },
      },
    ]);
  });

  it('the chart has the 7 New York days; late-night escalations on both sides of the change stay on their local day', () => {
    expect(week.chart.days).toEqual([
      '2026-10-26',
      '2026-10-27',
      '2026-10-28',
      '2026-10-29',
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
    ]);
    // First steps per day: Mon E1; Tue E2 E4; Wed E5 E6; Thu E7 E9; Fri E10 E12; Sat E11 (23:30 EDT,
    // 03:30Z on Sunday); Sun E16 and E15 (20:30 and 23:30 EST, 01:30Z and 04:30Z on Monday).
    expect(week.chart.series).toEqual([
      { trigger: 'manual', label: 'Manual', counts: [1, 1, 1, 0, 1, 1, 2] },
      { trigger: 'manager_request', label: 'Manager request', counts: [0, 0, 0, 0, 1, 0, 0] },
      { trigger: 'high_value', label: 'High value', counts: [0, 0, 1, 0, 0, 0, 0] },
      { trigger: 'systemic', label: 'Systemic', counts: [0, 0, 0, 1, 0, 0, 0] },
      { trigger: 'legal', label: 'Legal / compliance', counts: [0, 0, 0, 1, 0, 0, 0] },
      { trigger: 'dissatisfaction', label: 'Dissatisfaction', counts: [0, 1, 0, 0, 0, 0, 0] },
    ]);
    // Steps created that day and resolved, hours: Mon E1 2; Tue E3 3; Wed E6 5, E5 6 → 1st of 2 = 5;
    // Thu E8 1, E9 2 → 1; Fri E14 2; Sat E11 3 (real time); Sun nothing resolved.
    expect(week.chart.medianResolveHours).toEqual([2, 3, 5, 1, 2, 3, null]);
  });
});

describe('one path: the billing report of the same week', () => {
  it('counts only billing escalations and billing issues', () => {
    expect(billingWeek.path).toBe('billing');
    expect(billingWeek.current).toEqual(BILLING_W44);
    expect(billingWeek.previous).toEqual({
      issues: 2,
      deflected: 0,
      escalatedIssues: 1,
      escalationRate: 1 / 2,
      ...W2_ONLY,
    });
    expect(billingWeek.byPath.map((b) => b.key)).toEqual(['billing']);
    // Slack E5 E12 E13 E14 E15 = 5; Teams E4 E10 = 2.
    expect(billingWeek.byChannel.map((b) => [b.key, b.current.steps, b.current.issues])).toEqual([
      [SLACK, 5, 3], // i14 i20 i24
      [TEAMS, 2, 3], // i13 i18 i22
    ]);
    expect(billingWeek.systemicClusters).toEqual([]);
  });

  it('a root cause seen only last week stays, with 0 and no example', () => {
    expect(billingWeek.rootCauses).toEqual([
      {
        cause: 'authority_gap',
        label: 'Authority gap',
        count: 2,
        share: 1,
        previousCount: 0,
        example: { escalationNumber: 1014, channel: SLACK, threadId: 'thread-i24' },
      },
      { cause: 'system_issue', label: 'System issue', count: 0, share: 0, previousCount: 1, example: null },
    ]);
  });

  it('the chart shows only billing triggers', () => {
    expect(billingWeek.chart.series.map((s) => [s.trigger, s.counts])).toEqual([
      ['manual', [0, 1, 0, 0, 1, 0, 1]], // E4 Tue, E12 Fri, E15 Sun
      ['manager_request', [0, 0, 0, 0, 1, 0, 0]],
      ['high_value', [0, 0, 1, 0, 0, 0, 0]],
    ]);
    // Wed E5 6 h; Fri E14 2 h.
    expect(billingWeek.chart.medianResolveHours).toEqual([null, null, 6, null, 2, null, null]);
  });
});

describe('the whole month (19 October to 15 November) against four empty weeks', () => {
  it('every figure of the month', () => {
    expect(month.current).toEqual({
      // 5 + 15 + 4 issues; escalated 3 + 11 + 3 (i31 i32 i34).
      issues: 24,
      deflected: 0,
      escalatedIssues: 17,
      escalationRate: 17 / 24,
      // Steps 4 + 16 + 3; first steps 4 + 12 + 3.
      escalations: 19,
      steps: 23,
      // functional 3 + 7 + 2 (M1 M3); hierarchical 1 + 5 + 1 (M2).
      byType: { functional: 12, hierarchical: 7 },
      // manual 3 + 7 + 2; high_value W2 E5; systemic E9 M2.
      byTrigger: { manual: 12, high_value: 2, dissatisfaction: 1, legal: 1, systemic: 2, manager_request: 1 },
      // 20 claims: 5×4, 10×5, 15, 20×5, 30×2, 45, 90, 120. p50 = 10th = 15; p90 = 18th = 45.
      timeToClaim: minutes(20, 15, 45),
      // 13 resolutions: 60×3, 120×4, 180×2, 240, 300, 360, 1800. p50 = ceil(6.5) = 7th = 120;
      // p90 = ceil(11.7) = 12th = 360.
      timeToResolve: minutes(13, 120, 360),
      // At MONTH_NOW E15's ack deadline has passed too (a miss); M3's is still ahead.
      // Decided 4 + 16 + 2 (M1 M2); in time 3 + 12 + 2.
      ackCompliance: 17 / 22,
      // E15 and E16 are now past their resolve deadlines unresolved: decided 4 + 16 + 2; in time 2 + 7 + 2.
      resolveCompliance: 11 / 22,
      // W4 and E6 of 19 first steps.
      reescalationRate: 2 / 19,
      // W3 E4 E13.
      bounceRate: 3 / 23,
      pingPongs: 1,
      dismissed: 1,
      // Resolved 3 + 8 + 2; answers W1 4, the week's six (20), M1 5: 29 over 8.
      csat: { mean: 29 / 8, responses: 8, resolved: 13, responseRate: 8 / 13 },
      // Knowledge W1 W4 E1 E6 M1, authority E5 E14 = 7 of 13.
      avoidable: { count: 7, outOf: 13, share: 7 / 13 },
    } satisfies MetricSet);
  });

  it('the four weeks before hold nothing: counts are zero and rates have no value', () => {
    expect(month.previous).toEqual({
      issues: 0,
      escalatedIssues: 0,
      escalationRate: null,
      deflected: 0,
      ...EMPTY_STEPS,
    });
    expect(slice(month.byPath, 'billing').previous).toEqual({
      issues: 0,
      deflected: 0,
      escalatedIssues: 0,
      escalationRate: null,
      ...EMPTY_STEPS,
    });
  });

  it('root causes over the month', () => {
    expect(
      month.rootCauses.map((r) => [r.cause, r.count, r.share, r.previousCount, r.example?.escalationNumber]),
    ).toEqual([
      ['knowledge_gap', 5, 5 / 13, 0, 1101], // W1 W4 E1 E6 M1
      ['system_issue', 4, 4 / 13, 0, 1102], // W2 E3 E9 M2
      ['authority_gap', 2, 2 / 13, 0, 1014], // E5 E14
      ['customer_request', 1, 1 / 13, 0, 1011],
      ['other', 1, 1 / 13, 0, 1008],
    ]);
  });

  it('systemic clusters, largest first', () => {
    expect(month.systemicClusters.map((c) => [c.escalationNumber, c.threads, c.summary])).toEqual([
      [1009, 3, '3 threads: checkout fails with error 502'],
      [1102, 2, '2 threads: invoices show the wrong VAT'],
    ]);
  });

  it('the chart has the 28 days of the month, whichever offset each is on', () => {
    expect(month.chart.days).toHaveLength(28);
    expect([month.chart.days[0], month.chart.days[13], month.chart.days[27]]).toEqual([
      '2026-10-19',
      '2026-11-01',
      '2026-11-15',
    ]);
    // Each series adds up to the month's first steps of its trigger.
    const totals = month.chart.series.map((s) => [s.trigger, s.counts.reduce((a, b) => a + b, 0)]);
    expect(totals).toEqual([
      ['manual', 12],
      ['manager_request', 1],
      ['high_value', 2],
      ['systemic', 2],
      ['legal', 1],
      ['dissatisfaction', 1],
    ]);
    const systemic = month.chart.series.find((s) => s.trigger === 'systemic')!.counts;
    expect(systemic.flatMap((n, i) => (n > 0 ? [month.chart.days[i]] : []))).toEqual([
      '2026-10-29',
      '2026-11-10',
    ]);
    // Hours: Mon 19 W1 1; Tue 20 W2 30; Sat 24 W4 1; week 44 as above; Tue 3 Nov M1 2; Tue 10 M2 4.
    const n = null;
    expect(month.chart.medianResolveHours).toEqual([
      ...[1, 30, n, n, n, 1, n],
      ...[2, 3, 5, 1, 2, 3, n],
      ...[n, 2, n, n, n, n, n],
      ...[n, 4, n, n, n, n, n],
    ]);
  });
});
