import type { Policy, Priority } from '../../domain/policy.js';
import { deadlineAfter, type WorkCalendar } from '../../domain/sla-clock.js';
import { formatTime } from '../../domain/text.js';
import { humanDuration } from '../policy-explain/plain-words.js';
import type { ReplayIssue } from './replay-source.js';
import type { ReplayedHit } from './replayed-hit.js';

/** From `at` on, the issue has `priority` (the first entry is its opening). */
export interface PriorityChange {
  at: Date;
  priority: Priority;
}

type Target = 'first_response' | 'resolve';

/**
 * An SLA breach of the replayed policy, from the stored first-response and resolution times: the
 * deadline of the priority the issue had at each moment (measured from its opening, on that
 * priority's clock, as the service recomputes it when a trigger raises the priority), passing before
 * the answer (or resolution) came and before `now`. Undefined when it was met or is not due yet.
 */
export function replaySlaBreach(
  issue: ReplayIssue,
  target: Target,
  priorities: readonly PriorityChange[],
  context: { policy: Policy; calendar: WorkCalendar; now: Date },
): ReplayedHit | undefined {
  const { policy, calendar, now } = context;
  const stop = target === 'first_response' ? issue.firstResponseAt : issue.lastResolvedAt;
  for (const [i, change] of priorities.entries()) {
    const sla = policy.priorities[change.priority];
    if (!sla) continue;
    const targetMs = target === 'first_response' ? sla.firstResponseMs : sla.resolveMs;
    const due = deadlineAfter(issue.openedAt, targetMs, sla.clock, calendar);
    // A raise to a tighter target that has already passed breaches at the raise.
    const at = new Date(Math.max(due.getTime(), change.at.getTime()));
    const until = Math.min(
      priorities[i + 1]?.at.getTime() ?? Number.POSITIVE_INFINITY,
      stop?.getTime() ?? Number.POSITIVE_INFINITY,
      now.getTime(),
    );
    if (at.getTime() >= until) continue;
    const what = target === 'first_response' ? 'First response' : 'Resolution';
    const hours = sla.clock === 'business' ? 'business hours' : 'round the clock';
    return {
      kind: 'sla_breach',
      at,
      firingKey: `sla_breach:${target}`,
      summary: `${what} SLA breached: ${change.priority} target ${humanDuration(targetMs)} (${hours}) was due ${formatTime(due, policy.timezone)}`,
      details: [
        `Opened ${formatTime(issue.openedAt, policy.timezone)}`,
        stop
          ? `${target === 'first_response' ? 'First staff answer' : 'Resolved'} ${formatTime(stop, policy.timezone)}`
          : target === 'first_response'
            ? 'No staff answer in the thread'
            : 'Not resolved',
      ],
    };
  }
  return undefined;
}
