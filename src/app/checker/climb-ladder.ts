import type { Escalation } from '../../domain/escalation.js';
import { newId } from '../../domain/ids.js';
import { clockOf, raisedPriority, slaDeadlines } from '../../domain/sla.js';
import { deadlineAfter, workingTimeBetween } from '../../domain/sla-clock.js';
import { threadNotes } from '../../domain/thread-notes.js';
import { mention, nextStatus, SYSTEM_ACTOR } from '../../domain/transitions.js';
import type { Repositories } from '../../ports/store.js';
import type { AppContext } from '../context.js';
import { openFollowOn } from '../open-escalation.js';
import { renderCard } from '../render-card.js';

/**
 * The ack ladder, as PagerDuty runs it: a card nobody claimed within its level's `ackWithin`
 * climbs to the next level by itself; at the top it reminds again instead of climbing into nothing.
 * A claimed card past `resolveWithin` raises the priority and tells the claimer.
 */
export async function climbLadder(ctx: AppContext, limit: number): Promise<number> {
  const now = ctx.clock.now();
  const unclaimed = await ctx.store.escalations.listAckDue(now, limit);
  const overdue = await ctx.store.escalations.listResolveDue(now, limit);
  for (const e of unclaimed) await ctx.store.transaction((tx) => ackTimedOut(ctx, tx, e.id));
  for (const e of overdue) await ctx.store.transaction((tx) => resolveOverdue(ctx, tx, e.id));
  const handled = unclaimed.length + overdue.length;
  if (handled > 0) ctx.outboxChanged();
  return handled;
}

async function ackTimedOut(ctx: AppContext, tx: Repositories, id: string): Promise<void> {
  const now = ctx.clock.now();
  const e = await tx.escalations.get(id);
  // Re-check inside the transaction: someone may have claimed it since the query.
  if (e?.status !== 'open' || !e.ackDueAt || e.ackDueAt > now) return;
  const issue = (await tx.issues.get(e.issueId))!;
  const level = e.pathSnapshot.levels[e.level]!;
  // On a business clock, a card that waited overnight waited only its working minutes.
  const waited = describeWait(
    clockOf(e.priority, ctx.policy) === 'business'
      ? workingTimeBetween(e.createdAt, now, ctx.calendar)
      : now.getTime() - e.createdAt.getTime(),
  );

  if (e.level + 1 >= e.pathSnapshot.levels.length) {
    // Top of the path: remind (in the card's thread) and wait another ackWithin.
    const again = deadlineAfter(now, level.ackWithinMs ?? 0, clockOf(e.priority, ctx.policy), ctx.calendar);
    await save(tx, e, { ackDueAt: again, updatedAt: now }, 'remind', `still unclaimed after ${waited}`, now);
    if (e.cardChannel && e.cardMessageId) {
      const text = `⏰ Escalation #${e.number} is still unclaimed after ${waited}. ${level.name} is the last level of the "${e.path}" path: please claim it.`;
      await tx.outbox.add(
        issue.id,
        { kind: 'thread_note', thread: { channel: e.cardChannel, threadId: e.cardMessageId }, text },
        now,
      );
    }
    return;
  }

  const next = e.pathSnapshot.levels[e.level + 1]!;
  const note = `Escalated to ${next.name} after ${waited} unclaimed`;
  const superseded: Escalation = {
    ...e,
    status: nextStatus(e, 'auto_escalate'),
    statusNote: note,
    updatedAt: now,
    version: e.version + 1,
  };
  if (!(await tx.escalations.update(superseded, e.version))) return;
  const higher = await openFollowOn(tx, ctx, e, issue, {
    level: e.level + 1,
    trigger: e.trigger,
    evidence: {
      summary: `Unclaimed at ${level.name} for ${waited}.`,
      details: [e.evidence.summary, ...(e.evidence.details ?? [])],
      matched: e.evidence.matched,
      cluster: e.evidence.cluster,
    },
    actor: SYSTEM_ACTOR,
    source: 'checker',
    at: now,
  });
  await tx.escalations.update(
    { ...superseded, supersededBy: higher.id, version: superseded.version + 1 },
    superseded.version,
  );
  await tx.events.append(event(e, 'auto_escalate', 'superseded', note, now));
  const final = (await tx.escalations.get(e.id))!;
  await tx.outbox.add(
    issue.id,
    {
      kind: 'update_card',
      escalationId: e.id,
      card: await renderCard(tx, final, issue, ctx.policy),
      channel: level.channel,
    },
    now,
  );
  await tx.outbox.add(
    issue.id,
    {
      kind: 'thread_note',
      thread: { channel: issue.channel, threadId: issue.threadId },
      text: threadNotes.climbed(e, higher, waited),
    },
    now,
  );
}

