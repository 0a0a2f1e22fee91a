import type { Escalation } from '../domain/escalation.js';
import type { Issue } from '../domain/issue.js';
import type { Policy } from '../domain/policy.js';
import type { Repositories } from '../ports/store.js';
import { renderCard } from './render-card.js';

/**
 * The two effects most changes end with, queued in the change's transaction on the issue's order
 * key: the card re-rendered and updated in place, and a short note in the customer's thread.
 */
export async function queueCardUpdate(
  tx: Repositories,
  policy: Policy,
  escalation: Escalation,
  issue: Issue,
  at: Date,
): Promise<void> {
  const card = await renderCard(tx, escalation, issue, policy);
  const channel = escalation.pathSnapshot.levels[escalation.level]?.channel;
  await tx.outbox.add(issue.id, { kind: 'update_card', escalationId: escalation.id, card, channel }, at);
}

export async function queueThreadNote(tx: Repositories, issue: Issue, text: string, at: Date): Promise<void> {
  await tx.outbox.add(
    issue.id,
    { kind: 'thread_note', thread: { channel: issue.channel, threadId: issue.threadId }, text },
    at,
  );
}
