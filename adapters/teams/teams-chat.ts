import {
  type Activity,
  CardFactory,
  type CloudAdapter,
  type ConversationReference,
  MessageFactory,
  TeamsInfo,
  type TurnContext,
} from 'botbuilder';
import type { Card } from '../../src/domain/card.js';
import type { ThreadRef } from '../../src/domain/ids.js';
import { type ChatPort, type CsatPrompt, DeliveryError } from '../../src/ports/chat-port.js';
import { renderDigestChartPng } from '../chart/render-digest-chart.js';
import { mentionedIds, renderPeople } from '../shared/people.js';
import { csatPromptCard } from './csat-card.js';
import { renderAdaptiveCard, teamsMarkdown } from './render-adaptive-card.js';
import { splitConversationId, threadConversationId, toTeams } from './teams-ids.js';

/** What we keep about a Teams channel to reach it later (from any activity seen there). */
export interface TeamsConversationData {
  serviceUrl: string;
  tenantId?: string;
  teamId?: string;
  botId: string;
  botName?: string;
}

export interface TeamsChatDeps {
  /** The stored conversation data of a channel (or of any channel of the tenant). */
  conversation(channel: string): Promise<TeamsConversationData | undefined>;
  names(ids: string[]): Promise<Map<string, string>>;
}

/**
 * The ChatPort on the Bot Connector: proactive posts through stored conversation references.
 * A card becomes a new channel thread; notes are replies in the original thread.
 */
export class TeamsChat implements ChatPort {
  constructor(
    private readonly adapter: CloudAdapter,
    /** The bot's Microsoft App ID; empty when running unauthenticated for local tests. */
    private readonly appId: string,
    private readonly deps: TeamsChatDeps,
  ) {}

  async postCard(channel: string, card: Card) {
    const channelId = toTeams(channel);
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(await this.render(card)));
    let messageId = '';
    await this.inConversation(channel, { conversationId: channelId }, async (context) => {
      // sendMessageToTeamsChannel refuses an empty app id, even when auth is off; any id works then.
      const botAppId = this.appId || 'escalator';
      const [, conversationId] = await TeamsInfo.sendMessageToTeamsChannel(
        context,
        activity as Activity,
        channelId,
        botAppId,
      );
      // It answers with the new thread's conversation id ("<channel>;messageid=<root>"): the root is the card.
      messageId = splitConversationId(conversationId).rootId ?? conversationId;
    });
    return { messageId };
  }

  async updateCard(channel: string, messageId: string, card: Card) {
    const channelId = toTeams(channel);
    const attachment = CardFactory.adaptiveCard(await this.render(card));
    const conversationId = threadConversationId(channelId, messageId);
    await this.inConversation(channel, { conversationId }, async (context) => {
      await context.updateActivity({ type: 'message', id: messageId, attachments: [attachment] });
    });
  }

  async postThreadNote(thread: ThreadRef, note: string) {
    const text = await this.text(note);
    const conversationId = threadConversationId(toTeams(thread.channel), thread.threadId);
    let messageId = '';
    await this.inConversation(
      thread.channel,
      { conversationId, replyTo: thread.threadId },
      async (context) => {
        const sent = await context.sendActivity({ type: 'message', text, textFormat: 'markdown' });
        messageId = sent?.id ?? '';
      },
    );
    return { messageId };
  }

  async postCsatPrompt(thread: ThreadRef, prompt: CsatPrompt) {
    const conversationId = threadConversationId(toTeams(thread.channel), thread.threadId);
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(csatPromptCard(prompt)));
    let messageId = '';
    await this.inConversation(
      thread.channel,
      { conversationId, replyTo: thread.threadId },
      async (context) => {
        const sent = await context.sendActivity(activity);
        messageId = sent?.id ?? '';
      },
    );
    return { messageId };
  }

  /** Teams has no private messages in a channel; the answer goes into the thread, addressed to the person. */
  async postEphemeral(channel: string, userId: string, message: string, threadId?: string) {
    const channelId = toTeams(channel);
    const who = (await this.deps.names([userId])).get(userId);
    const text = `${who ? `${who}: ` : ''}${await this.text(message)}`;
    const conversationId = threadId ? threadConversationId(channelId, threadId) : channelId;
    await this.inConversation(channel, { conversationId, replyTo: threadId }, async (context) => {
      await context.sendActivity({ type: 'message', text, textFormat: 'markdown' });
    });
  }

  private async render(card: Card) {
    return renderTeamsCard(card, this.deps.names);
  }

  private async text(text: string) {
    return teamsMarkdown(renderPeople(text, await this.deps.names(mentionedIds(text)), () => undefined));
  }

  /**
   * Runs `logic` in a conversation through the stored reference of its channel. With `replyTo`,
   * what it sends is a reply to that message (the thread root).
   */
  private async inConversation(
    channel: string,
    target: { conversationId: string; replyTo?: string },
    logic: (context: TurnContext) => Promise<void>,
  ) {
    const data = await this.deps.conversation(channel);
    if (!data) {
      // Retryable: the first activity from the team (install, any message) teaches us the service URL.
      throw new DeliveryError(
        `Teams has not told Escalator how to reach ${channel} yet; add the app to that team`,
        true,
      );
    }
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: data.serviceUrl,
      bot: { id: data.botId, name: data.botName ?? 'Escalator' },
      conversation: {
        id: target.conversationId,
        isGroup: true,
        conversationType: 'channel',
        tenantId: data.tenantId,
        name: '',
      },
      ...(target.replyTo ? { activityId: target.replyTo } : {}),
    };
    // Errors inside the turn go to the adapter's onTurnError and would never reach us; catch them
    // in the turn so a failed post is retried instead of counted as delivered.
    let failure: unknown;
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        try {
          await logic(context);
        } catch (error) {
          failure = error ?? new Error('unknown Teams failure');
        }
      });
    } catch (error) {
      failure = error;
    }
    if (failure !== undefined) throw toDeliveryError(failure);
  }
}

/** Sorts Bot Connector failures into retry-later and give-up (Teams retries 429, 412, 5xx). */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = error as {
    statusCode?: number;
    response?: { headers?: { get?(name: string): string | undefined } };
    message?: string;
  };
  const status = e.statusCode;
  if (status === undefined)
    return new DeliveryError(`Teams could not be reached: ${e.message ?? String(error)}`, true);
  const retryAfter = Number(e.response?.headers?.get?.('retry-after'));
  const retryable = status === 429 || status === 412 || status >= 500;
  return new DeliveryError(
    `Teams answered HTTP ${status}`,
    retryable,
    status === 429 ? (retryAfter > 0 ? retryAfter * 1000 : 1000) : undefined,
  );
}

/** Teams refuses bot messages over about 28 KB; a card that would pass this goes without its chart. */
const MESSAGE_BUDGET_BYTES = 27_000;

/** The Adaptive Card of a neutral card, with names resolved and its chart (if any) drawn. */
export async function renderTeamsCard(card: Card, names: TeamsChatDeps['names']) {
  const known = await names(mentionedIds(JSON.stringify(card)));
  if (!card.chart) return renderAdaptiveCard(card, known);
  const withChart = renderAdaptiveCard(card, known, { chartPng: await renderDigestChartPng(card.chart) });
  if (Buffer.byteLength(JSON.stringify(withChart)) <= MESSAGE_BUDGET_BYTES) return withChart;
  const { chart: _tooBig, ...rest } = card;
  return renderAdaptiveCard(
    { ...rest, context: [...rest.context, 'The chart was left out to fit Teams’ message size limit.'] },
    known,
  );
}
