import { TRIGGER_LABELS } from '../../domain/build-escalation-card.js';
import type { ThreadRef } from '../../domain/ids.js';
import type { Clock } from '../../ports/clock.js';
import type { Store } from '../../ports/store.js';
import { mentionedIn, namesOf, type PersonRef } from './people-names.js';
import { runningCountdown, type SlaCountdown } from './sla-countdown.js';

/** One row of the dashboard's "open escalations". */
export interface OpenEscalationRow {
  id: string;
  number: number;
  /** The agent's reason (what the specialist reads first). */
  title: string;
  trigger: { kind: string; label: string };
  /** The one-line "why it fired". */
  evidence: string;
  path: string;
  level: { index: number; name: string };
  priority: string;
  status: 'open' | 'claimed';
  claimedBy: PersonRef | null;
  createdBy: PersonRef;
  createdAt: string;
  /** Since the escalation started, at `now`. */
  ageMs: number;
  /** The deadline running now; null when its level sets none. */
  clock: SlaCountdown | null;
  issueNumber: number;
  thread: ThreadRef;
  /** Bounced back and forth between the same two levels. */
  pingPong: boolean;
}

export interface OpenEscalations {
  /** The time the rows were computed at: the page counts down from it, whatever the browser's clock says. */
  now: string;
  escalations: OpenEscalationRow[];
  /** More are active than the list shows. */
  truncated: boolean;
}

/** The most rows one answer carries: a lead scans a screenful, not thousands. */
export const OPEN_ESCALATIONS_LIMIT = 500;

/**
 * The escalations someone still has to act on, the most urgent first, each with its running SLA
 * clock and the names of who escalated and who claimed it.
 */
export async function listOpenEscalations(
  ctx: { store: Pick<Store, 'dashboard' | 'people'>; clock: Clock },
  limit = OPEN_ESCALATIONS_LIMIT,
): Promise<OpenEscalations> {
  const now = ctx.clock.now();
  const rows = await ctx.store.dashboard.listActive(limit + 1);
  const shown = rows.slice(0, limit);
  const person = await namesOf(
    ctx.store.people,
    shown.flatMap((e) => [e.createdBy, e.claimedBy, ...mentionedIn(e.reason, e.evidenceSummary)]),
  );
  return {
    now: now.toISOString(),
    truncated: rows.length > limit,
    escalations: shown.map((e) => ({
      id: e.id,
      number: e.number,
      title: person.inText(e.reason || e.evidenceSummary),
      trigger: { kind: e.trigger, label: TRIGGER_LABELS[e.trigger] ?? e.trigger },
      evidence: person.inText(e.evidenceSummary),
      path: e.path,
      level: { index: e.level, name: e.levelName },
      priority: e.priority,
      status: e.status as 'open' | 'claimed',
      claimedBy: e.claimedBy ? person(e.claimedBy) : null,
      createdBy: person(e.createdBy),
      createdAt: e.createdAt.toISOString(),
      ageMs: now.getTime() - e.createdAt.getTime(),
      clock: runningCountdown(e, now),
      issueNumber: e.issueNumber,
      thread: { channel: e.channel, threadId: e.threadId },
      pingPong: e.pingPong,
    })),
  };
}
