import type { Card } from '../../src/domain/card.js';
import type { ThreadRef } from '../../src/domain/ids.js';
import {
  type ChatPort,
  type CsatPrompt,
  DeliveryError,
  type PostCardOptions,
} from '../../src/ports/chat-port.js';
import type { Clock } from '../../src/ports/clock.js';
import type { LocalMessage, LocalWorkspaceRepository, StoredCard } from '../../src/ports/local-workspace.js';
import type { LiveFeed } from './live-feed.js';
import { newLocalMessageId } from './local-ids.js';

export interface LocalChatDeps {
  messages: LocalWorkspaceRepository;
  clock: Clock;
  feed: LiveFeed;
}

/**
 * The ChatPort of the simulated workspace: what Escalator delivers is stored as messages in the
 * database (the page shows them, the feed announces them). Text keeps its `<@…>` and `<#…>`
 * tokens; they are turned into names when the page reads it, so a renamed persona shows its new
 * name everywhere.
 */
export class LocalChat implements ChatPort {
  constructor(private readonly deps: LocalChatDeps) {}

  async postCard(channel: string, card: Card, options: PostCardOptions = {}) {
    const at = this.deps.clock.now();
    // The outbox entry's id names the message: a delivery retried after a crash finds it posted.
    const id = options.idempotencyKey ? `lm_${options.idempotencyKey}` : newLocalMessageId(at);
    await this.store({
      ...blank(channel, at),
      id,
      kind: 'card',
      text: card.fallback,
      card: await drawn(card),
    });
    return { messageId: id };
  }

  async updateCard(channel: string, messageId: string, card: Card) {
    const at = this.deps.clock.now();
    if (!(await this.deps.messages.updateCard(messageId, await drawn(card), at))) {
      throw new DeliveryError(`no card ${messageId} in ${channel} of the local workspace`, false);
    }
    const updated = await this.deps.messages.get(messageId);
    this.deps.feed.publish({ channel, threadId: updated?.threadId ?? null, id: messageId });
  }

  async postThreadNote(thread: ThreadRef, text: string) {
    const at = this.deps.clock.now();
    const id = newLocalMessageId(at);
    await this.store({ ...blank(thread.channel, at), id, threadId: thread.threadId, kind: 'note', text });
    return { messageId: id };
  }

  async postEphemeral(channel: string, userId: string, text: string, threadId?: string) {
    const at = this.deps.clock.now();
    await this.store({
      ...blank(channel, at),
      id: newLocalMessageId(at),
      threadId: threadId ?? null,
      kind: 'ephemeral',
      text,
      visibleTo: userId,
    });
  }

  async postCsatPrompt(thread: ThreadRef, prompt: CsatPrompt) {
    const at = this.deps.clock.now();
    const id = newLocalMessageId(at);
    await this.store({
      ...blank(thread.channel, at),
      id,
      threadId: thread.threadId,
      kind: 'csat',
      text: `How did we do with escalation #${prompt.number}? Rate it from 1 (poor) to 5 (great).`,
      csat: { escalationId: prompt.escalationId, number: prompt.number },
    });
    return { messageId: id };
  }

  private async store(message: LocalMessage): Promise<void> {
    if (await this.deps.messages.create(message)) {
      this.deps.feed.publish({ channel: message.channel, threadId: message.threadId, id: message.id });
    }
  }
}

function blank(channel: string, at: Date): LocalMessage {
  return {
    id: '',
    channel,
    threadId: null,
    authorId: null,
    kind: 'text',
    text: null,
    card: null,
    csat: null,
    visibleTo: null,
    createdAt: at,
    updatedAt: at,
  };
}

/** The card with its chart (a digest's) drawn as a PNG data URI, as Teams shows it. */
export async function drawn(card: Card): Promise<StoredCard> {
  if (!card.chart) return card;
  // Vega and resvg are loaded for the first chart, not at start: most sessions draw none.
  const { renderDigestChartPng } = await import('../chart/render-digest-chart.js');
  const png = await renderDigestChartPng(card.chart);
  return { ...card, chartPng: `data:image/png;base64,${png.toString('base64')}` };
}
