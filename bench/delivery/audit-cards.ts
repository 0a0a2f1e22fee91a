import { localIdOf } from '../../src/domain/ids.js';
import type { Store } from '../../src/ports/store.js';
import type { FakeSlackApi } from '../../test/support/slack/index.js';
import type { PendingCard } from './seed-cards.js';

export interface CardAudit {
  /** Cards with no post in their channel, or whose escalation does not point at that post. */
  lost: number;
  /** Posts beyond the first of the same outbox entry. */
  duplicates: number;
}

/** What Slack ended up holding, against what was queued and what the escalations recorded. */
export async function auditCards(store: Store, api: FakeSlackApi, cards: PendingCard[]): Promise<CardAudit> {
  const channels = new Set(cards.map((c) => c.channel));
  const postsPerEntry = new Map<string, number>();
  for (const channel of channels) {
    for (const message of api.messages(localIdOf(channel))) {
      const outboxId = (message.metadata as { event_payload?: { outbox_id?: string } } | undefined)
        ?.event_payload?.outbox_id;
      if (outboxId) postsPerEntry.set(outboxId, (postsPerEntry.get(outboxId) ?? 0) + 1);
    }
  }
  let lost = 0;
  for (const card of cards) {
    const escalation = await store.escalations.get(card.escalationId);
    const posted =
      escalation?.cardChannel === card.channel &&
      escalation.cardMessageId !== null &&
      api.message(localIdOf(card.channel), escalation.cardMessageId) !== undefined;
    if (!posted) lost += 1;
  }
  const duplicates = [...postsPerEntry.values()].reduce((sum, n) => sum + n - 1, 0);
  return { lost, duplicates };
}
