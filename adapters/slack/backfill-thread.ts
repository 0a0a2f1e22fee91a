import { LogLevel, WebClient } from '@slack/web-api';
import { backfillMessages, type HistoryMessage } from '../../src/app/backfill-messages.js';
import { findSupportChannel } from '../../src/domain/policy.js';
import type { SlackHandlerDeps } from './handlers/deps.js';
import { toCore, toSlack, tsToDate } from './slack-ids.js';

/** Message subtypes that are people talking (as in `handlers/messages.ts`). */
const PEOPLE_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share', 'me_message']);

/** `conversations.replies` pages: 200 messages each (Slack's advice is at most 200), at most 50 pages. */
const PAGE_SIZE = 200;
const MAX_PAGES = 50;

/** Time a backfill may take by default; callers that must answer Slack within 3 s pass less. */
export const BACKFILL_BUDGET_MS = 5_000;

interface RawReply {
  type?: string;
  subtype?: string;
  ts?: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  team?: string;
  user_team?: string;
  text?: string;
}

export interface SlackBackfill {
  /** People's messages Slack returned. */
  fetched: number;
  /** Of those, the ones Escalator did not have and stored now. */
  added: number;
  /** Why nothing (or not everything) was read; the escalation goes ahead regardless. */
  incomplete?: 'not_a_support_channel' | 'failed' | 'timed_out';
}

/**
 * Web API clients for backfills: no retries and no waiting out rate limits (a backfill that cannot
 * finish in its budget gives up, and the escalation goes ahead with what is stored).
 */
const quickClients = new WeakMap<WebClient, WebClient>();

function quickClient(client: WebClient): WebClient {
  let quick = quickClients.get(client);
  if (!quick) {
    quick = new WebClient(client.token, {
      slackApiUrl: client.slackApiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: BACKFILL_BUDGET_MS,
      logLevel: LogLevel.ERROR,
    });
    quickClients.set(client, quick);
  }
  return quick;
}

class OutOfTime extends Error {}

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OutOfTime()), Math.max(0, ms));
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Reads a support thread from Slack (`conversations.replies`, paged with `cursor`) and stores the
 * messages Escalator missed: it joined the channel late, was down, or an event never arrived. Run
 * before an escalation by hand so the card's summary reads the whole thread. Never throws: when
 * Slack says no or is slow, the escalation goes ahead with the messages already stored.
 */
export async function backfillSlackThread(
  { ctx, log }: SlackHandlerDeps,
  client: WebClient,
  thread: { channel: string; threadTs: string },
  options: { budgetMs?: number } = {},
): Promise<SlackBackfill> {
  if (!findSupportChannel(ctx.policy, thread.channel)) {
    return { fetched: 0, added: 0, incomplete: 'not_a_support_channel' };
  }
  const channel = toSlack(thread.channel);
  const deadline = Date.now() + (options.budgetMs ?? BACKFILL_BUDGET_MS);
  const replies: RawReply[] = [];
  let incomplete: SlackBackfill['incomplete'];
  try {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const response = await within(
        quickClient(client).conversations.replies({
          channel,
          ts: thread.threadTs,
          limit: PAGE_SIZE,
          ...(cursor ? { cursor } : {}),
        }),
        deadline - Date.now(),
      );
      replies.push(...((response.messages ?? []) as RawReply[]));
      cursor = response.response_metadata?.next_cursor || undefined;
      if (!cursor || response.has_more === false) break;
    }
  } catch (error) {
    incomplete = error instanceof OutOfTime ? 'timed_out' : 'failed';
    log.warn(
      {
        channel: thread.channel,
        thread: thread.threadTs,
        error: (error as Error).message,
        fetched: replies.length,
      },
      'could not read the whole Slack thread; the card summarises the messages Escalator has',
    );
  }

  const rootTs =
    replies.find((m) => m.ts === thread.threadTs)?.thread_ts ?? replies[0]?.thread_ts ?? thread.threadTs;
  const messages: HistoryMessage[] = replies
    .filter((m) => m.ts && m.user && !m.bot_id && PEOPLE_SUBTYPES.has(m.subtype))
    .map((m) => ({
      eventKey: `slack:backfill:${channel}:${m.ts}`,
      messageId: m.ts!,
      author: { id: toCore(m.user!), teamId: m.user_team ?? m.team },
      text: m.text ?? '',
      at: tsToDate(m.ts!),
    }));
  if (messages.length === 0) return { fetched: 0, added: 0, ...(incomplete ? { incomplete } : {}) };

  try {
    const result = await backfillMessages(ctx, { channel: thread.channel, threadId: rootTs, messages });
    const added = result.outcome === 'backfilled' ? result.added : 0;
    if (added > 0) {
      log.info(
        { channel: thread.channel, thread: rootTs, added },
        'stored thread messages Escalator had missed',
      );
    }
    return { fetched: messages.length, added, ...(incomplete ? { incomplete } : {}) };
  } catch (error) {
    log.warn({ channel: thread.channel, thread: rootTs, error: (error as Error).message }, 'backfill failed');
    return { fetched: messages.length, added: 0, incomplete: 'failed' };
  }
}
