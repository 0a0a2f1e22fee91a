import type { Escalation } from '../../domain/escalation.js';
import { newId } from '../../domain/ids.js';
import type { Issue } from '../../domain/issue.js';
import type { Repositories } from '../../ports/store.js';

/**
 * Keeps a just-resolved escalation as knowledge, inside the resolution's transaction: the customer's
 * first words and the reason (what the next similar thread is compared with), the note, the root
 * cause and, when the resolver wrote one, the reusable answer for the frontline.
 */
export async function recordResolution(
  tx: Repositories,
  escalation: Escalation,
  issue: Issue,
  answer: string | null,
  at: Date,
): Promise<void> {
  if (!escalation.rootCause || !escalation.resolvedBy) return;
  const firstWords = (await tx.messages.firstCustomerText(issue.id)) ?? '';
  await tx.knowledge.save({
    id: newId('kno', at),
    escalationId: escalation.id,
    escalationNumber: escalation.number,
    issueId: issue.id,
    issueNumber: issue.number,
    channel: issue.channel,
    threadId: issue.threadId,
    path: escalation.path,
    problem: [firstWords, escalation.reason].filter((t) => t.trim()).join('\n'),
    resolutionNote: escalation.resolutionNote ?? '',
    rootCause: escalation.rootCause,
    answer,
    resolvedBy: escalation.resolvedBy,
    resolvedAt: escalation.resolvedAt ?? at,
  });
}