async function resolveOverdue(ctx: AppContext, tx: Repositories, id: string): Promise<void> {
  const now = ctx.clock.now();
  const e = await tx.escalations.get(id);
  if (!e || (e.status !== 'open' && e.status !== 'claimed') || !e.resolveDueAt || e.resolveDueAt > now)
    return;
  const issue = (await tx.issues.get(e.issueId))!;
  const level = e.pathSnapshot.levels[e.level]!;
  const priority = raisedPriority(e.priority, ctx.policy);
  const resolveDueAt = deadlineAfter(
    now,
    level.resolveWithinMs ?? 0,
    clockOf(priority, ctx.policy),
    ctx.calendar,
  );
  const raised = priority !== e.priority;
  const detail = raised
    ? `priority raised ${e.priority} → ${priority}: not resolved within ${level.name}'s target`
    : 'still unresolved';
  await save(
    tx,
    e,
    { priority, resolveDueAt, updatedAt: now },
    raised ? 'raise_priority' : 'remind',
    detail,
    now,
  );
  if (raised) {
    await tx.issues.update({
      ...issue,
      priority,
      ...slaDeadlines(issue.openedAt, priority, ctx.policy, ctx.calendar),
      updatedAt: now,
    });
  }
  const latest = (await tx.escalations.get(e.id))!;
  const current = (await tx.issues.get(issue.id))!;
  await tx.outbox.add(
    issue.id,
    {
      kind: 'update_card',
      escalationId: e.id,
      card: await renderCard(tx, latest, current, ctx.policy),
      channel: level.channel,
    },
    now,
  );
  const who = e.claimedBy ? `${mention(e.claimedBy)}, ` : '';
  const text = raised
    ? `⏫ ${who}escalation #${e.number} is overdue at ${level.name}: priority raised from ${e.priority} to ${priority}.`
    : `⏰ ${who}escalation #${e.number} is still unresolved at ${level.name} (${priority}).`;
  if (e.cardChannel && e.cardMessageId) {
    await tx.outbox.add(
      issue.id,
      { kind: 'thread_note', thread: { channel: e.cardChannel, threadId: e.cardMessageId }, text },
      now,
    );
  }
}

async function save(
  tx: Repositories,
  e: Escalation,
  change: Partial<Escalation>,
  action: string,
  detail: string,
  at: Date,
) {
  await tx.escalations.update({ ...e, ...change, version: e.version + 1 }, e.version);
  await tx.events.append(event(e, action, e.status, detail, at));
}

function event(e: Escalation, action: string, to: Escalation['status'], detail: string, at: Date) {
  return {
    id: newId('evt', at),
    escalationId: e.id,
    action,
    fromStatus: e.status,
    toStatus: to,
    actor: SYSTEM_ACTOR,
    source: 'checker' as const,
    detail,
    at,
  };
}

function describeWait(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (ms < 60_000) return `${Math.round(ms / 1000)}s`;
  if (minutes < 120) return `${minutes}m`;
  return `${Math.round(minutes / 60)}h`;
}
