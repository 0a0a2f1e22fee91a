import type { AppContext } from './context.js';

/**
 * A card that can never be posted (the bot is not in the channel, the channel was archived) must
 * not vanish silently: the original thread is told, so the agent can chase it by other means.
 */
export async function reportUndeliveredCard(ctx: AppContext, escalationId: string, channel: string, error: string) {
  await ctx.store.transaction(async (tx) => {
    const escalation = await tx.escalations.get(escalationId);
    const issue = escalation && (await tx.issues.get(escalation.issueId));
    if (!escalation || !issue) return;
    const where = channel.startsWith('slack:') ? `<#${channel.slice(6)}>` : channel;
    const text = `⚠️ The card for escalation #${escalation.number} could not be posted to ${where} (${error}). Ask an admin to invite Escalator there; until then, reach ${escalation.pathSnapshot.levels[escalation.level]?.name ?? 'the next level'} directly.`;
    await tx.outbox.add(issue.id, { kind: 'thread_note', thread: { channel: issue.channel, threadId: issue.threadId }, text }, ctx.clock.now());
  });
  ctx.outboxChanged();
}
