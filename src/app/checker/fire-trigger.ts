import type { Escalation, Evidence, TriggerKind } from '../../domain/escalation.js';
import { newId } from '../../domain/ids.js';
import type { Issue } from '../../domain/issue.js';
import type { Priority, Triggers, TriggerTarget } from '../../domain/policy.js';
import { clockOf, moreUrgent, slaDeadlines } from '../../domain/sla.js';
import { deadlineAfter } from '../../domain/sla-clock.js';
import { threadNotes } from '../../domain/thread-notes.js';
import { SYSTEM_ACTOR } from '../../domain/transitions.js';
import type { Repositories } from '../../ports/store.js';
import type { AppContext } from '../context.js';
import { openEscalation } from '../open-escalation.js';
import { renderCard } from '../render-card.js';

const POLICY_KEY: Record<string, keyof Triggers> = {
  sla_breach: 'slaBreach',
  manager_request: 'managerRequest',
  high_value: 'highValue',
  systemic: 'systemic',
  legal: 'legal',
  dissatisfaction: 'dissatisfaction',
};

/** Where a trigger escalates to, from the policy (undefined: the trigger is not enabled). */
export function targetOf(kind: string, triggers: Triggers): TriggerTarget | undefined {
  const key = POLICY_KEY[kind];
  return key ? triggers[key] : undefined;
}

export type FireOutcome = 'escalated' | 'added_to_escalation' | 'already_fired' | 'not_enabled';

/**
 * Acts on a trigger for an issue inside the caller's transaction. Each trigger fires once per
 * issue and kind until the issue is resolved and it happens again; on an issue already escalated
 * the evidence is added to that card instead of posting another.
 */
export async function fireTrigger(
  ctx: AppContext,
  tx: Repositories,
  issue: Issue,
  fired: {
    kind: TriggerKind;
    evidence: Evidence;
    at: Date;
    /** What "once per issue" counts (default the kind; SLA breaches count first response and resolution apart). */
    firingKey?: string;
  },
): Promise<{ outcome: FireOutcome; escalation?: Escalation }> {
  const target = targetOf(fired.kind, ctx.policy.triggers);
  const path = target && ctx.policy.paths[target.path];
  if (!target || !path) return { outcome: 'not_enabled' };
  const firingKey = fired.firingKey ?? fired.kind;
  const last = await tx.triggers.lastFiring(issue.id, firingKey);
  if (last && (!issue.lastResolvedAt || last > issue.lastResolvedAt)) return { outcome: 'already_fired' };

  const active = await tx.escalations.findActiveForIssue(issue.id);
  const escalation = active
    ? await addEvidence(ctx, tx, issue, active, fired, target.priority)
    : await escalate(ctx, tx, issue, fired, target);
  await tx.triggers.recordFiring({
    id: newId('evt', fired.at),
    issueId: issue.id,
    kind: firingKey,
    escalationId: escalation.id,
    firedAt: fired.at,
  });
  return { outcome: active ? 'added_to_escalation' : 'escalated', escalation };
}

async function escalate(
  ctx: AppContext,
  tx: Repositories,
  issue: Issue,
  fired: { kind: TriggerKind; evidence: Evidence; at: Date },
  target: TriggerTarget,
): Promise<Escalation> {
  const path = ctx.policy.paths[target.path]!;
  const level = Math.min((target.level ?? 1) - 1, path.levels.length - 1);
  const priority =
    target.priority && moreUrgent(target.priority, issue.priority) ? target.priority : issue.priority;
  const created = await openEscalation(tx, {
    issue,
    path,
    level,
    priority,
    trigger: fired.kind,
    evidence: fired.evidence,
    reason: fired.evidence.summary,
    reasonCategory: null,
    parentId: null,
    actor: SYSTEM_ACTOR,
    source: 'checker',
    at: fired.at,
    policy: ctx.policy,
    calendar: ctx.calendar,
  });
  const thread = { channel: issue.channel, threadId: issue.threadId };
  await tx.outbox.add(
    issue.id,
    { kind: 'thread_note', thread, text: threadNotes.escalated(created) },
    fired.at,
  );
  return created;
}

/** A second trigger on an escalated issue: its evidence joins the open card (and may raise the priority). */
async function addEvidence(
  ctx: AppContext,
  tx: Repositories,
  issue: Issue,
  active: Escalation,
  fired: { kind: TriggerKind; evidence: Evidence; at: Date },
  priority: Priority | undefined,
): Promise<Escalation> {
  const raise = priority && moreUrgent(priority, active.priority) ? priority : undefined;
  const level = active.pathSnapshot.levels[active.level];
  const clock = clockOf(raise ?? active.priority, ctx.policy);
  const updated: Escalation = {
    ...active,
    version: active.version + 1,
    priority: raise ?? active.priority,
    // A raised priority runs the ladder on its own clock from now on.
    ...(raise && level?.ackWithinMs && active.status === 'open'
      ? { ackDueAt: deadlineAfter(fired.at, level.ackWithinMs, clock, ctx.calendar) }
      : {}),
    ...(raise && level?.resolveWithinMs
      ? { resolveDueAt: deadlineAfter(fired.at, level.resolveWithinMs, clock, ctx.calendar) }
      : {}),
    evidence: {
      ...active.evidence,
      details: [
        ...(active.evidence.details ?? []),
        `Also: ${fired.evidence.summary}`,
        ...(fired.evidence.details ?? []),
      ],
      matched: [...(active.evidence.matched ?? []), ...(fired.evidence.matched ?? [])],
    },
    updatedAt: fired.at,
  };
  if (!(await tx.escalations.update(updated, active.version))) return active;
  let current = issue;
  if (raise && moreUrgent(raise, issue.priority)) {
    current = {
      ...issue,
      priority: raise,
      ...slaDeadlines(issue.openedAt, raise, ctx.policy, ctx.calendar),
      updatedAt: fired.at,
    };
    await tx.issues.update(current);
  }
  await tx.events.append({
    id: newId('evt', fired.at),
    escalationId: active.id,
    action: raise ? `evidence:${fired.kind}:raise_priority` : `evidence:${fired.kind}`,
    fromStatus: active.status,
    toStatus: active.status,
    actor: SYSTEM_ACTOR,
    source: 'checker',
    detail: fired.evidence.summary,
    at: fired.at,
  });
  const card = await renderCard(tx, updated, current, ctx.policy);
  const channel = updated.pathSnapshot.levels[updated.level]?.channel;
  await tx.outbox.add(issue.id, { kind: 'update_card', escalationId: updated.id, card, channel }, fired.at);
  return updated;
}
