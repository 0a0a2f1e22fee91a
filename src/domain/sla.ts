import type { Issue } from './issue.js';
import { type Policy, PRIORITIES, type Priority } from './policy.js';
import { deadlineAfter, type WorkCalendar } from './sla-clock.js';

/** An issue's SLA deadlines for a priority, measured from when it was opened on the priority's clock. */
export function slaDeadlines(
  openedAt: Date,
  priority: Priority,
  policy: Policy,
  calendar: WorkCalendar,
): Pick<Issue, 'firstResponseDueAt' | 'resolveDueAt'> {
  const target = policy.priorities[priority];
  if (!target) return { firstResponseDueAt: null, resolveDueAt: null };
  return {
    firstResponseDueAt: deadlineAfter(openedAt, target.firstResponseMs, target.clock, calendar),
    resolveDueAt: deadlineAfter(openedAt, target.resolveMs, target.clock, calendar),
  };
}

/** The clock a priority's deadlines run on (calendar when the policy has no target for it). */
export function clockOf(priority: Priority, policy: Policy) {
  return policy.priorities[priority]?.clock ?? 'calendar';
}

/** One step more urgent (P3 → P2), staying at P1; only priorities the policy defines. */
export function raisedPriority(priority: Priority, policy: Policy): Priority {
  const defined = PRIORITIES.filter((p) => policy.priorities[p]);
  const index = defined.indexOf(priority);
  return index > 0 ? defined[index - 1]! : priority;
}

/** Whether `a` is more urgent than `b` (P1 beats P2). */
export function moreUrgent(a: Priority, b: Priority): boolean {
  return PRIORITIES.indexOf(a) < PRIORITIES.indexOf(b);
}
