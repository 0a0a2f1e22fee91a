import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import {
  escalationChannels,
  listMyEscalations,
  type MyEscalationItem,
} from '../../../src/app/list-my-escalations.js';
import { toCore, toSlack } from '../slack-ids.js';
import type { SlackHandlerDeps } from './deps.js';

/** Items per group on the Home tab: two groups stay well inside Slack's 100 blocks per view. */
const HOME_ITEMS = 20;

/**
 * "My escalations" on the App Home tab: what the person claimed and what waits to be claimed in the
 * escalation channels they are in, with deadlines. Published on every `app_home_opened` (tab home).
 */
export function registerAppHome(app: App, { ctx, log }: SlackHandlerDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const channels = await channelsWithMember(client, escalationChannels(ctx, 'slack:'), event.user);
    const mine = await listMyEscalations(ctx, {
      person: toCore(event.user),
      channels,
      limit: HOME_ITEMS,
    });
    const blocks: Record<string, unknown>[] = [
      { type: 'header', text: { type: 'plain_text', text: 'My escalations' } },
      ...group('Claimed by you', mine.claimed, mine.moreClaimed, 'Nothing claimed by you.'),
      { type: 'divider' },
      ...group(
        'Unclaimed in your escalation channels',
        mine.unclaimed,
        mine.moreUnclaimed,
        channels.length
          ? 'Nothing waiting to be claimed.'
          : 'You are not in any escalation channel of the policy.',
      ),
    ];
    try {
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks } as never });
    } catch (error) {
      log.warn({ error: (error as Error).message, user: event.user }, 'App Home publish failed');
    }
  });
}

/** The escalation channels `user` is a member of (one `conversations.members` walk per channel). */
async function channelsWithMember(client: WebClient, channels: string[], user: string): Promise<string[]> {
  const results = await Promise.all(
    channels.map(async (channel) => {
      try {
        let cursor: string | undefined;
        do {
          const page = await client.conversations.members({ channel: toSlack(channel), cursor, limit: 1000 });
          if (page.members?.includes(user)) return channel;
          cursor = page.response_metadata?.next_cursor || undefined;
        } while (cursor);
      } catch {
        // The bot cannot see the channel (private, not invited): treat the person as not in it.
      }
      return undefined;
    }),
  );
  return results.filter((c): c is string => c !== undefined);
}

function group(title: string, items: MyEscalationItem[], more: number, empty: string) {
  const blocks: Record<string, unknown>[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${title}*` } },
  ];
  if (items.length === 0) blocks.push(context(empty));
  for (const item of items) blocks.push(itemBlock(item));
  if (more > 0) blocks.push(context(`… and ${more} more`));
  return blocks;
}

function itemBlock(i: MyEscalationItem) {
  const where = i.channel?.startsWith('slack:') ? ` in <#${toSlack(i.channel)}>` : '';
  const due = [i.claimBy && `Claim by ${i.claimBy}`, i.resolveBy && `Resolve by ${i.resolveBy}`]
    .filter(Boolean)
    .join(' · ');
  const text = [
    `*#${i.number}* ${i.priority} · ${escapeMrkdwn(i.level)}${where} · ${escapeMrkdwn(i.trigger)}`,
    `> ${escapeMrkdwn(i.preview)}`,
    due,
  ]
    .filter(Boolean)
    .join('\n');
  // Section text is limited to 3000 characters; previews are already short.
  return { type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } };
}

function context(text: string) {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
