import { type Platform, platformOf } from '../domain/ids.js';
import { type ChatPort, DeliveryError } from '../ports/chat-port.js';
import type { Logger } from '../ports/logger.js';
import type { Effect, OutboxEntry } from '../ports/outbox.js';
import type { WebhookPort } from '../ports/webhook-port.js';
import type { AppContext } from './context.js';
import { reportUndeliveredCard } from './report-undelivered-card.js';
import { type SummaryWriter, writeAiSummary } from './write-ai-summary.js';

export interface DeliveryPorts {
  chat: Partial<Record<Platform, ChatPort>>;
  webhook?: WebhookPort;
  /** The optional AI summary endpoint; without it no `ai_summary` is queued. */
  summary?: SummaryDelivery;
}

export interface SummaryDelivery extends SummaryWriter {
  /** Its own bucket (`summary:<host>`), apart from the chat channels. */
  bucket: string;
}

const BATCH = 200;
const MAX_BACKOFF_MS = 5 * 60_000;
/** Calls of the AI summary endpoint per escalation before the card keeps its extractive summary. */
export const SUMMARY_ATTEMPTS = 3;

/**
 * Delivers outbox entries to the platforms. Entries of one issue go strictly in order; different
 * channels go in parallel. Failures are retried with backoff (a 429's `Retry-After` is honoured and
 * pauses only that channel); permanent failures are parked as `dead` with the reason and logged.
 */
export class OutboxDispatcher {
  private running: Promise<void> | null = null;
  private again = false;
  /** Channel → time (ms) before which we must not call it again, from 429 `Retry-After`. */
  private readonly pausedUntil = new Map<string, number>();
  /** Buckets being worked through beside the passes (the AI summary), with that work. */
  private readonly background = new Map<string, Promise<void>>();

  constructor(
    private readonly ctx: AppContext,
    private readonly ports: DeliveryPorts,
    private readonly log: Logger,
  ) {}

  /** Starts a delivery pass now, or right after the one in progress. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while ((await this.deliverBatch()) > 0) {
            // keep going while there is due work
          }
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Resolves when no pass and no background work (an AI summary call) is running. */
  async idle(): Promise<void> {
    while (this.running || this.background.size > 0) {
      // Background work never rejects; a failed pass does, as before.
      await Promise.all([this.running, ...this.background.values()]);
    }
  }

  private async deliverBatch(): Promise<number> {
    const now = this.ctx.clock.now();
    const due = (await this.ctx.store.outbox.listDue(now, BATCH)).filter(
      (entry) => (this.pausedUntil.get(this.targetOf(entry.effect)) ?? 0) <= now.getTime(),
    );
    const byTarget = new Map<string, OutboxEntry[]>();
    for (const entry of due) {
      const target = this.targetOf(entry.effect);
      byTarget.set(target, [...(byTarget.get(target) ?? []), entry]);
    }
    let delivered = 0;
    await Promise.all(
      [...byTarget].map(async ([target, entries]) => {
        if (entries[0]?.effect.kind === 'ai_summary') return this.inBackground(target);
        for (const entry of entries) {
          const outcome = await this.deliverOne(entry);
          if (outcome === 'paused') break; // the channel is rate limited: nothing more to it now
          if (outcome === 'delivered' || outcome === 'parked') delivered += 1; // progress: look again
        }
      }),
    );
    return delivered;
  }

  /**
   * Works through a bucket beside the passes, one due entry at a time (listed afresh each time):
   * a pass never waits for it, so a slow or hanging AI endpoint holds up no card, note or webhook
   * (and each call is bounded by its timeout). An entry stays pending until done; when the work
   * ends, a pass picks up what it queued (the card update) and starts it again for what came since.
   */
  private inBackground(target: string): void {
    if (this.background.has(target)) return; // already at work there
    const work = (async () => {
      for (;;) {
        const due = await this.ctx.store.outbox.listDue(this.ctx.clock.now(), BATCH);
        const next = due.find((entry) => this.targetOf(entry.effect) === target);
        if (!next || (await this.deliverOne(next)) === 'paused') return;
      }
    })()
      .catch((error: Error) =>
        this.log.error({ target, error: error.message }, 'outbox background work failed'),
      )
      .finally(() => {
        this.background.delete(target);
        this.kick().catch((error: Error) => this.log.error({ error: error.message }, 'outbox pass failed'));
      });
    this.background.set(target, work);
  }

  private async deliverOne(entry: OutboxEntry): Promise<'delivered' | 'parked' | 'retry' | 'paused'> {
    const { store, clock } = this.ctx;
    try {
      const cardRef = await this.perform(entry);
      await store.transaction(async (tx) => {
        if (cardRef) {
          await tx.escalations.setCardRef(cardRef.escalationId, cardRef.channel, cardRef.messageId);
          // The card is out with its extractive summary; the AI one follows. On its own order key, so
          // a slow endpoint holds up none of the notes and card updates (the card update it
          // queues goes on the key, behind those).
          if (this.ports.summary) {
            await tx.outbox.add(
              `${entry.orderKey}:summary`,
              { kind: 'ai_summary', escalationId: cardRef.escalationId },
              clock.now(),
            );
          }
        }
        await tx.outbox.markDelivered(entry.id, clock.now());
      });
      return 'delivered';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retryable = !(error instanceof DeliveryError) || error.retryable;
      if (!retryable) {
        const effect = entry.effect;
        await store.transaction(async (tx) => {
          await tx.outbox.markDead(entry.id, message);
          if (effect.kind === 'post_card') {
            await reportUndeliveredCard(tx, {
              escalationId: effect.escalationId,
              channel: effect.channel,
              error: message,
              at: clock.now(),
            });
          }
        });
        this.log.error(
          { outboxId: entry.id, kind: entry.effect.kind, error: message },
          'outbox entry cannot be delivered; parked as dead',
        );
        return 'parked';
      }
      const now = clock.now().getTime();
      const retryAfter = error instanceof DeliveryError ? error.retryAfterMs : undefined;
      if (retryAfter !== undefined) this.pausedUntil.set(this.targetOf(entry.effect), now + retryAfter);
      const wait = retryAfter ?? backoff(entry.attempts + 1);
      await store.outbox.markRetry(entry.id, message, new Date(now + wait));
      this.log.warn(
        {
          outboxId: entry.id,
          kind: entry.effect.kind,
          attempt: entry.attempts + 1,
          retryInMs: wait,
          error: message,
        },
        'outbox delivery failed; will retry',
      );
      return retryAfter !== undefined ? 'paused' : 'retry';
    }
  }

