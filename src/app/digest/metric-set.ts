import type { MetricSet } from '../../domain/digest/report.js';
import { AVOIDABLE_ROOT_CAUSES, type Deflection } from '../../domain/knowledge.js';
import type { EscalationFact, IssueCount } from '../../ports/analytics.js';
import { durationsOf } from './percentiles.js';

/**
 * The figures of one slice, exactly as docs/digest-metrics.md defines them. `facts` are the slice's
 * steps created in the period; `issues` its issue counts, or null for slices issues do not have
 * (level, trigger); `deflections` its "This solved it" closes in the period, or null for slices
 * they do not have (level, channel, trigger). `now` decides which deadlines are over: a step whose
 * deadline is still ahead and that has not met it yet is left out of compliance, not counted as a miss.
 */
export function metricSetOf(
  facts: readonly EscalationFact[],
  issues: readonly IssueCount[] | null,
  now: Date,
  deflections: readonly Deflection[] | null = null,
): MetricSet {
  const firstSteps = facts.filter((f) => f.parentId === null);
  const resolved = facts.filter((f) => f.resolvedAt !== null);
  const answered = resolved.flatMap((f) => (f.csatScore === null ? [] : [f.csatScore]));
  const withCause = resolved.filter((f) => f.rootCause !== null);
  const avoidable = withCause.filter((f) => AVOIDABLE_ROOT_CAUSES.includes(f.rootCause!)).length;
  const issueTotal = issues && sum(issues.map((c) => c.issues));
  const escalatedTotal = issues && sum(issues.map((c) => c.escalatedIssues));

  return {
    issues: issueTotal,
    escalatedIssues: escalatedTotal,
    escalationRate: issueTotal === null ? null : ratio(escalatedTotal!, issueTotal),
    deflected: deflections === null ? null : deflections.length,
    escalations: firstSteps.length,
    steps: facts.length,
    byType: countBy(firstSteps, (f) => f.type),
    byTrigger: countBy(firstSteps, (f) => f.trigger),
    timeToClaim: durationsOf(facts.flatMap((f) => (f.claimedAt ? [elapsed(f.createdAt, f.claimedAt)] : []))),
    timeToResolve: durationsOf(
      facts.flatMap((f) => (f.resolvedAt ? [elapsed(f.createdAt, f.resolvedAt)] : [])),
    ),
    ackCompliance: compliance(facts, now, (f) => [f.ackDueAt, f.claimedAt]),
    resolveCompliance: compliance(facts, now, (f) => [f.resolveDueAt, f.resolvedAt]),
    reescalationRate: ratio(firstSteps.filter((f) => f.reescalationOf !== null).length, firstSteps.length),
    bounceRate: ratio(facts.filter((f) => f.bouncedAt !== null).length, facts.length),
    pingPongs: facts.filter((f) => f.pingPong).length,
    dismissed: facts.filter((f) => f.status === 'dismissed').length,
    csat: {
      mean: answered.length === 0 ? null : sum(answered) / answered.length,
      responses: answered.length,
      resolved: resolved.length,
      responseRate: ratio(answered.length, resolved.length),
    },
    avoidable: { count: avoidable, outOf: withCause.length, share: ratio(avoidable, withCause.length) },
  };
}

/**
 * The share of decided steps that met a deadline. A step with the deadline is decided once it met
 * it (done at any time) or once the deadline is not after `now`; it complies when done by the deadline.
 * A step the agent withdrew before anyone claimed it was nobody's to meet.
 */
function compliance(
  facts: readonly EscalationFact[],
  now: Date,
  deadlineAndDone: (f: EscalationFact) => [Date | null, Date | null],
): number | null {
  let decided = 0;
  let met = 0;
  for (const fact of facts) {
    if (fact.status === 'withdrawn') continue;
    const [due, done] = deadlineAndDone(fact);
    if (!due || (!done && due > now)) continue;
    decided += 1;
    if (done && done <= due) met += 1;
  }
  return ratio(met, decided);
}

export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function elapsed(from: Date, to: Date): number {
  return to.getTime() - from.getTime();
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
  return counts;
}
