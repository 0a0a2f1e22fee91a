import { EscalatorError } from '../domain/errors.js';
import type { ChangeSource, Escalation, Evidence, TriggerKind } from '../domain/escalation.js';
import { definedPriorities, type Priority, ROOT_CAUSE_LABELS, type RootCause } from '../domain/policy.js';
import { threadNotes } from '../domain/thread-notes.js';
import type { AppContext } from './context.js';
import { openEscalation } from './open-escalation.js';

export interface EscalateRequest {
  issueId: string;
  reason: string;
  actor: string;
  source: ChangeSource;
  /** Defaults to the path of the issue's support channel. */
  path?: string;
  priority?: Priority;
  reasonCategory?: RootCause | null;
  trigger?: TriggerKind;
  evidence?: Evidence;
  /** Inbound event key (a modal's view id); a second submit with it does nothing. */
  eventKey?: string;
}

/**
 * Escalates a tracked thread to the first level of a path: the card goes to that level's channel
 * and the original thread is told where it went.
 */
export async function escalateIssue(ctx: AppContext, request: EscalateRequest): Promise<Escalation> {
  const reason = request.reason.trim();
  if (!reason) {
    throw new EscalatorError(
      'invalid_input',
      'Say why you are escalating: the reason is what the specialist reads first.',
    );
  }
  const escalation = await ctx.store.transaction(async (tx) => {
    if (request.eventKey && !(await tx.processedEvents.remember(request.eventKey, ctx.clock.now()))) {
      throw new EscalatorError('duplicate', 'This escalation was already submitted.');
    }
    const issue = await tx.issues.get(request.issueId);
    if (!issue) throw new EscalatorError('issue_not_found', 'That thread is not tracked by Escalator.');
    const pathName = request.path ?? issue.path;
    // Own keys only: "escalate to constructor" must not find Object's members.
    const path = Object.hasOwn(ctx.policy.paths, pathName) ? ctx.policy.paths[pathName] : undefined;
    if (!path) {
      const known = Object.keys(ctx.policy.paths).join(', ');
      throw new EscalatorError(
        'unknown_path',
        `There is no escalation path "${pathName}". Use one of: ${known}.`,
      );
    }
    const priority = request.priority ?? issue.priority;
    if (!definedPriorities(ctx.policy).includes(priority)) {
      const known = definedPriorities(ctx.policy).join(', ');
      throw new EscalatorError(
        'unknown_priority',
        `Priority "${priority}" is not in the policy. Use one of: ${known}.`,
      );
    }
    const active = await tx.escalations.findActiveForIssue(issue.id);
    if (active) {
      const who = active.claimedBy ? `, claimed by <@${active.claimedBy}>` : ', waiting to be claimed';
      throw new EscalatorError(
        'already_escalated',
        `Issue #${issue.number} is already escalated as #${active.number} (${active.pathSnapshot.levels[active.level]?.name}${who}). Use that card to escalate further.`,
      );
    }
    const at = ctx.clock.now();
    const category = request.reasonCategory ?? null;
    const created = await openEscalation(tx, {
      issue,
      path,
      level: 0,
      priority,
      trigger: request.trigger ?? 'manual',
      evidence: request.evidence ?? {
        summary: `Escalated by hand by <@${request.actor}>${category ? ` (${ROOT_CAUSE_LABELS[category]})` : ''}.`,
      },
      reason,
      reasonCategory: category,
      parentId: null,
      actor: request.actor,
      source: request.source,
      at,
      policy: ctx.policy,
      calendar: ctx.calendar,
    });
    await tx.outbox.add(
      issue.id,
      {
        kind: 'thread_note',
        thread: { channel: issue.channel, threadId: issue.threadId },
        text: threadNotes.escalated(created),
      },
      at,
    );
    return created;
  });
  ctx.outboxChanged();
  return escalation;
}
