import { renderCard } from '../../src/app/render-card.js';
import type { Card } from '../../src/domain/card.js';
import { newId } from '../../src/domain/ids.js';
import type { Policy } from '../../src/domain/policy.js';
import type { Store } from '../../src/ports/store.js';
import { makeEscalation, makeIssue } from '../../test/support/core/domain-builders.js';

/** A card waiting to be posted: its escalation and the channel it goes to. */
export interface PendingCard {
  issueId: string;
  escalationId: string;
  channel: string;
  card: Card;
}

const HOUR = 3_600_000;

/**
 * Escalated issues whose cards are not posted yet, spread round-robin over `channels`, written
 * through the repositories without queuing anything (`enqueueCards` does that, on the clock). Their
 * deadlines lie hours ahead, so the checker running beside the benchmark has nothing to do.
 */
export async function seedEscalations(
  store: Store,
  policy: Policy,
  count: number,
  channels: string[],
): Promise<PendingCard[]> {
  const now = new Date();
  return store.transaction(async (tx) => {
    const pending: PendingCard[] = [];
    for (let i = 0; i < count; i += 1) {
      const issue = makeIssue({
        id: newId('iss', now),
        number: i + 1,
        threadId: `1770000000.${String(i + 1).padStart(6, '0')}`,
        openedAt: now,
        lastCustomerMessageAt: now,
        updatedAt: now,
      });
      const escalation = makeEscalation({
        id: newId('esc', now),
        number: i + 1,
        issueId: issue.id,
        createdAt: now,
        updatedAt: now,
        ackDueAt: new Date(now.getTime() + HOUR),
        resolveDueAt: new Date(now.getTime() + 8 * HOUR),
      });
      await tx.issues.create(issue);
      await tx.escalations.create(escalation);
      pending.push({
        issueId: issue.id,
        escalationId: escalation.id,
        channel: channels[i % channels.length]!,
        card: await renderCard(tx, escalation, issue, policy),
      });
    }
    return pending;
  });
}

/** Queues every card's `post_card` in one transaction, each on its issue's own order key. */
export async function enqueueCards(store: Store, cards: PendingCard[]): Promise<void> {
  await store.transaction(async (tx) => {
    for (const { issueId, escalationId, channel, card } of cards) {
      await tx.outbox.add(issueId, { kind: 'post_card', channel, card, escalationId }, new Date());
    }
  });
}
