import type { AppContext } from '../../../src/app/context.js';
import { escalateIssue } from '../../../src/app/escalate-issue.js';
import { isEscalatorError } from '../../../src/domain/errors.js';
import type { Escalation } from '../../../src/domain/escalation.js';
import type { Issue } from '../../../src/domain/issue.js';
import type { Priority } from '../../../src/domain/policy.js';
import { replies } from '../replies.js';

/**
 * Escalates a thread as an agent asked inside it (`@escalator escalate …`, or "Escalate anyway"
 * after one). Returns what to tell them, or undefined for a repeat (a retry, a second click) that
 * was answered the first time.
 */
export async function escalateFromThread(
  ctx: AppContext,
  issue: Pick<Issue, 'id' | 'number'>,
  request: { actor: string; reason: string; path?: string; priority?: Priority; eventKey?: string },
): Promise<string | undefined> {
  try {
    const escalation = await escalateIssue(ctx, {
      issueId: issue.id,
      reason: request.reason,
      path: request.path,
      priority: request.priority,
      actor: request.actor,
      source: 'slack',
      eventKey: request.eventKey,
    });
    return escalatedText(issue, escalation);
  } catch (error) {
    if (!isEscalatorError(error)) throw error;
    if (error.code === 'duplicate') return undefined;
    return replies.fromCore(error.message);
  }
}

/** "Escalated issue #3 to *L2 Tech* as #7. …": what the agent is told once a thread is escalated. */
export function escalatedText(
  issue: Pick<Issue, 'number'>,
  escalation: Pick<Escalation, 'number' | 'path' | 'pathSnapshot' | 'level'>,
): string {
  const level = escalation.pathSnapshot.levels[escalation.level]?.name ?? escalation.path;
  return `Escalated issue #${issue.number} to *${level}* as #${escalation.number}. Updates will appear in the thread.`;
}
