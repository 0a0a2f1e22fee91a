import { weekDates } from '../../domain/digest/period.js';
import type { DigestReport, MetricSet, Period } from '../../domain/digest/report.js';
import type { Policy } from '../../domain/policy.js';
import type { Clock } from '../../ports/clock.js';
import type { Repositories } from '../../ports/store.js';
import { change, duration, percent } from '../digest/digest-figures.js';
import { requestedReport } from '../digest/on-demand.js';

/** A headline figure with the previous period's, as the digest writes them. */
export interface DashboardFigure {
  /** Stable name (`escalation-rate`, `time-to-claim`…): the page's `figure-<name>`. */
  name: string;
  label: string;
  value: string;
  previous: string;
  /** "▲ 2 pts", "▼ 40m", "" when there is nothing to compare. */
  change: string;
}

export interface DashboardReport {
  period: PeriodView;
  previousPeriod: PeriodView;
  path: string | null;
  /** The policy's paths, for the picker. */
  paths: string[];
  figures: DashboardFigure[];
  /** The digest's figures unformatted, exactly as `buildDigestReport` computed them. */
  metrics: { current: MetricSet; previous: MetricSet };
  rootCauses: Array<{ cause: string; label: string; count: number; share: number; previousCount: number }>;
  /** Time to resolve per level (median and p90 over the steps resolved), slowest first. */
  levels: Array<{
    key: string;
    label: string;
    resolved: number;
    p50Ms: number | null;
    p90Ms: number | null;
    previousP50Ms: number | null;
  }>;
  /** Escalations per day stacked by trigger: the digest chart's data. */
  chart: DigestReport['chart'];
}

export interface PeriodView {
  label: string;
  from: string;
  to: string;
  /** Local dates of its first and last day. */
  first: string;
  last: string;
}

export type DashboardReportAnswer =
  | { ok: true; report: DigestReport; view: DashboardReport }
  | { ok: false; message: string };

/**
 * The digest's report for what a lead typed in the period picker (`this week`, `last week`,
 * `2026-W48`, each optionally followed by a path), as `/escalation-digest` reads it, computed by
 * the digest's own report builder; a period that cannot be read comes back with what to type.
 */
export async function dashboardReport(
  ctx: { store: Pick<Repositories, 'analytics'>; policy: Policy; clock: Clock },
  text: string,
): Promise<DashboardReportAnswer> {
  const answer = await requestedReport(ctx, text);
  if (!answer.ok) return answer;
  const { report } = answer;
  const { period, previousPeriod } = report;
  const { timezone } = ctx.policy;
  const view = (p: Period): PeriodView => ({
    label: p.label,
    from: p.from.toISOString(),
    to: p.to.toISOString(),
    ...weekDates(p, timezone),
  });
  return {
    ok: true,
    report,
    view: {
      period: view(period),
      previousPeriod: view(previousPeriod),
      path: report.path,
      paths: Object.keys(ctx.policy.paths),
      figures: figuresOf(report.current, report.previous),
      metrics: { current: report.current, previous: report.previous },
      rootCauses: report.rootCauses.map(({ cause, label, count, share, previousCount }) => ({
        cause,
        label,
        count,
        share,
        previousCount,
      })),
      levels: report.byLevel
        .filter((b) => b.current.steps > 0)
        .map((b) => ({
          key: b.key,
          label: b.label,
          resolved: b.current.timeToResolve.count,
          p50Ms: b.current.timeToResolve.p50Ms,
          p90Ms: b.current.timeToResolve.p90Ms,
          previousP50Ms: b.previous.timeToResolve.p50Ms,
        }))
        .sort((a, b) => (b.p50Ms ?? -1) - (a.p50Ms ?? -1)),
      chart: report.chart,
    },
  };
}

/** The digest card's headline figures, each with the previous period's value beside it. */
function figuresOf(now: MetricSet, before: MetricSet): DashboardFigure[] {
  const pair = (a: string, b: string) => `${a} / ${b}`;
  const times = (d: MetricSet['timeToClaim']) => pair(duration(d.p50Ms), `p90 ${duration(d.p90Ms)}`);
  const sla = (m: MetricSet) =>
    `${percent(m.ackCompliance)} claimed / ${percent(m.resolveCompliance)} resolved`;
  const csat = (m: MetricSet) =>
    m.csat.mean === null ? `no answers (${m.csat.resolved} asked)` : `${m.csat.mean.toFixed(1)} / 5`;
  const arrow = (text: string) => text.replace(/^ \((.*)\)$/, '$1');
  return [
    {
      name: 'escalation-rate',
      label: 'Escalation rate',
      value: `${percent(now.escalationRate)}${now.issues === null ? '' : ` of ${now.issues} issues`}`,
      previous: percent(before.escalationRate),
      change: arrow(change.share(now.escalationRate, before.escalationRate)),
    },
    {
      name: 'escalations',
      label: 'Escalations',
      value: String(now.escalations),
      previous: String(before.escalations),
      change: arrow(change.count(now.escalations, before.escalations)),
    },
    {
      name: 'time-to-claim',
      label: 'Time to claim (median / p90)',
      value: times(now.timeToClaim),
      previous: times(before.timeToClaim),
      change: arrow(change.duration(now.timeToClaim.p50Ms, before.timeToClaim.p50Ms)),
    },
    {
      name: 'time-to-resolve',
      label: 'Time to resolve (median / p90)',
      value: times(now.timeToResolve),
      previous: times(before.timeToResolve),
      change: arrow(change.duration(now.timeToResolve.p50Ms, before.timeToResolve.p50Ms)),
    },
    {
      name: 'sla-compliance',
      label: 'SLA compliance',
      value: sla(now),
      previous: sla(before),
      change: arrow(change.share(now.resolveCompliance, before.resolveCompliance)),
    },
    {
      name: 'reescalation-rate',
      label: 'Re-escalation rate',
      value: percent(now.reescalationRate),
      previous: percent(before.reescalationRate),
      change: arrow(change.share(now.reescalationRate, before.reescalationRate)),
    },
    {
      name: 'bounce-rate',
      label: 'Bounce rate',
      value: `${percent(now.bounceRate)}${now.pingPongs > 0 ? ` · ${now.pingPongs} ping-pong` : ''}`,
      previous: percent(before.bounceRate),
      change: arrow(change.share(now.bounceRate, before.bounceRate)),
    },
    {
      name: 'csat',
      label: 'CSAT after escalation',
      value: csat(now),
      previous: csat(before),
      change: arrow(change.score(now.csat.mean, before.csat.mean)),
    },
  ];
}
