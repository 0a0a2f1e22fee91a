import type { Repositories } from '../ports/store.js';

/**
 * A card that can never be posted (the bot is not in the channel, the channel was archived) must
 * not vanish silently: the original thread is told, so the agent can chase it by other means.
 * Runs inside the transaction that parks the card, so the warning cannot be lost in between.
 */
export async function reportUndeliveredCard(
  tx: Repositories,
  undelivered: { escalationId: string; channel: string; error: string; at: Date },
) {
  const escalation = await tx.escalations.get(undelivered.escalationId);
  const issue = escalation && (await tx.issues.get(escalation.issueId));
  if (!escalation || !issue) return;
  const { channel, error } = undelivered;
  const where = channel.startsWith('slack:') ? `<#${channel.slice(6)}>` : channel;
  const level = escalation.pathSnapshot.levels[escalation.level]?.name ?? 'the next level';
  const text = `⚠️ The card for escalation #${escalation.number} could not be posted to ${where} (${error}). Ask an admin to invite Escalator there; until then, reach ${level} directly.`;
  await tx.outbox.add(
    issue.id,
    { kind: 'thread_note', thread: { channel: issue.channel, threadId: issue.threadId }, text },
    undelivered.at,
  );
}
