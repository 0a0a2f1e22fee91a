import { describe, expect, it } from 'vitest';
import { buildDigestCard } from '../../../../src/app/digest/digest-card.js';
import type { Breakdown, DigestReport, MetricSet } from '../../../../src/domain/digest/report.js';

const HOUR = 3_600_000;

function metrics(overrides: Partial<MetricSet> = {}): MetricSet {
  return {
    issues: 100,
    escalatedIssues: 10,
    escalationRate: 0.1,
    deflected: 2,
    escalations: 10,
    steps: 12,
    byType: {},
    byTrigger: {},
    timeToClaim: { count: 10, p50Ms: 0.5 * HOUR, p90Ms: HOUR },
    timeToResolve: { count: 8, p50Ms: 3 * HOUR, p90Ms: 6 * HOUR },
    ackCompliance: 0.8,
    resolveCompliance: 0.75,
    reescalationRate: 0.1,
    bounceRate: 0.25,
    pingPongs: 0,
    dismissed: 0,
    csat: { mean: 4.2, responses: 6, resolved: 8, responseRate: 0.75 },
    avoidable: { count: 3, outOf: 8, share: 0.375 },
    ...overrides,
  };
}

const level = (key: string, label: string, p50Hours: number): Breakdown => ({
  key,
  label,
  current: metrics({ timeToResolve: { count: 2, p50Ms: p50Hours * HOUR, p90Ms: 2 * p50Hours * HOUR } }),
  previous: metrics(),
});

const channel = (key: string, escalations: number): Breakdown => ({
  key,
  label: key,
  current: metrics({ escalations, issues: 40 }),
  previous: metrics({ escalations: 1 }),
});

const thread = (n: number) => ({
  escalationNumber: n,
  channel: 'slack:C0SUPPORT',
  threadId: `17000000${n}.000100`,
});

const report: DigestReport = {
  period: { label: '2026-W48', from: new Date('2026-11-22T13:00:00Z'), to: new Date('2026-11-29T13:00:00Z') },
  previousPeriod: {
    label: '2026-W47',
    from: new Date('2026-11-15T13:00:00Z'),
    to: new Date('2026-11-22T13:00:00Z'),
  },
  path: null,
  current: metrics(),
  previous: metrics({
    escalations: 7,
    escalationRate: 0.08,
    timeToResolve: { count: 5, p50Ms: 4 * HOUR, p90Ms: 8 * HOUR },
    csat: { mean: 4.5, responses: 2, resolved: 4, responseRate: 0.5 },
  }),
  byPath: [],
  byLevel: [
    level('tech:0', 'L2 Tech', 2),
    level('tech:1', 'L3 Engineering', 7),
    level('management:0', 'Team lead', 1),
  ],
  byChannel: [
    channel('slack:C0SUPPORT', 6),
    channel('teams:19:abc@thread.tacv2', 4),
    channel('slack:C0OTHER', 0),
  ],
  byTrigger: [],
  rootCauses: [
    {
      cause: 'knowledge_gap',
      label: 'Knowledge gap',
      count: 4,
      share: 0.5,
      previousCount: 2,
      example: thread(41),
    },
    {
      cause: 'system_issue',
      label: 'System issue',
      count: 2,
      share: 0.25,
      previousCount: 2,
      example: thread(42),
    },
    {
      cause: 'authority_gap',
      label: 'Authority gap',
      count: 1,
      share: 0.125,
      previousCount: 3,
      example: thread(43),
    },
    { cause: 'other', label: 'Other', count: 1, share: 0.125, previousCount: 0, example: thread(44) },
  ],
  systemicClusters: [{ escalationNumber: 45, threads: 6, summary: 'login error E-503', example: thread(45) }],
  answersWritten: [],
  chart: { title: 'Escalations per day, 2026-W48', days: [], series: [], medianResolveHours: [] },
};

const policy = {
  timezone: 'Australia/Sydney',
  supportChannels: [
    { channel: 'slack:C0SUPPORT', path: 'tech' },
    { channel: 'teams:19:abc@thread.tacv2', path: 'tech', name: '#support-emea' },
  ],
};

const textOf = (card: ReturnType<typeof buildDigestCard>) => JSON.stringify(card);

