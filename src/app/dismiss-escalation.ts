import { EscalatorError } from '../domain/errors.js';
import { CONTENT_TRIGGERS } from '../domain/escalation.js';
import { newId } from '../domain/ids.js';
import { threadNotes } from '../domain/thread-notes.js';
import { nextStatus } from '../domain/transitions.js';
import type { Actor } from './act-on-escalation.js';
import { authorizeResponder } from './authorize-responder.js';
import type { AppContext } from './context.js';
import { queueCardUpdate, queueThreadNote } from './queue-card-effects.js';

/**
 * "Not an escalation": closes a card a content trigger raised by mistake, and records the verdict
 * with the matched words against the trigger, so its precision in production can be measured.
 */
export async function dismissEscalation(
  ctx: AppContext,
  escalationId: string,
  who: Actor,
  input: { reason?: string } = {},
) {
  const reason = input.reason?.trim() || null;
  await authorizeResponder(ctx, escalationId, who, 'dismiss');
  const dismissed = await ctx.store.transaction(async (tx) => {
    const e = await tx.escalations.get(escalationId);
    if (!e) throw new EscalatorError('escalation_not_found', 'That escalation no longer exists.');
    if (!CONTENT_TRIGGERS.includes(e.trigger)) {
      throw new EscalatorError(
        'illegal_transition',
        `Escalation #${e.number} was not raised by a trigger reading messages; bounce it back instead.`,
      );
    }
    const at = ctx.clock.now();
    const changed = {
      ...e,
      status: nextStatus(e, 'dismiss'),
      statusNote: reason,
      version: e.version + 1,
      updatedAt: at,
    };
    if (!(await tx.escalations.update(changed, e.version))) {
      throw new EscalatorError(
        'stale_action',
        'Someone else changed this escalation at the same moment; look at the card again.',
      );
    }
    await tx.events.append({
      id: newId('evt', at),
      escalationId,
      action: 'dismiss',
      fromStatus: e.status,
      toStatus: 'dismissed',
      actor: who.actor,
      source: who.source,
      detail: reason,
      at,
    });
    await tx.triggers.recordFeedback({
      id: newId('evt', at),
      escalationId,
      kind: e.trigger,
      verdict: 'false_positive',
      reason,
      matched: e.evidence.matched ?? [],
      actor: who.actor,
      at,
    });
    const issue = (await tx.issues.get(e.issueId))!;
    // Closing a false positive re-arms the triggers: a real ask later in the thread fires again.
    const reopened = { ...issue, status: 'open' as const, lastResolvedAt: at, updatedAt: at };
    await tx.issues.update(reopened);
    await queueCardUpdate(tx, ctx.policy, changed, reopened, at);
    await queueThreadNote(tx, issue, threadNotes.dismissed(changed, who.actor, reason), at);
    return changed;
  });
  ctx.outboxChanged();
  return dismissed;
}
