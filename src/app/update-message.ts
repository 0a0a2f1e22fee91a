import type { AppContext } from './context.js';

export interface MessageChange {
  eventKey: string;
  channel: string;
  messageId: string;
  at: Date;
  /** New text for an edit; undefined for a deletion. */
  text?: string;
}

/**
 * Applies an edit or a deletion to a stored message so summaries show what the thread shows now.
 * Deleted messages keep their row (marked deleted, text cleared) so counts and audit stay whole.
 */
export async function updateMessage(ctx: AppContext, change: MessageChange): Promise<'applied' | 'ignored'> {
  return ctx.store.transaction(async (tx) => {
    if (!(await tx.processedEvents.remember(change.eventKey, ctx.clock.now()))) return 'ignored';
    const message = await tx.messages.findByMessageId(change.channel, change.messageId);
    if (!message) return 'ignored';
    if (change.text === undefined) {
      await tx.messages.update({ ...message, text: '', deletedAt: change.at });
    } else {
      await tx.messages.update({ ...message, text: change.text, editedAt: change.at });
    }
    return 'applied';
  });
}
