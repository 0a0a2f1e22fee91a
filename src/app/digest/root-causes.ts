import type { ExampleThread, RootCauseFigure, SystemicCluster } from '../../domain/digest/report.js';
import { ROOT_CAUSE_LABELS, type RootCause } from '../../domain/policy.js';
import type { EscalationFact } from '../../ports/analytics.js';

/** How many systemic clusters the digest lists. */
export const CLUSTER_LIMIT = 5;

/**
 * Root causes of the resolved steps (those resolved with one), with their share of all such
 * steps, last period's count and the latest step as an example. A cause seen only last period is
 * kept with 0, so a cause that went away shows as such. Most frequent first, then by name.
 */
export function rootCauseFigures(
  current: readonly EscalationFact[],
  previous: readonly EscalationFact[],
): RootCauseFigure[] {
  const now = withRootCause(current);
  const before = withRootCause(previous);
  const causes = new Set<RootCause>([...now, ...before].map((f) => f.rootCause));
  return [...causes]
    .map((cause): RootCauseFigure => {
      const mine = now.filter((f) => f.rootCause === cause);
      const latest = mine.at(-1); // facts come oldest first
      return {
        cause,
        label: ROOT_CAUSE_LABELS[cause] ?? cause,
        count: mine.length,
        share: now.length === 0 ? 0 : mine.length / now.length,
        previousCount: before.filter((f) => f.rootCause === cause).length,
        example: latest ? exampleOf(latest) : null,
      };
    })
    .sort((a, b) => b.count - a.count || (a.cause < b.cause ? -1 : a.cause > b.cause ? 1 : 0));
}

/** The systemic escalations started in the period that stand for the most threads. */
export function largestSystemicClusters(facts: readonly EscalationFact[]): SystemicCluster[] {
  return facts
    .filter((f) => f.parentId === null && f.trigger === 'systemic')
    .sort((a, b) => b.systemicThreads - a.systemicThreads || a.number - b.number)
    .slice(0, CLUSTER_LIMIT)
    .map((f) => ({
      escalationNumber: f.number,
      threads: f.systemicThreads,
      summary: f.evidenceSummary,
      example: exampleOf(f),
    }));
}

function withRootCause(facts: readonly EscalationFact[]) {
  return facts.filter(
    (f): f is EscalationFact & { rootCause: RootCause } => f.resolvedAt !== null && f.rootCause !== null,
  );
}

function exampleOf(fact: EscalationFact): ExampleThread {
  return { escalationNumber: fact.number, channel: fact.channel, threadId: fact.threadId };
}
