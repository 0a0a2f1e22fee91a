import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Card } from '../../src/domain/card.js';
import type { ThreadRef } from '../../src/domain/ids.js';
import {
  type ChatPort,
  type CsatPrompt,
  DeliveryError,
  type PostCardOptions,
} from '../../src/ports/chat-port.js';
import { mentionedIds } from '../shared/people.js';
import { csatPromptMessage } from './csat-prompt.js';
import { postChartCard } from './post-chart-card.js';
import { CARD_EVENT_TYPE, PostedCards } from './posted-cards.js';
import { renderBlockKit } from './render-block-kit.js';
import { slackMentions, toSlack } from './slack-ids.js';

/** Slack errors that no retry can fix; the outbox parks the effect and logs why. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'invalid_blocks',
  'msg_too_long',
  'message_not_found',
  'cant_update_message',
  'user_not_in_channel',
  'restricted_action',
]);

/**
 * The ChatPort on the Slack Web API. The client must not retry or wait out 429s by itself
 * (`retries: 0`, `rejectRateLimitedCalls: true`): the outbox owns retries, so a throttled channel
 * does not hold up the others.
 */
export class SlackChat implements ChatPort {
  private readonly posted: PostedCards;

  constructor(
    private readonly client: WebClient,
    /** Display names of people from other platforms (Slack people become native mentions). */
    private readonly names: (ids: string[]) => Promise<Map<string, string>>,
    private readonly workspaceUrl?: string,
    /** When this process started, on the clock that stamps outbox ids (see `PostedCards`). */
    startedAt: Date = new Date(),
  ) {
    this.posted = new PostedCards(client, (request) => this.call(request), startedAt);
  }

  private async render(card: Card) {
    return renderBlockKit(card, this.workspaceUrl, await this.names(mentionedIds(JSON.stringify(card))));
  }

  private async text(text: string) {
    return slackMentions(text, await this.names(mentionedIds(text)));
  }

  async postCard(channel: string, card: Card, options: PostCardOptions = {}): Promise<{ messageId: string }> {
    const { text, blocks } = await this.render(card);
    if (card.chart) {
      // An upload carries no message metadata, so the crash lookup below cannot find it: a crash in
      // the middle of a digest upload may post that week's digest twice.
      try {
        const { fileId } = await postChartCard(this.client, (request) => this.call(request), {
          channelId: toSlack(channel),
          chart: card.chart,
          blocks,
        });
        return { messageId: fileId };
      } catch (error) {
        // An app installed before the digest existed lacks `files:write` (missing_scope): the
        // figures still go out, without the picture, and say how to get it. Retryable failures
        // are left to the outbox.
        if (!(error instanceof DeliveryError) || error.retryable) throw error;
        const { chart: _noChart, ...rest } = card;
        return this.postCard(
          channel,
          {
            ...rest,
            context: [
              ...rest.context,
              `The chart could not be uploaded (${error.message}); add the files:write scope to the Slack app.`,
            ],
          },
          options,
        );
      }
    }
    const key = options.idempotencyKey;
    if (key) {
      // Slack has no client message id: a post that may already have happened is looked up first.
      const already = await this.posted.find(toSlack(channel), key, options.maybeSent ?? false);
      if (already) return { messageId: already };
      this.posted.noteSent(key);
    }
    const result = await this.call(() =>
      this.client.chat.postMessage({
        channel: toSlack(channel),
        text,
        blocks,
        unfurl_links: false,
        // Marks our cards so the lookup above recognises them after a crash or a lost answer.
        metadata: { event_type: CARD_EVENT_TYPE, event_payload: { outbox_id: key ?? '' } },
      }),
    );
    return { messageId: String(result.ts) };
  }

  async updateCard(channel: string, messageId: string, card: Card) {
    const { text, blocks } = await this.render(card);
    await this.call(() =>
      this.client.chat.update({ channel: toSlack(channel), ts: messageId, text, blocks }),
    );
  }

  async postThreadNote(thread: ThreadRef, note: string) {
    const text = await this.text(note);
    const result = await this.call(() =>
      this.client.chat.postMessage({
        channel: toSlack(thread.channel),
        thread_ts: thread.threadId,
        text,
        unfurl_links: false,
      }),
    );
    return { messageId: String(result.ts) };
  }

  async postEphemeral(channel: string, userId: string, message: string, threadId?: string) {
    const text = await this.text(message);
    await this.call(() =>
      this.client.chat.postEphemeral({
        channel: toSlack(channel),
        user: toSlack(userId),
        text,
        ...(threadId ? { thread_ts: threadId } : {}),
      }),
    );
  }

  async postCsatPrompt(thread: ThreadRef, prompt: CsatPrompt) {
    const { text, blocks } = csatPromptMessage(prompt);
    const result = await this.call(() =>
      this.client.chat.postMessage({
        channel: toSlack(thread.channel),
        thread_ts: thread.threadId,
        text,
        blocks,
        unfurl_links: false,
      }),
    );
    return { messageId: String(result.ts) };
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw toDeliveryError(error);
    }
  }
}

/** Sorts Web API failures into retry-later and give-up. */
export function toDeliveryError(error: unknown): DeliveryError {
  const e = error as {
    code?: string;
    retryAfter?: number;
    statusCode?: number;
    data?: { error?: string };
    message?: string;
  };
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return new DeliveryError('Slack rate limited the call (429)', true, (e.retryAfter ?? 1) * 1000);
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      return new DeliveryError(`Slack answered ${code}`, !PERMANENT.has(code));
    }
    case ErrorCode.HTTPError:
      return new DeliveryError(
        `Slack answered HTTP ${e.statusCode}`,
        (e.statusCode ?? 500) >= 500 || e.statusCode === 429,
      );
    default:
      return new DeliveryError(`Slack could not be reached: ${e.message ?? String(error)}`, true);
  }
}
