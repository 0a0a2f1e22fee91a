import type { AppContext } from './context.js';

/**
 * Sends a private reply to one person (an error or a confirmation after the interaction was
 * already acknowledged). It goes through the outbox like every other effect, so a Slack hiccup
 * delays it instead of losing it.
 */
export async function tellUser(
  ctx: AppContext,
  to: { channel: string; userId: string; threadId?: string },
  text: string,
): Promise<void> {
  await ctx.store.transaction((tx) =>
    tx.outbox.add(
      `user:${to.userId}`,
      { kind: 'ephemeral', channel: to.channel, userId: to.userId, text, threadId: to.threadId },
      ctx.clock.now(),
    ),
  );
  ctx.outboxChanged();
}
