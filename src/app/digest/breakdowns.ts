import { TRIGGER_LABELS } from '../../domain/build-escalation-card.js';
import type { Breakdown } from '../../domain/digest/report.js';
import type { Deflection } from '../../domain/knowledge.js';
import type { EscalationFact, IssueCount } from '../../ports/analytics.js';
import { metricSetOf } from './metric-set.js';

/** What one period's report is computed from: its steps, its issue counts and its deflections. */
export interface PeriodRows {
  facts: EscalationFact[];
  issues: IssueCount[];
  /** "This solved it" closes; null when they could not be read (no knowledge repository). */
  deflections: Deflection[] | null;
}

interface Dimension {
  /** The slice a step belongs to, and its label. */
  ofFact(fact: EscalationFact): { key: string; label: string };
  /** The slice an issue count belongs to; absent for slices issues do not have. */
  ofIssues?(count: IssueCount): string;
  /** The slice a deflection belongs to; absent for slices deflections do not have. */
  ofDeflection?(deflection: Deflection): string;
}

const DIMENSIONS = {
  byPath: {
    ofFact: (f) => ({ key: f.path, label: f.path }),
    ofIssues: (c) => c.path,
    // The issue's path, as for issues: a deflection has no escalation of its own.
    ofDeflection: (d) => d.path,
  },
  byLevel: {
    // The path is in the key: two paths may both have a level called "L2".
    ofFact: (f) => ({ key: `${f.path}:${f.level}`, label: f.levelName }),
  },
  byChannel: {
    ofFact: (f) => ({ key: f.channel, label: f.channel }),
    ofIssues: (c) => c.channel,
  },
  byTrigger: {
    ofFact: (f) => ({ key: f.trigger, label: TRIGGER_LABELS[f.trigger] ?? f.trigger }),
  },
} satisfies Record<string, Dimension>;

export type Breakdowns = Record<keyof typeof DIMENSIONS, Breakdown[]>;

/** Every breakdown of the report: the slices seen in either period, busiest (most steps) first. */
export function breakdownsOf(current: PeriodRows, previous: PeriodRows, now: Date): Breakdowns {
  const entries = Object.entries(DIMENSIONS).map(([name, dimension]) => [
    name,
    breakdown(dimension, current, previous, now),
  ]);
  return Object.fromEntries(entries) as Breakdowns;
}

function breakdown(dimension: Dimension, current: PeriodRows, previous: PeriodRows, now: Date): Breakdown[] {
  // Labels of the current period win: a level renamed since last week shows its new name.
  const labels = new Map<string, string>();
  for (const fact of [...previous.facts, ...current.facts]) {
    const { key, label } = dimension.ofFact(fact);
    labels.set(key, label);
  }
  const { ofIssues, ofDeflection } = dimension;
  const deflectionsOf = (rows: PeriodRows) => (ofDeflection ? (rows.deflections ?? []) : []);
  const otherKeys = [
    ...(ofIssues ? [...previous.issues, ...current.issues].map(ofIssues) : []),
    ...[...deflectionsOf(previous), ...deflectionsOf(current)].map((d) => ofDeflection!(d)),
  ];
  for (const key of otherKeys) {
    if (!labels.has(key)) labels.set(key, key);
  }
  const slicesOf = (rows: PeriodRows) => {
    const facts = groupBy(rows.facts, (f) => dimension.ofFact(f).key);
    const issues = ofIssues ? groupBy(rows.issues, ofIssues) : undefined;
    const deflections =
      ofDeflection && rows.deflections ? groupBy(rows.deflections, ofDeflection) : undefined;
    return (key: string) =>
      metricSetOf(
        facts.get(key) ?? [],
        issues ? (issues.get(key) ?? []) : null,
        now,
        deflections ? (deflections.get(key) ?? []) : null,
      );
  };
  const [currentSlice, previousSlice] = [slicesOf(current), slicesOf(previous)];
  return [...labels]
    .map(([key, label]) => ({ key, label, current: currentSlice(key), previous: previousSlice(key) }))
    .sort((a, b) => b.current.steps - a.current.steps || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
