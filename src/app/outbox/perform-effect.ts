import { type Platform, platformOf } from '../../domain/ids.js';
import { type ChatPort, DeliveryError } from '../../ports/chat-port.js';
import type { Logger } from '../../ports/logger.js';
import type { OutboxEntry } from '../../ports/outbox.js';
import type { OutboxClaim } from '../../ports/store.js';
import type { WebhookPort } from '../../ports/webhook-port.js';
import type { AppContext } from '../context.js';
import { type SummaryWriter, writeAiSummary } from '../write-ai-summary.js';

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

/** Calls of the AI summary endpoint per escalation before the card keeps its extractive summary. */
export const SUMMARY_ATTEMPTS = 3;

/** A card that was just posted, to record where it lives. */
export interface CardRef {
  escalationId: string;
  channel: string;
  messageId: string;
}

/**
 * Carries out one outbox entry through the port it names (a chat platform, a webhook, the AI
 * summary endpoint). Throws what the port threw; the dispatcher decides what happens next.
 */
export class EffectPerformer {
  constructor(
    private readonly ctx: AppContext,
    private readonly ports: DeliveryPorts,
    private readonly log: Logger,
  ) {}

  async perform(entry: OutboxEntry, claim: OutboxClaim): Promise<CardRef | null> {
    const effect = entry.effect;
    switch (effect.kind) {
      case 'post_card': {
        const { messageId } = await this.chatFor(effect.channel).postCard(effect.channel, effect.card, {
          idempotencyKey: entry.id,
          maybeSent: claim.maybeSent,
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

  private chatFor(channel: string): ChatPort {
    const platform = platformOf(channel);
    const chat = this.ports.chat[platform];
    // Retryable: the operator may just have forgotten the credentials and will restart with them.
    if (!chat) throw new DeliveryError(`the ${platform} adapter is not enabled (set its credentials)`, true);
    return chat;
  }
}
