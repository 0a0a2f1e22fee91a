import type { DigestReport, Period } from '../../domain/digest/report.js';
import type { Repositories } from '../../ports/store.js';
import { breakdownsOf, type PeriodRows } from './breakdowns.js';
import { digestChartOf } from './chart-data.js';
import { metricSetOf } from './metric-set.js';
import { largestSystemicClusters, rootCauseFigures } from './root-causes.js';

export interface DigestReportInput {
  period: Period;
  /** The period the figures are compared with (usually the one just before). */
  previousPeriod: Period;
  /** Limit the report to one escalation path (its escalations and its issues); null for everything. */
  path: string | null;
  /** The policy time zone: the chart's days are its local dates. */
  timeZone: string;
  /** Deadlines after this are not over yet and stay out of SLA compliance. */
  now: Date;
}

/**
 * The digest's figures for a period against the period before (docs/digest-metrics.md). Four
 * index range reads bring both periods' rows; everything else is computed here over those rows, so
 * the cost follows the two periods, never the history.
 */
export async function buildDigestReport(
  store: Pick<Repositories, 'analytics'>,
  input: DigestReportInput,
): Promise<DigestReport> {
  const { period, previousPeriod, path, timeZone, now } = input;
  const [current, previous] = await Promise.all([
    rowsOf(store, period, path),
    rowsOf(store, previousPeriod, path),
  ]);
  return {
    period,
    previousPeriod,
    path,
    current: metricSetOf(current.facts, current.issues, now),
    previous: metricSetOf(previous.facts, previous.issues, now),
    ...breakdownsOf(current, previous, now),
    rootCauses: rootCauseFigures(current.facts, previous.facts),
    systemicClusters: largestSystemicClusters(current.facts),
    chart: digestChartOf(current.facts, period, timeZone),
  };
}

async function rowsOf(
  store: Pick<Repositories, 'analytics'>,
  period: Period,
  path: string | null,
): Promise<PeriodRows> {
  const [facts, issues] = await Promise.all([
    store.analytics.listEscalationFacts(period.from, period.to),
    store.analytics.countIssues(period.from, period.to),
  ]);
  if (path === null) return { facts, issues };
  return { facts: facts.filter((f) => f.path === path), issues: issues.filter((c) => c.path === path) };
}
