import type { SystemicTrigger } from '../../domain/policy.js';
import { oneLine, truncate } from '../../domain/text.js';
import { similarityTo } from '../../domain/triggers/index.js';
import type { ReplayIssue } from './replay-source.js';
import type { ReplayedHit } from './replayed-hit.js';

interface Opening {
  issue: ReplayIssue;
  at: Date;
  customerId: string;
  text: string;
  purged: boolean;
}

/**
 * The systemic trigger over the threads in the order their customers first wrote, as
 * detect-triggers.ts runs it: a new thread is compared with the threads opened within the window
 * before it; enough similar ones from different customers open one escalation, and later similar
 * threads join it. `context` holds the threads opened up to a window before the period, so the
 * first threads of the period are compared as the service compared them.
 */
export function replaySystemic(
  context: readonly ReplayIssue[],
  rule: SystemicTrigger,
  period: { start: Date },
): Map<string, ReplayedHit> {
  const openings = context
    .flatMap((issue): Opening[] => {
      const first = issue.messages.find((m) => m.authorRole === 'customer' && !m.deleted);
      if (!first) return [];
      return [
        {
          issue,
          at: first.sentAt,
          customerId: issue.customerId ?? first.authorId,
          text: first.text,
          purged: first.purged,
        },
      ];
    })
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.issue.number - b.issue.number);

  const hits = new Map<string, ReplayedHit>();
  /** Issue id -> the issue whose replayed systemic escalation it belongs to. */
  const cardOf = new Map<string, ReplayIssue>();
  const windowText = formatWindow(rule.withinMs);
  openings.forEach((opening, index) => {
    if (opening.issue.openedAt < period.start || opening.purged) return;
    const since = opening.at.getTime() - rule.withinMs;
    const similarity = similarityTo(opening.text);
    const similar = openings
      .slice(0, index)
      .filter(
        (o) =>
          o.issue.openedAt.getTime() >= since &&
          !o.purged &&
          o.customerId !== opening.customerId &&
          similarity(o.text) >= rule.similarity,
      );
    if (similar.length === 0) return;
    const customers = new Set([opening.customerId, ...similar.map((o) => o.customerId)]);
    const joinable = similar.map((o) => cardOf.get(o.issue.id)).find((card) => card !== undefined);
    if (customers.size < rule.minThreads && !joinable) return;
    if (joinable) {
      cardOf.set(opening.issue.id, joinable);
      hits.set(opening.issue.id, {
        kind: 'systemic',
        at: opening.at,
        firingKey: 'systemic',
        summary: `Similar to #${joinable.number}'s systemic problem: joins that card`,
        details: [],
        joinsIssueNumber: joinable.number,
      });
      return;
    }
    for (const o of [opening, ...similar]) cardOf.set(o.issue.id, opening.issue);
    hits.set(opening.issue.id, {
      kind: 'systemic',
      at: opening.at,
      firingKey: 'systemic',
      summary: `${customers.size} customers report a similar problem within ${windowText}`,
      details: similar.slice(0, 10).map((o) => `#${o.issue.number}: ${truncate(oneLine(o.text), 120)}`),
    });
  });
  return hits;
}

function formatWindow(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes >= 60 ? `${minutes / 60}h` : `${minutes}m`;
}