  private async perform(
    entry: OutboxEntry,
  ): Promise<{ escalationId: string; channel: string; messageId: string } | null> {
    const effect = entry.effect;
    switch (effect.kind) {
      case 'post_card': {
        const { messageId } = await this.chatFor(effect.channel).postCard(effect.channel, effect.card, {
          idempotencyKey: entry.id,
        });
        return { escalationId: effect.escalationId, channel: effect.channel, messageId };
      }
      case 'update_card': {
        const escalation = await this.ctx.store.escalations.get(effect.escalationId);
        if (!escalation?.cardChannel || !escalation.cardMessageId) {
          // Card-less levels (webhook only) have nothing to update; otherwise the post died.
          const level = escalation?.pathSnapshot.levels[escalation.level];
          if (level && !level.channel) return null;
          throw new DeliveryError(
            `card of escalation ${effect.escalationId} was never posted, so it cannot be updated`,
            false,
          );
        }
        await this.chatFor(escalation.cardChannel).updateCard(
          escalation.cardChannel,
          escalation.cardMessageId,
          effect.card,
        );
        return null;
      }
      case 'thread_note':
        await this.chatFor(effect.thread.channel).postThreadNote(effect.thread, effect.text);
        return null;
      case 'ephemeral':
        await this.chatFor(effect.channel).postEphemeral(
          effect.channel,
          effect.userId,
          effect.text,
          effect.threadId,
        );
        return null;
      case 'csat_prompt':
        await this.chatFor(effect.thread.channel).postCsatPrompt(effect.thread, {
          escalationId: effect.escalationId,
          number: effect.number,
        });
        return null;
      case 'ai_summary':
        await this.summarise(entry, effect.escalationId);
        return null;
      case 'post_digest':
        await this.chatFor(effect.channel).postCard(effect.channel, effect.card, {
          idempotencyKey: entry.id,
        });
        return null;
      case 'webhook':
        if (!this.ports.webhook) throw new DeliveryError('no webhook sender configured', false);
        await this.ports.webhook.post(effect.url, effect.body, {
          secretEnv: effect.secretEnv,
          idempotencyKey: entry.id,
        });
        return null;
    }
  }

  /**
   * Writes the AI summary. A failure or timeout is retried with the usual backoff; after
   * `SUMMARY_ATTEMPTS` calls it gives up quietly (a warning): the card keeps its extractive summary.
   */
  private async summarise(entry: OutboxEntry, escalationId: string): Promise<void> {
    const summary = this.ports.summary;
    if (!summary) {
      // Queued while an endpoint was configured, and Escalator has restarted without it.
      this.log.warn({ escalationId }, 'no AI summary endpoint configured any more; summary skipped');
      return;
    }
    try {
      const outcome = await writeAiSummary(this.ctx, summary, escalationId);
      this.log.debug({ escalationId, outcome }, 'AI summary done');
    } catch (error) {
      const attempt = entry.attempts + 1;
      if (attempt < SUMMARY_ATTEMPTS) throw error;
      this.log.warn(
        { escalationId, attempts: attempt, error: error instanceof Error ? error.message : String(error) },
        'AI summary failed; the card keeps its extractive summary',
      );
    }
  }

  private targetOf(effect: Effect): string {
    return targetOf(effect, this.ports.summary?.bucket);
  }

  private chatFor(channel: string): ChatPort {
    const platform = platformOf(channel);
    const chat = this.ports.chat[platform];
    // Retryable: the operator may just have forgotten the credentials and will restart with them.
    if (!chat) throw new DeliveryError(`the ${platform} adapter is not enabled (set its credentials)`, true);
    return chat;
  }
}

/** Which rate-limit bucket an effect uses: its channel, the webhook host, or the summary endpoint's. */
function targetOf(effect: Effect, summaryBucket = 'summary'): string {
  switch (effect.kind) {
    case 'post_card':
    case 'ephemeral':
    case 'post_digest':
      return effect.channel;
    case 'thread_note':
    case 'csat_prompt':
      return effect.thread.channel;
    case 'update_card':
      return effect.channel ?? `card:${effect.escalationId}`;
    case 'webhook':
      return new URL(effect.url).host;
    case 'ai_summary':
      return summaryBucket;
  }
}

/** 1s, 2s, 4s … capped at 5 minutes, with jitter so a recovered platform is not hit all at once. */
export function backoff(attempt: number): number {
  const base = Math.min(1000 * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
