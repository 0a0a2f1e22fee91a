import { EscalatorError } from '../../domain/errors.js';
import type { ChangeSource } from '../../domain/escalation.js';
import { newId } from '../../domain/ids.js';
import type { Issue } from '../../domain/issue.js';
import type { KnowledgeEntry } from '../../domain/knowledge.js';
import { oneLine, truncate } from '../../domain/text.js';
import { mention } from '../../domain/transitions.js';
import type { AppContext } from '../context.js';
import { queueThreadNote } from '../queue-card-effects.js';

export interface SolvedRequest {
  issueId: string;
  /** The knowledge entry (earlier resolution) the agent says solved it. */
  entryId: string;
  actor: string;
  source: ChangeSource;
  /** Inbound event key (the click's id); a second click with it does nothing. */
  eventKey?: string;
}

/**
 * "This solved it": the agent found the fix among past resolutions, so the thread is closed without
 * an escalation. The earlier resolution is credited, the deflection is counted for the digest, and
 * the thread says what solved it so anyone reading later knows.
 */
export async function closeAsSolved(
  ctx: AppContext,
  request: SolvedRequest,
): Promise<{ issue: Issue; entry: KnowledgeEntry }> {
  const result = await ctx.store.transaction(async (tx) => {
    if (request.eventKey && !(await tx.processedEvents.remember(request.eventKey, ctx.clock.now()))) {
      throw new EscalatorError('duplicate', 'That was already recorded.');
    }
    const issue = await tx.issues.get(request.issueId);
    if (!issue) throw new EscalatorError('issue_not_found', 'That thread is not tracked by Escalator.');
    const entry = await tx.knowledge.get(request.entryId);
    if (!entry) {
      throw new EscalatorError(
        'invalid_input',
        'That past resolution is no longer kept. Escalate anyway, or pick another one.',
      );
    }
    const active = await tx.escalations.findActiveForIssue(issue.id);
    if (active) {
      throw new EscalatorError(
        'already_escalated',
        `Issue #${issue.number} was escalated meanwhile as #${active.number}; resolve it on that card.`,
      );
    }
    if (issue.status === 'resolved') {
      throw new EscalatorError('duplicate', `Issue #${issue.number} is already closed.`);
    }
    const at = ctx.clock.now();
    const closed: Issue = { ...issue, status: 'resolved', lastResolvedAt: at, updatedAt: at };
    await tx.issues.update(closed);
    await tx.knowledge.recordDeflection({
      id: newId('dfl', at),
      issueId: issue.id,
      entryId: entry.id,
      path: issue.path,
      actor: request.actor,
      source: request.source,
      at,
    });
    const fix = truncate(oneLine(entry.answer ?? entry.resolutionNote), 400);
    await queueThreadNote(
      tx,
      closed,
      `💡 Solved without escalating by ${mention(request.actor)}, with the fix from escalation #${entry.escalationNumber} (issue #${entry.issueNumber}): ${fix}`,
      at,
    );
    return { issue: closed, entry };
  });
  ctx.outboxChanged();
  return result;
}
