import type { FakeSlackApi, FakeSlackMessage } from './fake-slack-api.js';

/** The outbox id a stored Slack message carries in its metadata, if it is one of Escalator's cards. */
export function outboxIdOf(message: FakeSlackMessage): string | undefined {
  const metadata = message.metadata as
    | { event_type?: string; event_payload?: { outbox_id?: string } }
    | undefined;
  return metadata?.event_type === 'escalator_card' ? metadata.event_payload?.outbox_id : undefined;
}

/** Outbox id → how many cards in the channel carry it (more than one is a card posted twice). */
export function cardsByOutboxId(fake: FakeSlackApi, channel: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of fake.messages(channel)) {
    const id = outboxIdOf(message);
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
