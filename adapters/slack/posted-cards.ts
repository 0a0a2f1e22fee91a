import type { WebClient } from '@slack/web-api';
import { DeliveryError } from '../../src/ports/chat-port.js';

/** The `metadata.event_type` every card carries, with `event_payload.outbox_id` naming its outbox entry. */
export const CARD_EVENT_TYPE = 'escalator_card';

/** Our clock and Slack's may disagree; look this much further back than the entry's creation. */
const CLOCK_SKEW_MS = 10 * 60_000;
/** Slack recommends pages of at most 200; ten of them is more than an escalation channel sees in a crash. */
const PAGE_SIZE = 200;
const MAX_PAGES = 10;
/** How many sent keys to remember; a repeat comes within minutes, long before this many cards. */
const REMEMBERED_KEYS = 10_000;

/**
 * When Slack may have a card's post already and Escalator does not know it: the process died after
 * Slack took `chat.postMessage` and before the outbox marked the entry delivered, or the answer was
 * lost (a timeout, a 5xx after Slack wrote the message). Slack has no client message id for
 * `chat.postMessage`, so before such a post the channel's recent history is read
 * (`conversations.history` with `include_all_metadata`) for a card carrying this outbox id.
 *
 * A lookup is needed only where a post may have happened unseen:
 * - the key was already sent by this process (a retry), or
 * - the entry was created before this process started: the previous run may have posted it and
 *   died before recording it. Its attempts counter cannot tell, since a crash records nothing.
 * Anything else is a first post, and costs no extra call. The history of one channel is read once
 * for all the entries left from the previous run (a restart after an outage can leave hundreds).
 */
export class PostedCards {
  private readonly sent = new Set<string>();
  /** Channel → the cards found by the last read of its history, for entries from before the start. */
  private readonly scans = new Map<string, { oldestMs: number; cards: Map<string, string> }>();

  constructor(
    private readonly client: WebClient,
    private readonly call: <T>(request: () => Promise<T>) => Promise<T>,
    /** When this process started delivering, on the clock that stamps outbox ids. */
    private readonly startedAt: Date,
  ) {}

  /**
   * The `ts` of the card already posted for `key` in `channelId`, if there is one. Slack's history
   * is read only when a card may be there: this process sent it before, the entry is older than
   * this process, or the outbox says an earlier try (perhaps by another replica) may have reached
   * Slack (`maybeSent`).
   */
  async find(channelId: string, key: string, maybeSent = false): Promise<string | undefined> {
    const createdMs = outboxIdTime(key);
    const fromEarlierRun = createdMs !== undefined && createdMs < this.startedAt.getTime();
    // An entry older than this process goes through the one shared read of the channel below;
    // a newer one this process or another replica may have sent is looked up on its own.
    const repeat = this.sent.has(key) || (maybeSent && !fromEarlierRun);
    if (!repeat && !fromEarlierRun) return undefined;
    // A key of another shape was first sent by this process, so after it started.
    const oldestMs = (createdMs ?? this.startedAt.getTime()) - CLOCK_SKEW_MS;
    if (repeat) return (await this.read(channelId, oldestMs)).get(key);
    // One read serves every entry of the channel left from the earlier run (they come oldest first).
    let scan = this.scans.get(channelId);
    if (!scan || scan.oldestMs > oldestMs) {
      scan = { oldestMs, cards: await this.read(channelId, oldestMs) };
      this.scans.set(channelId, scan);
    }
    return scan.cards.get(key);
  }

  /** Call right before `chat.postMessage`: from then on Slack may have the card even if we never hear so. */
  noteSent(key: string): void {
    this.sent.delete(key);
    this.sent.add(key);
    if (this.sent.size > REMEMBERED_KEYS) this.sent.delete(this.sent.values().next().value as string);
  }

  /** Our cards in the channel since `oldestMs`: outbox id → ts. */
  private async read(channelId: string, oldestMs: number): Promise<Map<string, string>> {
    const cards = new Map<string, string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      let response: Awaited<ReturnType<WebClient['conversations']['history']>>;
      try {
        response = await this.call(() =>
          this.client.conversations.history({
            channel: channelId,
            oldest: (oldestMs / 1000).toFixed(6),
            limit: PAGE_SIZE,
            include_all_metadata: true,
            ...(cursor ? { cursor } : {}),
          }),
        );
      } catch (error) {
        // Slack down or throttling: wait and ask again rather than post blind. A refusal that no
        // retry fixes (no `groups:history` scope on a private channel) must not keep the card from
        // its channel: post it, at the risk of a second copy.
        if (error instanceof DeliveryError && !error.retryable) return cards;
        throw error;
      }
      for (const message of response.messages ?? []) {
        const metadata = message.metadata as
          | { event_type?: string; event_payload?: { outbox_id?: unknown } }
          | undefined;
        const id = metadata?.event_payload?.outbox_id;
        if (metadata?.event_type === CARD_EVENT_TYPE && typeof id === 'string' && message.ts) {
          cards.set(id, message.ts);
        }
      }
      cursor = response.response_metadata?.next_cursor || undefined;
      if (!response.has_more || !cursor) break;
    }
    return cards;
  }
}

/**
 * When an outbox entry was created, read back from its id (`obx_` + the time in base 36, nine
 * characters, then randomness: see `newId`). Undefined for keys of another shape.
 */
export function outboxIdTime(id: string): number | undefined {
  const match = /^obx_([0-9a-z]{9})[0-9a-f]+$/.exec(id);
  if (!match) return undefined;
  const ms = Number.parseInt(match[1]!, 36);
  return Number.isFinite(ms) ? ms : undefined;
}
