import type { Card } from '../domain/card.js';
import type { ThreadRef } from '../domain/ids.js';

/**
 * Every outward effect, written to the outbox in the same transaction as the change that caused it
 * and delivered later by the dispatcher.
 */
export type Effect =
  | { kind: 'post_card'; channel: string; card: Card; escalationId: string }
  /** `channel`: where the card lives (its level's channel), for per-channel rate limits. */
  | { kind: 'update_card'; escalationId: string; card: Card; channel?: string }
  | { kind: 'thread_note'; thread: ThreadRef; text: string }
  | { kind: 'ephemeral'; channel: string; userId: string; text: string; threadId?: string }
  /** After a resolution: the 1–5 rating buttons in the original thread. */
  | { kind: 'csat_prompt'; thread: ThreadRef; escalationId: string; number: number }
  /** External levels (vendors, regulators): a signed JSON POST. The secret stays in the environment. */
  | { kind: 'webhook'; url: string; secretEnv?: string; body: Record<string, unknown> }
  /**
   * Ask the AI endpoint for a narrative summary of the escalation's thread, then store it and update
   * the card. Queued when the card has been posted (and a summary endpoint is configured), on the
   * order key `<issue>:summary` so a slow endpoint holds up none of the other effects.
   */
  | { kind: 'ai_summary'; escalationId: string }
  /** A digest for team leads (its chart rides on the card); `period` is the ISO week, for the logs. */
  | { kind: 'post_digest'; channel: string; card: Card; period: string };

export type OutboxStatus = 'pending' | 'delivered' | 'dead';

export interface OutboxEntry {
  id: string;
  /** Effects with the same key are delivered strictly in order (one escalation's card and notes). */
  orderKey: string;
  effect: Effect;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}
