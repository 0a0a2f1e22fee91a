import type { AnswerWritten, DigestReport, Period } from '../../domain/digest/report.js';
import type { KnowledgeEntry } from '../../domain/knowledge.js';
import { oneLine, truncate } from '../../domain/text.js';
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
 * What the report reads. Every store has `knowledge`; it is optional here only so that callers
 * typed before deflections and answers existed (they pick `analytics` alone) still compile. Without
 * it the knowledge figures are null (unknown), never a misleading zero.
 */
export type DigestSource = Pick<Repositories, 'analytics'> & Partial<Pick<Repositories, 'knowledge'>>;

/** How long an answer's first line may be in the digest: enough to recognise it. */
export const ANSWER_LINE_CHARS = 140;

/**
 * The digest's figures for a period against the period before (docs/digest-metrics.md). Index
 * range reads bring both periods' rows (steps, issue counts, deflections) and the period's
 * answers; everything else is computed here over those rows, so the cost follows the two periods,
 * never the history.
 */
export async function buildDigestReport(
  store: DigestSource,
  input: DigestReportInput,
): Promise<DigestReport> {
  const { period, previousPeriod, path, timeZone, now } = input;
  const [current, previous, answers] = await Promise.all([
    rowsOf(store, period, path),
    rowsOf(store, previousPeriod, path),
    answersWrittenIn(store, period, path),
  ]);
  return {
    period,
    previousPeriod,
    path,
    current: metricSetOf(current.facts, current.issues, now, current.deflections),
    previous: metricSetOf(previous.facts, previous.issues, now, previous.deflections),
    ...breakdownsOf(current, previous, now),
    rootCauses: rootCauseFigures(current.facts, previous.facts),
    systemicClusters: largestSystemicClusters(current.facts),
    answersWritten: answers,
    chart: digestChartOf(current.facts, period, timeZone),
  };
}

async function rowsOf(store: DigestSource, period: Period, path: string | null): Promise<PeriodRows> {
  const [facts, issues, deflections] = await Promise.all([
    store.analytics.listEscalationFacts(period.from, period.to),
    store.analytics.countIssues(period.from, period.to),
    store.knowledge ? store.knowledge.listDeflections(period.from, period.to) : null,
  ]);
  if (path === null) return { facts, issues, deflections };
  return {
    facts: facts.filter((f) => f.path === path),
    issues: issues.filter((c) => c.path === path),
    deflections: deflections === null ? null : deflections.filter((d) => d.path === path),
  };
}

/** The reusable answers resolved in the period (of the path), oldest first. */
async function answersWrittenIn(
  store: DigestSource,
  period: Period,
  path: string | null,
): Promise<AnswerWritten[] | null> {
  if (!store.knowledge) return null;
  const entries = await store.knowledge.listAnswers({ from: period.from, to: period.to });
  return entries.filter((e) => path === null || e.path === path).map(answerWritten);
}

function answerWritten(entry: KnowledgeEntry): AnswerWritten {
  return {
    escalationNumber: entry.escalationNumber,
    path: entry.path,
    firstLine: firstLineOf(entry.answer ?? ''),
    resolvedBy: entry.resolvedBy,
    resolvedAt: entry.resolvedAt,
    thread: { escalationNumber: entry.escalationNumber, channel: entry.channel, threadId: entry.threadId },
  };
}

/** The first line with words in it, shortened on purpose. */
export function firstLineOf(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return truncate(oneLine(line), ANSWER_LINE_CHARS);
}
