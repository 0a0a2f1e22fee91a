import type { App } from '@slack/bolt';
import { trackMessage } from '../../../src/app/track-message.js';
import { updateMessage } from '../../../src/app/update-message.js';
import { learnSlackPerson } from '../learn-people.js';
import { toCore, tsToDate } from '../slack-ids.js';
import type { SlackHandlerDeps } from './deps.js';

/** Message subtypes that are people talking; everything else (joins, bots, topic changes) is ignored. */
const PEOPLE_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share', 'me_message']);

interface RawMessage {
  subtype?: string;
  channel: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  team?: string;
  user_team?: string;
  message?: { ts: string; text?: string; thread_ts?: string; bot_id?: string };
  deleted_ts?: string;
  event_ts?: string;
}

/**
 * Support channel messages become issues and thread messages. Bolt acknowledges the event before
 * this runs; Slack's retries carry the same `event_id`, which the core remembers.
 */
export function registerMessageEvents(app: App, { ctx, log }: SlackHandlerDeps): void {
  app.event('message', async ({ event, body, client }) => {
    const m = event as unknown as RawMessage;
    const eventKey = `slack:event:${(body as { event_id?: string }).event_id ?? `${m.channel}:${m.event_ts ?? m.ts}`}`;
    const channel = toCore(m.channel);

    if (m.subtype === 'message_changed' && m.message && !m.message.bot_id) {
      await updateMessage(ctx, {
        eventKey,
        channel,
        messageId: m.message.ts,
        text: m.message.text ?? '',
        at: tsToDate(m.ts),
      });
      return;
    }
    if (m.subtype === 'message_deleted' && m.deleted_ts) {
      await updateMessage(ctx, { eventKey, channel, messageId: m.deleted_ts, at: tsToDate(m.ts) });
      return;
    }
    if (!PEOPLE_SUBTYPES.has(m.subtype) || m.bot_id || !m.user) return;

    const result = await trackMessage(ctx, {
      eventKey,
      channel,
      messageId: m.ts,
      threadId: m.thread_ts ?? m.ts,
      author: { id: toCore(m.user), teamId: m.user_team ?? m.team },
      text: m.text ?? '',
      at: tsToDate(m.ts),
    });
    if (result.outcome === 'tracked') await learnSlackPerson(ctx, client, m.user, log);
    if (result.outcome === 'tracked' && result.openedIssue) {
      log.info({ issue: result.issue.id, number: result.issue.number, channel }, 'issue opened');
    }
  });
}
