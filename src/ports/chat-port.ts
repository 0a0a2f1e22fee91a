import type { Card } from '../domain/card.js';
import type { ThreadRef } from '../domain/ids.js';

/**
 * The one interface the core uses to talk to a chat platform. Only the outbox dispatcher calls it,
 * so every call here is a retryable delivery of an effect already committed to the database.
 * Channel and user ids are platform-prefixed (`slack:C0123`, `slack:U0123`).
 */
export interface ChatPort {
  /** Posts a card as a new message in `channel`; returns the platform id of the message (Slack `ts`). */
  postCard(channel: string, card: Card, options?: PostCardOptions): Promise<{ messageId: string }>;
  /** Replaces a posted card in place for everyone (Slack `chat.update`). */
  updateCard(channel: string, messageId: string, card: Card): Promise<void>;
  /** Posts a short text reply into a thread (Slack `thread_ts`). */
  postThreadNote(thread: ThreadRef, text: string): Promise<{ messageId: string }>;
  /** A message only `userId` sees (Slack `chat.postEphemeral`), optionally inside a thread. */
  postEphemeral(channel: string, userId: string, text: string, threadId?: string): Promise<void>;
  /**
   * Asks "How did we do with escalation #N?" in a thread, with five buttons rating it 1–5 (Slack
   * action `escalator:csat_<score>`, Teams `Action.Execute` verb `csat`), each carrying the
   * escalation id and the score.
   */
  postCsatPrompt(thread: ThreadRef, prompt: CsatPrompt): Promise<{ messageId: string }>;
}

export interface PostCardOptions {
  /** The same for every try of one card (its outbox entry id). */
  idempotencyKey?: string;
  /**
   * An earlier try may have reached the platform (it failed, or its replica died or stalled
   * mid-call): a platform that can look up the card by its key does so before posting.
   */
  maybeSent?: boolean;
}

/** What a CSAT prompt asks about. */
export interface CsatPrompt {
  escalationId: string;
  /** The escalation's number, as people know it (#12). */
  number: number;
}

/**
 * What an adapter throws when a delivery failed. `retryable: false` means trying again cannot help
 * (channel not found, bot not in channel); the dispatcher parks the effect and logs it.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly retryable: boolean,
    /** From `Retry-After` on a 429: wait at least this long before the next call. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