describe('the digest card', () => {
  const card = buildDigestCard(report, { policy, channel: 'slack:C0LEADS', full: false });

  it('leads with the week and its headline figures, each with its week-over-week arrow', () => {
    expect(card.title).toBe('Escalation digest · 2026-W48 (23 Nov – 29 Nov)');
    expect(card.status).toBe('*10 escalations* from 100 new issues (▲ 3)');
    const field = (label: string) => card.fields.find((f) => f.label === label)?.value;
    expect(field('Escalation rate')).toBe('10% (▲ 2 pts)');
    expect(field('Time to resolve (median)')).toBe('3h (▼ 1h)');
    expect(field('Time to claim (median)')).toBe('30m (= last week)');
    expect(field('CSAT after escalation')).toBe('4.2 / 5 (▼ 0.3) · 6 answers (75%)');
    expect(field('Avoidable (knowledge or authority gap)')).toBe('3 (38%) (= last week)');
    expect(card.actions).toEqual([]);
    expect(card.chart?.title).toBe('Escalations per day, 2026-W48');
  });

  it('names the top three root causes with an example thread each', () => {
    const causes = card.sections.find((s) => s.heading === 'Top root causes')?.text;
    expect(causes).toBe(
      '1. Knowledge gap: 4 (50%) (▲ 2) · e.g. #41\n2. System issue: 2 (25%) (= last week) · e.g. #42\n3. Authority gap: 1 (13%) (▼ 2) · e.g. #43',
    );
    expect(card.links.map((l) => l.thread.threadId)).toEqual([
      thread(41).threadId,
      thread(42).threadId,
      thread(43).threadId,
    ]);
  });

  it('points out the slowest level and the channels with the most escalations', () => {
    expect(card.sections.find((s) => s.heading === 'Slowest level')?.text).toBe(
      'L3 Engineering: median 7h to resolve (p90 14h), median 30m to claim',
    );
    expect(card.sections.find((s) => s.heading === 'Most escalations by support channel')?.text).toBe(
      '<#slack:C0SUPPORT|C0SUPPORT>: 6 of 40 issues (10%) (▲ 5)\n<#teams:19:abc@thread.tacv2|#support-emea>: 4 of 40 issues (10%) (▲ 3)',
    );
    expect(textOf(card)).toContain('#45: 6 threads · login error E-503');
  });

  it('says how to get the full report on the platform it is posted to', () => {
    expect(card.context[0]).toContain('Full report: `/escalation-digest 2026-W48`');
    expect(card.context[0]).toContain('npm run export -- --from 2026-11-23 --to 2026-11-29');
    const teams = buildDigestCard(report, { policy, channel: 'teams:19:leads@thread.tacv2', full: false });
    expect(teams.context[0]).toContain('Full report: `@Escalator digest 2026-W48`');
  });

  it('adds every breakdown to the full report', () => {
    const full = buildDigestCard(
      { ...report, byPath: [level('tech', 'tech', 3)], byTrigger: [level('manual', 'Manual', 3)] },
      { policy, channel: 'slack:C0LEADS', full: true },
    );
    expect(full.sections.map((s) => s.heading)).toEqual([
      'Root causes',
      'Slowest level',
      'Most escalations by support channel',
      'Avoidable escalations by path',
      'Largest systemic cluster',
      'By path',
      'By level',
      'By trigger',
      'By support channel',
    ]);
    expect(full.sections.find((s) => s.heading === 'Root causes')?.text).toContain('4. Other: 1 (13%) (▲ 1)');
  });

  it('counts what the frontline solved itself, the avoidable escalations per path and the answers written', () => {
    const path = (
      key: string,
      current: Partial<MetricSet>,
      previous: Partial<MetricSet> = {},
    ): Breakdown => ({
      key,
      label: key,
      current: metrics(current),
      previous: metrics(previous),
    });
    const answer = (n: number, firstLine: string) => ({
      escalationNumber: n,
      path: 'tech',
      firstLine,
      resolvedBy: 'slack:U0SPEC',
      resolvedAt: new Date('2026-11-24T01:00:00Z'),
      thread: thread(n),
    });
    const week: DigestReport = {
      ...report,
      current: metrics({ deflected: 5 }),
      previous: metrics({ deflected: 2 }),
      byPath: [
        path('tech', { deflected: 5, avoidable: { count: 4, outOf: 6, share: 4 / 6 } }),
        path('management', { deflected: 0, avoidable: { count: 0, outOf: 1, share: 0 } }),
        // Nothing resolved and nothing deflected: nothing to say about it.
        path('vendors', { deflected: 0, avoidable: { count: 0, outOf: 0, share: null } }),
      ],
      answersWritten: [1, 2, 3, 4, 5, 6, 7].map((n) => answer(50 + n, `Clear the export cache, step ${n}`)),
    };
    const weekly = buildDigestCard(week, { policy, channel: 'slack:C0LEADS', full: false });
    expect(weekly.fields.find((f) => f.label === 'Solved without escalating')?.value).toBe(
      '5 by “This solved it” (▲ 3)',
    );
    expect(weekly.fallback).toContain('5 solved without escalating');
    expect(weekly.sections.find((s) => s.heading === 'Avoidable escalations by path')?.text).toBe(
      '*tech*: avoidable 4 of 6 resolved (67%) · 5 solved without escalating\n*management*: avoidable 0 of 1 resolved (0%) · 0 solved without escalating',
    );
    // The weekly digest lists five and says how many more; the full report lists them all.
    expect(weekly.sections.find((s) => s.heading === 'Knowledge answers written: 7')?.text).toBe(
      [51, 52, 53, 54, 55].map((n) => `#${n} · tech · Clear the export cache, step ${n - 50}`).join('\n') +
        '\n…and 2 more',
    );
    expect(weekly.context[0]).toContain(
      'Answers as Markdown: `npm run knowledge:export -- --since 2026-11-23`',
    );
    const full = buildDigestCard(week, { policy, channel: 'slack:C0LEADS', full: true });
    expect(full.sections.find((s) => s.heading === 'Knowledge answers written: 7')?.text).toContain(
      '#57 · tech · Clear the export cache, step 7',
    );
  });

  it('says nothing about deflections or answers when the report could not read them', () => {
    const unknown = buildDigestCard(
      {
        ...report,
        current: metrics({ deflected: null }),
        previous: metrics({ deflected: null }),
        answersWritten: null,
      },
      { policy, channel: 'slack:C0LEADS', full: false },
    );
    expect(unknown.fields.map((f) => f.label)).not.toContain('Solved without escalating');
    expect(textOf(unknown)).not.toContain('Knowledge answers written');
    expect(textOf(unknown)).not.toContain('knowledge:export');
  });
});
