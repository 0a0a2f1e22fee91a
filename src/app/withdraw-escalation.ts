import { EscalatorError, isEscalatorError } from '../domain/errors.js';
import { type ChangeSource, type Escalation, levelOf } from '../domain/escalation.js';
import { newId } from '../domain/ids.js';
import { threadNotes } from '../domain/thread-notes.js';
import { mention, nextStatus, SYSTEM_ACTOR } from '../domain/transitions.js';
import { recordRefusal } from './authorize-responder.js';
import type { AppContext } from './context.js';
import { queueCardUpdate, queueThreadNote } from './queue-card-effects.js';

export interface WithdrawRequest {
  /** The thread's issue; its open escalation is the one withdrawn. */
  issueId: string;
  actor: string;
  source: ChangeSource;
  reason?: string;
}

/**
 * "Never mind": the frontline agent who escalated a thread takes the escalation back while nobody
 * has claimed it (the customer found the answer, it went to the wrong place). The card says it was
 * withdrawn, the thread gets a note, the issue is the frontline's again and can be escalated anew.
 * Only that agent may do it, and only while the escalation is open: anyone else is refused (and
 * the refusal audited); once claimed, the claimer decides.
 */
export async function withdrawEscalation(ctx: AppContext, request: WithdrawRequest): Promise<Escalation> {
  const who = { actor: request.actor, source: request.source };
  const reason = request.reason?.trim() || null;
  const active = await ctx.store.escalations.findActiveForIssue(request.issueId);
  if (!active) {
    throw new EscalatorError('escalation_not_found', 'This thread has no open escalation to withdraw.');
  }
  const escalatedBy = await whoEscalated(ctx, active);
  if (escalatedBy !== who.actor) {
    await recordRefusal(ctx, active, who, 'withdraw', `escalated by ${escalatedBy}, not by ${who.actor}`);
    throw new EscalatorError(
      'not_allowed',
      escalatedBy === SYSTEM_ACTOR
        ? `Escalation #${active.number} was raised by Escalator itself, so nobody can withdraw it; the people at ${levelOf(active).name} can close it.`
        : `Only ${mention(escalatedBy)}, who escalated this thread, can withdraw escalation #${active.number}.`,
    );
  }

  const withdrawn = await ctx.store.transaction(async (tx) => {
    const e = (await tx.escalations.get(active.id))!;
    const to = withdrawable(e);
    const at = ctx.clock.now();
    const changed: Escalation = {
      ...e,
      status: to,
      statusNote: `${mention(who.actor)}${reason ? `: ${reason}` : ''}`,
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
      escalationId: e.id,
      action: 'withdraw',
      fromStatus: e.status,
      toStatus: to,
      actor: who.actor,
      source: who.source,
      detail: reason,
      at,
    });
    const issue = (await tx.issues.get(e.issueId))!;
    const reopened = { ...issue, status: 'open' as const, updatedAt: at };
    await tx.issues.update(reopened);
    await queueCardUpdate(tx, ctx.policy, changed, reopened, at);
    await queueThreadNote(tx, issue, threadNotes.withdrawn(changed, who.actor, reason), at);
    return changed;
  });
  ctx.outboxChanged();
  return withdrawn;
}

/** The transition table decides; a claimed escalation also gets what to do instead. */
function withdrawable(e: Escalation) {
  try {
    return nextStatus(e, 'withdraw');
  } catch (error) {
    if (!isEscalatorError(error, 'already_claimed')) throw error;
    throw new EscalatorError(
      'already_claimed',
      `${error.message} Ask ${mention(e.claimedBy)} to bounce it back if it is no longer needed.`,
    );
  }
}

/**
 * The agent who escalated the thread: the creator of the first step. Later steps (the ladder, a
 * bounce down, escalate further) were created by someone else but belong to the same request.
 */
async function whoEscalated(ctx: AppContext, e: Escalation): Promise<string> {
  let step = e;
  for (let hops = 0; step.parentId && hops < 100; hops++) {
    const parent = await ctx.store.escalations.get(step.parentId);
    if (!parent) break;
    step = parent;
  }
  return step.createdBy;
}
