import type { Escalation, TriggerKind } from '../../domain/escalation.js';
import { newId } from '../../domain/ids.js';
import type { PendingTriggerHit, Repositories } from '../../ports/store.js';
import type { AppContext } from '../context.js';
import { renderCard } from '../render-card.js';
import { type FireOutcome, fireTrigger } from './fire-trigger.js';

/**
 * Escalates what content triggers found in customer messages since the last tick. Each hit is
 * its own transaction: a failure leaves that hit pending for the next tick and nothing half-done.
 */
export async function processTriggerHits(
  ctx: AppContext,
  hits: PendingTriggerHit[],
): Promise<Record<string, number>> {
  const outcomes: Record<string, number> = {};
  for (const hit of hits) {
    const outcome = await ctx.store.transaction(async (tx) => {
      // Claim the hit first: a tick running elsewhere may have taken it already.
      if (!(await tx.triggers.markHitProcessed(hit.id, 'processing', ctx.clock.now())))
        return 'taken_elsewhere';
      const issue = await tx.issues.get(hit.issueId);
      let result: FireOutcome | 'joined_systemic' | 'gone' = 'gone';
      if (issue) {
        const joined = hit.kind === 'systemic' ? await joinSystemic(ctx, tx, hit) : undefined;
        if (joined) {
          result = 'joined_systemic';
        } else {
          const evidence = { ...hit.evidence, matched: hit.matched };
          const fired = await fireTrigger(ctx, tx, issue, {
            kind: hit.kind as TriggerKind,
            evidence,
            at: ctx.clock.now(),
          });
          result = fired.outcome;
          if (hit.kind === 'systemic' && fired.outcome === 'escalated' && fired.escalation) {
            for (const member of hit.evidence.cluster ?? []) {
              await tx.triggers.addSystemicMember(fired.escalation.id, member, ctx.clock.now());
            }
            await refreshSystemicCard(ctx, tx, fired.escalation);
          }
        }
      }
      await tx.triggers.recordHitOutcome(hit.id, result);
      return result;
    });
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  if (hits.length > 0) ctx.outboxChanged();
  return outcomes;

  /** A new similar thread joins the systemic escalation already open: no new card, the card grows. */
  async function joinSystemic(
    context: AppContext,
    tx: Repositories,
    hit: PendingTriggerHit,
  ): Promise<boolean> {
    const existing = await tx.triggers.findActiveSystemicFor(
      (hit.evidence.cluster ?? []).filter((id) => id !== hit.issueId),
    );
    if (!existing) return false;
    const escalation = await tx.escalations.get(existing);
    if (!escalation) return false;
    await tx.triggers.addSystemicMember(existing, hit.issueId, context.clock.now());
    await tx.events.append({
      id: newId('evt', context.clock.now()),
      escalationId: existing,
      action: 'systemic:join',
      fromStatus: escalation.status,
      toStatus: escalation.status,
      actor: 'system:escalator',
      source: 'checker',
      detail: hit.issueId,
      at: context.clock.now(),
    });
    await refreshSystemicCard(context, tx, escalation);
    return true;
  }
}

/** Re-renders a systemic escalation's card with every thread it stands for. */
async function refreshSystemicCard(ctx: AppContext, tx: Repositories, escalation: Escalation) {
  const issue = await tx.issues.get(escalation.issueId);
  if (!issue) return;
  const card = await renderCard(tx, escalation, issue, ctx.policy);
  const channel = escalation.pathSnapshot.levels[escalation.level]?.channel;
  await tx.outbox.add(
    issue.id,
    { kind: 'update_card', escalationId: escalation.id, card, channel },
    ctx.clock.now(),
  );
}
