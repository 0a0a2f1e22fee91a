import type { RootCause } from '../policy.js';
import type { DigestChart } from './chart.js';

/** A reporting period: [from, to) in UTC instants, cut on the policy timezone's midnights. */
export interface Period {
  /** `2026-W48` for an ISO week. */
  label: string;
  from: Date;
  to: Date;
}

/** How long something took, over the escalations where it happened. */
export interface Durations {
  count: number;
  p50Ms: number | null;
  p90Ms: number | null;
}

/**
 * The figures of one slice of escalations (everything, one path, one level, one channel, one
 * trigger). Rates are shares in [0, 1], null when their denominator is zero. See
 * docs/digest-metrics.md for the exact definition of each.
 */
export interface MetricSet {
  /** Issues opened in the period (null for slices issues do not have: level, trigger). */
  issues: number | null;
  /** Of those issues, the ones escalated at least once (at any time until the report). */
  escalatedIssues: number | null;
  /** escalatedIssues / issues. */
  escalationRate: number | null;
  /**
   * Issues closed in the period by "This solved it": an earlier resolution fixed them, so the
   * frontline did not escalate (null for slices deflections do not have: level, channel, trigger;
   * and when the report was built without the knowledge repository).
   */
  deflected: number | null;
  /** Escalations started in the period (first steps: no parent). */
  escalations: number;
  /** Every step created in the period, on any level (first steps, escalate further, ladder, bounce down). */
  steps: number;
  byType: Record<string, number>;
  byTrigger: Record<string, number>;
  /** Over steps: created → claimed, and created → resolved. */
  timeToClaim: Durations;
  timeToResolve: Durations;
  /** Share of steps with an ack deadline claimed by it (steps whose deadline is still ahead are left out). */
  ackCompliance: number | null;
  /** Share of steps with a resolve deadline resolved by it (likewise). */
  resolveCompliance: number | null;
  /** Escalations that repeat an earlier escalation of the same issue / escalations. */
  reescalationRate: number | null;
  /** Steps bounced back / steps. */
  bounceRate: number | null;
  /** Steps flagged as bounced back and forth between the same two levels. */
  pingPongs: number;
  /** Steps marked "Not an escalation". */
  dismissed: number;
  csat: { mean: number | null; responses: number; resolved: number; responseRate: number | null };
  /**
   * Resolved steps whose root cause is a knowledge or authority gap (escalations training or rights
   * would avoid), out of the resolved steps with a root cause; share = count / outOf.
   */
  avoidable: { count: number; outOf: number; share: number | null };
}

export interface Breakdown {
  key: string;
  label: string;
  current: MetricSet;
  previous: MetricSet;
}

export interface ExampleThread {
  escalationNumber: number;
  channel: string;
  threadId: string;
}

export interface RootCauseFigure {
  cause: RootCause;
  label: string;
  count: number;
  /** Of the resolved steps with a root cause. */
  share: number;
  previousCount: number;
  /** The most recent escalation with this root cause, to read as an example. */
  example: ExampleThread | null;
}

export interface SystemicCluster {
  escalationNumber: number;
  threads: number;
  summary: string;
  example: ExampleThread;
}

/** A reusable answer a resolver wrote in the period, for the frontline's next similar thread. */
export interface AnswerWritten {
  escalationNumber: number;
  path: string;
  /** The answer's first line, shortened: enough to recognise it. */
  firstLine: string;
  /** Who wrote it (a person id). */
  resolvedBy: string;
  resolvedAt: Date;
  /** The escalation's thread, to read the whole story. */
  thread: ExampleThread;
}

export interface DigestReport {
  period: Period;
  previousPeriod: Period;
  /** The path the report is limited to, or null for everything. */
  path: string | null;
  current: MetricSet;
  previous: MetricSet;
  byPath: Breakdown[];
  byLevel: Breakdown[];
  byChannel: Breakdown[];
  byTrigger: Breakdown[];
  rootCauses: RootCauseFigure[];
  systemicClusters: SystemicCluster[];
  /**
   * Reusable answers written in the period (resolved in it), oldest first; null when the report was
   * built without the knowledge repository.
   */
  answersWritten: AnswerWritten[] | null;
  chart: DigestChart;
}
