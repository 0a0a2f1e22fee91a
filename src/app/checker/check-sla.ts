import type { Issue } from '../../domain/issue.js';
import { clockOf } from '../../domain/sla.js';
import { formatTime } from '../../domain/text.js';
import type { AppContext } from '../context.js';
import { fireTrigger } from './fire-trigger.js';

type Target = 'first_response' | 'resolve';

/**
 * Issues whose first response or resolution deadline passed: `sla_breach` fires (when the policy
 * names it) and the breach is marked handled, in one transaction per issue.
 */
export async function checkSla(ctx: AppContext, limit: number): Promise<number> {
  const now = ctx.clock.now();
  const firstResponse = await ctx.store.issues.listFirstResponseDue(now, limit);
  const resolve = await ctx.store.issues.listResolveDue(now, limit);
  for (const issue of firstResponse) await breach(ctx, issue, 'first_response');
  for (const issue of resolve) await breach(ctx, issue, 'resolve');
  const handled = firstResponse.length + resolve.length;
  if (handled > 0) ctx.outboxChanged();
  return handled;
}

async function breach(ctx: AppContext, stale: Issue, target: Target): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const issue = await tx.issues.get(stale.id);
    if (!issue) return;
    const now = ctx.clock.now();
    const due = target === 'first_response' ? issue.firstResponseDueAt : issue.resolveDueAt;
    // Re-check inside the transaction: an answer may have arrived since the query.
    if (!due || due > now) return;
    if (target === 'first_response' && (issue.firstResponseAt || issue.firstResponseBreachedAt)) return;
    if (target === 'resolve' && (issue.status === 'resolved' || issue.resolveBreachedAt)) return;

    const sla = ctx.policy.priorities[issue.priority];
    const hours = clockOf(issue.priority, ctx.policy) === 'business' ? 'business hours' : 'round the clock';
    const what = target === 'first_response' ? 'First response' : 'Resolution';
    const targetText = sla
      ? formatTarget(target === 'first_response' ? sla.firstResponseMs : sla.resolveMs)
      : '';
    await fireTrigger(ctx, tx, issue, {
      kind: 'sla_breach',
      // First response and resolution are separate breaches: each fires (or adds evidence) once.
      firingKey: `sla_breach:${target}`,
      at: now,
      evidence: {
        summary: `${what} SLA breached: ${issue.priority} target ${targetText} (${hours}) was due ${formatTime(due, ctx.policy.timezone)}`,
        details: [
          `Opened ${formatTime(issue.openedAt, ctx.policy.timezone)}`,
          target === 'first_response' ? 'No staff answer in the thread yet' : `Still ${issue.status}`,
        ],
      },
    });
    // Re-read: the escalation just changed the issue (status, priority, deadlines).
    const latest = (await tx.issues.get(issue.id))!;
    await tx.issues.update({
      ...latest,
      ...(target === 'first_response' ? { firstResponseBreachedAt: now } : { resolveBreachedAt: now }),
    });
  });
}

function formatTarget(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 1) return `${ms / 1000}s`;
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 24 * 60) return `${minutes / 60}h`;
  return `${minutes / 1440}d`;
}
