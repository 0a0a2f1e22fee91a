import type { AppContext } from './context.js';
import { eventsWithWords, withoutWords } from './escalation-words.js';

/** What one retention run removed, everything older than `cutoff`. */
export interface RetentionRun {
  cutoff: Date;
  /** Messages whose text was emptied (the rows, authors and times stay). */
  messages: number;
  /** Finished escalations whose words were replaced (see `withoutWords`). */
  escalations: number;
  /** Audit event details emptied along with them. */
  eventDetails: number;
  /** Delivered and dead outbox entries deleted: the cards and notes they carried quote the thread. */
  outboxEntries: number;
  /** Trigger hits the checker handled, deleted: their evidence quotes the customer. */
  triggerHits: number;
  /**
   * Messages of the simulated local workspace, deleted: they are Escalator's own copy of a chat
   * (customer words and the cards quoting them), so they follow the same retention.
   */
  localMessages: number;
}

/** Rows per transaction, so the purge never holds the writer for long next to live traffic. */
export const RETENTION_BATCH = 500;

/**
 * Removes the words kept longer than the policy's `retention.messageText`: the text of messages
 * sent before the cutoff; the reason, notes, AI summary and quoting evidence of escalations that
 * finished (nobody has changed them) before it; the delivered outbox entries and handled trigger
 * hits and local-workspace messages from before it. Metrics never read any of these, so issues, escalations, audit events,
 * CSAT answers, digests and every digest figure stay as they were. Nothing when the policy sets no
 * retention.
 */
export async function purgeMessageText(
  ctx: Pick<AppContext, 'store' | 'policy' | 'clock'>,
  batchSize = RETENTION_BATCH,
): Promise<RetentionRun | undefined> {
  const keepMs = ctx.policy.retention.messageTextMs;
  if (keepMs === undefined) return undefined;
  const now = ctx.clock.now();
  const cutoff = new Date(now.getTime() - keepMs);
  const { store } = ctx;

  const messages = await inBatches(batchSize, () =>
    store.transaction((tx) => tx.retention.purgeMessageText(cutoff, now, batchSize)),
  );
  let eventDetails = 0;
  const escalations = await inBatches(batchSize, () =>
    store.transaction(async (tx) => {
      const due = await tx.retention.listEscalationsHoldingWords(cutoff, batchSize);
      for (const escalation of due) {
        const clear = eventsWithWords(await tx.events.listForEscalation(escalation.id));
        await tx.retention.replaceEscalationWords(escalation.id, withoutWords(escalation), clear, now);
        eventDetails += clear.length;
      }
      return due.length;
    }),
  );
  const outboxEntries = await inBatches(batchSize, () =>
    store.transaction((tx) => tx.retention.deleteSettledOutbox(cutoff, batchSize)),
  );
  const triggerHits = await inBatches(batchSize, () =>
    store.transaction((tx) => tx.retention.deleteHandledTriggerHits(cutoff, batchSize)),
  );
  const localMessages = await inBatches(batchSize, () =>
    store.transaction((tx) => tx.retention.deleteLocalMessages(cutoff, batchSize)),
  );
  return { cutoff, messages, escalations, eventDetails, outboxEntries, triggerHits, localMessages };
}

/** Runs `batch` until it handles fewer rows than a full batch: then nothing older is left. */
async function inBatches(batchSize: number, batch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await batch();
    total += done;
    if (done < batchSize) return total;
  }
}
