import { EscalatorError } from '../domain/errors.js';
import type { ChangeSource, Escalation } from '../domain/escalation.js';
import { newId } from '../domain/ids.js';
import type { Issue } from '../domain/issue.js';
import { ROOT_CAUSES, type RootCause } from '../domain/policy.js';
import { threadNotes } from '../domain/thread-notes.js';
import { type EscalationAction, nextStatus } from '../domain/transitions.js';
import type { Repositories } from '../ports/store.js';
import { authorizeResponder } from './authorize-responder.js';
import type { AppContext } from './context.js';
import { askForCsat, confirmWithCustomerLine } from './follow-up.js';
import { recordResolution } from './knowledge/record-resolution.js';
import { openFollowOn } from './open-escalation.js';
import { queueCardUpdate, queueThreadNote } from './queue-card-effects.js';

export interface Actor {
  actor: string;
  source: ChangeSource;
}

interface Change {
  action: EscalationAction;
  detail: string | null;
  apply(e: Escalation, at: Date): Escalation;
  /** Follow-up inside the same transaction: new escalations, notes. */
  after(tx: Repositories, changed: Escalation, issue: Issue, at: Date): Promise<Escalation | null>;
}

/**
 * Applies one change to an escalation atomically: status through the transition table, a version
 * guard against concurrent clicks, an audit event, the card update and the thread note in the outbox.
 * Only people allowed at the escalation's level get that far (see `authorizeResponder`).
 */
async function change(ctx: AppContext, escalationId: string, who: Actor, spec: Change) {
  await authorizeResponder(ctx, escalationId, who, spec.action);
  const result = await ctx.store.transaction(async (tx) => {
    const current = await tx.escalations.get(escalationId);
    if (!current) throw new EscalatorError('escalation_not_found', 'That escalation no longer exists.');
    const to = nextStatus(current, spec.action);
    const at = ctx.clock.now();
    const changed: Escalation = {
      ...spec.apply(current, at),
      status: to,
      version: current.version + 1,
      updatedAt: at,
    };
    if (!(await tx.escalations.update(changed, current.version))) {
      // Someone else changed it between our read and write (another replica); explain who won.
      const latest = await tx.escalations.get(escalationId);
      if (latest) nextStatus(latest, spec.action);
      throw new EscalatorError(
        'stale_action',
        'Someone else changed this escalation at the same moment; look at the card again.',
      );
    }
    await tx.events.append({
      id: newId('evt', at),
      escalationId,
      action: spec.action,
      fromStatus: current.status,
      toStatus: to,
      actor: who.actor,
      source: who.source,
      detail: spec.detail,
      at,
    });
    const issue = (await tx.issues.get(current.issueId))!;
    const followUp = await spec.after(tx, changed, issue, at);
    const final = (await tx.escalations.get(escalationId))!;
    await queueCardUpdate(tx, ctx.policy, final, (await tx.issues.get(issue.id))!, at);
    return { escalation: final, followUp };
  });
  ctx.outboxChanged();
  return result;
}

/** Takes ownership of an open escalation. A second claimer gets "already claimed by …". */
export async function claimEscalation(ctx: AppContext, escalationId: string, who: Actor) {
  const { escalation } = await change(ctx, escalationId, who, {
    action: 'claim',
    detail: null,
    apply: (e, at) => ({ ...e, claimedBy: who.actor, claimedAt: at }),
    async after(tx, e, issue, at) {
      await queueThreadNote(tx, issue, threadNotes.claimed(e), at);
      return null;
    },
  });
  return escalation;
}

/** Closes an escalation with what was done and why it happened; the note and root cause are required. */
export async function resolveEscalation(
  ctx: AppContext,
  escalationId: string,
  who: Actor,
  input: {
    note: string;
    rootCause: RootCause;
    /** A reusable answer for the frontline (asked for on knowledge gaps); shown first next time. */
    answer?: string;
  },
) {
  const text = input.note.trim();
  const answer = input.answer?.trim() || null;
  if (!ROOT_CAUSES.includes(input.rootCause)) {
    throw new EscalatorError('invalid_input', `Pick a root cause: one of ${ROOT_CAUSES.join(', ')}.`);
  }
  if (!text)
    throw new EscalatorError(
      'invalid_input',
      'Write a resolution note: what fixed it, so the frontline can tell the customer.',
    );
  const { escalation } = await change(ctx, escalationId, who, {
    action: 'resolve',
    detail: `${input.rootCause}: ${text}`,
    apply: (e, at) => ({
      ...e,
      claimedBy: e.claimedBy ?? who.actor,
      claimedAt: e.claimedAt ?? at,
      resolvedBy: who.actor,
      resolvedAt: at,
      resolutionNote: text,
      rootCause: input.rootCause,
    }),
    async after(tx, e, issue, at) {
      await tx.issues.update({ ...issue, status: 'resolved', lastResolvedAt: at, updatedAt: at });
      // Follow-up: the frontline agent closes the loop with the customer, who is asked to rate it.
      await queueThreadNote(
        tx,
        issue,
        `${threadNotes.resolved(e)}\n${await confirmWithCustomerLine(tx, e)}`,
        at,
      );
      await askForCsat(tx, ctx.policy, e, issue, at);
      await recordResolution(tx, e, issue, answer, at);
      return null;
    },
  });
  return escalation;
}

/**
 * Sends an escalation back down with a reason: to the level below (a new card there), or from the
 * first level back to the frontline agent in the original thread.
 */
export async function bounceEscalation(
  ctx: AppContext,
  escalationId: string,
  who: Actor,
  input: { reason: string },
) {
  const reason = input.reason.trim();
  if (!reason)
    throw new EscalatorError(
      'invalid_input',
      'Say why you are bouncing it back, so the level below knows what to do.',
    );
  return change(ctx, escalationId, who, {
    action: 'bounce',
    detail: reason,
    apply: (e, at) => ({ ...e, bouncedBy: who.actor, bouncedAt: at, bounceReason: reason }),
    async after(tx, e, issue, at) {
      let backTo: Escalation | null = null;
      if (e.level > 0) {
        backTo = await openFollowOn(tx, ctx, e, issue, {
          level: e.level - 1,
          trigger: 'bounce',
          evidence: {
            summary: `Bounced back from ${e.pathSnapshot.levels[e.level]?.name} by <@${who.actor}>.`,
            details: [`Reason: ${reason}`],
          },
          actor: who.actor,
          source: who.source,
          at,
        });
      } else {
        await tx.issues.update({ ...issue, status: 'open', updatedAt: at });
      }
      await queueThreadNote(tx, issue, threadNotes.bounced(e, backTo), at);
      return backTo;
    },
  });
}

/** Hands the escalation to the next level of its path; the old card says where it went. */
export async function escalateFurther(
  ctx: AppContext,
  escalationId: string,
  who: Actor,
  input: { reason?: string } = {},
) {
  return change(ctx, escalationId, who, {
    action: 'escalate_further',
    detail: input.reason?.trim() || null,
    apply: (e) => e,
    async after(tx, e, issue, at) {
      if (e.level + 1 >= e.pathSnapshot.levels.length) {
        throw new EscalatorError(
          'no_higher_level',
          `Escalation #${e.number} is already at the top of the "${e.path}" path (${e.pathSnapshot.levels[e.level]?.name}).`,
        );
      }
      const next = await openFollowOn(tx, ctx, e, issue, {
        level: e.level + 1,
        trigger: e.trigger,
        evidence: {
          summary: `Escalated further from ${e.pathSnapshot.levels[e.level]?.name} by <@${who.actor}>.`,
          details: [e.evidence.summary, ...(input.reason?.trim() ? [`Reason: ${input.reason.trim()}`] : [])],
        },
        actor: who.actor,
        source: who.source,
        at,
      });
      await tx.escalations.update({ ...e, supersededBy: next.id, version: e.version + 1 }, e.version);
      await queueThreadNote(tx, issue, threadNotes.escalatedFurther(e, next, who.actor), at);
      return next;
    },
  });
}
